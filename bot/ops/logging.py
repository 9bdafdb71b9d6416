"""Logging setup: plain or JSON lines, a correlation id per update, and secrets never written.

Libraries log request URLs (Telegram's contain the bot token) and exceptions can carry headers,
so redaction is a filter on every handler rather than care at each call site.
"""

from __future__ import annotations

import contextvars
import logging
import sys
from collections.abc import Iterable

from pythonjsonlogger.json import JsonFormatter

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
REDACTED = "***"


class RedactSecrets(logging.Filter):
    """Replace every known secret in the formatted message (and args) with ***."""

    def __init__(self, secrets: Iterable[str]):
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation_id.get()
        if self.secrets:
            record.msg = self.redact(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


def setup_logging(level: str = "INFO", json: bool = False, secrets: Iterable[str] = (), stream=None) -> logging.Handler:
    """Configure the root logger once for the whole process; returns the handler (for tests)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if json:
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s",
                                           rename_fields={"levelname": "level", "asctime": "time"}))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; with Telegram that URL contains the token.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    return handler
