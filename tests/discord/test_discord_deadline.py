"""Discord's 3-second window: fast answers go out at once; a slow core is deferred first."""

from __future__ import annotations

import time

from fake_discord import APP_ID, FakeDiscord

from bot.core.reply import Query
from bot.runtime import Runtime

EPHEMERAL = 64


class SlowRuntime(Runtime):
    """The real runtime, but every answer takes `delay` seconds (in the worker thread)."""

    def __init__(self, inner: Runtime, delay: float) -> None:
        vars(self).update(vars(inner))  # the same knowledge, store and limits
        self.delay = delay
        self.answered_at: float | None = None  # when the (slow) answer came into existence

    def answer(self, query: Query):
        time.sleep(self.delay)
        reply = super().answer(query)
        self.answered_at = time.perf_counter()
        return reply

    def follow(self, ref: str, lang: str):
        time.sleep(self.delay)
        return super().follow(ref, lang)


def original(fake: FakeDiscord, payload: dict, method: str) -> list:
    return fake.find(method, rf"/webhooks/{APP_ID}/{payload['token']}/messages/@original")


async def test_answers_go_out_well_inside_three_seconds(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    for command, options in [
        ("nato-status", {"country": "KR"}),
        ("nato-ask", {"question": "한국은 나토 회원국인가요?"}),
        ("nato-members", {}),
        ("nato-partners", {}),
    ]:
        payload = fake.slash(command, options)
        [callback] = await fake.interact(payload)
        assert callback["type"] == 4  # answered directly, no deferral needed (how fast: see bench.discord_burst)


async def test_slow_answer_is_deferred_then_edited_in(fake: FakeDiscord, start_bot, runtime) -> None:
    slow = SlowRuntime(runtime, 0.6)
    await start_bot(runtime_=slow, defer_after=0.1)
    payload = fake.slash("nato-status", {"country": "KR"})
    [callback] = await fake.interact(payload)
    assert callback["type"] == 5 and not (callback.get("data") or {}).get("flags", 0) & EPHEMERAL  # public "thinking…"
    await fake.wait_until(lambda: slow.answered_at, what="the slow answer")
    assert fake.callback_times[payload["id"]] < slow.answered_at  # acknowledged before the answer existed
    [edit] = await fake.wait_until(lambda: original(fake, payload, "PATCH"), what="the edited answer")
    assert edit.json["embeds"][0]["title"] == "South Korea and NATO"
    assert edit.json["allowed_mentions"]["parse"] == []


async def test_slow_no_match_becomes_an_ephemeral_follow_up(fake: FakeDiscord, start_bot, runtime) -> None:
    """Deferred publicly, the answer turned out to be a no-match, which is for the asker only."""
    await start_bot(runtime_=SlowRuntime(runtime, 0.4), defer_after=0.1)
    payload = fake.slash("nato-status", {"country": "Narnia"})
    await fake.interact(payload)
    followups = await fake.wait_until(
        lambda: fake.find("POST", rf"/webhooks/{APP_ID}/{payload['token']}"), what="the follow-up"
    )
    assert original(fake, payload, "DELETE"), "the public 'thinking…' message is removed"
    assert followups[0].json["flags"] & EPHEMERAL
    assert followups[0].json["allowed_mentions"]["parse"] == []


async def test_slow_language_button_is_deferred_as_an_update(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot(runtime_=SlowRuntime(runtime, 0.4), defer_after=0.1)
    payload = fake.click("natobot:en:lang:ko:status:KR")
    [callback] = await fake.interact(payload)
    assert callback["type"] == 6  # DEFERRED_UPDATE_MESSAGE: no "thinking…" message
    [edit] = await fake.wait_until(lambda: original(fake, payload, "PATCH"), what="the edited message")
    assert edit.json["embeds"][0]["title"] == "한국과 나토"
