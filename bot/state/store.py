"""The store protocol adapters talk to, its record types, and an in-memory implementation.

Chat keys are platform-qualified strings (``telegram:-100123``, ``discord:guild:42``) so one
store can serve every adapter without collisions. User keys are platform-qualified too
(``telegram:42``); they live only in quiz answers and leaderboards, never in the gap log.

The store knows nothing about question content: a quiz holds its questions as opaque JSON
objects (``bot.core.quiz.Question.to_dict()``) and the caller says whether an answer was
correct. Keeping scoring policy out of the backends means SQLite, Redis and memory cannot
disagree about it; what the backends guarantee is atomicity — one answer per user per
question, however many processes deliver it.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

# How long quiz data is kept: abandoned active quizzes and finished ones are cleaned up after this.
ACTIVE_TTL = 2 * 24 * 3600
FINISHED_TTL = 7 * 24 * 3600
GAP_TEXT_MAX = 200


class StoreError(Exception):
    """The state store cannot be used; the message says what happened and what to do about it."""


@dataclass(frozen=True)
class QuizState:
    """A quiz in one chat: its questions (opaque JSON objects) and the question now open.

    `deadline` and `posted` describe the open question once a platform has posted it (see
    `Store.mark_posted`): when it closes (Unix time) and what the platform needs to close it later
    (its message or poll ids). Both are None before it is posted and once the quiz moves on.
    """

    id: str
    chat: str
    questions: tuple[Mapping[str, Any], ...]
    current: int
    finished: bool
    created: float
    deadline: float | None = None
    posted: Mapping[str, Any] | None = None

    @property
    def question(self) -> Mapping[str, Any] | None:
        """The open question, or None when the quiz is over."""
        return None if self.finished else self.questions[self.current]


@dataclass(frozen=True)
class Standing:
    """One member's line on a chat's leaderboard."""

    chat: str
    user: str
    name: str
    score: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0


class Outcome(StrEnum):
    accepted = "accepted"
    duplicate = "duplicate"  # this user already answered this question: not scored again
    closed = "closed"  # the question is no longer open (quiz moved on or finished)
    unknown = "unknown"  # no such quiz (expired, or never created)


@dataclass(frozen=True)
class AnswerResult:
    outcome: Outcome
    standing: Standing | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.accepted


@dataclass(frozen=True)
class AnswerRecord:
    """Who answered a question what; for showing results when the question closes."""

    user: str
    name: str
    option: int
    correct: bool


@dataclass(frozen=True)
class Gap:
    """A question the bot declined: text only (normalised), never who asked."""

    text: str
    lang: str
    platform: str
    count: int
    first_seen: datetime
    last_seen: datetime


@runtime_checkable
class Store(Protocol):
    """Everything the bot keeps between messages. Every method is safe across processes."""

    # Per-chat settings
    def get_lang(self, chat: str) -> str | None: ...

    def set_lang(self, chat: str, lang: str | None) -> None: ...

    # Quizzes
    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> QuizState:
        """Start a quiz at question 0; a quiz still running in the chat is finished first."""
        ...

    def get_quiz(self, quiz_id: str) -> QuizState | None: ...

    def active_quiz(self, chat: str) -> QuizState | None: ...

    def advance_quiz(self, quiz_id: str, from_index: int) -> QuizState | None:
        """Close question `from_index` and open the next (or finish the quiz).

        Compare-and-set: returns the new state only to the one caller that moved the quiz on,
        None to everyone else, so exactly one process announces each result.
        """
        ...

    def finish_quiz(self, quiz_id: str) -> bool:
        """End the quiz now; True only for the caller that ended it."""
        ...

    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Mapping[str, Any] | None = None) -> bool:
        """Record that question `index` is on screen until `deadline` (Unix time), with the platform's
        ids for it (`posted`, small JSON), so that a restarted process can close it; False (nothing
        stored) when the quiz is no longer at that question."""
        ...

    def open_quizzes(self, prefix: str) -> list[QuizState]:
        """Every unfinished quiz whose chat key starts with `prefix` (``telegram:``, ``discord:``), oldest
        first, with its open question's `deadline` and `posted` (None if it was never posted)."""
        ...

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> AnswerResult:
        """Score one answer atomically: a second answer by the same user to the same question is rejected."""
        ...

    def answers(self, quiz_id: str, index: int) -> list[AnswerRecord]: ...

    def link_ref(self, ref: str, quiz_id: str, index: int) -> None:
        """Map a platform id (a Telegram poll id, a Discord message id) to a quiz question."""
        ...

    def resolve_ref(self, ref: str) -> tuple[str, int] | None: ...

    # Leaderboards
    def leaderboard(self, chat: str, limit: int = 10) -> list[Standing]: ...

    def standing(self, chat: str, user: str) -> Standing | None: ...

    def reset_leaderboard(self, chat: str) -> int:
        """Forget the chat's scores; returns how many members were removed."""
        ...

    # Unanswered-question log
    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None: ...

    def top_gaps(self, n: int = 20) -> list[Gap]: ...

    def close(self) -> None: ...


def new_quiz_id() -> str:
    return uuid.uuid4().hex[:16]


def now_ts(now: datetime | None = None) -> float:
    return (now or datetime.now(UTC)).timestamp()


def from_ts(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def rank(standings: Iterable[Standing], limit: int) -> list[Standing]:
    """Leaderboard order shared by every backend: score, then correct answers, best streak, name."""
    ordered = sorted(standings, key=lambda s: (-s.score, -s.correct, -s.best_streak, s.name.casefold(), s.user))
    return ordered[: max(0, limit)]


MEMORY_GAPS_MAX = 5000  # the in-memory store's unanswered log keeps at most this many distinct questions


def rank_gaps(gaps: Iterable[Gap], n: int) -> list[Gap]:
    ordered = sorted(gaps, key=lambda g: (-g.count, -g.last_seen.timestamp(), g.text, g.lang, g.platform))
    return ordered[: max(0, n)]


def scored(old: Standing, name: str, correct: bool, points: int) -> Standing:
    """The standing after one answer; the single definition of streak arithmetic for all backends."""
    streak = old.streak + 1 if correct else 0
    return replace(
        old,
        name=name,
        score=old.score + (points if correct else 0),
        correct=old.correct + int(correct),
        answered=old.answered + 1,
        streak=streak,
        best_streak=max(old.best_streak, streak),
    )


def check_questions(questions: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    if not questions:
        raise ValueError("a quiz needs at least one question")
    return tuple(dict(q) for q in questions)


def check_posted(posted: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A copy of a platform's ids for a posted question, refused unless it round-trips through JSON."""
    if posted is None:
        return None
    out = dict(posted)
    try:
        same = json.loads(json.dumps(out)) == out
    except (TypeError, ValueError):
        same = False
    if not same:
        raise ValueError("posted must be a JSON object of strings and numbers")
    return out


class MemoryStore:
    """For tests and the console: state lives as long as the process (thread-safe within it)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._lang: dict[str, str] = {}
        self._quizzes: dict[str, QuizState] = {}
        self._active: dict[str, str] = {}
        self._answers: dict[tuple[str, int], dict[str, AnswerRecord]] = {}
        self._refs: dict[str, tuple[str, int]] = {}
        self._scores: dict[str, dict[str, Standing]] = {}
        self._gaps: dict[tuple[str, str, str], Gap] = {}

    def get_lang(self, chat: str) -> str | None:
        return self._lang.get(chat)

    def set_lang(self, chat: str, lang: str | None) -> None:
        with self._lock:
            if lang is None:
                self._lang.pop(chat, None)
            else:
                self._lang[chat] = lang

    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> QuizState:
        qs = check_questions(questions)
        with self._lock:
            old = self._active.get(chat)
            if old:
                self._quizzes[old] = replace(self._quizzes[old], finished=True, deadline=None, posted=None)
            state = QuizState(new_quiz_id(), chat, qs, 0, False, time.time())
            self._quizzes[state.id] = state
            self._active[chat] = state.id
            return state

    def get_quiz(self, quiz_id: str) -> QuizState | None:
        return self._quizzes.get(quiz_id)

    def active_quiz(self, chat: str) -> QuizState | None:
        with self._lock:
            quiz_id = self._active.get(chat)
            return self._quizzes.get(quiz_id) if quiz_id else None

    def advance_quiz(self, quiz_id: str, from_index: int) -> QuizState | None:
        with self._lock:
            state = self._quizzes.get(quiz_id)
            if state is None or state.finished or state.current != from_index:
                return None
            nxt = from_index + 1
            if nxt >= len(state.questions):
                state = replace(state, finished=True)
                self._drop_active(state)
            else:
                state = replace(state, current=nxt)
            self._quizzes[quiz_id] = state = replace(state, deadline=None, posted=None)
            return state

    def _drop_active(self, state: QuizState) -> None:
        if self._active.get(state.chat) == state.id:
            del self._active[state.chat]

    def finish_quiz(self, quiz_id: str) -> bool:
        with self._lock:
            state = self._quizzes.get(quiz_id)
            if state is None or state.finished:
                return False
            self._quizzes[quiz_id] = replace(state, finished=True, deadline=None, posted=None)
            self._drop_active(state)
            return True

    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Mapping[str, Any] | None = None) -> bool:
        with self._lock:
            state = self._quizzes.get(quiz_id)
            if state is None or state.finished or state.current != index:
                return False
            self._quizzes[quiz_id] = replace(state, deadline=float(deadline), posted=check_posted(posted))
            return True

    def open_quizzes(self, prefix: str) -> list[QuizState]:
        with self._lock:
            found = [q for q in self._quizzes.values() if not q.finished and q.chat.startswith(prefix)]
        return sorted(found, key=lambda q: (q.created, q.id))

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> AnswerResult:
        with self._lock:
            state = self._quizzes.get(quiz_id)
            if state is None:
                return AnswerResult(Outcome.unknown)
            if state.finished or state.current != index:
                return AnswerResult(Outcome.closed)
            given = self._answers.setdefault((quiz_id, index), {})
            if user in given:
                return AnswerResult(Outcome.duplicate)
            given[user] = AnswerRecord(user, name, option, correct)
            board = self._scores.setdefault(state.chat, {})
            new = scored(board.get(user) or Standing(state.chat, user, name), name, correct, points)
            board[user] = new
            return AnswerResult(Outcome.accepted, new)

    def answers(self, quiz_id: str, index: int) -> list[AnswerRecord]:
        with self._lock:
            return sorted(self._answers.get((quiz_id, index), {}).values(), key=lambda a: a.user)

    def link_ref(self, ref: str, quiz_id: str, index: int) -> None:
        with self._lock:
            self._refs[ref] = (quiz_id, index)

    def resolve_ref(self, ref: str) -> tuple[str, int] | None:
        return self._refs.get(ref)

    def leaderboard(self, chat: str, limit: int = 10) -> list[Standing]:
        with self._lock:
            return rank(self._scores.get(chat, {}).values(), limit)

    def standing(self, chat: str, user: str) -> Standing | None:
        return self._scores.get(chat, {}).get(user)

    def reset_leaderboard(self, chat: str) -> int:
        with self._lock:
            return len(self._scores.pop(chat, {}))

    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None:
        when = from_ts(now_ts(now))
        key = (text[:GAP_TEXT_MAX], lang, platform)
        with self._lock:
            old = self._gaps.get(key)
            if old is None:
                if len(self._gaps) >= MEMORY_GAPS_MAX:  # bounded: drop the least asked, oldest first
                    del self._gaps[min(self._gaps, key=lambda k: (self._gaps[k].count, self._gaps[k].last_seen))]
                self._gaps[key] = Gap(key[0], lang, platform, 1, when, when)
            else:
                self._gaps[key] = replace(
                    old, count=old.count + 1, last_seen=max(old.last_seen, when), first_seen=min(old.first_seen, when)
                )

    def top_gaps(self, n: int = 20) -> list[Gap]:
        with self._lock:
            return rank_gaps(self._gaps.values(), n)

    def close(self) -> None:
        pass
