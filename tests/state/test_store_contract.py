"""One contract, every backend: memory, SQLite and a real redis-server (see conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.state.store import GAP_TEXT_MAX, Outcome, Store

Opener = Callable[[], Store]  # see the `opener` fixture in conftest.py

WORKER = Path(__file__).with_name("store_worker.py")
QUESTIONS = [{"n": i, "text": f"question {i} — 질문"} for i in range(3)]


def test_backend_implements_the_whole_protocol(store: Store) -> None:
    assert isinstance(store, Store)  # runtime_checkable: every method of the protocol is present


def test_language_per_chat(store: Store) -> None:
    assert store.get_lang("telegram:1") is None
    store.set_lang("telegram:1", "ko")
    store.set_lang("discord:guild:1", "en")
    assert store.get_lang("telegram:1") == "ko"
    assert store.get_lang("discord:guild:1") == "en"
    store.set_lang("telegram:1", None)
    assert store.get_lang("telegram:1") is None


def test_quiz_lifecycle(store: Store) -> None:
    quiz = store.create_quiz("telegram:1", QUESTIONS)
    assert (quiz.current, quiz.finished, quiz.chat) == (0, False, "telegram:1")
    assert store.get_quiz(quiz.id) == quiz
    assert store.active_quiz("telegram:1") == quiz
    assert store.active_quiz("telegram:2") is None
    assert store.get_quiz(quiz.id).questions[0] == QUESTIONS[0]  # type: ignore[union-attr]

    moved = store.advance_quiz(quiz.id, 0)
    assert moved is not None and moved.current == 1 and not moved.finished
    assert store.advance_quiz(quiz.id, 0) is None  # a second process closing question 0 again: no-op
    assert store.get_quiz(quiz.id).current == 1  # type: ignore[union-attr]
    assert store.advance_quiz(quiz.id, 1).current == 2  # type: ignore[union-attr]
    last = store.advance_quiz(quiz.id, 2)
    assert last is not None and last.finished
    assert store.active_quiz("telegram:1") is None
    assert store.get_quiz(quiz.id).finished  # type: ignore[union-attr]
    assert store.advance_quiz(quiz.id, 2) is None
    assert store.get_quiz("no-such-quiz") is None
    assert store.advance_quiz("no-such-quiz", 0) is None


def test_new_quiz_replaces_running_one(store: Store) -> None:
    first = store.create_quiz("c", QUESTIONS)
    second = store.create_quiz("c", QUESTIONS)
    assert first.id != second.id
    assert store.get_quiz(first.id).finished  # type: ignore[union-attr]
    assert store.active_quiz("c").id == second.id  # type: ignore[union-attr]
    assert store.finish_quiz(second.id) is True
    assert store.finish_quiz(second.id) is False
    assert store.active_quiz("c") is None
    with pytest.raises(ValueError):
        store.create_quiz("c", [])


def test_open_quizzes_carry_the_open_questions_deadline_across_a_restart(opener: Opener) -> None:
    store = opener()
    assert store.open_quizzes("telegram:") == []
    tg = store.create_quiz("telegram:1", QUESTIONS)
    dc = store.create_quiz("discord:guild:7", QUESTIONS[:1])
    store.finish_quiz(store.create_quiz("telegram:2", QUESTIONS).id)
    [listed] = store.open_quizzes("telegram:")
    assert listed == tg and listed.deadline is None and listed.posted is None  # not posted yet

    assert store.mark_posted(tg.id, 0, 1234.5, {"poll": "p-1", "message": 910000000000000001}) is True
    assert store.mark_posted(tg.id, 1, 99.0) is False  # not at that question: nothing stored
    assert store.mark_posted("no-such-quiz", 0, 99.0) is False
    with pytest.raises(ValueError):
        store.mark_posted(tg.id, 0, 99.0, {"not": object()})

    restarted = opener()  # another process, or this one after a restart
    [listed] = restarted.open_quizzes("telegram:")
    assert (listed.id, listed.current, listed.deadline) == (tg.id, 0, 1234.5)
    assert listed.posted == {"poll": "p-1", "message": 910000000000000001}
    assert restarted.get_quiz(tg.id) == listed == restarted.active_quiz("telegram:1")
    assert [q.id for q in restarted.open_quizzes("discord:")] == [dc.id]
    assert {q.id for q in restarted.open_quizzes("")} == {tg.id, dc.id}

    moved = restarted.advance_quiz(tg.id, 0)  # question 1 is open but not yet posted: no deadline
    assert moved is not None and moved.deadline is None and moved.posted is None
    [listed] = store.open_quizzes("telegram:")
    assert (listed.current, listed.deadline, listed.posted) == (1, None, None)
    assert store.mark_posted(tg.id, 1, 2000.25) is True
    assert restarted.open_quizzes("telegram:")[0].deadline == 2000.25
    assert restarted.open_quizzes("telegram:")[0].posted is None
    restarted.advance_quiz(tg.id, 1)
    restarted.advance_quiz(tg.id, 2)
    assert store.open_quizzes("telegram:") == [] and store.get_quiz(tg.id).deadline is None  # type: ignore[union-attr]
    assert store.finish_quiz(dc.id) and store.open_quizzes("discord:") == []


def test_open_quizzes_prefix_is_literal(store: Store) -> None:
    odd = store.create_quiz("x:*?[a]\\1", QUESTIONS)
    store.create_quiz("x:b", QUESTIONS)
    store.create_quiz("xy:*", QUESTIONS)
    assert [q.id for q in store.open_quizzes("x:*?[a]\\")] == [odd.id]
    assert len(store.open_quizzes("x:")) == 2 and store.open_quizzes("x:%") == []


def test_each_user_scored_once_per_question(store: Store) -> None:
    quiz = store.create_quiz("c", QUESTIONS)
    first = store.record_answer(quiz.id, 0, "u1", "Ann", 2, True)
    assert first.accepted and first.standing is not None
    assert (first.standing.score, first.standing.correct, first.standing.streak) == (1, 1, 1)
    again = store.record_answer(quiz.id, 0, "u1", "Ann", 1, False)
    assert again.outcome is Outcome.duplicate and again.standing is None
    assert store.record_answer(quiz.id, 1, "u1", "Ann", 1, True).outcome is Outcome.closed  # not open yet
    assert store.record_answer("nope", 0, "u1", "Ann", 1, True).outcome is Outcome.unknown
    assert store.standing("c", "u1").score == 1  # type: ignore[union-attr]
    assert [(a.user, a.option, a.correct) for a in store.answers(quiz.id, 0)] == [("u1", 2, True)]
    store.advance_quiz(quiz.id, 0)
    assert store.record_answer(quiz.id, 0, "u2", "Bo", 1, True).outcome is Outcome.closed  # closed question
    store.finish_quiz(quiz.id)
    assert store.record_answer(quiz.id, 1, "u2", "Bo", 1, True).outcome is Outcome.closed


def _answer_series(store: Store, chat: str, user: str, name: str, results: list[bool]) -> None:
    for correct in results:
        quiz = store.active_quiz(chat) or store.create_quiz(chat, QUESTIONS)
        assert store.record_answer(quiz.id, quiz.current, user, name, 0, correct).accepted
        store.advance_quiz(quiz.id, quiz.current)


def test_streaks_and_points(store: Store) -> None:
    _answer_series(store, "c", "u1", "Ann", [True, True, False, True, True, True, False])
    s = store.standing("c", "u1")
    assert s is not None
    assert (s.score, s.correct, s.answered, s.streak, s.best_streak) == (5, 5, 7, 0, 3)
    quiz = store.create_quiz("c", QUESTIONS)
    s2 = store.record_answer(quiz.id, 0, "u1", "Ann B.", 0, True, points=3).standing
    assert s2 is not None and (s2.score, s2.streak, s2.name) == (8, 1, "Ann B.")  # display name follows renames


def test_leaderboard_order_isolation_and_reset(store: Store) -> None:
    _answer_series(store, "g1", "a", "Ann", [True, True, True])
    _answer_series(store, "g1", "b", "Bo", [True, False, True])
    _answer_series(store, "g1", "c", "Cy", [True, True, False, True])  # 3 correct, best streak 2
    _answer_series(store, "g1", "d", "Di", [False])
    _answer_series(store, "g2", "a", "Ann", [True])
    board = store.leaderboard("g1")
    assert [s.user for s in board] == ["a", "c", "b", "d"]
    assert [s.user for s in store.leaderboard("g1", limit=2)] == ["a", "c"]
    assert board[0].best_streak == 3 and board[1].best_streak == 2
    assert store.reset_leaderboard("g1") == 4
    assert store.leaderboard("g1") == []
    assert store.standing("g1", "a") is None
    assert [s.user for s in store.leaderboard("g2")] == ["a"]
    assert store.reset_leaderboard("g1") == 0


def test_tied_scores_rank_by_streak_then_name(store: Store) -> None:
    _answer_series(store, "t", "z", "Zed", [True, False, True])
    _answer_series(store, "t", "y", "Yan", [True, True])
    _answer_series(store, "t", "x", "Xia", [True, True])
    assert [s.user for s in store.leaderboard("t")] == ["x", "y", "z"]


def test_refs_map_platform_ids_to_questions(store: Store) -> None:
    quiz = store.create_quiz("c", QUESTIONS)
    store.link_ref("poll:5551234", quiz.id, 1)
    assert store.resolve_ref("poll:5551234") == (quiz.id, 1)
    assert store.resolve_ref("poll:0") is None


def test_unicode_names_and_keys(store: Store) -> None:
    quiz = store.create_quiz("telegram:-100123", QUESTIONS)
    r = store.record_answer(quiz.id, 0, "telegram:42", '김민수 🇰🇷 "quote" \\', 1, True)
    assert r.standing is not None and r.standing.name == '김민수 🇰🇷 "quote" \\'
    assert store.leaderboard("telegram:-100123")[0].name == '김민수 🇰🇷 "quote" \\'


def test_gap_log_counts_without_user_ids(store: Store) -> None:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    store.log_gap("what is nato's budget", "en", "telegram", now=t0)
    store.log_gap("what is nato's budget", "en", "telegram", now=t0 + timedelta(hours=1))
    store.log_gap("what is nato's budget", "en", "discord", now=t0 + timedelta(hours=2))
    store.log_gap("나토 예산은?", "ko", "telegram", now=t0 + timedelta(hours=3))
    store.log_gap("나토 예산은?", "ko", "telegram", now=t0 + timedelta(hours=4))
    store.log_gap("나토 예산은?", "ko", "telegram", now=t0 + timedelta(hours=5))
    store.log_gap("x" * 500, "en", "console", now=t0)
    top = store.top_gaps(10)
    assert [(g.text, g.lang, g.platform, g.count) for g in top[:3]] == [
        ("나토 예산은?", "ko", "telegram", 3),
        ("what is nato's budget", "en", "telegram", 2),
        ("what is nato's budget", "en", "discord", 1),
    ]
    assert top[0].first_seen == t0 + timedelta(hours=3)
    assert top[0].last_seen == t0 + timedelta(hours=5)
    assert top[1].first_seen == t0 and top[1].last_seen == t0 + timedelta(hours=1)
    assert len(top[3].text) == GAP_TEXT_MAX
    assert len(store.top_gaps(2)) == 2


def test_scores_survive_restart(opener: Opener) -> None:
    if opener.backend == "memory":  # type: ignore[attr-defined]
        pytest.skip("memory state ends with the process by design")
    first = opener()
    first.set_lang("telegram:1", "ko")
    quiz = first.create_quiz("telegram:1", QUESTIONS)
    first.record_answer(quiz.id, 0, "u1", "Ann", 0, True)
    first.link_ref("poll:1", quiz.id, 0)
    first.log_gap("budget", "en", "telegram")
    first.close()
    second = opener()
    assert second.get_lang("telegram:1") == "ko"
    assert second.standing("telegram:1", "u1").score == 1  # type: ignore[union-attr]
    assert second.active_quiz("telegram:1").id == quiz.id  # type: ignore[union-attr]
    assert second.resolve_ref("poll:1") == (quiz.id, 0)
    assert second.record_answer(quiz.id, 0, "u1", "Ann", 0, True).outcome is Outcome.duplicate
    assert second.top_gaps(1)[0].count == 1


def test_concurrent_threads(store: Store) -> None:
    quiz = store.create_quiz("c", QUESTIONS)
    results: list[Outcome] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def answer(user: str) -> None:
        barrier.wait()
        outcome = store.record_answer(quiz.id, 0, user, user, 0, True).outcome
        with lock:
            results.append(outcome)

    users = [f"u{i}" for i in range(8)] + ["same"] * 8
    threads = [threading.Thread(target=answer, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(Outcome.accepted) == 9
    assert results.count(Outcome.duplicate) == 7
    assert len(store.leaderboard("c", limit=100)) == 9


def _run_workers(opener: Opener, tmp_path: Path, quiz_id: str, groups: list[list[str]]) -> list[str]:
    """Start one process per group of users, release them together, return every outcome."""
    kind, target, ns = opener.spec  # type: ignore[attr-defined]
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), kind, target, ns, quiz_id, "0", str(go), *users],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for users in groups
    ]
    for p in procs:  # wait until every process has its store open, so they really race
        assert p.stderr is not None
        line = p.stderr.readline()
        assert line.strip() == "ready", line + p.stderr.read()
    go.touch()
    outcomes: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=30)
        assert p.returncode == 0, err
        outcomes.extend(json.loads(out))
    return outcomes


def test_two_processes_answering_at_once_count_once(opener: Opener, tmp_path: Path) -> None:
    if opener.spec is None:  # type: ignore[attr-defined]
        pytest.skip("memory state is per process")
    store = opener()
    quiz = store.create_quiz("c", QUESTIONS)
    outcomes = _run_workers(opener, tmp_path, quiz.id, [["same"] * 5 for _ in range(4)])
    assert outcomes.count("accepted") == 1
    assert outcomes.count("duplicate") == 19
    s = store.standing("c", "same")
    assert s is not None and (s.score, s.answered) == (1, 1)


def test_many_users_in_many_processes_all_counted(opener: Opener, tmp_path: Path) -> None:
    if opener.spec is None:  # type: ignore[attr-defined]
        pytest.skip("memory state is per process")
    store = opener()
    quiz = store.create_quiz("c", QUESTIONS)
    groups = [[f"p{p}u{u}" for u in range(25)] for p in range(4)]
    outcomes = _run_workers(opener, tmp_path, quiz.id, groups)
    assert outcomes == ["accepted"] * 100
    board = store.leaderboard("c", limit=1000)
    assert len(board) == 100 and all(s.score == 1 for s in board)
    assert len(store.answers(quiz.id, 0)) == 100
