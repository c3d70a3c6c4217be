"""Read the complaint number digit by digit: 1 repeats it, 0 an agent, anything else goodbye."""
from ivr.steps import register


@register("read_number")
def run(call, options) -> str:
    """Say the number, then offer to repeat it or to talk to an agent."""
    number = call.complaint.case_number
    for _ in range(int(options.get("max_repeats", 3))):
        call.play(options["prompt"])
        said = call.say_digits(number)
        key = call.ask(options["menu_prompt"])
        call.record_step(options["menu_prompt"], key, ("said " if said else "not said ") + number)
        if key == str(options["agent"]):
            return "agent"
        if key != str(options["repeat"]):
            break
    return "goodbye"
