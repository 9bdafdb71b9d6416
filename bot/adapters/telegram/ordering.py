"""Updates run concurrently across chats but in arrival order within one chat.

PTB's default processor runs updates one at a time; `concurrent_updates(n)` runs them all at
once, so `/lang ko` and the question right after it could race. Here each chat (or, for inline
queries, each user) has a lock taken *before* a concurrency slot, so a chat with a backlog holds
one slot at a time and never starves the others.

`Inbox` is Telegram's side of the update journal (`bot.state.journal`): every update is recorded,
as JSON, when it enters the Application's queue, that is before Telegram counts it as delivered (the
next getUpdates offset, or the webhook's 200); a second update with the same id is dropped there.
The processor marks it answered once its handlers are done, and the next start puts the updates
received but never answered back into the queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable
from typing import Any

from telegram import Bot, Update
from telegram.ext import BaseUpdateProcessor

from bot.state.journal import Journal

log = logging.getLogger(__name__)


class Inbox:
    """The Application's update queue, journalled: see the module's docstring."""

    def __init__(self, journal: Journal, source: str) -> None:
        self.journal = journal
        self.source = source  # "telegram:<bot id>": update ids are per bot
        self.queue: asyncio.Queue[object] = _JournalledQueue(self)
        self.bot: Bot | None = None  # set once the Application is built; replayed updates need it

    async def admit(self, update: object) -> bool:
        """Record `update` before it is confirmed; False for an update id seen before."""
        if not isinstance(update, Update):
            return True  # PTB's own signals
        try:
            fresh = await self.journal.areceive(self.source, str(update.update_id), json.dumps(update.to_dict()))
        except (sqlite3.Error, OSError) as exc:  # a full disk or a lock: answer it unjournalled, never refuse it
            log.warning("Telegram: update %d not journalled (%s); answering it anyway", update.update_id, exc)
            return True
        if not fresh:
            log.info("Telegram: update %d arrived again; it is answered once", update.update_id)
        return fresh

    async def answered(self, update: object) -> None:
        if isinstance(update, Update):
            try:
                await self.journal.aanswered(self.source, str(update.update_id))
            except (sqlite3.Error, OSError) as exc:  # replayed once after a crash, at worst
                log.warning("Telegram: update %d not marked answered in the journal (%s)", update.update_id, exc)

    async def replay(self) -> None:
        """Put the updates received but not answered before the last stop back into the queue."""
        for key, payload in await asyncio.to_thread(self.journal.replay, self.source):
            try:
                update = Update.de_json(json.loads(payload), self.bot)
            except (ValueError, TypeError, KeyError) as exc:
                log.error("Telegram: journalled update %s cannot be read back (%s); skipped", key, exc)
                await self.journal.aanswered(self.source, key)
                continue
            self.queue.put_nowait(update)


class _JournalledQueue(asyncio.Queue[object]):
    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        if await self.inbox.admit(item):
            await super().put(item)


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256, inbox: Inbox | None = None):
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}
        self.inbox = inbox

    # PTB marks process_update final: it takes the concurrency slot, then calls do_process_update. The
    # chat's lock has to be taken *before* the slot (see above), so this deliberately replaces it.
    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:  # type: ignore[misc]
        key = _key(update)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await super().process_update(update, coroutine)
            if self.inbox is not None:  # handled (PTB's error handler has seen any failure): not replayed
                await self.inbox.answered(update)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        """Runs in Application.initialize, after the bot's: replayed updates go in before polling starts."""
        if self.inbox is not None:
            await self.inbox.replay()

    async def shutdown(self) -> None:
        pass


def _key(update: object) -> object:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("update", id(update))
