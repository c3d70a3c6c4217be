"""Record the complaint after the beep: # ends, silence ends, a maximum length."""
import re

from ivr import complaints
from ivr.steps import register


@register("record")
def run(call, options) -> str:
    """Record into the spool folder; Asterisk writes <spool>/<uniqueid>-<take>.<format>."""
    call.play(options["prompt"])
    complaint = call.complaint
    complaints.discard_take(call)  # recording again: the earlier take is gone, not kept in clear
    complaint.takes += 1
    spool = call.conf.spool_dir
    spool.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^0-9A-Za-z.-]", "_", call.agi.env.get("agi_uniqueid") or str(call.call_id))
    complaint.recording_format = options.get("format", "wav")
    # Known before RECORD FILE starts, so a hang-up during it still finds the partial file.
    complaint.recording = spool / f"{name}-{complaint.takes}"
    result = call.agi.record(str(complaint.recording), complaint.recording_format,
                             options.get("end_key", "#"), int(options["max_seconds"]) * 1000,
                             beep=True, silence=int(options.get("silence_seconds", 5)))
    call.record_step(options["prompt"], result.ended, f"{result.samples} samples")
    return options["next"]
