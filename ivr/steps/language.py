"""Welcome and the language menu: 1 Arabic (also on timeout), 2 English.

The caller may answer during the welcome: its keys stop it and choose the language (a key pressed
while no command runs is lost on Asterisk, so the welcome itself listens).
"""
from ivr.errors import PromptMissing
from ivr.steps import register


@register("language")
def run(call, options) -> str:
    """Greet the caller and set the call's language."""
    choices = {str(k): v for k, v in options["choices"].items()}
    prompts = options.get("prompts", ["welcome"])
    key = _welcome(call, prompts[:-1], "".join(choices))
    if key in choices:
        call.record_step(prompts[0], key, "ok")
    else:
        key = call.choose(prompts[-1], choices, on_timeout="")
    call.language = choices.get(key, options.get("on_timeout", call.conf.default_language))
    call.agi.set_variable("CHANNEL(language)", call.language)
    return options["next"]


def _welcome(call, prompts, keys: str) -> str:
    """Play the welcome prompts, any of the language keys stopping them; the key or ''."""
    for index, prompt in enumerate(prompts):
        try:
            early = call.agi.finish() if index == 0 else None  # begun before the IVR had loaded
            key = call.agi.digit(early["result"][0]) if early else call.agi.stream_key(call.sound(prompt), keys)
        except PromptMissing:
            key = ""
        if key:
            return key
    return ""
