"""Faults between the real PTB bot and the (fake) Bot API: nothing lost, nothing doubled.

getUpdates failing with 5xx, hanging past the read timeout, or losing its connection: polling
carries on and every update queued meanwhile is answered exactly once (Telegram's offsets make a
re-fetch safe). sendMessage failing with a 5xx or a dropped connection: the reply is sent again
and arrives once; one that times out after it went out is not sent again (that could double it).
SIGTERM with several replies in flight: all of them go out, the offset is confirmed, and a restarted
bot answers nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from argparse import Namespace
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fake_bot_api import Call, FakeBotAPI
from telegram_harness import logged, make_settings, running

import bot.adapters.telegram as telegram_adapter
from bot.adapters.telegram import app as telegram_app
from bot.runtime import Runtime
from bot.serve import serve

QUESTIONS = (
    "/nato_status@ThisBot finland",
    "/nato_status@ThisBot sweden",
    "/nato_status@ThisBot korea",
    "/nato_status@ThisBot japan",
    "/nato_members@ThisBot",
    "@ThisBot is norway in nato?",
)


@pytest.fixture
def short_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long polls of 1 s and a read timeout of 0.5 s on top: a hanging getUpdates times out in 1.5 s."""
    monkeypatch.setattr(telegram_adapter, "POLL_TIMEOUT", 1)
    monkeypatch.setattr(telegram_app, "GET_UPDATES_READ_TIMEOUT", 0.5)


@contextlib.asynccontextmanager
async def bot_on(fake: FakeBotAPI, runtime: Runtime) -> AsyncIterator[None]:
    async with running(runtime, make_settings(fake), fake.wait_for("getUpdates")):
        yield


async def ask_groups(fake: FakeBotAPI, first_chat: int, count: int) -> list[dict[str, Any]]:
    """One question in each of `count` group chats (groups: every reply quotes its question)."""
    return [
        await fake.send_text(QUESTIONS[n % len(QUESTIONS)], chat_id=first_chat - n, chat_type="supergroup")
        for n in range(count)
    ]


def answers(fake: FakeBotAPI, said: dict[str, Any]) -> list[Call]:
    """The bot's messages that went through and quote `said` (the first part of each answer)."""
    return [
        c
        for c in fake.of("sendMessage")
        if int(c.params["chat_id"]) == said["chat"]["id"]
        and (c.params.get("reply_parameters") or {}).get("message_id") == said["message_id"]
    ]


async def answered_once(fake: FakeBotAPI, questions: list[dict[str, Any]], last_chat: int) -> None:
    """Every question is answered; then a later one is too, every request has had its answer, and
    still each question has exactly one answer (a double would come from the same fetches)."""
    await fake.until(lambda: all(answers(fake, q) for q in questions), timeout=30)
    [sentinel] = await ask_groups(fake, last_chat, 1)
    await fake.until(lambda: bool(answers(fake, sentinel)), timeout=30)
    await fake.until(lambda: all(c.done for c in fake.calls if c.method == "sendMessage"))
    assert [len(answers(fake, q)) for q in questions] == [1] * len(questions)
    assert len(answers(fake, sentinel)) == 1


def get_updates(fake: FakeBotAPI) -> list[Call]:
    return fake.of("getUpdates", ok_only=False)


# -- getUpdates ------------------------------------------------------------------------------


async def test_get_updates_5xx_a_few_times_then_every_update_is_answered_once(
    fake: FakeBotAPI, runtime: Runtime
) -> None:
    async with bot_on(fake, runtime):
        for status, text in ((500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable")):
            fake.fail_once("getUpdates", status, text)
        first = await ask_groups(fake, -5100, 1)  # fetched by the poll in progress; the next ones fail
        await fake.until(lambda: any(c.status == 500 for c in get_updates(fake)))
        queued = await ask_groups(fake, -5101, 4)  # queued while getUpdates fails
        await answered_once(fake, first + queued, -5190)
        assert sorted(c.status for c in get_updates(fake) if c.status != 200) == [500, 502, 503]


async def test_get_updates_hanging_past_the_read_timeout(fake: FakeBotAPI, runtime: Runtime, short_polls: None) -> None:
    async with bot_on(fake, runtime):
        release = fake.stall("getUpdates")
        await fake.until(lambda: any(not c.done for c in get_updates(fake)[1:]))  # a poll is now hanging
        hanging = [c for c in get_updates(fake) if not c.done][-1]
        queued = await ask_groups(fake, -5200, 4)
        # PTB gives up on the hanging request (TimedOut) and polls again: the updates come that way.
        await fake.until(lambda: all(answers(fake, q) for q in queued), timeout=30)
        assert not hanging.done
        release.set()  # the late answer goes to a connection nobody listens on any more
        await fake.until(lambda: hanging.done)
        await answered_once(fake, queued, -5290)


async def test_get_updates_connection_dropped(fake: FakeBotAPI, runtime: Runtime) -> None:
    async with bot_on(fake, runtime):
        fake.drop("getUpdates", times=2)
        first = await ask_groups(fake, -5300, 1)
        await fake.until(lambda: any(c.status == 0 for c in get_updates(fake)))
        queued = await ask_groups(fake, -5301, 4)
        await answered_once(fake, first + queued, -5390)
        assert [c.status for c in get_updates(fake)].count(0) == 2


# -- sendMessage -----------------------------------------------------------------------------


def attempts(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    return [c for c in fake.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == chat_id]


@pytest.mark.parametrize("status", [500, 502])
async def test_send_message_5xx_is_sent_again_and_delivered_once(
    fake: FakeBotAPI, runtime: Runtime, status: int
) -> None:
    async with bot_on(fake, runtime):
        fake.fail_once("sendMessage", status, "Internal Server Error" if status == 500 else "Bad Gateway")
        [said] = await ask_groups(fake, -5400, 1)
        await answered_once(fake, [said], -5490)
        assert [c.status for c in attempts(fake, -5400)] == [status, 200]
        assert attempts(fake, -5400)[0].params == attempts(fake, -5400)[1].params  # the same message again


async def test_send_message_dropped_connection_is_sent_again_and_delivered_once(
    fake: FakeBotAPI, runtime: Runtime
) -> None:
    async with bot_on(fake, runtime):
        fake.drop("sendMessage")
        [said] = await ask_groups(fake, -5500, 1)
        await answered_once(fake, [said], -5590)
        assert [c.status for c in attempts(fake, -5500)] == [0, 200]


async def test_send_message_read_timeout_is_not_sent_again(
    fake: FakeBotAPI, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request went out whole; Telegram may be posting it slowly. Sending it again could post it
    twice, so the bot logs the reply as failed and does not repeat it: here Telegram did post it."""
    monkeypatch.setattr(telegram_app, "READ_TIMEOUT", 1.0)
    async with bot_on(fake, runtime):
        release = fake.stall("sendMessage")
        failed = asyncio.ensure_future(logged("error while handling update", "bot.adapters.telegram.handlers"))
        await asyncio.sleep(0)  # the log watcher is installed
        [said] = await ask_groups(fake, -5600, 1)
        await asyncio.wait_for(failed, 30)  # PTB timed out waiting for the answer
        release.set()
        await fake.until(lambda: all(c.done for c in attempts(fake, -5600)))
        await answered_once(fake, [said], -5690)
        assert [c.status for c in attempts(fake, -5600)] == [200]


async def test_other_errors_are_not_sent_again(fake: FakeBotAPI, runtime: Runtime) -> None:
    """A 400 cannot get better by repeating the request: one attempt, and the error is logged."""
    async with bot_on(fake, runtime):
        failed = asyncio.ensure_future(logged("error while handling update", "bot.adapters.telegram.handlers"))
        await asyncio.sleep(0)
        fake.fail_once("sendMessage", 400, "Bad Request: can't parse entities")
        await ask_groups(fake, -5700, 1)
        await asyncio.wait_for(failed, 30)
        assert [c.status for c in attempts(fake, -5700)] == [400]


# -- SIGTERM -------------------------------------------------------------------------------


async def test_sigterm_drains_every_reply_in_flight_and_confirms_the_offset(
    fake: FakeBotAPI, runtime: Runtime, tmp_path
) -> None:
    """Several replies held by the API when SIGTERM arrives (through bot.serve, as in production):
    all go out, the final getUpdates confirms the offset, and a new bot answers none of them again."""
    settings = make_settings(fake, NATOBOT_STATE_DIR=str(tmp_path))
    release = fake.hold("sendMessage")
    task = asyncio.create_task(serve(runtime, settings, ["telegram"], Namespace()))
    try:
        await fake.wait_for("getUpdates", timeout=30)
        questions = await ask_groups(fake, -5800, 3)
        await fake.until(lambda: len([c for c in fake.calls if c.method == "sendMessage"]) == 3, timeout=30)
        os.kill(os.getpid(), signal.SIGTERM)
        await fake.wait_for("getUpdates", lambda p: str(p.get("timeout")) == "0", timeout=30)
        assert not task.done() and not any(c.done for c in fake.calls if c.method == "sendMessage")
        release.set()
        await asyncio.wait_for(task, 30)
    finally:
        release.set()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert [len(answers(fake, q)) for q in questions] == [1, 1, 1]
    assert fake.pending == []  # the last getUpdates confirmed every update it had fetched
    async with bot_on(fake, runtime):  # a restart: nothing is fetched or answered again
        await answered_once(fake, questions, -5890)
