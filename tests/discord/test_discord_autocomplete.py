"""`/nato-status country` autocomplete through the real client: type 8 callbacks with choices."""

from __future__ import annotations

import pytest
from fake_discord import FakeDiscord


async def choices(fake: FakeDiscord, typed: str, locale: str = "en-US", command: str = "nato-status") -> list[dict]:
    [callback] = await fake.interact(fake.autocomplete(command, "country", typed, locale=locale))
    assert callback["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    result = callback["data"]["choices"]
    assert len(result) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in result)
    return result


async def test_english_prefix(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    result = await choices(fake, "kor")
    assert result[0] == {"name": "South Korea (한국)", "value": "KR"}
    assert "KP" in [c["value"] for c in result]
    assert (await choices(fake, "fin"))[0]["value"] == "FI"


@pytest.mark.parametrize(("typed", "code"), [("한", "KR"), ("일본", "JP"), ("대한민국", "KR"), ("핀란", "FI")])
async def test_korean_names(fake: FakeDiscord, start_bot, typed: str, code: str) -> None:
    await start_bot()
    result = await choices(fake, typed, locale="ko")
    assert result[0]["value"] == code
    assert result[0]["name"].split(" (")[0].isascii() is False  # labelled in Korean for a Korean user


async def test_nothing_typed_offers_25_with_korea_first(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    result = await choices(fake, "")
    assert len(result) == 25 and result[0]["value"] == "KR"


async def test_timeline_country_and_no_match(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    assert (await choices(fake, "swe", command="nato-timeline"))[0]["value"] == "SE"
    assert await choices(fake, "qqqq") == []
    assert len(await choices(fake, "x" * 100)) == 0
