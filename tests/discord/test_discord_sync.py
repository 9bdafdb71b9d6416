"""Commands are synced only when their definitions changed (a stored hash); --sync forces it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_discord import APP_ID, GUILD_ID, FakeDiscord

from bot.core.i18n import STRINGS

GUILD_PUT = rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
GLOBAL_PUT = rf"/applications/{APP_ID}/commands"


async def restart(start_bot, fake: FakeDiscord, state: Path, **kw) -> None:
    client = await start_bot(state_dir=state, **kw)
    await client.close()


async def test_guild_sync_once_then_skipped_until_changed_or_forced(
    fake: FakeDiscord, start_bot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    guild = {"DISCORD_GUILD_IDS": str(GUILD_ID)}
    await restart(start_bot, fake, state, **guild)
    [put] = fake.find("PUT", GUILD_PUT)
    assert fake.find("PUT", GLOBAL_PUT) == []  # guild commands only: they update instantly
    names = {c["name"]: c for c in put.json}
    assert set(names) == {
        "nato-status",
        "nato-timeline",
        "nato-members",
        "nato-partners",
        "nato-ask",
        "nato-help",
        "nato-quiz",
        "nato-leaderboard",
        "nato-lang",
    }
    status = names["nato-status"]
    assert status["name_localizations"] == {"ko": "나토-지위"}
    assert status["description_localizations"]["ko"].startswith("어떤 나라가")
    assert status["options"][0]["autocomplete"] is True
    assert status["options"][0]["name_localizations"] == {"ko": "국가"}
    stored = json.loads((state / "discord-commands.json").read_text())
    assert list(stored) == [f"{APP_ID}:guild:{GUILD_ID}"]

    await restart(start_bot, fake, state, **guild)
    assert len(fake.find("PUT", GUILD_PUT)) == 1, "unchanged definitions must not be synced again"

    await restart(start_bot, fake, state, force_sync=True, **guild)
    assert len(fake.find("PUT", GUILD_PUT)) == 2, "--sync forces it"

    monkeypatch.setitem(STRINGS["discord.name.nato-help"], "ko", "나토-안내")
    await restart(start_bot, fake, state, **guild)
    puts = fake.find("PUT", GUILD_PUT)
    assert len(puts) == 3, "a changed translation is a changed definition"
    assert {c["name"]: c for c in puts[-1].json}["nato-help"]["name_localizations"] == {"ko": "나토-안내"}


async def test_global_sync_without_guild_ids(fake: FakeDiscord, start_bot, tmp_path: Path) -> None:
    state = tmp_path / "state"
    await restart(start_bot, fake, state)
    assert len(fake.find("PUT", GLOBAL_PUT)) == 1 and fake.find("PUT", GUILD_PUT) == []
    await restart(start_bot, fake, state)
    assert len(fake.find("PUT", GLOBAL_PUT)) == 1


async def test_failed_sync_is_retried_on_the_next_start(fake: FakeDiscord, start_bot, tmp_path: Path) -> None:
    state = tmp_path / "state"
    fake.fail("PUT", GLOBAL_PUT, status=400)
    await restart(start_bot, fake, state)
    assert not (state / "discord-commands.json").exists()
    await restart(start_bot, fake, state)
    assert [p.status for p in fake.find("PUT", GLOBAL_PUT)][-1] == 200
    assert (state / "discord-commands.json").exists()
