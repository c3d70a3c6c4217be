"""Logging set-up for every command: one line per record on stderr, identities masked.

Every record passes :class:`Redacting` on its way out: national IDs and phone numbers in the
message or the exception (``hotline.redaction``), and the values of query parameters that must
never be logged (an API key, a reason for listening, an identity look-up), are masked.
"""
from __future__ import annotations

import logging
import re

from hotline import redaction
from hotline.settings import Settings

_SECRET_PARAMS = re.compile(r"(?i)\b(api_key|reason|national_id|phone|token|password|hub\.verify_token)"
                            r"=([^&\s\"']+)")


def clean(text: str) -> str:
    """``text`` as it may be logged."""
    return _SECRET_PARAMS.sub(r"\1=***", redaction.redact(text))


class Redacting(logging.Filter):
    """Mask identities and secrets in a record before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info:
            record.exc_text = clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup(conf: Settings) -> None:
    """Configure the root logger at the configured level (idempotent)."""
    logging.basicConfig(level=conf.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, Redacting) for f in handler.filters):
            handler.addFilter(Redacting())
