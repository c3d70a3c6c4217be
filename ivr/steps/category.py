"""The category menu: digit N is the N-th category of categories.yaml."""
from hotline import reference
from ivr.steps import register


@register("category")
def run(call, options) -> str:
    """Ask for the complaint's category."""
    by_digit = {c.digit: c.code for c in reference.categories()}
    key = call.choose(options["prompt"], by_digit)
    call.complaint.category = by_digit[key]
    return options["next"]
