"""The Runtime as the one door, seen from Telegram (through PTB against the fake Bot API): buttons and
inline queries are rate limited like messages, no store call runs on the event loop, a stalled store
holds up nobody else, and a question crosses few of our modules on its way to the reply."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fake_bot_api import USER
from telegram_harness import Harness, buttons

from bot.ops.ratelimit import RateLimiter, Rule
from bot.runtime import Runtime
from bot.state import MemoryStore

ROOT = Path(__file__).resolve().parents[2]


class LoopCheckingStore:
    """A store that notes every call made on a thread running an event loop (there must be none)."""

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
                pass  # a worker thread: as it should be
            self.calls.append(name)
            if args and args[0] in self.stall:
                threading.Event().wait(self.stall[str(args[0])])
            return method(*args, **kwargs)

        return call


async def test_buttons_are_rate_limited_like_messages(
    bot: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime, "limiter", RateLimiter(Rule(3, 60), Rule(0, 1)))
    reply = await bot.ask("/nato_status korea")  # 1 of 3
    data = buttons(reply)["Timeline"]
    assert "text" not in await bot.press(reply, data, "b1")  # 2 of 3: answered
    assert "text" not in await bot.press(reply, data, "b2")  # 3 of 3
    warned = await bot.press(reply, data, "b3")
    assert "try again" in warned["text"]  # told once, as a toast
    assert "text" not in await bot.press(reply, data, "b4")  # then only the spinner stopped
    await bot.replies(1001, count=3)
    await asyncio.sleep(0.2)
    assert len(bot.sent(1001)) == 3  # the answer and two timelines: nothing for the refused presses


async def test_inline_queries_are_rate_limited_in_their_own_bucket(
    bot: Harness, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inline queries come per keystroke: five times the message limit, and typing never uses up messages."""
    monkeypatch.setattr(runtime, "limiter", RateLimiter(Rule(1, 60), Rule(0, 1)))
    for number in range(7):
        await bot.fake.push(inline_query={"id": f"iq{number}", "from": USER, "query": "korea", "offset": ""})
    calls = {c.params["inline_query_id"]: c.params for c in await bot.fake.wait_for("answerInlineQuery", count=7)}
    assert all(calls[f"iq{n}"]["results"] for n in range(5))
    assert calls["iq5"]["results"] == [] and calls["iq6"]["results"] == []
    assert int(calls["iq5"]["cache_time"]) == 0  # refused now, not cached as empty for minutes
    assert (await bot.ask("Is Korea in NATO?"))["text"].startswith("<b>South Korea")  # messages unaffected


async def test_no_store_call_runs_on_the_event_loop(bot: Harness, runtime: Runtime) -> None:
    store = runtime.store = LoopCheckingStore(MemoryStore())  # type: ignore[assignment]
    await bot.ask("/lang ko")
    reply = await bot.ask("Is Korea in NATO?")
    await bot.press(reply, buttons(reply)["연표"], "s1")
    await bot.ask("Is Narnia in NATO?")  # unanswered: logged as a gap
    await bot.fake.push(inline_query={"id": "s2", "from": USER, "query": "korea", "offset": ""})
    await bot.fake.wait_for("answerInlineQuery")
    assert {"get_lang", "set_lang", "log_unanswered"} & set(store.calls) >= {"get_lang", "set_lang"}
    assert store.on_loop == []


async def test_a_stalled_store_holds_up_no_other_chat_and_not_for_long(bot: Harness, runtime: Runtime) -> None:
    """A 3.5 s stall on one chat's language: other chats are answered meanwhile, and that chat too,
    after the lookup's timeout, in the language of its question."""
    runtime.store = LoopCheckingStore(MemoryStore(), stall={"telegram:1001": 3.5})  # type: ignore[assignment]
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.say("Is Korea in NATO?", chat_id=1001)
    other = await bot.ask("Is Japan in NATO?", chat_id=1002)
    assert not bot.sent(1001), "the other chat was answered first"
    [stalled] = await bot.replies(1001)
    assert loop.time() - started < 3.0  # the lookup timed out; the stall was not waited out
    assert other["text"].startswith("<b>Japan") and stalled.params["text"].startswith("<b>South Korea")


@pytest.fixture
def crossed() -> Iterator[list[str]]:
    """Our functions entered (``module.py:function``, coroutine resumptions included) while the test runs."""
    seen: list[str] = []
    lock = threading.Lock()
    prefix = str(ROOT / "bot") + "/"

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(prefix):
            with lock:
                seen.append(f"{frame.f_code.co_filename[len(prefix) :]}:{frame.f_code.co_name}")

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


async def test_a_question_crosses_few_modules(bot: Harness, runtime: Runtime, crossed: list[str]) -> None:
    """From the update to the reply, our modules outside the answer engine are few: the addressing
    check, the command parse, admission and language happen once (the engine's own modules are its
    business; `print` shows them all with -s)."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(2))  # new threads, which are profiled
    crossed.clear()
    await bot.ask("Is Korea in NATO?")
    modules = {call.partition(":")[0] for call in crossed}
    door = {m for m in modules if not m.startswith("core/") or m in ("core/inbound.py", "core/commands.py")}
    print(f"\nmodules crossed: {len(modules)} {sorted(modules)}; outside the answer engine: {len(door)} {sorted(door)}")
    assert "runtime.py" in door and "adapters/telegram/routing.py" in door
    # measured 14: with the store, metrics, PTB's rate limiter and update processor, the update journal and health
    assert len(door) <= 14
    assert crossed.count("adapters/telegram/routing.py:inbound") == 1  # "is it for me?": decided once
    # The command parse: once, at the door (the Answerer takes the door's parse with the query).
    assert crossed.count("core/commands.py:parse") == 1
