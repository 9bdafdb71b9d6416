"""The store protocol adapters talk to, and an in-memory implementation.

Chat keys are platform-qualified strings (``telegram:-100123``, ``discord:guild:42``) so one
store can serve every adapter without collisions.
"""

from __future__ import annotations

from typing import Protocol


class Store(Protocol):
    def get_lang(self, chat: str) -> str | None: ...

    def set_lang(self, chat: str, lang: str | None) -> None: ...


class MemoryStore:
    """For tests and the console: state lives as long as the process."""

    def __init__(self) -> None:
        self._lang: dict[str, str] = {}

    def get_lang(self, chat: str) -> str | None:
        return self._lang.get(chat)

    def set_lang(self, chat: str, lang: str | None) -> None:
        if lang is None:
            self._lang.pop(chat, None)
        else:
            self._lang[chat] = lang
