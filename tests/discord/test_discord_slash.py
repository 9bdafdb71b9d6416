"""Slash commands end to end: fake gateway INTERACTION_CREATE -> real discord.py -> callback."""

from __future__ import annotations

from fake_discord import FakeDiscord

from bot.adapters.discord.render import COLOURS


async def test_status_command_answers_with_an_embed(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    [callback] = await fake.interact(fake.slash("nato-status", {"country": "KR"}))
    assert callback["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE, answered at once
    data = callback["data"]
    assert not data.get("flags", 0) & 64  # public: an answer meant for the channel
    [embed] = data["embeds"]
    assert embed["title"] == "South Korea and NATO"
    assert "not a member" in embed["description"]
    assert embed["color"] == COLOURS["partner"]
    names = [f["name"] for f in embed["fields"]]
    assert names[0] == "Status" and names[-1] == "Sources"
    assert "](https://www.nato.int/" in embed["fields"][-1]["value"]  # sources are markdown links
    assert embed["footer"]["text"].startswith("NATO Status Bot · Updated 20")
    assert data["allowed_mentions"] == {"parse": [], "replied_user": False}
    buttons = [c for row in data["components"] for c in row["components"]]
    assert {b["custom_id"] for b in buttons} >= {"natobot:en:sources:status:KR", "natobot:en:lang:ko:status:KR"}
