"""The unanswered-questions log: what people asked that the bot declined, so curators know
where the knowledge base should grow.

Only the question text is kept, normalised (so "Budget?" and "budget" count together) and
stripped of what could identify someone: @mentions, e-mail addresses, URLs and long numbers
(phone numbers, user ids) are replaced by placeholders. Never a user id, never a chat id.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Protocol

from bot.core.text import MAX_INPUT, clean

GAP_TEXT_MAX = 200

_REDACT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<@[!&]?\d+>|<#\d+>"), "@user"),  # Discord mentions
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), "<url>"),
    # Starts only where a run of address characters starts: linear, not quadratic, on long words.
    (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"(?<!\w)@\w{2,}"), "@user"),  # Telegram @usernames, bot mentions
    (re.compile(r"\+?\d[\d\s().-]{6,}\d"), "<number>"),  # phone numbers, ids; years (4 digits) stay
)
_TRAILING = re.compile(r"[\s?!.。？！,;:~…]+$")


class GapStore(Protocol):
    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None: ...


def normalise_gap(text: str) -> str:
    """Lower-cased, NFKC, single-spaced, redacted, without trailing punctuation, at most 200 chars."""
    text = clean(text[:MAX_INPUT])
    for pattern, placeholder in _REDACT:
        text = pattern.sub(placeholder, text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _TRAILING.sub("", " ".join(text.split()))
    return text[:GAP_TEXT_MAX].rstrip()


def log_unanswered(
    store: GapStore, query_text: str, lang: str, platform: str, now: datetime | None = None
) -> str | None:
    """Record a declined question (call it when `reply.matched` is False); returns what was logged.

    Text without a letter (emoji, numbers, nothing) is not logged: it is not a question.
    """
    text = normalise_gap(query_text)
    if not text or not any(ch.isalpha() for ch in text):
        return None
    store.log_gap(text, (lang or "en")[:8], (platform or "unknown")[:16], now=now)
    return text
