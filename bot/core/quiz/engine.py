"""The quiz lifecycle, once for every platform: start, post, score, close, results, resume.

A platform supplies a `Presenter` (how a question, its result and the final results look there) and
a chat key per quiz (``telegram:-100123``, ``discord:guild:42``: the key decides what "one quiz per
chat" means, so a platform that wants one quiz per channel or per forum topic keys it so). The engine
does the rest, with the store as the source of truth:

- one quiz per chat key (`start`: a new one replaces the running one, or is refused, by policy);
- each question is posted, linked to its platform id, and stored with its deadline (`mark_posted`);
- an answer is scored once per member, whichever process receives it (`record_answer`);
- a question closes when its deadline passes or the platform says so (`close`); the store's
  `advance_quiz` is a compare-and-set, so exactly one process reveals it and posts what follows;
- at start-up `resume` re-times what stopped processes left open, closing overdue questions at once.

Store calls are blocking (SQLite may wait on its lock, Redis on the network): every one runs in a
worker thread with a timeout, so a stalled store never holds up the event loop or a handler forever.
Given a guarded store (`bot.state.guarded.GuardedStore`, the `Guard` protocol here), the engine
degrades rather than drops: a vote the store cannot take now waits in the guard's outbox (keyed by
quiz, question and member, so it is counted once) and is written before its question closes; the
platform ids and deadline of a posted question are written the same way; a question that cannot be
closed is tried again a little later; and once a question is closed, its reveal and the results are
shown with what could be read (an unreadable answer list is shown empty rather than not at all).
Nothing here imports a platform library; `QuizEngine` is plain asyncio.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from bot.core.i18n import pick_lang
from bot.core.quiz.generate import QuizMaker
from bot.core.quiz.question import ALL, DEFAULT_LENGTH, Question
from bot.core.quiz.scoring import (
    QuizStore,
    ResumeStore,
    Scored,
    StoredQuiz,
    question_at,
    questions_to_resume,
    score_answer,
)
from bot.core.quiz.timers import Timers

log = logging.getLogger(__name__)
T = TypeVar("T")

Place = Mapping[str, Any]  # a presenter's own ids for a posted question (small JSON), stored with it
STORE_TIMEOUT = 10.0  # seconds a store call may take before the step is given up (and logged)
SHUTDOWN_WAIT = 10.0  # seconds a question being closed at shutdown may take to be announced
GRACE = 15.0  # under the "refuse" policy, a quiz this long past its last deadline counts as abandoned
# A vote can reach a worker before the worker that posted the question has linked its platform id:
# look again after these pauses before deciding the id is not ours (people vote; a second costs nothing).
LINK_WAIT = (0.05, 0.15, 0.3, 0.5, 1.0)
CLOSE_RETRY = 5.0  # seconds before a question the store could not close is tried again
REFS_KEPT = 1024  # platform ids of questions this process posted, resolved without the store


@dataclass(frozen=True)
class Turn:
    """One question of one quiz, shown in `lang`, at `place` (the presenter's ids of the question it
    follows or is: where to post, which message to edit; empty when the presenter needs none)."""

    quiz: StoredQuiz
    index: int
    lang: str
    place: Place

    @property
    def question(self) -> Question:
        return question_at(self.quiz, self.index)

    @property
    def total(self) -> int:
        return len(self.quiz.questions)


@dataclass(frozen=True)
class Posted:
    """What a presenter reports once a question is on screen: `ids` are stored with the question (and
    handed back as `Turn.place` to reveal it and to post the next one; a presenter that wants the quiz
    to keep one language stores it as ``"lang"``); `ref`, if answers arrive carrying a platform id
    (a Telegram poll id), is linked to the question so any process can resolve it."""

    ids: Place
    ref: str | None = None


@dataclass(frozen=True)
class Result:
    """One question of a finished quiz and who answered it what (`bot.state.AnswerRecord`s)."""

    question: Question
    answers: Sequence[Any]


class Presenter(Protocol):
    """What a platform implements to run quizzes: rendering only, no state and no timers.

    Each method shows something and returns; platform errors are the presenter's to catch and log
    (an exception is logged by the engine and the quiz goes on as if nothing had been shown).
    """

    def close_after(self) -> float:
        """Seconds after posting at which the engine closes a question itself (if nothing closed it sooner)."""
        ...

    async def ask(self, turn: Turn, closes_at: float) -> Posted | None:
        """Post `turn.question`; None if the platform refused (the quiz then ends)."""
        ...

    async def reveal(self, turn: Turn, answers: Sequence[Any]) -> None:
        """The question closed: show its answer (a native quiz poll may need nothing)."""
        ...

    async def finish(self, turn: Turn, results: Sequence[Result], board: Sequence[Any]) -> None:
        """The quiz is over (`turn` is its last question shown): the results and the chat's leaderboard."""
        ...

    async def stopped(self, turn: Turn) -> None:
        """`turn.question` could not be posted, so the quiz ended: say so if the platform can."""
        ...


class EngineStore(QuizStore, ResumeStore, Protocol):
    """The part of `bot.state.Store` the engine uses."""

    def get_lang(self, chat: str) -> str | None: ...
    def active_quiz(self, chat: str) -> StoredQuiz | None: ...
    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> StoredQuiz: ...
    def advance_quiz(self, quiz_id: str, from_index: int) -> StoredQuiz | None: ...
    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Place | None = None) -> bool: ...
    def answers(self, quiz_id: str, index: int) -> list[Any]: ...
    def link_ref(self, ref: str, quiz_id: str, index: int) -> None: ...
    def resolve_ref(self, ref: str) -> tuple[str, int] | None: ...
    def leaderboard(self, chat: str, limit: int = 10) -> list[Any]: ...
    def reset_leaderboard(self, chat: str) -> int: ...


@runtime_checkable
class Guard(Protocol):
    """A store that runs calls itself, with timeouts, and keeps failed writes to retry them
    (`bot.state.guarded.GuardedStore`; the core does not import the state package)."""

    unavailable: type[Exception]  # what its calls raise when the store fails or does not answer in time

    async def run(self, call: Callable[..., T], *args: Any, timeout: float | None = None, probe: bool = False) -> T: ...

    async def write(
        self,
        key: Hashable | None,
        what: str,
        call: Callable[..., T],
        *args: Any,
        replace: bool = False,
        timeout: float | None = None,
    ) -> tuple[bool, T | None]: ...

    async def settle(self, only: Callable[[Hashable], bool], timeout: float | None = None) -> bool: ...


def vote_key(quiz_id: str, index: int, user: str) -> tuple[str, str, int, str]:
    """A vote's key in the outbox: one per member and question, as the store's own."""
    return ("vote", quiz_id, index, user)


@dataclass(frozen=True)
class Start:
    """What `start` did: `quiz` created, or `running` (refused: that quiz is still on), or neither
    (the knowledge has no question on the topic)."""

    quiz: StoredQuiz | None = None
    running: StoredQuiz | None = None


class QuizEngine:
    """The quizzes of one platform in this process (its chat keys start with `chats`)."""

    def __init__(
        self,
        store: EngineStore,
        presenter: Presenter,
        maker: Callable[[], QuizMaker],
        *,
        chats: str,
        on_running: Literal["replace", "refuse"] = "replace",
        store_timeout: float = STORE_TIMEOUT,
    ) -> None:
        self.store = store
        self.presenter = presenter
        self.maker = maker  # called for every quiz, so a knowledge reload reaches the next one
        self.chats = chats
        self.on_running = on_running
        self.store_timeout = store_timeout
        self.timers = Timers()
        self.guard = store if isinstance(store, Guard) else None
        self._faults: tuple[type[Exception], ...] = (self.guard.unavailable,) if self.guard else (TimeoutError,)
        self._refs: OrderedDict[str, tuple[str, int]] = OrderedDict()  # posted here: resolved without the store
        self._posted: OrderedDict[str, StoredQuiz] = OrderedDict()  # quizzes posted here, to score a queued vote

    def _keep(self, table: OrderedDict[str, Any], key: str, value: Any) -> None:
        table[key] = value
        table.move_to_end(key)
        while len(table) > REFS_KEPT:
            table.popitem(last=False)

    @property
    def pending(self) -> int:
        """How many questions this process is timing (or closing right now)."""
        return len(self.timers.keys)

    @property
    def timed(self) -> set[tuple[str, int]]:
        """The (quiz id, question index) pairs this process is timing (or closing right now)."""
        return self.timers.keys

    async def _io(self, call: Callable[..., T], *args: Any) -> T:
        if self.guard is not None:
            return await self.guard.run(call, *args)
        return await asyncio.wait_for(asyncio.to_thread(call, *args), self.store_timeout)

    async def _read(self, fallback: T, call: Callable[..., T], *args: Any) -> T:
        """A read whose failure is logged and replaced by `fallback` (a reveal shown without its names
        beats no reveal at all)."""
        try:
            return await self._io(call, *args)
        except self._faults as exc:
            log.warning("quiz: store read %s failed (%s); going on without it", getattr(call, "__name__", call), exc)
            return fallback

    async def _write(self, key: Hashable, what: str, call: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
        """A write made now, or (guarded store) queued to be made when the store answers: (made?, result)."""
        if self.guard is not None:
            return await self.guard.write(key, what, call, *args)
        return True, await self._io(call, *args)

    # -- starting ------------------------------------------------------------------------------

    async def start(self, chat: str, topic: str = ALL, length: int = DEFAULT_LENGTH) -> Start:
        """Make and store a new quiz for `chat`; nothing is posted yet (the caller introduces it, then `open`s it)."""
        active = await self._io(self.store.active_quiz, chat)
        if active is not None and self.on_running == "refuse" and self._running(active):
            return Start(running=active)
        questions = await asyncio.to_thread(lambda: self.maker().generate(topic, length, secrets.token_hex(8)))
        if not questions:
            return Start()
        quiz = await self._io(self.store.create_quiz, chat, [q.to_dict() for q in questions])
        if active is not None:  # the store finished it; its question's timer here has nothing left to do
            self.timers.cancel((active.id, active.current))
        return Start(quiz=quiz)

    def _running(self, quiz: StoredQuiz) -> bool:
        """Whether a stored quiz can still be running, rather than abandoned (e.g. by a restart)."""
        budget = len(quiz.questions) * (self.presenter.close_after() + GRACE) + GRACE
        return not quiz.finished and time.time() - quiz.created < budget

    async def open(self, quiz: StoredQuiz, lang: str, place: Place) -> bool:
        """Post the quiz's open question at `place`; False if the platform refused (the quiz is ended).
        Also the hook for quizzes nobody typed a command for (a daily question): `start`, then `open`."""
        return await self._post(quiz, pick_lang(lang), place)

    async def _post(self, quiz: StoredQuiz, lang: str, place: Place) -> bool:
        turn = Turn(quiz, quiz.current, lang, place)
        closes_at = time.time() + self.presenter.close_after()
        posted = await self._show(self.presenter.ask(turn, closes_at), "post", turn)
        if posted is None:
            if await self._read(False, self.store.finish_quiz, quiz.id):
                await self._show(self.presenter.stopped(turn), "report the end of", turn)
            return False
        self._keep(self._posted, quiz.id, quiz)
        if posted.ref is not None:
            self._keep(self._refs, posted.ref, (quiz.id, turn.index))
            await self._write(
                ("ref", posted.ref), f"link {posted.ref}", self.store.link_ref, posted.ref, quiz.id, turn.index
            )
        made, marked = await self._write(
            ("posted", quiz.id, turn.index),
            f"deadline of quiz {quiz.id} question {turn.index}",
            self.store.mark_posted,
            quiz.id,
            turn.index,
            closes_at,
            posted.ids,
        )
        if marked or not made:  # queued: it is on screen, so this process times it
            self._time(quiz.id, turn.index, closes_at, posted.ids)
        return True

    async def _show(self, shown: Awaitable[T], what: str, turn: Turn) -> T | None:
        """A presenter call whose failure is logged, never allowed to stall the quiz."""
        try:
            return await shown
        except Exception:  # presenters catch platform errors; anything else is a bug to log
            log.exception("quiz %s: could not %s question %d", turn.quiz.id, what, turn.index)
            return None

    def _time(self, quiz_id: str, index: int, deadline: float, place: Place) -> None:
        self.timers.start((quiz_id, index), deadline - time.time(), lambda: self.close(quiz_id, index, place))

    # -- answers -------------------------------------------------------------------------------

    async def resolve(self, ref: str) -> tuple[str, int] | None:
        """The (quiz id, question index) a platform id was linked to; None if it is not ours (or expired)."""
        if ref in self._refs:  # posted here: no store call (a vote is taken even while the store is down)
            return self._refs[ref]
        for pause in (*LINK_WAIT, None):
            found = await self._io(self.store.resolve_ref, ref)
            if found is not None or pause is None:
                return found
            await asyncio.sleep(pause)
        return None

    async def answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, place: Place | None = None
    ) -> Scored:
        """Score one answer (once per member and question, across processes).

        The process that posted the question may be gone: one that counts an answer to a question it
        is not timing starts a timer for it, at the stored deadline, else (not marked posted yet) after
        the usual time from now at `place`, if given. If the store cannot take the vote now (guarded
        store), it is queued, written before the question closes, and the outcome is "queued".
        """
        made, result = await self._write(
            vote_key(quiz_id, index, user),
            f"vote of {user} on quiz {quiz_id} question {index}",
            score_answer,
            self.store,
            quiz_id,
            index,
            user,
            name,
            option,
        )
        if not made or result is None:
            if place is not None:
                self._time(quiz_id, index, time.time() + self.presenter.close_after(), place)
            quiz = self._posted.get(quiz_id)
            if quiz is None or not 0 <= index < len(quiz.questions):
                return Scored("queued", False)
            question = question_at(quiz, index)
            return Scored("queued", option == question.correct, question, quiz=quiz)
        scored = result
        log.debug("quiz %s question %d: %s answer", quiz_id, index, scored.outcome)
        quiz = scored.quiz
        if scored.outcome in ("accepted", "duplicate") and quiz is not None and quiz.current == index:
            if quiz.deadline is not None:
                self._time(quiz_id, index, quiz.deadline, quiz.posted or place or {})
            elif place is not None:
                self._time(quiz_id, index, time.time() + self.presenter.close_after(), place)
        return scored

    # -- closing -------------------------------------------------------------------------------

    async def close(self, quiz_id: str, index: int, place: Place | None = None) -> bool:
        """Close question `index` (its time is up, the platform closed it, or someone skips it): the one
        caller that moves the quiz on reveals it and posts the next question or the results; False for
        everyone else. `place` is where the question is, if known (else it is read from the store).
        Votes still waiting for the store are written first; if the store cannot close the question
        now, it is tried again after `CLOSE_RETRY` seconds."""
        if self.guard is not None:
            await self.guard.settle(lambda key: isinstance(key, tuple) and key[:3] == ("vote", quiz_id, index))
        try:
            if place is None:
                stored = await self._io(self.store.get_quiz, quiz_id)
                place = (stored.posted if stored is not None and stored.current == index else None) or {}
            quiz = await self._io(self.store.advance_quiz, quiz_id, index)
        except self._faults as exc:
            log.warning("quiz %s question %d: cannot close it now (%s); trying again shortly", quiz_id, index, exc)
            self._time(quiz_id, index, time.time() + CLOSE_RETRY, place or {})
            return False
        self.timers.cancel((quiz_id, index))
        if quiz is None:
            log.debug("quiz %s question %d: already closed", quiz_id, index)
            return False
        log.debug("quiz %s question %d: closed here", quiz_id, index)
        turn = Turn(quiz, index, await self._lang(quiz.chat, place), place)
        answers: list[Any] = await self._read([], self.store.answers, quiz_id, index)
        await self._show(self.presenter.reveal(turn, answers), "reveal", turn)
        if quiz.finished:
            await self._finish(turn)
        else:
            await self._post(quiz, turn.lang, place)
        return True

    async def stop(self, chat: str) -> bool:
        """End `chat`'s quiz now (the hook for a stop command): the questions asked so far are shown
        with their results, once, by the caller that ended it. False if no quiz was running."""
        quiz = await self._io(self.store.active_quiz, chat)
        if quiz is None or not await self._io(self.store.finish_quiz, quiz.id):
            return False
        self.timers.cancel((quiz.id, quiz.current))
        place = quiz.posted or {}
        await self._finish(Turn(quiz, quiz.current, await self._lang(chat, place), place))
        return True

    async def _finish(self, turn: Turn) -> None:
        results = []
        for index in range(turn.index + 1):
            answers: list[Any] = await self._read([], self.store.answers, turn.quiz.id, index)
            results.append(Result(question_at(turn.quiz, index), answers))
        board: list[Any] = await self._read([], self.store.leaderboard, turn.quiz.chat)
        await self._show(self.presenter.finish(turn, results, board), "show the results after", turn)

    async def _lang(self, chat: str, place: Place) -> str:
        """The quiz's language: the one its presenter stored with the question, else the chat's setting."""
        return pick_lang(place["lang"]) if place.get("lang") else await self.lang(chat)

    async def lang(self, chat: str, fallback: str | None = None) -> str:
        """The chat's stored language, else `fallback` (e.g. the user's client locale), else English
        (also when the store does not answer)."""
        return pick_lang(await self._read(None, self.store.get_lang, chat) or fallback)

    # -- process start and stop ----------------------------------------------------------------

    async def resume(self) -> int:
        """At start-up: time the questions stopped processes left open (an overdue one closes at once;
        whichever process wins `advance_quiz` announces it). Returns how many were resumed."""
        try:
            due = await self._io(questions_to_resume, self.store, self.chats, time.time())
        except Exception:  # the bot still answers; the log says why quizzes were not resumed
            log.exception("could not look for %s quiz questions left open", self.chats)
            return 0
        for quiz, _ in due:
            assert quiz.deadline is not None
            self._time(quiz.id, quiz.current, quiz.deadline, quiz.posted or {})
        if due:
            log.info("resumed %d %s quiz question(s) left open", len(due), self.chats)
        return len(due)

    async def shutdown(self, wait: float = SHUTDOWN_WAIT) -> None:
        """Stop timing (the questions stay open in the store for another process or the next start);
        a question being closed right now is announced first."""
        await self.timers.shutdown(wait)

    # -- leaderboards --------------------------------------------------------------------------

    async def leaderboard(self, chat: str, limit: int = 10) -> list[Any]:
        return await self._io(self.store.leaderboard, chat, limit)

    async def reset_leaderboard(self, chat: str) -> int:
        """Forget the chat's scores (the caller checks who may); how many members were removed."""
        return await self._io(self.store.reset_leaderboard, chat)
