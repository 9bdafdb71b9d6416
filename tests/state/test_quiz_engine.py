"""The quiz engine with no platform at all: a recording presenter, the real stores (every backend),
one or two "processes" (engines on separate store connections), timers, restarts and refusals."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from bot.core.knowledge import Knowledge
from bot.core.quiz import Posted, QuizEngine, QuizMaker, Result, Turn, question_at
from bot.state.store import MemoryStore, Store

Opener = Callable[[], Store]
CHAT = "test:chat:1"


class Recorder:
    """A presenter that remembers what it was asked to show (shared by every engine of a test)."""

    def __init__(self, seconds: float = 30.0, refuse: bool = False) -> None:
        self.seconds, self.refuse = seconds, refuse
        self.shown: list[tuple[str, Any]] = []
        self.ids = iter(range(1, 1_000_000))

    def close_after(self) -> float:
        return self.seconds

    async def ask(self, turn: Turn, closes_at: float) -> Posted | None:
        if self.refuse:
            return None
        n = next(self.ids)
        self.shown.append(("ask", (turn.index, turn.lang, dict(turn.place))))
        return Posted({**turn.place, "message": n}, ref=f"test:msg:{n}")

    async def reveal(self, turn: Turn, answers: Sequence[Any]) -> None:
        self.shown.append(("reveal", (turn.index, turn.place.get("message"), sorted(a.user for a in answers))))

    async def finish(self, turn: Turn, results: Sequence[Result], board: Sequence[Any]) -> None:
        self.shown.append(("finish", ([len(r.answers) for r in results], [(s.user, s.score) for s in board])))

    async def stopped(self, turn: Turn) -> None:
        self.shown.append(("stopped", turn.index))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.shown]


@pytest.fixture(scope="module")
def maker(kb: Knowledge) -> QuizMaker:
    return QuizMaker(kb)


def engine(store: Store, presenter: Recorder, maker: QuizMaker, **options: Any) -> QuizEngine:
    return QuizEngine(store, presenter, lambda: maker, chats="test:", **options)  # type: ignore[arg-type]


async def until(predicate: Callable[[], Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_a_quiz_runs_on_timers_and_two_processes_announce_everything_once(
    opener: Opener, maker: QuizMaker
) -> None:
    shown = Recorder(seconds=0.3)
    a, b = engine(opener(), shown, maker), engine(opener(), shown, maker)
    started = await a.start(CHAT, "members", 2)
    assert started.quiz is not None and started.running is None
    assert await a.open(started.quiz, "ko", {"lang": "ko"})
    quiz_id = started.quiz.id
    assert await b.resolve("test:msg:1") == (quiz_id, 0)  # any process resolves the posted question
    right = question_at(started.quiz, 0).correct
    for process in (a, b):
        scored = await process.answer(quiz_id, 0, "ann", "Ann", right, {"message": 1})
        assert scored.outcome == ("accepted" if process is a else "duplicate")
    assert b.timed == {(quiz_id, 0)}  # b counted an answer to a question it did not post: it times it too
    await until(lambda: "finish" in shown.kinds())
    await until(lambda: not a.pending and not b.pending)
    assert shown.kinds() == ["ask", "reveal", "ask", "reveal", "finish"]  # each once, though both timed each
    assert shown.shown[2][1] == (1, "ko", {"lang": "ko", "message": 1})  # the quiz keeps its language and place
    assert shown.shown[1][1] == (0, 1, ["ann"])
    assert shown.shown[4][1] == ([1, 0], [("ann", 1)])  # answers per question, then the leaderboard
    assert a.store.active_quiz(CHAT) is None


async def test_restart_closes_overdue_questions_once_and_re_times_the_others(opener: Opener, maker: QuizMaker) -> None:
    shown = Recorder(seconds=60)
    store = opener()
    first = engine(store, shown, maker)
    quiz = (await first.start(CHAT, "korea", 2)).quiz
    assert quiz is not None and await first.open(quiz, "en", {})
    await first.shutdown()  # every process stops; the question stays open in the store
    assert first.pending == 0
    state = store.get_quiz(quiz.id)
    assert state is not None and state.posted == {"message": 1}
    store.mark_posted(quiz.id, 0, time.time() - 1, state.posted)  # down past its deadline

    a, b = engine(opener(), shown, maker), engine(opener(), shown, maker)
    assert 1 <= sum(await asyncio.gather(a.resume(), b.resume())) <= 2  # b may look after a closed it
    await until(lambda: shown.kinds().count("ask") == 2)
    assert shown.kinds() == ["ask", "reveal", "ask"]  # the overdue question closed once, the next one posted
    await asyncio.gather(a.shutdown(), b.shutdown())

    c = engine(opener(), shown, maker)  # restarted before the new question's deadline: timed, not closed
    assert await c.resume() == 1 and c.timed == {(quiz.id, 1)}
    assert await c.close(quiz.id, 1)  # e.g. a skip: closes at once, the results follow
    assert not await c.close(quiz.id, 1)  # a second closing of the same question announces nothing
    assert shown.kinds() == ["ask", "reveal", "ask", "reveal", "finish"] and c.pending == 0


async def test_one_quiz_per_chat_replace_or_refuse(store: Store, maker: QuizMaker) -> None:
    shown = Recorder()
    refuse, replace = engine(store, shown, maker, on_running="refuse"), engine(store, shown, maker)
    old = (await refuse.start(CHAT, "members", 3)).quiz
    assert old is not None and await refuse.open(old, "en", {})
    refused = await refuse.start(CHAT)
    assert refused.quiz is None and refused.running is not None and refused.running.id == old.id
    new = (await replace.start(CHAT, "summits", 1)).quiz
    assert new is not None and new.id != old.id
    assert store.active_quiz(CHAT).id == new.id  # type: ignore[union-attr]
    assert (await replace.answer(old.id, 0, "ann", "Ann", 0)).outcome == "closed"
    assert await refuse.start("test:chat:2", "members", 1) != refused  # other chats are not affected
    await asyncio.gather(refuse.shutdown(), replace.shutdown())


async def test_a_question_the_platform_refuses_ends_the_quiz_with_one_word(store: Store, maker: QuizMaker) -> None:
    shown = Recorder(refuse=True)
    quizzes = engine(store, shown, maker)
    quiz = (await quizzes.start(CHAT, "members", 2)).quiz
    assert quiz is not None and not await quizzes.open(quiz, "en", {})
    assert shown.kinds() == ["stopped"] and store.active_quiz(CHAT) is None and quizzes.pending == 0


async def test_stop_shows_what_was_asked_once(store: Store, maker: QuizMaker) -> None:
    shown = Recorder()
    quizzes = engine(store, shown, maker)
    quiz = (await quizzes.start(CHAT, "members", 3)).quiz
    assert quiz is not None and await quizzes.open(quiz, "en", {})
    await quizzes.answer(quiz.id, 0, "ann", "Ann", 0)
    assert await quizzes.stop(CHAT) and not await quizzes.stop(CHAT)
    assert shown.kinds() == ["ask", "finish"] and shown.shown[1][1][0] == [1]
    assert store.active_quiz(CHAT) is None and quizzes.pending == 0


async def test_a_stalled_store_times_out_instead_of_hanging(maker: QuizMaker) -> None:
    class Stalled(MemoryStore):
        def active_quiz(self, chat: str) -> Any:
            time.sleep(1.0)  # e.g. Redis not answering
            return super().active_quiz(chat)

    quizzes = engine(Stalled(), Recorder(), maker, store_timeout=0.1)
    loop_free = asyncio.create_task(asyncio.sleep(0.05))  # the event loop keeps running meanwhile
    with pytest.raises(TimeoutError):
        await quizzes.start(CHAT)
    assert loop_free.done()
