"""The main menu: 1 new complaint, 2 follow-up, 3 WhatsApp numbers, 0 an agent."""
from ivr.steps import register


@register("main_menu")
def run(call, options) -> str:
    """Send the caller where the key says."""
    choices = {str(k): v for k, v in options["choices"].items()}
    return choices[call.choose(options["prompt"], choices)]
