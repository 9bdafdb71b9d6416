"""A study group plays quizzes through the real PTB Application: native quiz polls, votes as
poll_answer updates, the leaderboard and its admin-only reset, a restart on SQLite, and two
webhook workers sharing one Redis store."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fake_bot_api import USER, Call, FakeBotAPI
from telegram_harness import KNOWLEDGE, Harness, eventually, free_port, logged, make_settings, running, webhook_settings

from bot.adapters.telegram import quiz
from bot.core.quiz import Question
from bot.runtime import Runtime
from bot.state import Store

GROUP = -100300
ANN = {"id": 3001, "is_bot": False, "first_name": "Ann", "language_code": "en"}
BO = {"id": 3002, "is_bot": False, "first_name": "Bo", "language_code": "en"}
CY = {"id": 3003, "is_bot": False, "first_name": "Cy", "language_code": "en"}
QUIZ_LOG = "bot.core.quiz.engine"  # the engine logs each vote and each closing
SECRET = "quiz-workers-secret"


@pytest.fixture
def outcomes(caplog: pytest.LogCaptureFixture) -> Callable[[str], int]:
    """How many votes have been handled with an outcome ("accepted answer", "duplicate answer", ...)."""
    caplog.set_level(logging.DEBUG, logger=QUIZ_LOG)
    return lambda text: sum(text in r.getMessage() for r in caplog.records if r.name == QUIZ_LOG)


@pytest.fixture(autouse=True)
def _no_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questions close when Telegram says their poll closed, not on the fallback timer (one test sets it)."""
    monkeypatch.setattr(quiz, "CLOSE_AFTER", 300.0)


@contextlib.asynccontextmanager
async def polling(fake: FakeBotAPI, runtime: Runtime) -> AsyncIterator[Harness]:
    """The bot by long polling; usable again after a stop (a restart)."""
    started = fake.wait_for("getUpdates", count=len(fake.of("getUpdates")) + 1)
    async with running(runtime, make_settings(fake), started):
        yield Harness(fake, runtime)


def poll_id(call: Call) -> str:
    return call.result["poll"]["id"]


def options(call: Call) -> list[str]:
    return [o["text"] if isinstance(o, dict) else o for o in call.params["options"]]


def answers(call: Call) -> tuple[int, int]:
    """(the correct option, a wrong one) of a sent quiz poll."""
    [correct] = call.params["correct_option_ids"]
    return correct, (correct + 1) % 4


def board(text: str) -> list[tuple[str, int]]:
    return [(name, int(score)) for name, score in re.findall(r"^\d+\. (\w+): (\d+) pts", text, re.M)]


async def test_study_group_quiz_leaderboard_reset_and_restart(
    fake: FakeBotAPI, tmp_path: Path, outcomes: Callable[[str], int]
) -> None:
    from bot.state.sqlite import SQLiteStore

    path = tmp_path / "natobot.sqlite3"
    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(path))
    async with polling(fake, runtime) as bot:
        said = await bot.say("/nato_quiz@ThisBot members 2", GROUP, user=ANN)
        [intro] = await bot.replies(GROUP)
        assert "2 questions on members" in intro.params["text"]
        assert intro.params["reply_parameters"]["message_id"] == said["message_id"]

        first = await bot.poll(GROUP, 1)
        assert first.params["type"] == "quiz" and str(first.params["is_anonymous"]).lower() == "false"
        assert len(options(first)) == 4 and int(first.params["open_period"]) == quiz.OPEN_PERIOD
        assert first.params["question"].startswith("1/2 · ")
        assert 0 < len(first.params["explanation"]) <= 200
        # plain text, never parsed as HTML: a "&" or "<" in a question would make Telegram refuse the poll
        assert {"question_parse_mode", "explanation_parse_mode"}.isdisjoint(first.params)
        assert all(set(option) == {"text"} for option in first.params["options"])
        stored = runtime.store.active_quiz(f"telegram:{GROUP}")
        assert stored is not None and stored.current == 0
        assert first.params["correct_option_ids"] == [Question.from_dict(stored.questions[0]).correct]

        right, wrong = answers(first)
        for user, option in ((ANN, right), (BO, right), (CY, wrong), (ANN, wrong)):  # Ann votes twice
            await fake.answer_poll(poll_id(first), user, option)
        await eventually(lambda: outcomes("accepted answer") == 3 and outcomes("duplicate answer") == 1)
        await fake.answer_poll("no-such-poll", CY, 0)  # another bot's poll, or long expired: ignored

        await fake.close_poll(poll_id(first))  # the open period is over: Telegram says so
        second = await bot.poll(GROUP, 2)
        assert second.params["question"].startswith("2/2 · ")
        await fake.answer_poll(poll_id(first), BO, right)  # too late for question 1
        right, wrong = answers(second)
        for user, option in ((ANN, right), (BO, wrong), (CY, right)):
            await fake.answer_poll(poll_id(second), user, option)
        await eventually(lambda: outcomes("accepted answer") == 6 and outcomes("closed answer") == 1)
        assert len(bot.sent(GROUP)) == 1  # votes are counted silently

        await fake.close_poll(poll_id(second))
        results = (await bot.replies(GROUP, 2))[1].params["text"]
        assert results.startswith("<b>Quiz over: the answers</b>")
        for call in (first, second):
            question = call.params["question"].split(" · ", 1)[1]
            assert f"{question}</b>\n✅ Correct answer: {options(call)[answers(call)[0]]}" in results
        assert results.count("2 of 3 answered correctly") == 2
        assert 'Source: <a href="https://' in results
        assert board(results) == [("Ann", 2), ("Bo", 1), ("Cy", 1)]
        assert "<b>Quiz leaderboard</b>" in results
        assert runtime.store.active_quiz(f"telegram:{GROUP}") is None

        await fake.close_poll(poll_id(second))  # a repeated closing update announces nothing
        await eventually(lambda: outcomes("already closed") >= 1)
        shown = await bot.ask("/nato_leaderboard", GROUP, user=CY)
        assert board(shown["text"]) == [("Ann", 2), ("Bo", 1), ("Cy", 1)]
        assert len(bot.polls(GROUP)) == 2

    runtime.store.close()
    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(path))  # the bot restarts: a new process, the same file
    async with polling(fake, runtime) as bot:
        shown = await bot.ask("/nato-leaderboard", GROUP, user=BO)
        assert board(shown["text"]) == [("Ann", 2), ("Bo", 1), ("Cy", 1)]
        assert "best streak 1" in shown["text"]

        refused = await bot.ask("/nato_leaderboard reset", GROUP, user=BO)
        assert refused["text"] == "Sorry, only this chat's admins can reset the leaderboard."
        [check] = fake.of("getChatMember")
        assert int(check.params["user_id"]) == BO["id"]
        assert len(runtime.store.leaderboard(f"telegram:{GROUP}")) == 3

        fake.members[(GROUP, ANN["id"])] = "administrator"
        done = await bot.ask("/nato_leaderboard@ThisBot reset", GROUP, user=ANN)
        assert done["text"] == "Leaderboard reset (3 members)."
        empty = await bot.ask("/nato_leaderboard", GROUP, user=ANN)
        assert "No scores yet" in empty["text"]
    runtime.store.close()


async def test_questions_close_on_the_timer_when_no_update_comes(bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiz, "CLOSE_AFTER", 0.2)  # e.g. the process that got Telegram's poll update died
    await bot.say("/nato-quiz korea 2", 4004)  # the hyphen form, in a private chat
    first, second = await bot.poll(4004, 1), await bot.poll(4004, 2)
    assert first.params["question"].startswith("1/2") and second.params["question"].startswith("2/2")
    [intro, results] = await bot.replies(4004, 2)
    assert "reply_parameters" not in intro.params  # private chats are not quoted
    assert results.params["text"].startswith("<b>Quiz over") and "No scores yet" in results.params["text"]
    done = await bot.ask("/nato_leaderboard reset", 4004)  # in a private chat the user is its admin
    assert done["text"] == "Leaderboard reset (0 members)." and bot.fake.of("getChatMember") == []


async def test_korean_chat_gets_korean_questions(bot: Harness) -> None:
    bot.fake.members[(GROUP, USER["id"])] = "administrator"  # a group's language is set by its admins
    await bot.ask("/lang ko", GROUP)
    intro = await bot.ask("/nato_quiz korea 1", GROUP, user=ANN)
    assert intro["text"].startswith("퀴즈: 한국, 1문제")
    poll = await bot.poll(GROUP, 1)
    stored = Question.from_dict(bot.runtime.store.active_quiz(f"telegram:{GROUP}").questions[0])  # type: ignore[union-attr]
    assert poll.params["question"] == f"1/1 · {stored.text('ko')}" and re.search(r"[가-힣]", stored.text("ko"))
    assert options(poll) == stored.option_texts("ko") and poll.params["explanation"] == stored.why("ko")
    await bot.fake.close_poll(poll_id(poll))
    results = (await bot.replies(GROUP, 3))[2].params["text"]
    assert results.startswith("<b>퀴즈 끝: 정답과 해설</b>") and f"✅ 정답: {stored.answer('ko')}" in results
    assert "<b>퀴즈 순위</b>" in results


async def test_quiz_arguments_not_understood_get_the_usage(bot: Harness) -> None:
    reply = await bot.ask("/nato_quiz banana", GROUP)
    assert reply["text"].startswith("Usage: quiz [topic] [length]")
    assert bot.polls(GROUP) == []


async def test_a_new_quiz_replaces_the_running_one(bot: Harness, outcomes: Callable[[str], int]) -> None:
    await bot.say("/nato_quiz members 3", GROUP)
    old = await bot.poll(GROUP, 1)
    await bot.say("/nato_quiz summits 1", GROUP)
    new = await bot.poll(GROUP, 2)
    await bot.fake.answer_poll(poll_id(old), ANN, 0)  # the old poll is still on screen
    await eventually(lambda: outcomes("closed answer") == 1)
    await bot.fake.close_poll(poll_id(old))
    await bot.fake.close_poll(poll_id(new))
    await bot.replies(GROUP, 3)  # two intros and the results of the new quiz
    await eventually(lambda: outcomes("already closed") == 1)  # the old quiz announces nothing
    assert len(bot.polls(GROUP)) == 2 and len(bot.sent(GROUP)) == 3


# -- two webhook workers on one Redis store ----------------------------------------------------


class Worker:
    """One bot process in webhook mode: Telegram posts each update to one worker."""

    def __init__(self, runtime: Runtime, port: int):
        self.runtime, self.url = runtime, f"http://127.0.0.1:{port}/tg/hook"

    async def post(self, session: aiohttp.ClientSession, update_id: int, **update: Any) -> None:
        async with session.post(
            self.url, json={"update_id": update_id, **update}, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as response:
            assert response.status == 200


@contextlib.asynccontextmanager
async def worker(fake: FakeBotAPI, store: Store) -> AsyncIterator[Worker]:
    port = free_port()
    settings = webhook_settings(fake, port, SECRET)
    runtime = Runtime(KNOWLEDGE, store=store)
    try:
        async with running(runtime, settings, logged("is answering (webhook)")):
            yield Worker(runtime, port)
    finally:
        store.close()


async def test_two_workers_on_redis_count_each_vote_once(
    fake: FakeBotAPI, redis_url: str, outcomes: Callable[[str], int]
) -> None:
    from bot.state.redis import RedisStore

    namespace = f"natobot-test-{uuid.uuid4().hex[:8]}:"
    ids = iter(range(1, 1000))
    harness = Harness(fake, None)  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as session:
        async with (
            worker(fake, RedisStore(redis_url, namespace=namespace)) as a,
            worker(fake, RedisStore(redis_url, namespace=namespace)) as b,
        ):
            assert a.runtime.store is not b.runtime.store
            await a.post(session, next(ids), message=fake.message("/nato_quiz members 2", GROUP, "supergroup", ANN))
            first = await harness.poll(GROUP, 1)
            right, wrong = answers(first)
            for process, user, option in [(a, ANN, right), (b, BO, right), (a, CY, wrong)]:
                await process.post(session, next(ids), poll_answer=fake.vote(poll_id(first), user, option))
            await eventually(lambda: outcomes("accepted answer") == 3)
            for process, user, option in [(b, ANN, wrong), (a, BO, wrong)]:  # again, through the other worker
                await process.post(session, next(ids), poll_answer=fake.vote(poll_id(first), user, option))
            await eventually(lambda: outcomes("duplicate answer") == 2)

            closed = {"poll": {**fake.polls[poll_id(first)], "is_closed": True}}
            await a.post(session, next(ids), **closed)  # e.g. Telegram's update to one worker while the
            await b.post(session, next(ids), **closed)  # other's fallback timer fires: one announces
            second = await harness.poll(GROUP, 2)
            await eventually(lambda: outcomes("already closed") == 1)
            right, wrong = answers(second)
            for process, user, option in [(b, ANN, right), (a, BO, wrong), (b, CY, right)]:
                await process.post(session, next(ids), poll_answer=fake.vote(poll_id(second), user, option))
            await eventually(lambda: outcomes("accepted answer") == 6)
            await a.post(session, next(ids), poll_answer=fake.vote(poll_id(second), CY, wrong))
            await eventually(lambda: outcomes("duplicate answer") == 3)
            await b.post(session, next(ids), poll={**fake.polls[poll_id(second)], "is_closed": True})
            results = (await harness.replies(GROUP, 2))[1].params["text"]
            assert board(results) == [("Ann", 2), ("Bo", 1), ("Cy", 1)]
            assert len(harness.polls(GROUP)) == 2
            assert a.runtime.store.leaderboard(f"telegram:{GROUP}") == b.runtime.store.leaderboard(f"telegram:{GROUP}")

        async with worker(fake, RedisStore(redis_url, namespace=namespace)) as restarted:  # both restarted
            before = len(harness.sent(GROUP))
            await restarted.post(session, next(ids), message=fake.message("/nato_leaderboard", GROUP, "supergroup", CY))
            shown = (await harness.replies(GROUP, before + 1))[before].params["text"]
            assert board(shown) == [("Ann", 2), ("Bo", 1), ("Cy", 1)]
    assert len(fake.of("sendMessage")) == 3  # intro, results, leaderboard: nothing announced twice


async def test_a_question_telegram_refuses_ends_the_quiz_with_a_word(bot: Harness) -> None:
    bot.fake.fail_once("sendPoll", 400, "Bad Request: not enough rights to send polls to the chat")
    await bot.say("/nato_quiz 3", GROUP)
    [_intro, stopped] = await bot.replies(GROUP, 2)
    assert stopped.params["text"] == "I could not post the next question, so the quiz has ended."
    assert bot.runtime.store.active_quiz(f"telegram:{GROUP}") is None


# -- questions left open when every process stopped ----------------------------------------------


@contextlib.asynccontextmanager
async def together(fake: FakeBotAPI, redis_url: str, namespace: str) -> AsyncIterator[list[Worker]]:
    """Two webhook workers on one Redis store, started at the same time (e.g. after a deploy)."""
    from bot.state.redis import RedisStore

    managers = [worker(fake, RedisStore(redis_url, namespace=namespace)) for _ in range(2)]
    async with contextlib.AsyncExitStack() as stack:
        entered = await asyncio.gather(*(m.__aenter__() for m in managers), return_exceptions=True)
        for manager, result in zip(managers, entered, strict=True):
            if not isinstance(result, BaseException):
                stack.push_async_exit(manager.__aexit__)
        for result in entered:
            if isinstance(result, BaseException):
                raise result
        yield list(entered)  # type: ignore[arg-type]


def overdue(store: Store, chat: int, by: float = 1.0) -> str:
    """The bot stayed down past the open question's deadline; the id of the quiz."""
    [state] = store.open_quizzes("telegram:")
    assert state.chat == f"telegram:{chat}" and state.deadline is not None and state.posted is not None
    assert store.mark_posted(state.id, state.current, time.time() - by, state.posted)
    return state.id


async def test_a_question_left_open_by_a_crash_is_closed_once_on_restart(
    fake: FakeBotAPI, tmp_path: Path, outcomes: Callable[[str], int]
) -> None:
    from bot.state.sqlite import SQLiteStore

    path = tmp_path / "natobot.sqlite3"
    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(path))
    async with polling(fake, runtime) as bot:
        await bot.say("/nato_quiz members 2", GROUP, user=ANN)
        first = await bot.poll(GROUP, 1)
        await fake.answer_poll(poll_id(first), ANN, answers(first)[0])
        await eventually(lambda: outcomes("accepted answer") == 1)
    # Every process is gone (its timer with it) and Telegram's "poll closed" update never comes.
    assert runtime.store.get_quiz(overdue(runtime.store, GROUP)).current == 0  # type: ignore[union-attr]
    runtime.store.close()

    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(path))
    async with polling(fake, runtime) as bot:  # the overdue question is closed at start-up
        second = await bot.poll(GROUP, 2)
        assert second.params["question"].startswith("2/2 · ")
        await eventually(lambda: outcomes("closed here") == 1)
        await eventually(lambda: runtime.store.open_quizzes("telegram:")[0].posted is not None)
        [resumed] = runtime.store.open_quizzes("telegram:")
        assert resumed.current == 1 and resumed.posted == {"poll": poll_id(second)}
        assert resumed.deadline is not None and resumed.deadline > time.time() + 200  # CLOSE_AFTER is 300
    runtime.store.close()

    runtime = Runtime(KNOWLEDGE, store=SQLiteStore(path))
    async with polling(fake, runtime) as bot:  # restarted before the deadline: the question stays open
        await fake.answer_poll(poll_id(second), BO, answers(second)[0])
        await eventually(lambda: outcomes("accepted answer") == 2)
        assert outcomes("closed here") == 1 and len(bot.polls(GROUP)) == 2
        await fake.close_poll(poll_id(second))
        results = (await bot.replies(GROUP, 2))[1].params["text"]
        assert board(results) == [("Ann", 1), ("Bo", 1)]
        await eventually(lambda: outcomes("closed here") == 2)
    assert len(bot.polls(GROUP)) == 2 and len(bot.sent(GROUP)) == 2  # intro and results, each once
    runtime.store.close()


async def test_two_workers_restarting_on_redis_close_a_left_open_question_once(
    fake: FakeBotAPI, redis_url: str, outcomes: Callable[[str], int]
) -> None:
    from bot.state.redis import RedisStore

    namespace = f"natobot-test-{uuid.uuid4().hex[:8]}:"
    harness = Harness(fake, None)  # type: ignore[arg-type]
    async with aiohttp.ClientSession() as session:
        async with (
            worker(fake, RedisStore(redis_url, namespace=namespace)) as a,
            worker(fake, RedisStore(redis_url, namespace=namespace)),
        ):
            await a.post(session, 1, message=fake.message("/nato_quiz korea 2", GROUP, "supergroup", ANN))
            first = await harness.poll(GROUP, 1)
            await a.post(session, 2, poll_answer=fake.vote(poll_id(first), CY, answers(first)[0]))
            await eventually(lambda: outcomes("accepted answer") == 1)
        store = RedisStore(redis_url, namespace=namespace)
        overdue(store, GROUP, by=5.0)
        async with together(fake, redis_url, namespace) as (_, b):  # both resume the overdue question
            second = await harness.poll(GROUP, 2)
            await eventually(lambda: outcomes("closed here") == 1)
            await b.post(session, 3, poll_answer=fake.vote(poll_id(second), CY, answers(second)[0]))
            await eventually(lambda: outcomes("accepted answer") == 2)
        overdue(store, GROUP)  # and once more, on the last question: the results come once
        async with together(fake, redis_url, namespace):
            results = (await harness.replies(GROUP, 2))[1].params["text"]
            assert board(results) == [("Cy", 2)]
            await eventually(lambda: outcomes("closed here") == 2)
        assert store.open_quizzes("telegram:") == []
        store.close()
    assert len(harness.polls(GROUP)) == 2 and len(harness.sent(GROUP)) == 2  # intro and results, each once
