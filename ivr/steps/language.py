"""Welcome and the language menu: 1 Arabic (also on timeout), 2 English."""
from ivr.steps import register


@register("language")
def run(call, options) -> str:
    """Greet the caller and set the call's language."""
    for prompt in options.get("prompts", ["welcome"])[:-1]:
        call.play(prompt)
    choices = {str(k): v for k, v in options["choices"].items()}
    key = call.choose(options["prompts"][-1], choices, on_timeout="")
    call.language = choices.get(key, options.get("on_timeout", call.conf.default_language))
    # Asterisk reads numbers (SAY DIGITS) in the channel's language.
    call.agi.set_variable("CHANNEL(language)", call.language)
    return options["next"]
