"""Faults between the real discord.py client and the (fake) Discord: nothing lost, nothing doubled.

REST: a 5xx on an interaction callback, a follow-up or an edit is retried by discord.py and arrives
once; a connection dropped before the answer is sent again by the adapter (`delivery.resend`) and
arrives once, even when Discord had already taken a callback; a slow Discord is waited for, never
answered twice. Gateway: a socket cut with no close frame is RESUMEd, the events missed meanwhile are
replayed and answered, and later interactions too. SIGTERM (through bot.serve, as in production)
during a slow answer: the answer still goes out before the process stops.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from argparse import Namespace
from typing import Any

import pytest
from fake_discord import APP_ID, BOT_ID, BOT_USER, FakeDiscord, user

from bot.config import Settings
from bot.core.reply import Query
from bot.runtime import Runtime
from bot.serve import serve

CALLBACK = r"/interactions/\d+/[^/]+/callback"
EPHEMERAL = 64


class SlowRuntime(Runtime):
    """The real runtime whose answers take `delay` seconds (in the worker thread); `started` is set
    when an answer begins."""

    def __init__(self, inner: Runtime, delay: float) -> None:
        vars(self).update(vars(inner))  # the same knowledge, store and limits
        self.delay = delay
        self.started = threading.Event()

    def answer(self, query: Query) -> Any:
        self.started.set()
        threading.Event().wait(self.delay)
        return super().answer(query)


def attempts(fake: FakeDiscord, method: str, pattern: str) -> list[int]:
    return [r.status for r in fake.find(method, pattern)]


def followup(payload: dict[str, Any]) -> str:
    return rf"/webhooks/{APP_ID}/{payload['token']}"


def original(payload: dict[str, Any]) -> str:
    return rf"/webhooks/{APP_ID}/{payload['token']}/messages/@original"


async def settled(fake: FakeDiscord) -> None:
    """A later interaction has been answered (directly, or deferred and edited in): anything still
    due from earlier has had its chance to go out, or out twice."""
    payload = fake.slash("nato-help")
    [callback] = await fake.interact(payload, timeout=15)
    if callback["type"] == 5:
        await fake.wait_until(lambda: attempts(fake, "PATCH", original(payload)) == [200], 15, "the edit")
    else:
        assert callback["type"] == 4


# -- REST: 5xx ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502])
async def test_5xx_on_the_callback_is_retried_and_delivered_once(fake: FakeDiscord, start_bot, status: int) -> None:
    await start_bot()
    fake.fail("POST", CALLBACK, status=status, code=0)
    payload = fake.slash("nato-status", {"country": "finland"})
    [callback] = await fake.interact(payload, timeout=15)
    assert callback["type"] == 4 and "Finland" in callback["data"]["embeds"][0]["title"]
    assert attempts(fake, "POST", rf"/interactions/{payload['id']}/[^/]+/callback") == [status, 200]
    await settled(fake)
    assert len(fake.callbacks[payload["id"]]) == 1


async def test_5xx_on_a_follow_up_and_504_on_an_edit_are_retried_and_delivered_once(
    fake: FakeDiscord, start_bot, runtime
) -> None:
    await start_bot(runtime_=SlowRuntime(runtime, 0.3), defer_after=0.05)
    # A deferred no-match goes out as an ephemeral follow-up; a deferred match is edited in.
    no_match, match = fake.slash("nato-status", {"country": "Narnia"}), fake.slash("nato-status", {"country": "KR"})
    fake.fail("POST", followup(no_match), status=502, code=0)
    fake.fail("PATCH", original(match), status=504, code=0)
    for payload in (no_match, match):
        [callback] = await fake.interact(payload, timeout=15)
        assert callback["type"] == 5  # "thinking…"
    await fake.wait_until(lambda: attempts(fake, "POST", followup(no_match)) == [502, 200], 15, "the follow-up")
    await fake.wait_until(lambda: attempts(fake, "PATCH", original(match)) == [504, 200], 15, "the edit")
    await settled(fake)
    assert attempts(fake, "POST", followup(no_match)) == [502, 200]
    assert attempts(fake, "PATCH", original(match)) == [504, 200]
    assert fake.find("POST", followup(no_match))[1].json["flags"] & EPHEMERAL


# -- REST: dropped connections and timeouts ------------------------------------------------------


async def test_callback_dropped_before_discord_took_it_is_sent_again_once(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    fake.drop("POST", CALLBACK)
    payload = fake.slash("nato-status", {"country": "sweden"})
    [callback] = await fake.interact(payload, timeout=15)
    assert callback["type"] == 4 and "Sweden" in callback["data"]["embeds"][0]["title"]  # the answer, not an error
    assert attempts(fake, "POST", rf"/interactions/{payload['id']}/[^/]+/callback") == [0, 200]
    await settled(fake)
    assert len(fake.callbacks[payload["id"]]) == 1


async def test_callback_dropped_after_discord_took_it_is_not_doubled(fake: FakeDiscord, start_bot) -> None:
    """Discord refuses a second callback (already acknowledged): the adapter takes that as delivered
    and sends no error message after it."""
    fake.acknowledge_once = True
    await start_bot()
    fake.drop("POST", CALLBACK, after=True)
    payload = fake.slash("nato-status", {"country": "sweden"})
    await fake.interact(payload, timeout=15)
    pattern = rf"/interactions/{payload['id']}/[^/]+/callback"
    await fake.wait_until(lambda: attempts(fake, "POST", pattern) == [0, 400], 15, "the second callback")
    await settled(fake)
    assert attempts(fake, "POST", pattern) == [0, 400]
    assert [c["type"] for c in fake.callbacks[payload["id"]]] == [4]
    assert fake.find("POST", followup(payload)) == []  # no "something went wrong" follow-up


async def test_follow_up_dropped_is_sent_again_and_delivered_once(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot(runtime_=SlowRuntime(runtime, 0.3), defer_after=0.05)
    payload = fake.slash("nato-status", {"country": "Narnia"})
    fake.drop("POST", followup(payload))
    fake.drop("PATCH", original(match := fake.slash("nato-status", {"country": "KR"})))
    for each in (payload, match):
        await fake.interact(each, timeout=15)
    await fake.wait_until(lambda: attempts(fake, "POST", followup(payload)) == [0, 200], 15, "the follow-up")
    await fake.wait_until(lambda: attempts(fake, "PATCH", original(match)) == [0, 200], 15, "the edit")
    await settled(fake)
    assert attempts(fake, "POST", followup(payload)) == [0, 200]
    assert attempts(fake, "PATCH", original(match)) == [0, 200]


async def test_slow_follow_up_is_waited_for_and_not_sent_twice(fake: FakeDiscord, start_bot, runtime) -> None:
    """Discord taking long to answer (a REST timeout on its side of the wire) holds that one reply
    only: other interactions are answered meanwhile, and the slow one is not sent a second time."""
    await start_bot(runtime_=SlowRuntime(runtime, 0.3), defer_after=0.05)
    payload = fake.slash("nato-status", {"country": "Narnia"})
    release = fake.stall("POST", followup(payload))
    await fake.interact(payload, timeout=15)
    await fake.wait_until(lambda: fake.find("POST", followup(payload)), 15, "the follow-up to arrive")
    await settled(fake)  # answered while the follow-up hangs
    assert attempts(fake, "POST", followup(payload)) == [0]  # still unanswered, not repeated
    release.set()
    await fake.wait_until(lambda: attempts(fake, "POST", followup(payload)) == [200], 15, "the follow-up answer")
    await settled(fake)
    assert attempts(fake, "POST", followup(payload)) == [200]


async def test_mention_reply_dropped_is_sent_again_once(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    fake.drop("POST", r"/channels/\d+/messages")
    message = fake.message(f"<@{BOT_ID}> is finland in nato?", author=user(name="student"), mentions=[BOT_USER])
    await fake.dispatch("MESSAGE_CREATE", message)
    await fake.wait_until(lambda: attempts(fake, "POST", r"/channels/\d+/messages") == [0, 200], 15, "the reply")
    await settled(fake)
    [_, post] = fake.find("POST", r"/channels/\d+/messages")
    assert str(post.json["message_reference"]["message_id"]) == message["id"]


# -- gateway ---------------------------------------------------------------------------------


async def test_gateway_cut_without_close_frame_is_resumed_and_nothing_is_missed(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    await fake.interact(fake.slash("nato-help"))
    session = fake.by_shard[0].session
    dropped = fake.drop_gateway()
    await fake.wait_until(lambda: 0 not in fake.by_shard, 15, "the fake to notice the cut")
    during = fake.slash("nato-status", {"country": "finland"})
    await fake.dispatch("INTERACTION_CREATE", during)  # while disconnected: replayed on RESUME
    [resume] = await fake.wait_until(lambda: fake.gateway_ops(6), timeout=15, what="RESUME")
    assert resume.d["session_id"] == session and len(fake.gateway_ops(2)) == 1, "resumed, not identified again"
    assert dropped.ws.close_code != 1000
    [callback] = await fake.wait_callback(during, timeout=15)
    assert "Finland" in callback["data"]["embeds"][0]["title"]
    after = fake.slash("nato-status", {"country": "norway"})
    [callback] = await fake.interact(after, timeout=15)
    assert "Norway" in callback["data"]["embeds"][0]["title"]
    await settled(fake)
    assert len(fake.callbacks[during["id"]]) == len(fake.callbacks[after["id"]]) == 1


# -- SIGTERM ---------------------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.8, 2.6], ids=["answered-directly", "deferred-then-edited"])
async def test_sigterm_during_a_slow_answer_lets_it_go_out(fake: FakeDiscord, runtime, tmp_path, delay: float) -> None:
    """bot.serve owns the signals: SIGTERM cancels the adapter, which drains its in-flight replies
    before closing the client. With delay 2.6 s the answer is deferred (at 2 s) after the signal."""
    slow = SlowRuntime(runtime, delay)
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.api,  # type: ignore[call-arg]
        NATOBOT_STATE_DIR=str(tmp_path / "state"),
    )
    task = asyncio.create_task(serve(slow, settings, ["discord"], Namespace(sync=False)))
    try:
        conn = await fake.wait_ready(timeout=30)
        payload = fake.slash("nato-status", {"country": "KR"})
        await fake.dispatch("INTERACTION_CREATE", payload)
        assert await asyncio.to_thread(slow.started.wait, 15), "the answer did not start"
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 30)
    finally:
        if not task.done():
            task.cancel()
    assert conn.ws.closed  # the client has really stopped
    if delay < 2:
        assert [c["type"] for c in fake.callbacks[payload["id"]]] == [4]
        embeds = fake.callbacks[payload["id"]][0]["data"]["embeds"]
    else:
        assert [c["type"] for c in fake.callbacks[payload["id"]]] == [5]
        [edit] = fake.find("PATCH", original(payload))
        embeds = edit.json["embeds"]
    assert embeds[0]["title"] == "South Korea and NATO"
