"""The paged governorate menu: 8 per page, 9 the next page, * the previous one."""
from hotline import reference
from ivr.call import TooManyTries
from ivr.steps import register


@register("governorate")
def run(call, options) -> str:
    """Ask for the governorate, page by page (prompts governorate_menu_1, _2, ...)."""
    size = int(options.get("page_size", 8))
    governorates = reference.governorates()
    pages = (len(governorates) + size - 1) // size
    page, tries = 1, 0
    while tries < call.menu.max_tries:
        prompt = f"{options['prompt']}_{page}"
        key = call.ask(prompt)
        if key == options["next_page"] and page < pages:
            page += 1
        elif key == options["previous_page"] and page > 1:
            page -= 1
        elif key.isdigit() and 1 <= int(key) <= size and (page - 1) * size + int(key) <= len(governorates):
            chosen = governorates[(page - 1) * size + int(key) - 1]
            call.complaint.governorate = chosen.slug
            call.record_step(prompt, key, chosen.slug)
            return options["next"]
        else:
            tries += 1
            call.retry(prompt, key)
            continue
        call.record_step(prompt, key, f"page {page}")
    raise TooManyTries(options["prompt"])
