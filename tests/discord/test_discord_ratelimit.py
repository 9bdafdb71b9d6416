"""429 answers from Discord are waited out by the library and the request is delivered once."""

from __future__ import annotations

from fake_discord import FakeDiscord


async def test_429_on_the_interaction_callback_is_waited_out(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    fake.rate_limit("POST", r"/interactions/\d+/[^/]+/callback", retry_after=0.4)
    payload = fake.slash("nato-status", {"country": "KR"})
    [callback] = await fake.interact(payload)
    attempts = fake.find("POST", rf"/interactions/{payload['id']}/[^/]+/callback")
    assert [a.status for a in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.35  # retry_after was honoured
    assert len(fake.callbacks[payload["id"]]) == 1  # delivered exactly once
    assert callback["data"]["embeds"][0]["title"] == "South Korea and NATO"


async def test_429_on_command_sync_is_waited_out(fake: FakeDiscord, start_bot) -> None:
    fake.rate_limit("PUT", r"/applications/\d+/guilds/\d+/commands", retry_after=0.3, times=2)
    client = await start_bot(DISCORD_GUILD_IDS="900000000000000100")
    puts = fake.find("PUT", r"/applications/\d+/guilds/\d+/commands")
    assert [p.status for p in puts] == [429, 429, 200]
    assert client.synced == ["900000000000000001:guild:900000000000000100"]


async def test_users_over_the_runtime_limit_are_told_ephemerally(fake: FakeDiscord, start_bot, runtime) -> None:
    """The runtime's per-user limit (NATOBOT rate limits): warned once, then a short notice, since
    a Discord interaction must always be acknowledged."""
    from bot.ops.ratelimit import RateLimiter, Rule

    runtime.limiter = RateLimiter(Rule(2, 60), Rule(0, 1))
    await start_bot()
    kinds = []
    for _ in range(4):
        [callback] = await fake.interact(fake.slash("nato-help"))
        kinds.append((callback["type"], bool(callback["data"].get("flags", 0) & 64), "embeds" in callback["data"]))
    assert kinds[:2] == [(4, False, True)] * 2
    assert kinds[2:] == [(4, True, False)] * 2  # ephemeral text, no answer
