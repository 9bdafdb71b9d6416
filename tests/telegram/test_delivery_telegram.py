"""Delivery on Telegram under real faults: nothing lost, nothing doubled (issue 15, item 5).

The real PTB bot against the fake Bot API (tests/telegram/fake_bot_api.py) on 127.0.0.1:

- sendMessage answering 5xx, 429 with retry_after, or dropping the connection many times in a row
  (more than any fixed number of tries): the reply is sent again, with backoff, honouring
  retry_after, until it goes through, and arrives exactly once; past the deadline the bot gives up;
- the same webhook update delivered twice is answered once;
- `natobot telegram` killed with SIGKILL while 40 replies are in flight (their updates already
  confirmed to Telegram): the restarted bot answers each of them exactly once, and a third start
  answers none of them again;
- /healthz reports the platform (connected, age of the last successful API call) and answers 503
  while Telegram keeps failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from argparse import Namespace
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS / "telegram"))

from fake_bot_api import TOKEN, Call, FakeBotAPI  # noqa: E402
from telegram_harness import free_port, logged, make_settings, running, webhook_settings  # noqa: E402

from bot.adapters.telegram import app as telegram_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.serve import serve  # noqa: E402

SECRET = "s3cret-Token_for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pauses of 50 ms doubling up to 0.2 s instead of 0.5 s up to 30 s (retry_after is still honoured)."""
    monkeypatch.setattr(telegram_app, "BACKOFF", (0.05, 0.2), raising=False)


@contextlib.asynccontextmanager
async def bot_on(fake: FakeBotAPI, runtime: Runtime) -> AsyncIterator[None]:
    async with running(runtime, make_settings(fake), fake.wait_for("getUpdates")):
        yield


def attempts(fake: FakeBotAPI, chat_id: int) -> list[int]:
    """The status of every sendMessage to the chat (0: dropped), in order."""
    return [c.status for c in fake.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id]


def delivered(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    """The messages Telegram took for the chat: answered with 200 (a held call is not yet)."""
    return [
        c
        for c in fake.calls
        if c.method == "sendMessage" and c.done and c.status == 200 and int(c.params["chat_id"]) == chat_id
    ]


async def settle(fake: FakeBotAPI, chat_id: int) -> None:
    """A later question is answered and every request has had its answer: a double would show by now."""
    await fake.send_text("/nato_status@ThisBot japan", chat_id=chat_id, chat_type="supergroup")
    await fake.until(lambda: bool(delivered(fake, chat_id)), timeout=30)
    await fake.until(lambda: all(c.done for c in fake.calls if c.method == "sendMessage"), timeout=30)


# -- retries up to a deadline -------------------------------------------------------------------


async def test_six_5xx_in_a_row_then_the_reply_arrives_once(fake: FakeBotAPI, runtime: Runtime) -> None:
    statuses = (500, 502, 503, 504, 500, 502)
    async with bot_on(fake, runtime):
        for status in statuses:
            fake.fail_once("sendMessage", status, "Internal Server Error")
        await fake.send_text("/nato_status@ThisBot finland", chat_id=-7100, chat_type="supergroup")
        await fake.until(lambda: bool(delivered(fake, -7100)), timeout=30)
        await settle(fake, -7199)
    assert attempts(fake, -7100) == [*statuses, 200]
    assert len(delivered(fake, -7100)) == 1


async def test_five_429s_in_a_row_are_waited_out_and_the_reply_arrives_once(fake: FakeBotAPI, runtime: Runtime) -> None:
    async with bot_on(fake, runtime):
        for _ in range(5):
            fake.fail_once("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        start = time.monotonic()
        await fake.send_text("/nato_status@ThisBot sweden", chat_id=-7200, chat_type="supergroup")
        await fake.until(lambda: bool(delivered(fake, -7200)), timeout=30)
        waited = time.monotonic() - start
        await settle(fake, -7299)
    assert attempts(fake, -7200) == [429] * 5 + [200]
    assert len(delivered(fake, -7200)) == 1
    assert waited >= 5.0  # each retry_after of 1 s was honoured


async def test_six_dropped_connections_in_a_row_then_the_reply_arrives_once(fake: FakeBotAPI, runtime: Runtime) -> None:
    async with bot_on(fake, runtime):
        fake.drop("sendMessage", times=6)
        await fake.send_text("/nato_status@ThisBot norway", chat_id=-7300, chat_type="supergroup")
        await fake.until(lambda: bool(delivered(fake, -7300)), timeout=30)
        await settle(fake, -7399)
    assert attempts(fake, -7300) == [0] * 6 + [200]
    assert len(delivered(fake, -7300)) == 1


async def test_a_mixed_storm_of_5xx_429_and_drops_then_the_reply_arrives_once(
    fake: FakeBotAPI, runtime: Runtime
) -> None:
    async with bot_on(fake, runtime):
        # The fake drops first, then answers with faults: drops and faults interleave by count.
        fake.drop("sendMessage", times=2)
        for status in (503, 429, 502, 429):
            fake.fail_once("sendMessage", status, "storm", retry_after=1 if status == 429 else None)
        await fake.send_text("/nato_members@ThisBot", chat_id=-7400, chat_type="supergroup")
        await fake.until(lambda: bool(delivered(fake, -7400)), timeout=30)
        await settle(fake, -7499)
    assert attempts(fake, -7400) == [0, 0, 503, 429, 502, 429, 200]
    assert len(delivered(fake, -7400)) == 1


async def test_past_the_deadline_the_reply_is_given_up_and_logged(
    fake: FakeBotAPI, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retries are bounded in time, not endless: here 1.5 s of 502s, then one error in the log."""
    monkeypatch.setattr(telegram_app, "DEADLINE", 1.5, raising=False)
    async with bot_on(fake, runtime):
        for _ in range(200):
            fake.fail_once("sendMessage", 502, "Bad Gateway", when=lambda p: int(p["chat_id"]) == -7500)
        failed = asyncio.ensure_future(logged("error while handling update", "bot.adapters.telegram.handlers"))
        await asyncio.sleep(0)
        start = time.monotonic()
        await fake.send_text("/nato_status@ThisBot finland", chat_id=-7500, chat_type="supergroup")
        await asyncio.wait_for(failed, 30)
        gave_up = time.monotonic() - start
        tries = len(attempts(fake, -7500))
        await asyncio.sleep(0.5)
        assert len(attempts(fake, -7500)) == tries  # no more attempts after giving up
    assert 1.0 <= gave_up < 5
    assert tries > 4  # more than the old fixed three resends
    assert set(attempts(fake, -7500)) == {502}


# -- the same update twice ----------------------------------------------------------------------


async def test_a_webhook_update_delivered_twice_is_answered_once(fake: FakeBotAPI, runtime: Runtime) -> None:
    port = free_port()
    async with running(runtime, webhook_settings(fake, port, SECRET), logged("is answering (webhook)")):
        update = {"update_id": 4242, "message": fake.message("/nato_status korea", chat_id=7600)}
        async with aiohttp.ClientSession() as session:
            for _ in range(2):  # Telegram sends it again when it did not see the first 200 in time
                async with session.post(
                    f"http://127.0.0.1:{port}/tg/hook", json=update, headers={HEADER: SECRET}
                ) as response:
                    assert response.status == 200
            await fake.until(lambda: bool(delivered(fake, 7600)), timeout=30)
            later = {"update_id": 4243, "message": fake.message("/nato_status japan", chat_id=7600)}
            async with session.post(f"http://127.0.0.1:{port}/tg/hook", json=later, headers={HEADER: SECRET}):
                pass
        await fake.until(lambda: len(delivered(fake, 7600)) >= 2, timeout=30)
        await fake.until(lambda: all(c.done for c in fake.calls if c.method == "sendMessage"))
    texts = [c.params["text"] for c in delivered(fake, 7600)]
    assert len(texts) == 2, texts
    assert "Korea" in texts[0] and "Japan" in texts[1]


# -- kill -9 with replies in flight ----------------------------------------------------------------


def _natobot_env(fake: FakeBotAPI, state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TELEGRAM_", "NATOBOT_", "REDIS_"))}
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake.base_url,
        NATOBOT_STATE_DIR=str(state),
        NATOBOT_RATE_USER="1000/30",  # one user asks all 40 questions
        PYTHONWARNINGS="ignore",
        PYTHONPATH=str(ROOT),
    )
    return env


async def _natobot(fake: FakeBotAPI, tmp_path: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "telegram",
        cwd=tmp_path,  # no stray .env is read
        env=_natobot_env(fake, tmp_path / "state"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(proc: asyncio.subprocess.Process, sig: int) -> bytes:
    if proc.returncode is None:
        proc.send_signal(sig)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    return err


async def test_kill_9_with_40_replies_in_flight_each_is_answered_once_after_restart(tmp_path: Path) -> None:
    fake = await FakeBotAPI().start()
    holding = [True]
    fake.hold("sendMessage", lambda params: holding[0])  # replies in flight: never answered before the kill
    chats = [-7700 - n for n in range(40)]
    procs: list[asyncio.subprocess.Process] = []
    try:
        procs.append(first := await _natobot(fake, tmp_path))
        await fake.wait_for("getUpdates", lambda p: int(p.get("timeout") or 0) > 0, timeout=60)
        for chat in chats:
            await fake.send_text("/nato_status@ThisBot finland", chat_id=chat, chat_type="supergroup")
        # Every reply has reached the API (and is held there), and Telegram has the updates confirmed.
        await fake.until(lambda: len(fake.of("sendMessage")) >= len(chats), timeout=60)
        await fake.until(lambda: fake.pending == [], timeout=30)
        assert not any(delivered(fake, chat) for chat in chats)
        await _stop(first, signal.SIGKILL)
        assert first.returncode == -signal.SIGKILL

        holding[0] = False
        restarted = time.monotonic()
        procs.append(second := await _natobot(fake, tmp_path))
        await fake.until(lambda: all(delivered(fake, chat) for chat in chats), timeout=90)
        await _stop(second, signal.SIGTERM)
        assert second.returncode == 0

        procs.append(await _natobot(fake, tmp_path))  # a third start replays nothing answered
        await fake.send_text("/nato_status@ThisBot norway", chat_id=-7799, chat_type="supergroup")
        await fake.until(lambda: bool(delivered(fake, -7799)), timeout=60)
        await fake.until(lambda: all(c.done for c in fake.calls if c.method == "sendMessage" and c.at > restarted))
        assert [len(delivered(fake, chat)) for chat in chats] == [1] * len(chats)
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await fake.stop()


# -- health ---------------------------------------------------------------------------------------


@pytest.fixture
def _quick_health(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with contextlib.suppress(ImportError):  # bot.ops.platforms: the per-platform health record
        monkeypatch.setattr("bot.ops.platforms.GRACE", 1.0)
        monkeypatch.setattr("bot.ops.platforms._registered", {})  # no platform left over from earlier tests
    yield


async def _healthz(port: int) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
        return response.status, json.loads(await response.text())


async def test_healthz_reports_telegram_and_turns_503_while_it_keeps_failing(
    fake: FakeBotAPI, runtime: Runtime, tmp_path: Path, _quick_health: None
) -> None:
    port = free_port()
    settings = make_settings(fake, NATOBOT_STATE_DIR=str(tmp_path), NATOBOT_HTTP_PORT=port)
    task = asyncio.create_task(serve(runtime, settings, ["telegram"], Namespace()))
    try:
        await fake.wait_for("getUpdates", timeout=30)
        status, state = await _healthz(port)
        assert status == 200, state
        telegram = state["platforms"]["telegram"]
        assert telegram["connected"] is True
        assert 0 <= telegram["last_ok_age_seconds"] < 30

        for _ in range(1000):
            fake.fail_once("getUpdates", 502, "Bad Gateway")
        deadline = time.monotonic() + 30
        while (await _healthz(port))[0] == 200:
            assert time.monotonic() < deadline, "health never turned 503 while getUpdates failed"
            await asyncio.sleep(0.2)
        status, state = await _healthz(port)
        assert status == 503 and state["ok"] is False
        assert state["platforms"]["telegram"]["connected"] is False

        fake._faults.clear()  # Telegram is back
        deadline = time.monotonic() + 30
        while (await _healthz(port))[0] != 200:
            assert time.monotonic() < deadline, "health did not recover"
            await asyncio.sleep(0.2)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 30)
