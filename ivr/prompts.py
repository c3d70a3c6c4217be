"""Prompt texts from config/prompts.yaml, with the menus filled in from the reference data."""
from __future__ import annotations

from dataclasses import dataclass

from hotline import reference, resources
from hotline.errors import SettingsError

DIGIT_WORDS = {"ar": "اضْغَطْ {digit} لِـ{name}", "en": "for {name} press {digit}"}


@dataclass(frozen=True)
class Prompt:
    name: str
    language: str
    voice: str
    text: str


def all_prompts(languages) -> list[Prompt]:
    """Every prompt in every language, governorate_menu expanded into its pages."""
    data = resources.load_yaml("prompts.yaml")
    voices = data.get("voices", {})
    out = []
    for name, texts in data["prompts"].items():
        for lang in languages:
            if lang not in texts:
                raise SettingsError(f"prompts.yaml: {name} has no {lang} text")
            for page_name, text in _expand(name, texts[lang], lang):
                out.append(Prompt(page_name, lang, voices.get(lang, lang), text))
    return out


def _items(pairs, lang: str) -> str:
    return "، ".join(DIGIT_WORDS[lang].format(digit=d, name=n) for d, n in pairs) if lang == "ar" \
        else ", ".join(DIGIT_WORDS[lang].format(digit=d, name=n) for d, n in pairs)


def _expand(name: str, text: str, lang: str):
    if name == "category_menu":
        pairs = [(c.digit, c.name_ar if lang == "ar" else c.name_en) for c in reference.categories()]
        return [(name, text.format(categories=_items(pairs, lang)))]
    if name == "governorate_menu":
        governorates, size, pages = reference.governorates(), 8, []
        for start in range(0, len(governorates), size):
            chunk = governorates[start:start + size]
            pairs = [(str(i + 1), g.name_ar if lang == "ar" else g.name_en) for i, g in enumerate(chunk)]
            more = [("9", "الصَّفْحَةِ التَّالِيَة" if lang == "ar" else "more")] if start + size < len(governorates) else []
            back = [("*", "الصَّفْحَةِ السَّابِقَة" if lang == "ar" else "back")] if start else []
            pages.append((f"{name}_{start // size + 1}", text.format(governorates=_items(pairs + more + back, lang))))
        return pages
    return [(name, text)]
