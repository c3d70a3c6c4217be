"""Follow-up: complaint number (check digit), the caller verified, then the status read back."""
from hotline import cases, db, pii
from hotline.errors import ValidationError
from ivr.call import TooManyTries
from ivr.steps import register

STATUS_PROMPTS = {"received": "status_received", "under_review": "status_under_review",
                  "routed": "status_routed", "answered": "status_answered", "closed": "status_closed",
                  "rejected": "status_closed", "duplicate": "status_closed"}


@register("follow_up")
def run(call, options) -> str:
    """Find the caller's case and tell them where it stands."""
    for _ in range(call.menu.max_tries):
        # Complaint numbers grow past their usual 9 digits once a year's sequence does: '#' ends it.
        number = call.ask_number(options["prompt"], int(options.get("max_digits", 20))).digits
        if not number or not cases.is_valid_number(number):
            call.retry(options["prompt"], number)  # a wrong check digit is a typing error: ask again
            continue
        found = _lookup(number)
        if found is None:
            call.record_step(options["prompt"], number, "not_found")
            call.play(options["not_found_prompt"])
            continue
        status, phone, national_id, case_id = found
        if not _verified(call, options, phone, national_id):
            call.record_step(options["verify_prompt"], None, "not_verified")
            call.play(options["not_found_prompt"])  # the same answer as for a wrong number
            return "goodbye"
        call.record_step(options["prompt"], number, status)
        call.play(STATUS_PROMPTS.get(status, "status_received"))
        if status == "answered" and options.get("answered_next"):  # solved? (issue 18)
            call.complaint.extra["follow_up_case"] = (case_id, number)
            return options["answered_next"]
        return "goodbye"
    raise TooManyTries(options["prompt"])


def _lookup(number: str):
    with db.session_scope() as session:
        case = cases.find_by_number(session, number)
        if case is None:
            return None
        who = case.complainant
        return (case.status.value, who.phone if who else None, who.national_id if who else None,
                case.id)


def _verified(call, options, phone, national_id) -> bool:
    try:
        caller = pii.normalise("phone", call.caller) if call.caller else None
    except ValidationError:
        caller = None
    if caller and phone and caller == phone:
        return True
    if not national_id:
        return False
    digits = int(options.get("verify_digits", 4))
    entered = call.ask_number(options["verify_prompt"], digits).digits
    return entered == national_id[-digits:]
