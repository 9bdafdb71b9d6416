"""Updates run concurrently across chats but in arrival order within one chat.

PTB's default processor runs updates one at a time; `concurrent_updates(n)` runs them all at
once, so `/lang ko` and the question right after it could race. Here each chat (or, for inline
queries, each user) has a lock taken *before* a concurrency slot, so a chat with a backlog holds
one slot at a time and never starves the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256):
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

    # PTB marks process_update final: it takes the concurrency slot, then calls do_process_update. The
    # chat's lock has to be taken *before* the slot (see above), so this deliberately replaces it.
    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:  # type: ignore[misc]
        key = _key(update)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await super().process_update(update, coroutine)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _key(update: object) -> object:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("update", id(update))
