"""Goodbye: the call ends; the dialplan hangs up."""
from ivr.steps import register


@register("goodbye")
def run(call, options) -> None:
    """Say goodbye."""
    call.play(options["prompt"])
    call.record_step(options["prompt"], None, "ended")
    return None
