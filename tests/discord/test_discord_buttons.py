"""Follow-up buttons: component interactions, the language toggle, stale clicks, and restarts."""

from __future__ import annotations

from fake_discord import FakeDiscord

from bot.adapters.discord.render import safe
from bot.core.reply import Query

EPHEMERAL = 64


async def test_sources_button_answers_with_the_sources(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.click("natobot:en:sources:status:KR"))
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    expected = runtime.follow("sources:status:KR", "en")
    [embed] = callback["data"]["embeds"]
    assert embed["title"] == safe(expected.title)
    assert callback["data"]["allowed_mentions"]["parse"] == []


async def test_language_button_switches_the_message_in_place(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.click("natobot:en:lang:ko:status:KR"))
    assert callback["type"] == 7  # UPDATE_MESSAGE: the answer itself turns Korean
    korean = runtime.answer(Query("/nato-status KR", lang="ko", platform="discord"))
    assert callback["data"]["embeds"][0]["title"] == safe(korean.title)
    buttons = [c["custom_id"] for row in callback["data"]["components"] for c in row["components"]]
    assert "natobot:ko:lang:en:status:KR" in buttons  # and can be switched back


async def test_timeline_button_gives_a_public_follow_up(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.click("natobot:ko:timeline:FI"))
    assert callback["type"] == 4 and not callback["data"].get("flags", 0) & EPHEMERAL
    assert callback["data"]["embeds"][0]["title"] == safe(runtime.follow("timeline:FI", "ko").title)


async def test_stale_clicks_are_answered_politely(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    for custom_id in ("natobot:en:faq:no-such-entry", "natobot:status:KR", "natobot:ko:status:XX"):
        [callback] = await fake.interact(fake.click(custom_id))
        assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL, custom_id
        assert "run the command again" in callback["data"]["content"] or "다시 실행" in callback["data"]["content"]
        assert callback["data"]["allowed_mentions"]["parse"] == []


async def test_buttons_work_after_a_restart(fake: FakeDiscord, start_bot) -> None:
    """A button on a message sent by an earlier process: the new process has never seen it."""
    first = await start_bot()
    [answer] = await fake.interact(fake.slash("nato-status", {"country": "KR"}))
    custom_id = answer["data"]["components"][0]["components"][0]["custom_id"]
    components = answer["data"]["components"]
    await first.close()

    await start_bot()
    message = fake.message(embeds=answer["data"]["embeds"], components=components)
    [callback] = await fake.interact(fake.click(custom_id, message=message))
    assert callback["type"] in (4, 7) and callback["data"]["embeds"]
