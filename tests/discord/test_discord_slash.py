"""Slash commands end to end: fake gateway INTERACTION_CREATE -> real discord.py -> callback."""

from __future__ import annotations

import json
import re

import pytest
from fake_discord import USER_ID, FakeDiscord

from bot.adapters.discord.render import COLOURS, safe
from bot.core.commands import for_platform
from bot.core.reply import Query
from bot.core.text import is_hangul

EPHEMERAL = 64


def pings_nobody(allowed: dict) -> bool:
    return (
        allowed.get("parse") == []
        and not allowed.get("users")
        and not allowed.get("roles")
        and not allowed.get("replied_user")
    )


def core(runtime, text: str, locale: str = "en-US", lang: str | None = None):
    return runtime.answer(Query(text, lang=lang, locale=locale, platform="discord"))


async def test_status_command_answers_with_an_embed(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-status", {"country": "KR"}))
    expected = core(runtime, "/nato-status KR")
    assert callback["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE, answered at once
    data = callback["data"]
    assert not data.get("flags", 0) & EPHEMERAL  # public: an answer meant for the channel
    [embed] = data["embeds"]
    assert embed["title"] == safe(expected.title) == "South Korea and NATO"
    assert embed["description"].startswith(safe(expected.body)[:80])
    assert embed["color"] == COLOURS["partner"]
    names = [f["name"] for f in embed["fields"]]
    assert names == [safe(f.name) for f in expected.fields] + ["Sources"]
    assert names[0] == "Status"
    sources = embed["fields"][-1]["value"]
    first = expected.sources[0]
    assert f"]({first.url})" in sources and re.match(r"• \[.+\]\(https?://", sources)  # markdown links
    assert embed["footer"]["text"] == f"NATO Status Bot · Updated {expected.updated.isoformat()}"
    assert pings_nobody(data["allowed_mentions"])
    buttons = [c for row in data["components"] for c in row["components"]]
    assert {b["custom_id"] for b in buttons} == {f"natobot:en:{a.ref}" for a in expected.actions}
    assert "natobot:en:lang:ko:status:KR" in {b["custom_id"] for b in buttons}


async def test_every_discord_command_answers(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    options = {
        "": {},
        "country": {"country": "finland"},
        "country?": {"country": "finland"},
        "question": {"question": "When did Finland join NATO?"},
        "quiz?": {"length": 1},
        "reset?": {},
        "lang": {"language": "en"},
    }
    for command in for_platform("discord"):
        [callback] = await fake.interact(fake.slash(command.discord, options[command.arg]))
        assert callback["type"] == 4, command.id
        if command.id == "nato-lang":  # a short confirmation for the asker, no embed
            assert callback["data"]["flags"] & EPHEMERAL and callback["data"]["content"]
        else:
            [embed] = callback["data"]["embeds"]
            assert embed["title"] and embed["footer"]["text"].startswith("NATO Status Bot"), command.id
        assert pings_nobody(callback["data"]["allowed_mentions"])


async def test_korean_locale_gets_a_korean_answer(fake: FakeDiscord, start_bot, runtime) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-status", {"country": "KR"}, locale="ko"))
    expected = core(runtime, "/nato-status KR", locale="ko")
    [embed] = callback["data"]["embeds"]
    assert expected.lang == "ko"
    assert embed["title"] == safe(expected.title) and is_hangul(embed["title"].split()[0])
    assert embed["fields"][-1]["name"] == "출처"
    assert "업데이트" in embed["footer"]["text"]
    buttons = [c for row in callback["data"]["components"] for c in row["components"]]
    assert "natobot:ko:lang:en:status:KR" in {b["custom_id"] for b in buttons}


async def test_stored_setting_wins_over_the_locale(fake: FakeDiscord, start_bot, runtime) -> None:
    runtime.store.set_lang(f"discord:guild:{900000000000000100}", "ko")
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-members", locale="en-US"))
    assert callback["data"]["embeds"][0]["title"] == safe(core(runtime, "/nato-members", lang="ko").title)
    runtime.store.set_lang(f"discord:user:{USER_ID}", "en")  # the user's own setting beats the server's
    [callback] = await fake.interact(fake.slash("nato-members", locale="ko"))
    assert callback["data"]["embeds"][0]["title"] == safe(core(runtime, "/nato-members", lang="en").title)


@pytest.mark.parametrize("typed", ["@everyone **bold** <@123456789012345678>", "@here"])
async def test_user_input_echoed_back_pings_nobody_and_is_escaped(fake: FakeDiscord, start_bot, typed: str) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-status", {"country": typed}))
    data = callback["data"]
    assert data["flags"] & EPHEMERAL  # no such country: only the asker sees the answer
    assert pings_nobody(data["allowed_mentions"])
    text = json.dumps(data, ensure_ascii=False)
    assert re.search(r"@(everyone|here|\d{17})", text) is None  # every mention is defused
    description = data["embeds"][0]["description"]
    assert "@\u200b" in description
    if "bold" in typed:
        assert "\\*\\*bold\\*\\*" in description and "<@\u200b123456789012345678>" in description


async def test_autocomplete_value_is_validated_again(fake: FakeDiscord, start_bot) -> None:
    """A value the user typed without picking a choice is resolved again, never trusted."""
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-status", {"country": "ZZ"}))
    assert callback["data"]["flags"] & EPHEMERAL
    [callback] = await fake.interact(fake.slash("nato-timeline", {"country": "finlnd"}))  # a typo still resolves
    assert "Finland" in callback["data"]["embeds"][0]["title"]


async def test_unknown_command_gets_a_friendly_ephemeral_error(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-retired"))
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"].startswith("Sorry, something went wrong")
    assert pings_nobody(callback["data"]["allowed_mentions"])
