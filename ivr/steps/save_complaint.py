"""Save the confirmed complaint: the case is committed before its number is read out."""
from ivr import complaints
from ivr.steps import register


@register("save_complaint")
def run(call, options) -> str:
    """Create the case with its recording, then say it is saved; with the database down, the
    complaint is journaled and the caller hears technical_error instead of a number."""
    try:
        number = complaints.save(call, incomplete=False)
    except complaints.ComplaintJournaled:
        call.record_step(None, None, "journaled")
        call.play("technical_error")
        return "goodbye"
    call.record_step(None, None, number)
    call.play(options["prompt"])
    return options["next"]
