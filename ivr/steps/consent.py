"""Consent to share the caller's identity with the entity: 1 yes, 2 no."""
from ivr.steps import register


@register("consent")
def run(call, options) -> str:
    """Ask whether the entity may see who is complaining."""
    choices = {str(k): v for k, v in options["choices"].items()}
    key = call.choose(options["prompt"], choices)
    call.complaint.consent = choices[key] in (True, "yes")
    return options["next"]
