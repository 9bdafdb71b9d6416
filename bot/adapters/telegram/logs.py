"""Keep the bot token (and webhook secret) out of every log line.

PTB and httpx put the token in request URLs, and `Bot.initialize` puts it in the InvalidToken
message. A log-record factory rewrites any record that contains a secret, whichever logger or
handler it goes through; httpx's per-request INFO lines are silenced as well.
"""

from __future__ import annotations

import logging

REDACTED = "<redacted>"
_secrets: set[str] = set()
_installed = False


def protect(*secrets: str | None) -> None:
    """Redact these strings from all log records from now on (idempotent)."""
    global _installed
    for secret in secrets:
        if secret:
            _secrets.add(secret)
            _, _, tail = secret.partition(":")  # a bot token is "<bot id>:<secret part>"
            if len(tail) >= 8:
                _secrets.add(tail)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:  # type: ignore[no-untyped-def]
            return _scrub(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to logging's own error report
        return record
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = redact(text)
    return record
