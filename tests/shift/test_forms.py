"""Every console form renders without wtforms' deprecation of (value, label) tuple choices, which
wtforms 3.4 removes: choices are ``SelectChoice`` everywhere (pyproject allows wtforms < 4)."""
from __future__ import annotations

import importlib
import pkgutil
import warnings

import pytest
from flask_wtf import FlaskForm

import agent_console


def _forms() -> list[type]:
    for info in pkgutil.walk_packages(agent_console.__path__, "agent_console."):
        if info.name.endswith(".commands.console"):
            continue  # patches the process for gevent when imported
        importlib.import_module(info.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted({c for c in below(FlaskForm) if c.__module__.startswith("agent_console.")},
                  key=lambda c: (c.__module__, c.__name__))


FORMS = _forms()


def test_the_console_has_forms_to_check():
    assert len(FORMS) >= 10 and any(f.__name__ == "CaseForm" for f in FORMS)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_form_renders_without_wtforms_deprecations(app, language):
    failed = []
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = language
        for form_class in FORMS:
            with warnings.catch_warnings():
                warnings.simplefilter("error", DeprecationWarning)
                try:
                    for field in form_class(meta={"csrf": False}):
                        str(field)  # renders the options: a tuple choice raises here
                except DeprecationWarning as warning:
                    failed.append(f"{form_class.__module__}.{form_class.__name__}: {warning}")
    assert not failed, "\n".join(failed)
