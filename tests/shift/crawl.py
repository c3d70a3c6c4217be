"""What a page says in words a reader sees, and which of them are in the wrong language.

Left out, because they are not the page's own words: names and codes marked ``translate="no"``
(user names, entity codes, tokens), what people typed (``dir="auto"``: descriptions, notes,
answers), keys printed on the keyboard (``<kbd>``) and text marked in another language
(``lang="en"`` on the Arabic page's "English" link). Attributes a reader sees or hears (title,
alt, placeholder, aria-label) are read with the text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SILENT = {"script", "style", "template", "head"}
SEEN_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ARABIC_LETTERS = re.compile(r"[\u0621-\u064A]+")
WESTERN_DIGITS = re.compile(r"[0-9]+")
EASTERN_DIGITS = re.compile(r"[٠-٩]+")


class _Words(HTMLParser):
    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, excluded)
        self.parts: list[str] = []

    def _excluded(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        excluded = self._excluded() or tag in SILENT or tag == "kbd" or attrs.get("translate") == "no" \
            or attrs.get("dir") == "auto" or ("lang" in attrs and attrs["lang"] != self.language)
        if not excluded:
            self.parts.extend(attrs[name] for name in SEEN_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, excluded))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._excluded() and data.strip():
            self.parts.append(data)


def words(html: str, language: str) -> str:
    """The page's own visible words (and seen attributes), white space collapsed."""
    parser = _Words(language)
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def problems(html: str, language: str) -> list[str]:
    """Wrong-language words and wrong-system digits in a page's own words."""
    text = words(html, language)
    if language == "ar":
        found = [f"Latin word {w!r}" for w in LATIN_WORD.findall(text)]
        found += [f"Western digits in {m!r}" for m in _around(text, WESTERN_DIGITS)]
    else:
        found = [f"Arabic word {w!r}" for w in ARABIC_LETTERS.findall(text)]
        found += [f"Arabic-Indic digits in {m!r}" for m in _around(text, EASTERN_DIGITS)]
    return sorted(set(found))


def _around(text: str, pattern: re.Pattern) -> list[str]:
    return [text[max(0, m.start() - 15):m.end() + 15].strip() for m in pattern.finditer(text)]
