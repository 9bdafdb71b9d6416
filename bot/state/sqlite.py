"""The embedded default store: one SQLite file, safe for several processes on one machine.

WAL mode lets readers run while one process writes; every write is a `BEGIN IMMEDIATE`
transaction, so two processes recording the same answer serialise on the database lock and
the primary key on (quiz, question, user) rejects the second. Waiting for the lock is bounded
by `busy_timeout`; after that the caller gets a `StoreError` that says what to do, never a hang
and never a silently dropped score.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.state.store import (
    ACTIVE_TTL,
    FINISHED_TTL,
    GAP_TEXT_MAX,
    AnswerRecord,
    AnswerResult,
    Gap,
    Outcome,
    QuizState,
    Standing,
    StoreError,
    check_posted,
    check_questions,
    from_ts,
    new_quiz_id,
    now_ts,
    rank,
    scored,
)

# Ordered migrations: version N is MIGRATIONS[N - 1]. Append, never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE chat_settings (chat TEXT PRIMARY KEY, lang TEXT);
    CREATE TABLE quizzes (
        id TEXT PRIMARY KEY, chat TEXT NOT NULL, questions TEXT NOT NULL,
        current INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL, updated REAL NOT NULL
    );
    CREATE INDEX quizzes_chat ON quizzes (chat, finished);
    CREATE TABLE quiz_answers (
        quiz_id TEXT NOT NULL, q_index INTEGER NOT NULL, user TEXT NOT NULL, name TEXT NOT NULL,
        option INTEGER NOT NULL, correct INTEGER NOT NULL, answered REAL NOT NULL,
        PRIMARY KEY (quiz_id, q_index, user)
    );
    CREATE TABLE quiz_refs (
        ref TEXT PRIMARY KEY, quiz_id TEXT NOT NULL, q_index INTEGER NOT NULL, created REAL NOT NULL
    );
    CREATE TABLE scores (
        chat TEXT NOT NULL, user TEXT NOT NULL, name TEXT NOT NULL,
        score INTEGER NOT NULL, correct INTEGER NOT NULL, answered INTEGER NOT NULL,
        streak INTEGER NOT NULL, best_streak INTEGER NOT NULL, updated REAL NOT NULL,
        PRIMARY KEY (chat, user)
    );
    CREATE TABLE gaps (
        text TEXT NOT NULL, lang TEXT NOT NULL, platform TEXT NOT NULL, count INTEGER NOT NULL,
        first_seen REAL NOT NULL, last_seen REAL NOT NULL,
        PRIMARY KEY (text, lang, platform)
    );
    """,
    # 2: the open question's deadline and platform ids, so that a restarted bot can close it.
    """
    ALTER TABLE quizzes ADD COLUMN posted_index INTEGER;
    ALTER TABLE quizzes ADD COLUMN deadline REAL;
    ALTER TABLE quizzes ADD COLUMN posted TEXT;
    """,
)

_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")
_CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _translate(exc: sqlite3.Error, path: str, timeout: float) -> StoreError:
    """Turn sqlite3's terse errors into ones that tell the operator what to do."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(_LOCKED) or "locked" in text or "busy" in text:
        return StoreError(
            f"the state database {path} stayed locked by another process for more than {timeout:g}s; "
            "nothing was written. Check for a stuck natobot process or a tool holding the file open, "
            "or give each bot its own NATOBOT_STATE_DIR (use REDIS_URL to share state between processes)."
        )
    if name.startswith(_CORRUPT) or "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the state database {path} is damaged or is not a natobot database ({exc}). "
            f"Stop the bot, move the file aside (e.g. mv {path} {path}.broken) and restart to begin with "
            "an empty state, or restore it from a backup."
        )
    return StoreError(f"the state database {path} failed: {exc}")


class SQLiteStore:
    """The `Store` protocol over one SQLite file (see the module docstring for the guarantees)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = 5.0) -> None:
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the state folder for {self.path}: {exc.strerror}; "
                    "set NATOBOT_STATE_DIR to a writable folder"
                ) from None
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _translate(exc, self.path, busy_timeout) from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL").fetchone()
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise _translate(exc, self.path, busy_timeout) from None
        except StoreError:
            self._db.close()
            raise

    # -- plumbing --------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self._tx() as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT max(version) FROM schema_version").fetchone()
            version = row[0] or 0
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the state database {self.path} has schema version {version}, newer than this natobot "
                    f"understands ({len(MIGRATIONS)}); upgrade natobot or use another NATOBOT_STATE_DIR"
                )
            for number in range(version + 1, len(MIGRATIONS) + 1):
                for statement in MIGRATIONS[number - 1].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (number,))

    @property
    def schema_version(self) -> int:
        with self._read() as db:
            return int(db.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the database lock up front (no lock upgrades, no deadlock)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _translate(exc, self.path, self.busy_timeout) from None
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc, self.path, self.busy_timeout) from None
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise _translate(exc, self.path, self.busy_timeout) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- settings --------------------------------------------------------------------------

    def get_lang(self, chat: str) -> str | None:
        with self._read() as db:
            row = db.execute("SELECT lang FROM chat_settings WHERE chat = ?", (chat,)).fetchone()
        return row[0] if row else None

    def set_lang(self, chat: str, lang: str | None) -> None:
        with self._tx() as db:
            if lang is None:
                db.execute("DELETE FROM chat_settings WHERE chat = ?", (chat,))
            else:
                db.execute(
                    "INSERT INTO chat_settings (chat, lang) VALUES (?, ?) "
                    "ON CONFLICT (chat) DO UPDATE SET lang = excluded.lang",
                    (chat, lang),
                )

    # -- quizzes ---------------------------------------------------------------------------

    @staticmethod
    def _quiz(row: tuple[Any, ...] | None) -> QuizState | None:
        if row is None:
            return None
        quiz_id, chat, questions, current, finished, created, posted_index, deadline, posted = row
        shown = not finished and posted_index == current  # the deadline is the open question's
        return QuizState(
            quiz_id,
            chat,
            tuple(json.loads(questions)),
            current,
            bool(finished),
            created,
            deadline if shown else None,
            json.loads(posted) if shown and posted else None,
        )

    _QUIZ_COLS = "id, chat, questions, current, finished, created, posted_index, deadline, posted"

    def create_quiz(self, chat: str, questions: Sequence[Mapping[str, Any]]) -> QuizState:
        qs = check_questions(questions)
        now = time.time()
        state = QuizState(new_quiz_id(), chat, qs, 0, False, now)
        with self._tx() as db:
            self._expire(db, now)
            db.execute("UPDATE quizzes SET finished = 1, updated = ? WHERE chat = ? AND finished = 0", (now, chat))
            db.execute(
                "INSERT INTO quizzes (id, chat, questions, current, finished, created, updated) "
                "VALUES (?, ?, ?, 0, 0, ?, ?)",
                (state.id, chat, json.dumps(list(qs), ensure_ascii=False), now, now),
            )
        return state

    @staticmethod
    def _expire(db: sqlite3.Connection, now: float) -> None:
        """Drop old quizzes with their answers and refs; scores are kept forever."""
        old = "SELECT id FROM quizzes WHERE (finished = 1 AND updated < ?) OR updated < ?"
        args = (now - FINISHED_TTL, now - ACTIVE_TTL - FINISHED_TTL)
        db.execute(f"DELETE FROM quiz_answers WHERE quiz_id IN ({old})", args)
        db.execute(f"DELETE FROM quiz_refs WHERE quiz_id IN ({old})", args)
        db.execute(f"DELETE FROM quizzes WHERE id IN ({old})", args)

    def get_quiz(self, quiz_id: str) -> QuizState | None:
        with self._read() as db:
            return self._quiz(db.execute(f"SELECT {self._QUIZ_COLS} FROM quizzes WHERE id = ?", (quiz_id,)).fetchone())

    def active_quiz(self, chat: str) -> QuizState | None:
        with self._read() as db:
            return self._quiz(
                db.execute(
                    f"SELECT {self._QUIZ_COLS} FROM quizzes WHERE chat = ? AND finished = 0 "
                    "ORDER BY created DESC LIMIT 1",
                    (chat,),
                ).fetchone()
            )

    def advance_quiz(self, quiz_id: str, from_index: int) -> QuizState | None:
        with self._tx() as db:
            state = self._quiz(db.execute(f"SELECT {self._QUIZ_COLS} FROM quizzes WHERE id = ?", (quiz_id,)).fetchone())
            if state is None or state.finished or state.current != from_index:
                return None
            nxt = from_index + 1
            done = nxt >= len(state.questions)
            db.execute(
                "UPDATE quizzes SET current = ?, finished = ?, updated = ? WHERE id = ?",
                (from_index if done else nxt, int(done), time.time(), quiz_id),
            )
        return QuizState(state.id, state.chat, state.questions, from_index if done else nxt, done, state.created)

    def finish_quiz(self, quiz_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute(
                "UPDATE quizzes SET finished = 1, updated = ? WHERE id = ? AND finished = 0", (time.time(), quiz_id)
            )
            return cur.rowcount == 1

    def mark_posted(self, quiz_id: str, index: int, deadline: float, posted: Mapping[str, Any] | None = None) -> bool:
        data = check_posted(posted)
        with self._tx() as db:
            cur = db.execute(
                "UPDATE quizzes SET posted_index = ?, deadline = ?, posted = ?, updated = ? "
                "WHERE id = ? AND finished = 0 AND current = ?",
                (
                    index,
                    float(deadline),
                    None if data is None else json.dumps(data, ensure_ascii=False),
                    time.time(),
                    quiz_id,
                    index,
                ),
            )
            return cur.rowcount == 1

    def open_quizzes(self, prefix: str) -> list[QuizState]:
        with self._read() as db:
            rows = db.execute(
                f"SELECT {self._QUIZ_COLS} FROM quizzes WHERE finished = 0 AND substr(chat, 1, ?) = ? "
                "ORDER BY created, id",
                (len(prefix), prefix),
            ).fetchall()
        return [quiz for row in rows if (quiz := self._quiz(row)) is not None]

    def record_answer(
        self, quiz_id: str, index: int, user: str, name: str, option: int, correct: bool, points: int = 1
    ) -> AnswerResult:
        now = time.time()
        with self._tx() as db:
            row = db.execute("SELECT chat, current, finished FROM quizzes WHERE id = ?", (quiz_id,)).fetchone()
            if row is None:
                return AnswerResult(Outcome.unknown)
            chat, current, finished = row
            if finished or current != index:
                return AnswerResult(Outcome.closed)
            cur = db.execute(
                "INSERT INTO quiz_answers (quiz_id, q_index, user, name, option, correct, answered) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (quiz_id, index, user, name, option, int(correct), now),
            )
            if cur.rowcount != 1:
                return AnswerResult(Outcome.duplicate)
            old = self._standing(db, chat, user) or Standing(chat, user, name)
            new = scored(old, name, correct, points)
            db.execute(
                "INSERT INTO scores (chat, user, name, score, correct, answered, streak, best_streak, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat, user) DO UPDATE SET "
                "name = excluded.name, score = excluded.score, correct = excluded.correct, "
                "answered = excluded.answered, streak = excluded.streak, best_streak = excluded.best_streak, "
                "updated = excluded.updated",
                (chat, user, new.name, new.score, new.correct, new.answered, new.streak, new.best_streak, now),
            )
        return AnswerResult(Outcome.accepted, new)

    def answers(self, quiz_id: str, index: int) -> list[AnswerRecord]:
        with self._read() as db:
            rows = db.execute(
                "SELECT user, name, option, correct FROM quiz_answers WHERE quiz_id = ? AND q_index = ? ORDER BY user",
                (quiz_id, index),
            ).fetchall()
        return [AnswerRecord(u, n, o, bool(c)) for u, n, o, c in rows]

    def link_ref(self, ref: str, quiz_id: str, index: int) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO quiz_refs (ref, quiz_id, q_index, created) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (ref) DO UPDATE SET quiz_id = excluded.quiz_id, q_index = excluded.q_index",
                (ref, quiz_id, index, time.time()),
            )

    def resolve_ref(self, ref: str) -> tuple[str, int] | None:
        with self._read() as db:
            row = db.execute("SELECT quiz_id, q_index FROM quiz_refs WHERE ref = ?", (ref,)).fetchone()
        return (row[0], row[1]) if row else None

    # -- leaderboards ----------------------------------------------------------------------

    _SCORE_COLS = "chat, user, name, score, correct, answered, streak, best_streak"

    def _standing(self, db: sqlite3.Connection, chat: str, user: str) -> Standing | None:
        row = db.execute(f"SELECT {self._SCORE_COLS} FROM scores WHERE chat = ? AND user = ?", (chat, user)).fetchone()
        return Standing(*row) if row else None

    def standing(self, chat: str, user: str) -> Standing | None:
        with self._read() as db:
            return self._standing(db, chat, user)

    def leaderboard(self, chat: str, limit: int = 10) -> list[Standing]:
        with self._read() as db:
            rows = db.execute(f"SELECT {self._SCORE_COLS} FROM scores WHERE chat = ?", (chat,)).fetchall()
        return rank((Standing(*r) for r in rows), limit)

    def reset_leaderboard(self, chat: str) -> int:
        with self._tx() as db:
            return db.execute("DELETE FROM scores WHERE chat = ?", (chat,)).rowcount

    # -- unanswered-question log -----------------------------------------------------------

    def log_gap(self, text: str, lang: str, platform: str, now: datetime | None = None) -> None:
        ts = now_ts(now)
        with self._tx() as db:
            db.execute(
                "INSERT INTO gaps (text, lang, platform, count, first_seen, last_seen) VALUES (?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (text, lang, platform) DO UPDATE SET count = count + 1, "
                "first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)",
                (text[:GAP_TEXT_MAX], lang, platform, ts, ts),
            )

    def top_gaps(self, n: int = 20) -> list[Gap]:
        with self._read() as db:
            rows = db.execute(
                "SELECT text, lang, platform, count, first_seen, last_seen FROM gaps "
                "ORDER BY count DESC, last_seen DESC, text, lang, platform LIMIT ?",
                (max(0, n),),
            ).fetchall()
        return [Gap(t, la, p, c, from_ts(f), from_ts(ls)) for t, la, p, c, f, ls in rows]
