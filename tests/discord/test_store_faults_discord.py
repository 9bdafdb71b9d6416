"""Issue 15, item 3 end to end on Discord: the real discord.py client against the fake Discord, its
state in a real redis-server that is paused (SIGSTOP) while members use slash commands.

Before: the store reads blocked the interactions behind them for Redis' 5 s socket timeout and they
failed ("Unknown interaction"). Now each is acknowledged inside the 3 s window and answered (in the
member's Discord language, the stored one being unreadable); /nato-quiz is told to try again shortly.

    .venv/bin/pytest -q tests/discord/test_store_faults_discord.py
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_store_faults as faults
from fake_discord import USER_ID, FakeDiscord

from bot.core.i18n import t
from bot.runtime import Runtime
from bot.state.sqlite import SQLiteStore

STORE_BUSY_KO = t("store.busy", "ko")


RedisServer = faults.RedisServer
redis_server = faults.redis_server  # the fixture: a redis-server of the test's own, to pause


@pytest.fixture
def runtime(redis_server: RedisServer) -> Iterator[Runtime]:
    from bot.state.redis import RedisStore

    out = Runtime(faults.KNOWLEDGE, store=RedisStore(redis_server.url))
    yield out
    redis_server.resume()
    out.store.close()


async def test_redis_paused_slash_commands_are_answered_in_time(
    fake: FakeDiscord, start_bot: Any, runtime: Runtime, redis_server: RedisServer
) -> None:
    await start_bot()
    redis_server.pause()
    payloads = [fake.slash("nato-status", {"country": "KR"}, locale="ko", user_id=USER_ID + n) for n in range(6)]
    sent = time.perf_counter()
    callbacks = await asyncio.gather(*(fake.interact(p) for p in payloads))
    for payload, [callback] in zip(payloads, callbacks, strict=True):
        assert fake.callback_times[payload["id"]] - sent < 2.9  # inside Discord's 3 s window
        assert callback["type"] == 4, callback  # answered at once, not deferred
        assert callback["data"]["embeds"][0]["title"] == "한국과 나토"
    [quiz] = await fake.interact(fake.slash("nato-quiz", locale="ko"))
    assert quiz["data"]["content"] == STORE_BUSY_KO
    assert quiz["data"]["flags"] & 64  # told privately
    assert runtime.healthy()["ok"] is False


@pytest.fixture
def sqlite_runtime(tmp_path: Path) -> Iterator[Runtime]:
    out = Runtime(faults.KNOWLEDGE, store=SQLiteStore(tmp_path / "natobot.sqlite3"))
    yield out
    out.store.close()


async def test_a_quiz_whose_first_store_write_fails_is_told_to_try_again(
    fake: FakeDiscord, start_bot: Any, sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    """The store looks healthy at admission (SQLite in WAL mode lets the language lookup read past
    another connection's exclusive lock), then the quiz's first write times out. Before: the tree's
    error frame told the member "something went wrong" (and logged a traceback). Now: try again
    shortly, privately, in the member's language."""
    await start_bot(runtime_=sqlite_runtime)
    assert sqlite_runtime.healthy()["ok"] is True
    with faults.locked(tmp_path / "natobot.sqlite3"):
        [quiz] = await fake.interact(fake.slash("nato-quiz", locale="ko"))
    assert quiz["data"]["content"] == STORE_BUSY_KO
    assert quiz["data"]["flags"] & 64  # told privately


@pytest.mark.xfail(strict=True, reason="open gap: the timed-out create_quiz lands once the lock goes (bot/core/quiz)")
async def test_a_quiz_whose_first_write_timed_out_does_not_block_the_next_one(
    fake: FakeDiscord, start_bot: Any, sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    """The write that timed out was still waiting on SQLite's lock in its thread and lands when the lock
    goes: a quiz nobody was shown, which Discord's refuse-while-running policy then treats as running
    ("a quiz is already running, question 1 of 5") until its time budget passes."""
    await start_bot(runtime_=sqlite_runtime)
    with faults.locked(tmp_path / "natobot.sqlite3"):
        [quiz] = await fake.interact(fake.slash("nato-quiz", locale="ko"))
    assert quiz["data"]["content"] == STORE_BUSY_KO
    await faults.eventually(lambda: sqlite_runtime.store.health()["state"] == "ok")
    [intro] = await fake.interact(fake.slash("nato-quiz", locale="ko"))
    assert intro["data"].get("embeds"), intro["data"].get("content")
