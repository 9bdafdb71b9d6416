"""Every store call with a timeout, off the event loop, and writes that outlive a store fault.

`GuardedStore` wraps any `Store` (memory, SQLite, Redis) and is the only way the Runtime and the quiz
engines reach it:

- **Off the loop, with a timeout.** `await guarded.run(call, *args)` runs `call` in the guard's own
  small thread pool (never the default executor the answers use) and gives up after `timeout`
  seconds with `StoreUnavailable`. A call left stuck in a thread (Redis paused, SQLite waiting on
  another process's lock) holds one of the guard's threads, never the loop; calls waiting behind
  stuck ones time out (the timeout counts the wait), which makes the store degraded.
- **Fail fast while degraded.** After a fault (a timeout, a `StoreError`, an `OSError` such as a full
  disk) the store is *degraded*: calls fail at once, except one probe per `probe_every` seconds and
  the outbox's own retries, until a call succeeds again. `health()` says which, with the last error
  and its age, for `/healthz`.
- **Writes are not lost.** `await guarded.write(key, what, call, *args)` tries a write now; if the
  store fails, the write waits in a bounded in-memory *outbox* and is retried with backoff until the
  store answers (`defer` queues without trying, for writes nobody waits for, such as the gap log).
  Writes must be idempotent: a vote is keyed by (quiz, question, user), and a retry of one whose first
  attempt did land late is refused by the store as a duplicate, never counted twice. A key already
  waiting is not queued twice (`replace` lets the newer write win, e.g. a chat's language). A write
  dropped (outbox full, a bug, or still waiting at shutdown) is logged and counted (`on_drop`).

Calls made from inside a guarded call (a `score_answer` reading the quiz, then recording the answer)
go straight to the wrapped store: they already run in the guard's thread, under its timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from bot.state.store import AnswerRecord, AnswerResult, Gap, QuizState, Standing, Store, StoreError

log = logging.getLogger("natobot.store")
T = TypeVar("T")

TIMEOUT = 2.0  # seconds a store call may take (SQLite waits 5 s for a lock: a locked file is a fault sooner)
WORKERS = 8  # threads for store calls (a call stuck in one, e.g. on a paused Redis, holds only that one)
BACKLOG = 1000  # calls running or waiting for a thread; past it calls fail at once (the store is not keeping up)
PROBE_EVERY = 1.0  # while degraded, one call per this many seconds is let through to see if the store is back
OUTBOX_MAX = 10_000  # writes waiting for the store; past it the oldest unimportant one (a gap) goes first
RETRY_FIRST, RETRY_MAX = 0.2, 5.0  # the outbox's backoff between attempts (seconds), doubling
DRAIN_TIMEOUT = 5.0  # seconds the outbox gets at shutdown to write what is waiting
PROBE_KEY = "natobot:probe"  # a language lookup nobody sets: the cheapest read every backend has
FAULTS: tuple[type[BaseException], ...] = (StoreError, OSError, TimeoutError)


class StoreUnavailable(StoreError):
    """The store failed or did not answer in time; a write may or may not have landed."""


@dataclass
class Pending:
    """A write waiting in the outbox for the store to come back."""

    key: Hashable
    what: str
    call: Callable[..., Any]
    args: tuple[Any, ...]
    important: bool
    since: float
    tries: int = 0


def _report_lost(outbox: OrderedDict[Hashable, Pending], on_drop: Callable[[str], None]) -> None:
    for entry in list(outbox.values()):
        on_drop("shutdown")
        log.error("store write %s lost: still waiting when the process ended", entry.what)
    outbox.clear()


class GuardedStore:
    """The `Store` protocol over another store, with timeouts, health and an outbox (see the module)."""

    unavailable: type[Exception] = StoreUnavailable

    def __init__(
        self,
        inner: Store,
        *,
        timeout: float = TIMEOUT,
        workers: int = WORKERS,
        probe_every: float = PROBE_EVERY,
        outbox_max: int = OUTBOX_MAX,
        retry: tuple[float, float] = (RETRY_FIRST, RETRY_MAX),
        on_fault: Callable[[], None] | None = None,
        on_drop: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = inner
        self.timeout = timeout
        self.workers = workers
        self.probe_every = probe_every
        self.outbox_max = outbox_max
        self.retry = retry
        self.on_fault = on_fault or (lambda: None)
        self.on_drop = on_drop or (lambda reason: None)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="natobot-store")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._inflight = 0
        self._ok_at: float | None = None
        self._failed_at: float | None = None
        self._error: str | None = None
        self._next_probe = 0.0
        self._outbox: OrderedDict[Hashable, Pending] = OrderedDict()
        self._ids = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self.dropped = 0
        self._closed = False
        # At exit, writes nobody drained (the process ends without `drain`) are still logged and counted.
        weakref.finalize(self, _report_lost, self._outbox, self.on_drop)

    # -- health --------------------------------------------------------------------------------

    @property
    def degraded(self) -> bool:
        """The last call to finish failed (and none has succeeded since)."""
        failed, ok = self._failed_at, self._ok_at
        return failed is not None and (ok is None or ok < failed)

    @property
    def pending(self) -> int:
        """Writes waiting in the outbox."""
        return len(self._outbox)

    def health(self) -> dict[str, object]:
        """For /healthz: "ok" or "degraded", the last error and how long ago it was (seconds)."""
        failed = self._failed_at
        return {
            "state": "degraded" if self.degraded else "ok",
            "last_error": self._error,
            "last_error_age": None if failed is None else round(time.monotonic() - failed, 1),
            "pending_writes": len(self._outbox),
            "dropped_writes": self.dropped,
        }

    def _succeeded(self) -> None:
        was = self.degraded
        self._ok_at = time.monotonic()
        if was:
            log.warning("state store answering again")
            if self._outbox:
                self._kick()  # the waiting writes go now, not after the backoff

    def _failed(self, error: str) -> None:
        with self._lock:
            was = self.degraded
            self._failed_at = now = time.monotonic()
            self._error = error
            self._next_probe = now + self.probe_every
        self.on_fault()
        if not was:
            log.warning("state store degraded: %s; answering without it, writes wait in the outbox", error)
        self._kick()

    # -- running calls -------------------------------------------------------------------------

    @property
    def inside(self) -> bool:
        """Whether this thread is running a guarded call (nested calls go straight to the store)."""
        return bool(getattr(self._local, "inside", False))

    def _admit(self, probe: bool) -> None:
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the store is closed")
            if self._inflight >= BACKLOG:
                raise StoreUnavailable(f"the store is not keeping up ({self._inflight} calls waiting)")
            if self.degraded and not probe:
                now = time.monotonic()
                if now < self._next_probe:
                    raise StoreUnavailable(f"the store is degraded ({self._error})")
                self._next_probe = now + self.probe_every  # this call is the probe
            self._inflight += 1

    def _job(self, call: Callable[..., T], args: tuple[Any, ...]) -> T:
        self._local.inside = True
        try:
            result = call(*args)
        except FAULTS as exc:
            self._failed(str(exc) or type(exc).__name__)
            raise StoreUnavailable(str(exc)) from exc
        else:
            self._succeeded()
            return result
        finally:
            self._local.inside = False

    def _release(self, _: Future[Any]) -> None:
        with self._lock:
            self._inflight -= 1

    def _submit(self, call: Callable[..., T], args: tuple[Any, ...], probe: bool) -> Future[T]:
        self._admit(probe)
        try:
            future = self._pool.submit(self._job, call, args)
        except RuntimeError:  # the pool is shut down
            with self._lock:
                self._inflight -= 1
            raise StoreUnavailable("the store is closed") from None
        future.add_done_callback(self._release)  # run, failed or cancelled: the slot is free again
        return future

    async def run(self, call: Callable[..., T], *args: Any, timeout: float | None = None, probe: bool = False) -> T:
        """`call(*args)` in a store thread, within `timeout` seconds (default: the guard's), or
        `StoreUnavailable`. Exceptions that are not store faults (a bug) pass through unchanged."""
        self._remember_loop()
        limit = self.timeout if timeout is None else timeout
        future = self._submit(call, args, probe)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), limit)
        except TimeoutError:  # the call's own timeouts arrive as StoreUnavailable: this is ours
            self._failed(f"no answer within {limit:g} s")
            raise StoreUnavailable(f"the store did not answer within {limit:g} s") from None

    def _sync(self, call: Callable[..., T], *args: Any) -> T:
        """A blocking call for synchronous callers (the CLI, tests), with the same timeout and health."""
        if self.inside:
            return call(*args)
        future = self._submit(call, args, probe=False)
        try:
            return future.result(self.timeout)
        except FutureTimeout:
            self._failed(f"no answer within {self.timeout:g} s")
            raise StoreUnavailable(f"the store did not answer within {self.timeout:g} s") from None

    # -- the outbox ----------------------------------------------------------------------------

    async def write(
        self,
        key: Hashable | None,
        what: str,
        call: Callable[..., T],
        *args: Any,
        replace: bool = False,
        timeout: float | None = None,
    ) -> tuple[bool, T | None]:
        """Try a write now: (True, its result), or (False, None) once it is queued to be retried."""
        if key is None or key not in self._outbox:  # a write waiting already: this one goes behind it
            try:
                return True, await self.run(call, *args, timeout=timeout)
            except StoreUnavailable as exc:
                log.info("store write %s queued: %s", what, exc)
        self.defer(key, what, call, *args, replace=replace)
        return False, None

    def defer(
        self,
        key: Hashable | None,
        what: str,
        call: Callable[..., Any],
        *args: Any,
        replace: bool = False,
        important: bool = True,
    ) -> None:
        """Queue a write to be made as soon as the store answers; never blocks. Without a running event
        loop to retry from (a synchronous caller), it is tried once now, and logged and counted if it fails."""
        loop = self._loop
        if loop is None or loop.is_closed():
            try:
                self._sync(call, *args)
            except StoreUnavailable as exc:
                self._drop(what, f"no event loop to retry from ({exc})", "failed")
            return
        entry = Pending(
            ("anon", next(self._ids)) if key is None else key, what, call, args, important, time.monotonic()
        )
        with self._lock:
            if entry.key in self._outbox:
                if not replace:
                    return  # the same write is already waiting (a vote is counted once)
                del self._outbox[entry.key]
            elif len(self._outbox) >= self.outbox_max:
                victim = next((k for k, p in self._outbox.items() if not p.important), None)
                if victim is None and important:
                    victim = next(iter(self._outbox))
                if victim is None:
                    self._drop(what, "the outbox is full", "full")
                    return
                self._drop(self._outbox.pop(victim).what, "the outbox is full", "full")
            self._outbox[entry.key] = entry
        self._kick()

    def _drop(self, what: str, why: str, reason: str) -> None:
        self.dropped += 1
        self.on_drop(reason)
        log.error("store write %s lost: %s", what, why)

    def _remember_loop(self) -> None:
        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.get_running_loop()
            self._wake = asyncio.Event()
            self._flusher = None

    def _kick(self) -> None:
        """Make sure the outbox's flusher runs (from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed() or self._closed:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._ensure_flusher)

    def _ensure_flusher(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if (self._flusher is None or self._flusher.done()) and (self._outbox or self.degraded) and not self._closed:
            self._flusher = asyncio.get_running_loop().create_task(self._flush_forever(), name="natobot store outbox")

    async def _flush_forever(self) -> None:
        """Retry the outbox (and probe a degraded store) with backoff until both are clear."""
        first, most = self.retry
        delay = 0.0
        while (self._outbox or self.degraded) and not self._closed:
            if delay:
                assert self._wake is not None
                self._wake.clear()
                with contextlib.suppress(TimeoutError):  # a new write or a fault ends the wait early
                    await asyncio.wait_for(self._wake.wait(), delay)
            progressed = await self.flush()
            delay = first if progressed else min(most, max(first, delay * 2))

    async def flush(self, only: Callable[[Hashable], bool] | None = None) -> bool:
        """One pass over the outbox (or the writes whose key `only` accepts); True if the store answered."""
        if self.degraded:
            try:
                await self.run(self.inner.get_lang, PROBE_KEY, probe=True)
            except StoreUnavailable:
                return False
        for key in [k for k in list(self._outbox) if only is None or only(k)]:
            entry = self._outbox.get(key)
            if entry is None:
                continue
            try:
                await self.run(entry.call, *entry.args, probe=True)
            except StoreUnavailable:
                entry.tries += 1
                return False
            except Exception:  # a write that can never succeed (a bug): logged and counted, not retried forever
                log.exception("store write %s failed", entry.what)
                self._outbox.pop(key, None)
                self._drop(entry.what, "it raised", "error")
                continue
            if self._outbox.get(key) is entry:
                del self._outbox[key]
            log.info("store write %s made after %d retries", entry.what, entry.tries + 1)
        return True

    async def settle(self, only: Callable[[Hashable], bool], timeout: float | None = None) -> bool:
        """Write now the waiting writes `only` accepts (e.g. a question's votes, before it closes);
        True when none of them is left waiting."""
        if not any(only(k) for k in list(self._outbox)):
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(only), self.timeout if timeout is None else timeout)
        return not any(only(k) for k in list(self._outbox))

    async def drain(self, timeout: float = DRAIN_TIMEOUT) -> int:
        """At shutdown: write what is waiting, for up to `timeout` seconds; what is left is logged and
        counted as dropped. Returns how many writes were lost."""
        deadline = time.monotonic() + timeout
        while self._outbox and time.monotonic() < deadline:
            try:
                if not await asyncio.wait_for(self.flush(), max(0.01, deadline - time.monotonic())):
                    await asyncio.sleep(min(self.retry[0], max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                break
        return self._abandon("still waiting at shutdown")

    def _abandon(self, why: str) -> int:
        with self._lock:
            lost = list(self._outbox.values())
            self._outbox.clear()
        for entry in lost:
            self._drop(entry.what, why, "shutdown")
        return len(lost)

    def detach(self) -> None:
        """Stop guarding (the wrapped store stays open for whoever else holds it): what is still waiting
        is logged and counted as lost, the threads and the outbox's task end."""
        if self._closed:
            return
        self._abandon("still waiting when the store was closed")
        self._closed = True
        flusher, loop = self._flusher, self._loop
        if flusher is not None and not flusher.done() and loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(flusher.cancel)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self.detach()
        self.inner.close()

    # -- the Store protocol, each call guarded -------------------------------------------------

    def get_lang(self, chat: str) -> str | None:
        return self._sync(self.inner.get_lang, chat)

    def set_lang(self, chat: str, lang: str | None) -> None:
        self._sync(self.inner.set_lang, chat, lang)

    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> QuizState:
        return self._sync(self.inner.create_quiz, chat, questions)

    def get_quiz(self, quiz_id: str) -> QuizState | None:
        return self._sync(self.inner.get_quiz, quiz_id)

    def active_quiz(self, chat: str) -> QuizState | None:
        return self._sync(self.inner.active_quiz, chat)

    def advance_quiz(self, quiz_id: str, from_index: int) -> QuizState | None:
        return self._sync(self.inner.advance_quiz, quiz_id, from_index)

    def finish_quiz(self, quiz_id: str) -> bool:
        return self._sync(self.inner.finish_quiz, quiz_id)

    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Mapping[str, Any] | None = None) -> bool:
        return self._sync(self.inner.mark_posted, quiz_id, index, deadline, posted)

    def open_quizzes(self, prefix: str) -> list[QuizState]:
        return self._sync(self.inner.open_quizzes, prefix)

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> AnswerResult:
        return self._sync(self.inner.record_answer, quiz_id, index, user, name, option, correct, points)

    def answers(self, quiz_id: str, index: int) -> list[AnswerRecord]:
        return self._sync(self.inner.answers, quiz_id, index)

    def link_ref(self, ref: str, quiz_id: str, index: int) -> None:
        self._sync(self.inner.link_ref, ref, quiz_id, index)

    def resolve_ref(self, ref: str) -> tuple[str, int] | None:
        return self._sync(self.inner.resolve_ref, ref)

    def leaderboard(self, chat: str, limit: int = 10) -> list[Standing]:
        return self._sync(self.inner.leaderboard, chat, limit)

    def standing(self, chat: str, user: str) -> Standing | None:
        return self._sync(self.inner.standing, chat, user)

    def reset_leaderboard(self, chat: str) -> int:
        return self._sync(self.inner.reset_leaderboard, chat)

    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None:
        self._sync(self.inner.log_gap, text, lang, platform, now)

    def top_gaps(self, n: int = 20) -> list[Gap]:
        return self._sync(self.inner.top_gaps, n)
