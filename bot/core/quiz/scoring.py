"""The rules of play over the store: scoring an answer once, and what to resume after a restart.

Synchronous and pure apart from the store they are handed (any object with the methods below,
i.e. `bot.state.Store`; the core must not import the state package). The engine runs them in a
worker thread; tests call them directly against every backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.quiz.question import Question


class StoredQuiz(Protocol):
    """A quiz as the store keeps it (`bot.state.QuizState`): questions are `Question.to_dict()`s."""

    @property
    def id(self) -> str: ...
    @property
    def chat(self) -> str: ...
    @property
    def questions(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def current(self) -> int: ...
    @property
    def finished(self) -> bool: ...
    @property
    def created(self) -> float: ...
    @property
    def deadline(self) -> float | None: ...
    @property
    def posted(self) -> Mapping[str, Any] | None: ...


class QuizStore(Protocol):
    """The part of `bot.state.Store` scoring needs (core must not import the state package)."""

    def get_quiz(self, quiz_id: str) -> StoredQuiz | None: ...

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> Any: ...


@dataclass(frozen=True)
class Scored:
    """What happened to one answer: `outcome` is accepted, duplicate, closed or unknown."""

    outcome: str
    correct: bool
    question: Question | None = None
    standing: Any = None  # bot.state.Standing after the answer, when accepted
    quiz: StoredQuiz | None = None  # the quiz as it stood when the answer came (its deadline, its ids)

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


def question_at(quiz: StoredQuiz, index: int | None = None) -> Question:
    """The question of a stored quiz (`bot.state.QuizState`), by default the open one."""
    return Question.from_dict(quiz.questions[quiz.current if index is None else index])


def score_answer(
    store: QuizStore, quiz_id: str, index: int, user: str, name: str, option: int, points: int = 1
) -> Scored:
    """Check the option against the stored question and record it once; returns the new standing."""
    quiz = store.get_quiz(quiz_id)
    if quiz is None:
        return Scored("unknown", False)
    if not 0 <= index < len(quiz.questions):
        return Scored("closed", False, quiz=quiz)
    question = question_at(quiz, index)
    correct = option == question.correct
    result = store.record_answer(quiz_id, index, user, name, option, correct, points)
    outcome = getattr(result.outcome, "value", result.outcome)
    return Scored(str(outcome), correct, question, result.standing, quiz)


# A question whose deadline passed longer ago than this (the bot was down for days) is not announced
# any more on resuming: its quiz ends quietly (Redis forgets an unmoved quiz after as long anyway).
RESUME_WITHIN = 2 * 24 * 3600.0


class ResumeStore(Protocol):
    """The part of `bot.state.Store` resuming needs."""

    def open_quizzes(self, prefix: str) -> Sequence[StoredQuiz]: ...  # read-only: any store's own quiz type

    def finish_quiz(self, quiz_id: str) -> bool: ...


def questions_to_resume(store: ResumeStore, prefix: str, now: float) -> list[tuple[StoredQuiz, float]]:
    """What a starting process must time of the quizzes left open (e.g. every process restarted while a
    question was up): (quiz, seconds until its open question closes, <= 0 when overdue), soonest first.

    A quiz whose open question was never posted (no deadline) is left alone; one abandoned longer than
    `RESUME_WITHIN` is finished without a word. Closing goes through the store's compare-and-set, so
    several processes resuming at once announce each question once.
    """
    due = []
    for quiz in store.open_quizzes(prefix):
        if quiz.deadline is None:
            continue
        if now - quiz.deadline > RESUME_WITHIN:
            store.finish_quiz(quiz.id)
            continue
        due.append((quiz, quiz.deadline - now))
    return sorted(due, key=lambda item: item[1])
