"""Issue 15, item 3 end to end on Telegram: the real PTB bot against the fake Bot API, its state in a
real redis-server that is paused (SIGSTOP) while people ask.

Before: each question's language lookup held a worker thread for Redis' 5 s socket timeout and the
questions behind it waited their turn. Now every question is answered at once (without the stored
language), and /nato_quiz is told to try again shortly, in the asker's language.

    .venv/bin/pytest -q tests/telegram/test_store_faults_telegram.py
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import test_store_faults as faults
from fake_bot_api import USER, FakeBotAPI
from telegram_harness import Harness, make_settings, running

from bot.core.i18n import t
from bot.runtime import Runtime
from bot.state.sqlite import SQLiteStore

STORE_BUSY_KO = t("store.busy", "ko")


RedisServer = faults.RedisServer
redis_server = faults.redis_server  # the fixture: a redis-server of the test's own, to pause


@pytest.fixture
async def bot(redis_server: RedisServer) -> AsyncIterator[Harness]:
    from bot.state.redis import RedisStore

    fake = await FakeBotAPI().start()
    runtime = Runtime(faults.KNOWLEDGE, store=RedisStore(redis_server.url))
    try:
        async with running(runtime, make_settings(fake), fake.wait_for("getUpdates")):
            yield Harness(fake, runtime)
    finally:
        redis_server.resume()
        await fake.stop()
        runtime.store.close()


async def test_redis_paused_every_question_is_still_answered(bot: Harness, redis_server: RedisServer) -> None:
    assert (await bot.ask("Is Korea in NATO?"))["text"].startswith("<b>South Korea")  # Redis up: as usual
    redis_server.pause()
    started = time.monotonic()
    chats = range(2001, 2009)
    for chat in chats:
        await bot.say("Is Finland in NATO?", chat_id=chat)
    answers = await asyncio.gather(*(bot.replies(chat) for chat in chats))
    took = time.monotonic() - started
    assert [a[0].params["text"].startswith("<b>Finland") for a in answers] == [True] * len(chats)
    assert took < 4.0, f"8 questions took {took:.1f} s"
    quiz = await bot.ask("/nato_quiz", chat_id=2001, user={**USER, "language_code": "ko"})
    assert quiz["text"] == STORE_BUSY_KO
    assert bot.runtime.healthy()["ok"] is False


# -- a quiz whose first write fails -------------------------------------------------------------------

GROUP = -100500


@pytest.fixture
async def sqlite_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    fake = await FakeBotAPI().start()
    runtime = Runtime(faults.KNOWLEDGE, store=SQLiteStore(tmp_path / "natobot.sqlite3"))
    try:
        async with running(runtime, make_settings(fake), fake.wait_for("getUpdates")):
            yield Harness(fake, runtime)
    finally:
        await fake.stop()
        runtime.store.close()


async def test_a_quiz_whose_first_store_write_fails_is_told_to_try_again(sqlite_bot: Harness, tmp_path: Path) -> None:
    """The store looks healthy at admission (SQLite in WAL mode lets the language lookup read past
    another connection's exclusive lock), then the quiz's first write times out. The handler catches
    the StoreUnavailable (bot/adapters/telegram/handlers.py): the chat is told to try again shortly, in
    the asker's language, instead of the error ending in PTB's error handler and the chat hearing
    nothing. Once the lock goes, the same command starts the quiz."""
    assert sqlite_bot.runtime.healthy()["ok"] is True  # not known degraded: admission lets the quiz through
    with faults.locked(tmp_path / "natobot.sqlite3"):
        started = time.monotonic()
        reply = await sqlite_bot.ask("/nato_quiz members 2", GROUP, user={**USER, "language_code": "ko"})
        assert reply["text"] == STORE_BUSY_KO
        assert time.monotonic() - started < 5.0  # the write's 2 s timeout, not SQLite's busy timeout
        assert sqlite_bot.polls(GROUP) == []
    await faults.eventually(lambda: sqlite_bot.runtime.store.health()["state"] == "ok")
    intro = await sqlite_bot.ask("/nato_quiz members 2", GROUP)
    assert intro["text"] != STORE_BUSY_KO
    await sqlite_bot.poll(GROUP, 1)  # the first question is posted
