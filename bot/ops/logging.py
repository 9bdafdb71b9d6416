"""Logging setup: plain or JSON lines, a correlation id per update, and secrets never written.

PTB and httpx put the bot token in request URLs, and exceptions can carry it too, so redaction
is a log-record factory: it rewrites every record, whichever logger or handler it goes through
(including handlers a library adds), instead of relying on care at each call site.
"""

from __future__ import annotations

import contextvars
import logging
import sys
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
REDACTED = "<redacted>"
_secrets: set[str] = set()
_installed = False


def protect(*secrets: str | None) -> None:
    """Redact these strings from every log record from now on (idempotent)."""
    global _installed
    for secret in secrets:
        if secret and len(secret) >= 6:
            _secrets.add(secret)
            _, _, tail = secret.partition(":")  # a Telegram token is "<bot id>:<secret part>"
            if len(tail) >= 8:
                _secrets.add(tail)
    for name in ("httpx", "httpcore"):  # they log every request URL at INFO
        logging.getLogger(name).setLevel(logging.WARNING)
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return _scrub(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    record.correlation_id = correlation_id.get()
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed call: leave it to logging's own error report
        return record
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


class _Correlated(logging.Filter):
    """Records made before `protect` installed the factory still get a correlation id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = correlation_id.get()
        return True


def setup_logging(
    level: str = "INFO", json: bool = False, secrets: tuple[str, ...] | list[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Configure the root logger once for the whole process; returns the handler (for tests)."""
    protect(*secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"))
    handler.addFilter(_Correlated())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
