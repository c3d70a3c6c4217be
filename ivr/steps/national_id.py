"""The national ID: 14 digits then #, * skips at once; checked for structure, 3 tries, then go on without."""
from hotline import national_id, pii
from ivr.steps import register


@register("national_id")
def run(call, options) -> str:
    """Ask for the caller's national ID (optional: a wrong or skipped one never stops a complaint)."""
    digits = int(options.get("digits", 14))
    skip = options.get("skip", "*")
    for _ in range(call.menu.max_tries):
        entry = call.ask_number(options["prompt"], digits, skip=skip)
        if entry.ended == "skip":
            call.record_step(options["prompt"], skip, "skipped")
            return options["next"]
        entered = entry.digits
        if entered and national_id.problem(entered) is None:
            call.complaint.national_id = entered
            call.record_step(options["prompt"], pii.mask_national_id(entered), "ok")
            return options["next"]
        # Never keep a wrong ID in full either: it may be a real one mistyped by a digit.
        call.record_step(options["prompt"], pii.mask_national_id(entered) if entered else "",
                         "invalid" if entered else "no_input")
        call.play(options["invalid_prompt"] if entered else "no_input")
    return options["next"]
