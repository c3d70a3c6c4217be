"""Save the confirmed complaint: the case is committed before its number is read out.

``complaint_saved`` plays while the case is written and the recording encrypted: the caller
hears the IVR answer their key at once instead of the silence of a database write and an
encryption (bench/fastagi_load.py --paced).
"""
from ivr import complaints
from ivr.steps import register


@register("save_complaint")
def run(call, options) -> str:
    """Create the case with its recording, then say it is saved; with the database down, the
    complaint is journaled (kept on disk) and the caller hears technical_error instead of a number."""
    call.agi.begin_stream(call.sound(options["prompt"]), "")
    try:
        number = complaints.save(call, incomplete=False, hand_over_now=False)
    except complaints.ComplaintJournaled:
        call.record_step(None, None, "journaled")
        call.agi.finish()
        call.play("technical_error")
        return "goodbye"
    call.record_step(None, None, number)
    complaints.hand_over_saved(call)
    call.agi.finish()
    return options["next"]
