"""The survey call's first step: who is calling and why, the complaint number, then 1 or 2."""
from ivr import survey
from ivr.errors import CallerHungUp
from ivr.steps import register


@register("survey")
def run(call, options) -> str | None:
    """Introduce the call with the complaint number and ask whether the answer solved it."""
    target = survey.dialled(call)
    if target is None:  # dialled for a survey that is gone: say sorry rather than ask
        call.record_step(None, None, "no survey")
        call.play("technical_error")
        return options["next"]
    call.record_step(options["prompt"], None, f"survey {target.survey_id}")
    try:
        call.play(options["prompt"])
        call.say_digits(target.number)
    except CallerHungUp:  # answered, then gone before the question: no answer, tried again
        survey.no_answer(call, target, "hung up")
        raise
    return survey.ask(call, options, target)
