"""Errors a person can act on; the command line prints them as one line, never a traceback."""


class HotlineError(Exception):
    """Base of every error that is reported to a user as a message."""

    exit_code = 1


class SettingsError(HotlineError):
    """A setting is missing or wrong; start-up stops."""

    exit_code = 2


class UsageError(HotlineError):
    """A command was called with bad arguments."""

    exit_code = 2


class ValidationError(HotlineError):
    """Input data (a national ID, a complaint number, a form field) is not acceptable."""


class NotFound(HotlineError):
    """The thing asked for does not exist."""
