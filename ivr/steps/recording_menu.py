"""After recording: 1 listen, 2 record again, 3 confirm."""
from ivr.errors import PromptMissing
from ivr.steps import register


@register("recording_menu")
def run(call, options) -> str:
    """Play the recording back until the caller re-records or confirms."""
    choices = {str(k): v for k, v in options["choices"].items()}
    while True:
        target = choices[call.choose(options["prompt"], choices)]
        if target != "listen":
            return target
        try:
            call.agi.stream_file(str(call.complaint.recording))
        except PromptMissing:
            call.play("technical_error")
