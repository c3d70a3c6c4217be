"""Follow-up of an answered complaint: the caller may say at once whether it is solved, as the
survey call asks (1 solved: closed; 2 not solved: reopened, then their comment)."""
from ivr import survey
from ivr.steps import register


@register("follow_up_survey")
def run(call, options) -> str | None:
    """Ask the verified caller about the answer they were just told of."""
    target = call.complaint.extra.get("follow_up_case")
    if target is None:
        return options["next"]
    return survey.ask(call, options, survey.Target(*target))
