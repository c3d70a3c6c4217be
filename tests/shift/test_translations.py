"""Every text the console shows has its Arabic, and the compiled catalogue is the one in use."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import agent_console

CONSOLE = Path(agent_console.__file__).parent
CATALOG = CONSOLE / "translations" / "ar" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def test_every_console_text_has_its_arabic():
    with open(CATALOG / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted({(message if isinstance(message, str) else message[0], filename)
                      for filename, _line, message, _comments, _context in
                      extract_from_dir(str(CONSOLE), METHODS, keywords=KEYWORDS)
                      if (message if isinstance(message, str) else message[0]) not in translated})
    assert not missing, "no Arabic for:\n" + "\n".join(f"{f}: {m!r}" for m, f in missing)


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOG / "messages.po", "rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    stale = sorted(k for k in source if source[k] and compiled.get(k) != source[k])
    assert not stale, f"run pybabel compile -d agent_console/translations: {stale[:10]}"
