"""The gateway: IDENTIFY without privileged intents, heartbeats, RESUME after a drop, sharding,
and answering when the bot is mentioned in a message."""

from __future__ import annotations

from fake_discord import BOT_ID, BOT_USER, FakeDiscord, user

PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT


async def test_identify_asks_for_no_privileged_intent(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    [identify] = fake.gateway_ops(2)
    assert identify.d["intents"] & PRIVILEGED == 0
    assert fake.gateway_ops(1), "the client heartbeats after HELLO"
    assert fake.gateway_ops(1)[0].connection == identify.connection


async def test_gateway_drop_is_resumed_and_answering_continues(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    await fake.interact(fake.slash("nato-help"))
    session = fake.by_shard[0].session
    sequence = fake.sessions[session]

    await fake.close_gateway(code=4000)  # "unknown error": Discord's invitation to resume
    [resume] = await fake.wait_until(lambda: fake.gateway_ops(6), timeout=15, what="RESUME")
    assert resume.d["session_id"] == session and resume.d["seq"] == sequence
    assert resume.d["token"] == fake.token
    assert len(fake.gateway_ops(2)) == 1, "resumed, not identified again"
    await fake.wait_ready()  # RESUMED sent on the new connection

    [callback] = await fake.interact(fake.slash("nato-status", {"country": "finland"}))
    assert callback["type"] == 4 and "Finland" in callback["data"]["embeds"][0]["title"]


async def test_shards_from_the_environment(fake: FakeDiscord, start_bot) -> None:
    """DISCORD_SHARD_COUNT=2 with DISCORD_SHARD_IDS=1: this process runs shard 1 of 2 only, and
    leaves command sync to the process that runs shard 0."""
    client = await start_bot(DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS="1", shards=(1,))
    assert type(client).__name__ == "NatoShardedClient"
    assert [op.d["shard"] for op in fake.gateway_ops(2)] == [[1, 2]]
    assert fake.find("PUT", r"/applications/\d+/commands") == []
    [callback] = await fake.interact(fake.slash("nato-help"), shard=1)
    assert callback["type"] == 4


async def test_auto_sharded_client_runs_every_shard(fake: FakeDiscord, start_bot) -> None:
    await start_bot(DISCORD_SHARD_COUNT=2, shards=(0, 1))
    assert sorted(op.d["shard"][0] for op in fake.gateway_ops(2)) == [0, 1]
    for shard in (0, 1):
        [callback] = await fake.interact(fake.slash("nato-members"), shard=shard)
        assert callback["type"] == 4


async def test_mention_is_answered_in_a_reply_that_pings_nobody(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    asker = user(name="student")
    message = fake.message(f"<@{BOT_ID}> is finland in nato? @everyone", author=asker, mentions=[BOT_USER])
    await fake.dispatch("MESSAGE_CREATE", message)
    [post] = await fake.wait_until(lambda: fake.find("POST", r"/channels/\d+/messages"), what="a reply")
    assert str(post.json["message_reference"]["message_id"]) == message["id"]
    assert post.json["allowed_mentions"]["parse"] == [] and post.json["allowed_mentions"]["replied_user"] is False
    assert "Finland" in post.json["embeds"][0]["title"]


async def test_messages_that_do_not_mention_the_bot_are_ignored(fake: FakeDiscord, start_bot) -> None:
    await start_bot()
    await fake.dispatch("MESSAGE_CREATE", fake.message("is finland in nato?", author=user()))
    await fake.dispatch("MESSAGE_CREATE", fake.message("@everyone hi", author=user()))
    # A later interaction is answered, so the messages were processed before it, and ignored.
    await fake.interact(fake.slash("nato-help"))
    assert fake.find("POST", r"/channels/\d+/messages") == []
