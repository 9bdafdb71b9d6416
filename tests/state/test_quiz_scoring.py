"""A study group plays a quiz through the core's scoring helper, on every backend, across a restart
and with two bot processes (two store connections) sharing the state."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.knowledge import Knowledge
from bot.core.quiz import RESUME_WITHIN, QuizMaker, question_at, questions_to_resume, score_answer
from bot.state.store import MemoryStore, Store

Opener = Callable[[], Store]  # see the `opener` fixture in conftest.py


@pytest.fixture(scope="module")
def maker(kb: Knowledge) -> QuizMaker:
    return QuizMaker(kb)


def test_study_group_quiz_leaderboard_and_restart(opener: Opener, maker: QuizMaker) -> None:
    bot_a, bot_b = opener(), opener()  # e.g. a Telegram webhook worker and a Discord shard
    chat = "telegram:-100777"
    questions = maker.generate("all", 3, seed="study-group")
    quiz = bot_a.create_quiz(chat, [q.to_dict() for q in questions])
    assert question_at(quiz) == questions[0]

    # Ann always right, Bo right then wrong, Cy wrong then right; answers arrive via either process.
    plan = {"ann": [True, True, True], "bo": [True, True, False], "cy": [False, True, True]}
    for index in range(3):
        q = question_at(bot_b.get_quiz(quiz.id), index)  # type: ignore[arg-type]
        wrong = (q.correct + 1) % 4
        for n, (user, answers) in enumerate(plan.items()):
            bot = bot_a if n % 2 else bot_b
            option = q.correct if answers[index] else wrong
            scored = score_answer(bot, quiz.id, index, f"telegram:{user}", user.title(), option)
            assert scored.accepted and scored.correct is answers[index] and scored.question == q
            again = score_answer(
                bot_a if bot is bot_b else bot_b, quiz.id, index, f"telegram:{user}", user.title(), q.correct
            )
            assert again.outcome == "duplicate"  # the other process cannot count it twice
        closer_a = bot_a.advance_quiz(quiz.id, index)
        closer_b = bot_b.advance_quiz(quiz.id, index)
        assert (closer_a is None) != (closer_b is None)  # exactly one process announces the result
    assert bot_a.get_quiz(quiz.id).finished  # type: ignore[union-attr]
    assert score_answer(bot_a, quiz.id, 2, "telegram:late", "Late", 0).outcome == "closed"
    assert score_answer(bot_a, "missing", 0, "telegram:late", "Late", 0).outcome == "unknown"

    expected = [("telegram:ann", 3, 3, 3), ("telegram:bo", 2, 0, 2), ("telegram:cy", 2, 2, 2)]
    board = [(s.user, s.score, s.streak, s.best_streak) for s in bot_b.leaderboard(chat)]
    assert board == expected

    if isinstance(bot_a, MemoryStore):
        return  # memory state ends with the process by design
    bot_a.close()
    bot_b.close()
    restarted = opener()
    assert [(s.user, s.score, s.streak, s.best_streak) for s in restarted.leaderboard(chat)] == expected
    assert restarted.reset_leaderboard(chat) == 3
    assert restarted.leaderboard(chat) == []


def test_score_answer_rejects_an_index_out_of_range(store: Store, maker: QuizMaker) -> None:
    quiz = store.create_quiz("c", [q.to_dict() for q in maker.generate("members", 2, 1)])
    assert score_answer(store, quiz.id, 5, "u", "U", 0).outcome == "closed"
    assert score_answer(store, quiz.id, -1, "u", "U", 0).outcome == "closed"


def test_questions_to_resume_after_every_process_stopped(opener: Opener) -> None:
    store, now = opener(), 1_000_000.0
    overdue = store.create_quiz("telegram:1", [{"n": 0}, {"n": 1}])
    store.mark_posted(overdue.id, 0, now - 5)
    running = store.create_quiz("telegram:2", [{"n": 0}])
    store.mark_posted(running.id, 0, now + 20)
    never_posted = store.create_quiz("telegram:3", [{"n": 0}])
    abandoned = store.create_quiz("telegram:4", [{"n": 0}])
    store.mark_posted(abandoned.id, 0, now - RESUME_WITHIN - 1)
    other = store.create_quiz("discord:guild:5", [{"n": 0}])
    store.mark_posted(other.id, 0, now - 5)

    due = questions_to_resume(opener(), "telegram:", now)  # a process starting up
    assert [(quiz.id, left) for quiz, left in due] == [(overdue.id, -5.0), (running.id, 20.0)]
    assert store.get_quiz(abandoned.id).finished  # type: ignore[union-attr]  # days late: ended without a word
    assert not store.get_quiz(never_posted.id).finished  # type: ignore[union-attr]  # nothing to close on screen
    assert [quiz.id for quiz, _ in questions_to_resume(store, "discord:", now)] == [other.id]
