"""A study group on Discord: a quiz with buttons, the leaderboard, stored languages, a restart, and two
bot processes on Redis — the real discord.py client against the fake Discord, the real stores."""

from __future__ import annotations

import asyncio
import copy
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_discord import CHANNEL_ID, GUILD_ID, FakeDiscord

from bot.adapters.discord import quiz as dq
from bot.adapters.discord.render import safe
from bot.core.quiz import question_at
from bot.core.reply import Query
from bot.runtime import Runtime
from bot.state.sqlite import SQLiteStore

EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
SECONDS = 2.5  # long enough for a few clicks on a loaded machine, short enough for a fast test
MEMBERS = {"ann": 910000000000000001, "bo": 910000000000000002, "cy": 910000000000000003}
ADMIN = 910000000000000009
CHAT = f"discord:guild:{GUILD_ID}"


def quiz_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    """The bot's quiz question messages in the channel, oldest first."""
    return [m for m in fake.messages.values() if any(b["custom_id"].startswith(dq.PREFIX) for b in buttons(m))]


def buttons(msg: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in msg.get("components") or () for c in row["components"]]


def edits(fake: FakeDiscord, msg: dict[str, Any]) -> list:
    return fake.find("PATCH", rf"/channels/{CHANNEL_ID}/messages/{msg['id']}")


async def next_question(fake: FakeDiscord, count: int, timeout: float = 15) -> dict[str, Any]:
    """Wait until `count` questions have been posted; the last one."""
    await fake.wait_until(lambda: len(quiz_messages(fake)) >= count, timeout, f"question {count}")
    return quiz_messages(fake)[count - 1]


async def eventually(predicate: Callable[[], Any], timeout: float = 15, what: str = "condition") -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := predicate()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
    return value


def option_ids(msg: dict[str, Any], store: Any) -> tuple[str, str]:
    """(the right button's id, a wrong one's) for a question message, from the stored quiz."""
    ids = [b["custom_id"] for b in buttons(msg)]
    _, quiz_id, index, _ = dq.parse(ids[0])  # type: ignore[misc]
    correct = question_at(store.get_quiz(quiz_id), index).correct
    return ids[correct], ids[(correct + 1) % 4]


async def click(
    fake: FakeDiscord, msg: dict[str, Any], custom_id: str, who: str, shard: int = 0, user_id: int | None = None
) -> dict[str, Any]:
    payload = fake.click(custom_id, message=msg, user_id=user_id or MEMBERS[who], user_name=who)
    [callback] = await fake.interact(payload, shard=shard)
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL  # only the clicker sees it
    assert callback["data"]["allowed_mentions"]["parse"] == []
    return callback["data"]


def with_store(runtime: Runtime, store: Any) -> Runtime:
    out = copy.copy(runtime)
    out.store = store
    return out


async def test_study_group_quiz_leaderboard_language_and_restart(
    fake: FakeDiscord, start_bot, runtime: Runtime, tmp_path: Path
) -> None:
    db = tmp_path / "natobot.sqlite3"
    store = SQLiteStore(db)
    bot = await start_bot(runtime_=with_store(runtime, store), quiz_seconds=SECONDS)

    [intro] = await fake.interact(fake.slash("nato-quiz", {"topic": "members", "length": 2}))
    assert intro["type"] == 4 and not intro["data"].get("flags", 0) & EPHEMERAL
    assert "2 questions" in intro["data"]["embeds"][0]["description"]
    first = await next_question(fake, 1)
    assert len(buttons(first)) == 4 and {b["style"] for b in buttons(first)} == {1}
    assert first["embeds"][0]["title"] == "Question 1 of 2"
    right, wrong = option_ids(first, store)

    # Ann and Bo right, Cy wrong and then tries the right answer too: counted once, as first given.
    assert "Answer recorded" in (await click(fake, first, right, "ann"))["content"]
    assert "Answer recorded" in (await click(fake, first, right, "bo"))["content"]
    assert "Answer recorded" in (await click(fake, first, wrong, "cy"))["content"]
    assert "already answered" in (await click(fake, first, right, "cy"))["content"]

    # The question closes by itself: the answer, why and source shown, who got it right, then question 2.
    await fake.wait_until(lambda: edits(fake, first), SECONDS + 10, "the result of question 1")
    closed = fake.messages[first["id"]]["embeds"][0]
    text = closed["description"] + "".join(f["name"] + f["value"] for f in closed["fields"])
    quiz = store.get_quiz(dq.parse(right)[1])  # type: ignore[index]
    q1 = question_at(quiz, 0)
    assert safe(f"Correct answer: {q1.answer('en')}") in text and safe(q1.why("en")) in text
    assert q1.sources[0].url in text
    field = closed["fields"][0]
    assert (field["name"], field["value"]) == ("Right: 2 of 3", "ann, bo")
    shown = buttons(fake.messages[first["id"]])
    assert all(b.get("disabled") for b in shown) and [b["style"] for b in shown].count(3) == 1  # green: the answer
    assert "closed" in (await click(fake, first, right, "bo"))["content"]  # too late now

    second = await next_question(fake, 2)
    assert second["embeds"][0]["title"] == "Question 2 of 2"
    right2, _ = option_ids(second, store)
    assert "Answer recorded" in (await click(fake, second, right2, "ann"))["content"]
    await fake.wait_until(lambda: edits(fake, second), SECONDS + 10, "the result of question 2")
    final = await fake.wait_until(
        lambda: [m for m in fake.messages.values() if m["embeds"] and m["embeds"][0]["title"].startswith("Quiz over")],
        10,
        "the final board",
    )
    assert [line.split(":")[0] for line in final[0]["embeds"][0]["description"].splitlines()] == [
        "1. ann",
        "2. bo",
        "3. cy",
    ]
    assert store.active_quiz(CHAT) is None

    # /nato-leaderboard: the same order, with scores and streaks.
    [board] = await fake.interact(fake.slash("nato-leaderboard"))
    lines = board["data"]["embeds"][0]["description"].splitlines()
    assert lines[0].startswith("1. ann: 2 pts (2/2 correct, best streak 2)")
    assert lines[1].startswith("2. bo: 1 pts (1/1 correct") and lines[2].startswith("3. cy: 0 pts (0/1 correct")

    # A server admin sets Korean for the server; a member who cannot manage the server may not.
    [refused] = await fake.interact(
        fake.slash("nato-lang", {"language": "ko", "scope": "server"}, user_id=MEMBERS["bo"])
    )
    assert refused["data"]["flags"] & EPHEMERAL and "Manage Server" in refused["data"]["content"]
    assert store.get_lang(CHAT) is None
    [saved] = await fake.interact(
        fake.slash("nato-lang", {"language": "ko", "scope": "server"}, user_id=ADMIN, permissions=MANAGE_GUILD)
    )
    assert "한국어" in saved["data"]["content"] and store.get_lang(CHAT) == "ko"
    [status] = await fake.interact(fake.slash("nato-status", {"country": "japan"}, user_id=MEMBERS["cy"]))
    korean = runtime.answer(Query("/nato-status japan", lang="ko", platform="discord"))
    assert korean.lang == "ko" and status["data"]["embeds"][0]["title"] == safe(korean.title)
    [mine] = await fake.interact(fake.slash("nato-lang", {"language": "en"}, user_id=MEMBERS["cy"]))
    assert mine["data"]["flags"] & EPHEMERAL and store.get_lang(f"discord:user:{MEMBERS['cy']}") == "en"
    [status] = await fake.interact(fake.slash("nato-status", {"country": "japan"}, user_id=MEMBERS["cy"]))
    english = runtime.answer(Query("/nato-status japan", lang="en", platform="discord"))
    assert status["data"]["embeds"][0]["title"] == safe(english.title)  # her own setting wins over the server's

    # The bot restarts on the same SQLite file: the board is intact and old buttons answer politely.
    await bot.close()
    store.close()
    store = SQLiteStore(db)
    await start_bot(runtime_=with_store(runtime, store), quiz_seconds=SECONDS)
    [board] = await fake.interact(fake.slash("nato-leaderboard", user_id=MEMBERS["bo"]))
    after = board["data"]["embeds"][0]
    assert after["title"] == "퀴즈 순위"  # the server's language was stored too
    assert [line.split(":")[0] for line in after["description"].splitlines()] == ["1. ann", "2. bo", "3. cy"]
    assert "마감" in (await click(fake, first, right, "bo"))["content"]  # closed, in the server's language

    # Only someone with Manage Server may reset it.
    [no] = await fake.interact(fake.slash("nato-leaderboard", {"reset": True}, user_id=MEMBERS["ann"]))
    assert no["data"]["flags"] & EPHEMERAL and "관리" in no["data"]["content"]
    assert len(store.leaderboard(CHAT)) == 3
    [yes] = await fake.interact(
        fake.slash("nato-leaderboard", {"reset": True}, user_id=ADMIN, permissions=MANAGE_GUILD)
    )
    assert not yes["data"].get("flags", 0) & EPHEMERAL and "3" in yes["data"]["content"]
    assert store.leaderboard(CHAT) == []
    store.close()


def overdue(store: Any, by: float = 1.0) -> str:
    """The bot stayed down past the open question's deadline; the id of the quiz."""
    [quiz] = store.open_quizzes("discord:")
    assert quiz.deadline is not None and quiz.posted is not None
    assert store.mark_posted(quiz.id, quiz.current, time.time() - by, quiz.posted)
    return quiz.id


async def test_a_question_left_open_by_a_crash_is_closed_once_on_restart(
    fake: FakeDiscord, start_bot, runtime: Runtime, tmp_path: Path
) -> None:
    db = tmp_path / "natobot.sqlite3"
    store = SQLiteStore(db)
    bot = await start_bot(runtime_=with_store(runtime, store), quiz_seconds=60)
    await fake.interact(fake.slash("nato-quiz", {"topic": "members", "length": 2}))
    first = await next_question(fake, 1)
    right, _ = option_ids(first, store)
    assert "Answer recorded" in (await click(fake, first, right, "ann"))["content"]
    [running] = await fake.interact(fake.slash("nato-quiz", user_id=MEMBERS["bo"]))
    assert running["data"]["flags"] & EPHEMERAL and "already running" in running["data"]["content"]
    [open_] = store.open_quizzes("discord:")
    assert open_.posted == {"channel": CHANNEL_ID, "message": int(first["id"]), "lang": "en"}
    assert open_.deadline is not None and abs(open_.deadline - time.time() - 60) < 30
    await bot.close()  # its timer dies with it; nobody clicks again
    store.close()

    store = SQLiteStore(db)
    overdue(store)
    bot = await start_bot(runtime_=with_store(runtime, store), quiz_seconds=60)  # closed at start-up, no click
    await fake.wait_until(lambda: edits(fake, first), 10, "the result after the restart")
    assert "Right: 1 of 1" in str(fake.messages[first["id"]]["embeds"])
    second = await next_question(fake, 2)
    await eventually(lambda: store.open_quizzes("discord:")[0].posted, 10, "question 2 stored as posted")
    assert store.open_quizzes("discord:")[0].posted["message"] == int(second["id"])  # type: ignore[index]
    await bot.close()
    store.close()

    store = SQLiteStore(db)  # restarted before the deadline: the question is timed, not closed
    bot = await start_bot(runtime_=with_store(runtime, store), quiz_seconds=60)
    assert bot.quizzes.pending == 1 and store.open_quizzes("discord:")[0].current == 1
    right2, _ = option_ids(second, store)
    assert "Answer recorded" in (await click(fake, second, right2, "bo"))["content"]
    assert len(edits(fake, first)) == 1 and len(quiz_messages(fake)) == 2 and not edits(fake, second)
    store.close()


async def test_malformed_or_unknown_quiz_buttons_are_answered_politely(fake: FakeDiscord, start_bot) -> None:
    await start_bot(quiz_seconds=60)
    malformed = ("natobot-quiz:en:nope", "natobot-quiz:fr:abc:0:1", "natobot-quiz:en:abc:0:7")
    for custom_id in (*malformed, "natobot-quiz:en:0123456789abcdef:0:2"):  # and a quiz the store does not have
        [callback] = await fake.interact(fake.click(custom_id))
        data = callback["data"]
        assert data["flags"] & EPHEMERAL and "quiz has ended" in data["content"], custom_id


@pytest.fixture
def redis_runtimes(runtime: Runtime, redis_url: str):
    """Two bot processes' Runtimes: separate Redis connections, one namespace."""
    import redis

    from bot.state.redis import RedisStore

    ns = f"natobot-test-discord-{uuid.uuid4().hex[:8]}:"  # natobot-test-*: the store tests' check for strays knows it
    stores = [RedisStore(redis_url, namespace=ns), RedisStore(redis_url, namespace=ns)]
    yield [with_store(runtime, s) for s in stores]
    for s in stores:
        s.close()
    raw = redis.Redis.from_url(redis_url)
    for key in raw.scan_iter(f"{ns}*"):
        raw.delete(key)
    raw.close()


async def test_two_processes_on_redis_count_each_answer_once(fake: FakeDiscord, start_bot, redis_runtimes) -> None:
    one, two = redis_runtimes
    shards = {"DISCORD_SHARD_COUNT": 2}
    a = await start_bot(runtime_=one, quiz_seconds=SECONDS, DISCORD_SHARD_IDS="0", shards=(0,), **shards)
    b = await start_bot(runtime_=two, quiz_seconds=SECONDS, DISCORD_SHARD_IDS="1", shards=(1,), **shards)

    await fake.interact(fake.slash("nato-quiz", {"topic": "korea", "length": 1}), shard=0)
    question = await next_question(fake, 1)
    right, wrong = option_ids(question, one.store)

    # Every member's click reaches both processes at once (a retry, a second shard): one counts.
    names = {f"m{i}": 920000000000000000 + i for i in range(6)}
    choice = {name: right if i % 3 else wrong for i, name in enumerate(names)}
    results = await asyncio.gather(
        *(click(fake, question, choice[name], name, shard, user_id=names[name]) for name in names for shard in (0, 1))
    )
    for n, name in enumerate(names):
        pair = sorted(r["content"].split(":")[0] for r in results[2 * n : 2 * n + 2])
        assert pair == ["Answer recorded", "You already answered this question"], name

    # Both processes time the question; exactly one shows the result and posts the board.
    await fake.wait_until(lambda: edits(fake, question), SECONDS + 10, "the result")
    await eventually(lambda: not a.quizzes.pending and not b.quizzes.pending, 10, "both timers")  # both fired
    assert len(edits(fake, question)) == 1
    boards = [m for m in fake.messages.values() if m["embeds"] and m["embeds"][0]["title"].startswith("Quiz over")]
    assert len(boards) == 1
    board = one.store.leaderboard(CHAT)
    assert sorted(s.name for s in board) == sorted(names)
    assert all(s.answered == 1 for s in board) and sum(s.score for s in board) == 4
    assert [s.name for s in board[:4]] == sorted(n for n in names if choice[n] == right)
    quiz_id = dq.parse(right)[1]  # type: ignore[index]
    assert len(two.store.answers(quiz_id, 0)) == 6


async def test_study_commands_are_synced_with_korean_names_and_choices(fake: FakeDiscord, start_bot) -> None:
    await start_bot(DISCORD_GUILD_IDS=str(GUILD_ID))
    [put] = fake.find("PUT", rf"/applications/\d+/guilds/{GUILD_ID}/commands")
    commands = {c["name"]: c for c in put.json}
    assert {n: commands[n]["name_localizations"]["ko"] for n in ("nato-quiz", "nato-leaderboard", "nato-lang")} == {
        "nato-quiz": "나토-퀴즈",
        "nato-leaderboard": "나토-순위",
        "nato-lang": "나토-언어",
    }
    topic, length = commands["nato-quiz"]["options"]
    assert [c["value"] for c in topic["choices"]] == ["all", "members", "korea", "ip4", "summits", "partners"]
    assert topic["choices"][2]["name_localizations"] == {"ko": "한국과 나토"} and topic["name_localizations"] == {
        "ko": "주제"
    }
    assert (length["type"], length["min_value"], length["max_value"]) == (4, 1, 20)
    [reset] = commands["nato-leaderboard"]["options"]
    assert reset["type"] == 5 and not reset.get("required")
    language, scope = commands["nato-lang"]["options"]
    assert [c["value"] for c in language["choices"]] == ["en", "ko", "auto"] and language["required"]
    assert [c["value"] for c in scope["choices"]] == ["me", "server"]
    assert commands["nato-lang"]["description_localizations"]["ko"].startswith("이 서버 또는")


async def test_two_processes_restarting_on_redis_close_a_left_open_question_once(
    fake: FakeDiscord, start_bot, redis_runtimes
) -> None:
    one, two = redis_runtimes
    shards = {"DISCORD_SHARD_COUNT": 2}

    async def both() -> tuple[Any, Any]:  # the two processes start at the same time (e.g. after a deploy)
        return await asyncio.gather(
            start_bot(runtime_=one, quiz_seconds=60, DISCORD_SHARD_IDS="0", shards=(0,), **shards),
            start_bot(runtime_=two, quiz_seconds=60, DISCORD_SHARD_IDS="1", shards=(1,), **shards),
        )

    a, b = await both()
    await fake.interact(fake.slash("nato-quiz", {"topic": "korea", "length": 2}), shard=1)
    first = await next_question(fake, 1)
    await eventually(lambda: one.store.open_quizzes("discord:")[0].posted, 10, "question 1 stored as posted")
    await asyncio.gather(a.close(), b.close())  # every process stops; the question is left open
    overdue(one.store)

    a, b = await both()  # both resume the overdue question: one shows the result and posts question 2
    await fake.wait_until(lambda: edits(fake, first), 10, "the result of question 1")
    second = await next_question(fake, 2)
    await eventually(
        lambda: all(index == 1 for _, index in a.quizzes.timed | b.quizzes.timed), 10, "both resumed timers"
    )
    await eventually(lambda: one.store.open_quizzes("discord:")[0].posted, 10, "question 2 stored as posted")
    assert len(edits(fake, first)) == 1 and len(quiz_messages(fake)) == 2
    await asyncio.gather(a.close(), b.close())
    [quiz] = two.store.open_quizzes("discord:")
    assert two.store.mark_posted(quiz.id, 1, time.time() + 1.0, quiz.posted)  # a second left when they restart

    a, b = await both()  # both time the rest of question 2; one closes it and posts the board
    await fake.wait_until(lambda: edits(fake, second), 15, "the result of question 2")
    await eventually(lambda: not a.quizzes.pending and not b.quizzes.pending, 15, "both timers")
    boards = [m for m in fake.messages.values() if m["embeds"] and m["embeds"][0]["title"].startswith("Quiz over")]
    assert len(boards) == 1 and len(edits(fake, second)) == 1 and len(edits(fake, first)) == 1
    assert len(quiz_messages(fake)) == 2 and one.store.open_quizzes("discord:") == []
