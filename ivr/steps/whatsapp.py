"""The WhatsApp numbers the hotline answers on, then back to the main menu."""
from ivr.steps import register


@register("whatsapp")
def run(call, options) -> str:
    """Play the numbers (the prompt says them)."""
    call.play(options["prompt"])
    call.record_step(options["prompt"], None, "played")
    return options["next"]
