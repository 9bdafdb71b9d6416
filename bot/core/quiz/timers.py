"""The question deadlines this process is watching: one asyncio task per (quiz id, question index).

Plain asyncio, not PTB's JobQueue or discord.ext.tasks: both platforms already run on one asyncio
loop, a deadline is a single sleep, and one implementation here serves every platform the same
way (JobQueue would add APScheduler, and a second clock per platform). A timer is only a local
reminder: the deadline itself is in the store, so timers lost with a process are rebuilt by the
engine's `resume`, and whichever process's timer fires first wins the store's compare-and-set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Key = tuple[str, int]  # (quiz id, question index)


class Timers:
    """Waiting timers can be cancelled; a timer past its sleep (closing its question now) is left to
    finish, and `shutdown` waits for those, so a question is never half announced."""

    def __init__(self) -> None:
        self._waiting: dict[Key, asyncio.Task[None]] = {}
        self._firing: dict[asyncio.Task[None], Key] = {}
        self._closed = False  # after shutdown: a question closed during it starts no new timer

    @property
    def keys(self) -> set[Key]:
        """The questions being timed here: waiting for their deadline, or being closed right now."""
        return set(self._waiting) | set(self._firing.values())

    def start(self, key: Key, delay: float, action: Callable[[], Awaitable[object]]) -> bool:
        """Run `action` after `delay` seconds; False (nothing started) if `key` is already timed here."""
        if key in self._waiting or self._closed:
            return False
        task = asyncio.get_running_loop().create_task(self._run(key, delay, action), name=f"quiz {key[0]} #{key[1]}")
        self._waiting[key] = task
        return True

    async def _run(self, key: Key, delay: float, action: Callable[[], Awaitable[object]]) -> None:
        await asyncio.sleep(max(0.0, delay))
        me = asyncio.current_task()
        assert me is not None
        if self._waiting.get(key) is me:
            del self._waiting[key]
        self._firing[me] = key
        try:
            await action()
        except Exception:  # a timer has nobody to tell; the log does
            log.exception("quiz %s: could not close question %d", *key)
        finally:
            del self._firing[me]

    def cancel(self, key: Key) -> None:
        """Forget a waiting timer (its question was closed another way); a firing one is not touched."""
        task = self._waiting.pop(key, None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def shutdown(self, wait: float) -> None:
        """Drop the waiting timers (another process, or the next start's `resume`, closes those
        questions) and give the firing ones up to `wait` seconds to finish."""
        self._closed = True
        for task in self._waiting.values():
            task.cancel()
        self._waiting.clear()
        if self._firing:
            await asyncio.wait(list(self._firing), timeout=wait)
