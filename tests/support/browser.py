"""Headless Chromium for the console's end-to-end tests: Debian's chromium driven by Playwright."""
from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    """Debian's Chromium, headless, with nothing that reaches the network by itself."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def sign_in(browser, base: str, username: str, password: str | None = None, language: str = "ar"):
    """A new browser context (ar-EG, or en-GB for ``language="en"``) signed in through the login
    form, the console in ``language``; returns its page."""
    if password is None:
        from tests.console.conftest import PASSWORD as password
    page = browser.new_context(locale="ar-EG" if language == "ar" else "en-GB").new_page()
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if language != "ar":
        page.goto(f"{base}/lang/{language}")  # the console's language is the session's choice
        page.wait_for_load_state("networkidle")
    return page
