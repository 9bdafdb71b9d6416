"""The Runtime as the one door, seen from Discord (the real client against the fake): no store call on
the event loop (a 3.5 s Redis stall once made an interaction miss its 3 s window), and autocomplete
and buttons are rate limited like everything else."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from fake_discord import USER_ID, FakeDiscord

from bot.ops.ratelimit import RateLimiter, Rule
from bot.runtime import Runtime
from bot.state import MemoryStore


class LoopCheckingStore:
    """A store that notes every call made on a thread running an event loop, and can stall on keys."""

    def __init__(self, inner: Any, stall: dict[str, float] | None = None) -> None:
        self.inner, self.stall = inner, stall or {}
        self.on_loop: list[str] = []
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                asyncio.get_running_loop()
                self.on_loop.append(name)
            except RuntimeError:
                pass
            self.calls.append(name)
            if args and args[0] in self.stall:
                threading.Event().wait(self.stall[str(args[0])])
            return method(*args, **kwargs)

        return call


async def test_no_store_call_runs_on_the_event_loop(fake: FakeDiscord, start_bot, runtime: Runtime) -> None:
    store = runtime.store = LoopCheckingStore(MemoryStore())  # type: ignore[assignment]
    await start_bot()
    await fake.interact(fake.slash("nato-lang", {"language": "ko", "scope": "me"}))
    [answer] = await fake.interact(fake.slash("nato-status", {"country": "KR"}))
    assert answer["data"]["embeds"][0]["title"] == "한국과 나토"  # the stored language applies
    await fake.interact(fake.click("natobot:ko:timeline:KR"))
    await fake.interact(fake.autocomplete("nato-status", "country", "kor"))
    assert {"get_lang", "set_lang"} <= set(store.calls)
    assert store.on_loop == []


async def test_a_stalled_store_does_not_cost_the_interaction(fake: FakeDiscord, start_bot, runtime: Runtime) -> None:
    """The member's language lookup stalls for 3.5 s: the command is still acknowledged well inside
    Discord's 3 s, answered in the client's language."""
    runtime.store = LoopCheckingStore(MemoryStore(), stall={f"discord:user:{USER_ID}": 3.5})  # type: ignore[assignment]
    await start_bot()
    payload = fake.slash("nato-status", {"country": "KR"}, locale="ko")
    sent = time.perf_counter()
    [callback] = await fake.interact(payload)
    assert fake.callback_times[payload["id"]] - sent < 2.9
    assert callback["type"] in (4, 5)
    other = await fake.interact(fake.slash("nato-members", user_id=USER_ID + 1))  # not held up meanwhile
    assert other[0]["type"] == 4


async def test_autocomplete_is_rate_limited_in_its_own_bucket(
    fake: FakeDiscord, start_bot, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "limiter", RateLimiter(Rule(1, 60), Rule(0, 1)))
    await start_bot()
    offered = []
    for typed in ("k", "ko", "kor", "kore", "korea", "korea"):
        [callback] = await fake.interact(fake.autocomplete("nato-status", "country", typed))
        offered.append(len(callback["data"]["choices"]))
    assert all(offered[:5]) and offered[5] == 0  # five keystrokes per message allowed, then nothing
    [answer] = await fake.interact(fake.slash("nato-status", {"country": "KR"}))
    assert "embeds" in answer["data"]  # typing did not use up the member's message


async def test_buttons_are_rate_limited(
    fake: FakeDiscord, start_bot, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "limiter", RateLimiter(Rule(2, 60), Rule(0, 1)))
    await start_bot()
    kinds = []
    for _ in range(3):
        [callback] = await fake.interact(fake.click("natobot:en:timeline:KR"))
        kinds.append(("embeds" in callback["data"], bool(callback["data"].get("flags", 0) & 64)))
    assert kinds == [(True, False), (True, False), (False, True)]  # the third: an ephemeral notice
