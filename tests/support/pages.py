"""What a person sees of a page: its visible text (no tags, attributes or scripts), and digits
read either way (Arabic pages write Arabic-Indic digits, agent_console.formatting)."""
from __future__ import annotations

from html.parser import HTMLParser

WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩٬٫٪", "0123456789,.%")
SILENT = {"script", "style", "template", "title", "head"}


def western(text: str) -> str:
    """``text`` with Arabic-Indic digits (and their separators) written 0-9."""
    return text.translate(WESTERN)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.silent = 0

    def handle_starttag(self, tag, attrs):
        if tag in SILENT:
            self.silent += 1

    def handle_endtag(self, tag):
        if tag in SILENT and self.silent:
            self.silent -= 1

    def handle_data(self, data):
        if not self.silent:
            self.parts.append(data)


def text(html: str) -> str:
    """The page's visible text, white space collapsed, digits as they are shown."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def seen(html: str) -> str:
    """Visible text with digits written 0-9, for looking up numbers an assertion knows."""
    return western(text(html))
