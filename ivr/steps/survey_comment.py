"""After "not solved": the citizen's words, recorded after the beep ('#', silence or a maximum
length end it) and kept encrypted with the case, even when they hang up while talking."""
from ivr import survey
from ivr.errors import CallerHungUp
from ivr.steps import register


@register("survey_comment")
def run(call, options) -> str | None:
    """Record the comment and hand it to the vault, then say the case is reopened."""
    target = call.complaint.extra.get("survey_case")
    if target is None:
        return options["next"]
    call.play(options["prompt"])
    base, fmt = survey.comment_path(call), options.get("format", "wav")
    base.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = call.agi.record(str(base), fmt, options.get("end_key", "#"),
                                 int(options["max_seconds"]) * 1000, beep=True,
                                 silence=int(options.get("silence_seconds", 4)))
    except CallerHungUp:
        survey.keep_comment(call, target, base, fmt)
        raise
    kept = survey.keep_comment(call, target, base, fmt)
    call.record_step(options["prompt"], result.ended, f"recording {kept}" if kept else "no comment")
    call.play(options["done_prompt"])
    return options["next"]
