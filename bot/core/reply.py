"""What the core says, as structure: each adapter renders it its own way and within its limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.commands import ParsedCommand


@dataclass(frozen=True)
class Query:
    """One incoming message, platform details already stripped by the adapter.

    `lang` is a chat's explicit language choice (wins); `locale` is the user's client language,
    used only when the text itself does not tell (e.g. `/nato-status KR`).
    """

    text: str
    lang: str | None = None
    locale: str | None = None
    platform: str = "console"
    user: str | None = None  # platform user id: for rate limits and owner-only commands, never stored
    chat: str | None = None  # platform chat id
    # The door parses commands once (bot/core/inbound.py); `parsed` says it did, `command` is the result.
    command: ParsedCommand | None = None
    parsed: bool = False


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str
    publisher: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Action:
    """A follow-up the user can take with one tap: a button on chat platforms.

    `ref` is a compact, stable key (``timeline:KR``, ``sources:faq:kr-ipcp``, ``lang:ko:status:KR``)
    that `Answerer.follow` turns back into a Reply; it fits Telegram's 64-byte callback data.
    """

    kind: str  # "timeline", "sources", "lang", "status"
    label: str
    ref: str


@dataclass(frozen=True)
class Reply:
    title: str
    body: str
    lang: str
    intent: str
    matched: bool
    country: str | None = None
    status: str | None = None  # member, partner, aspirant, non_member
    fields: tuple[Field, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    suggestions: tuple[str, ...] = ()  # example questions or commands to try
    actions: tuple[Action, ...] = ()
    updated: date | None = None
    ref: str | None = None  # what `Answerer.follow` needs to show this answer again
    notes: tuple[str, ...] = field(default=())
