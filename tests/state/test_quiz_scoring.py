"""A study group plays a quiz through the core's scoring helper, on every backend, across a restart
and with two bot processes (two store connections) sharing the state."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.knowledge import Knowledge
from bot.core.quiz import QuizMaker, question_at, score_answer
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
            again = score_answer(bot_a if bot is bot_b else bot_b, quiz.id, index, f"telegram:{user}", user.title(), q.correct)
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
