"""Save the confirmed complaint: the case is committed before its number is read out."""
from ivr import complaints
from ivr.steps import register


@register("save_complaint")
def run(call, options) -> str:
    """Create the case with its recording, then say it is saved."""
    number = complaints.save(call, incomplete=False)
    call.record_step(None, None, number)
    call.play(options["prompt"])
    return options["next"]
