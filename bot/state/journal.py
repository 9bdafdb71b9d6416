"""The update journal: platform updates received but not yet answered, kept across a kill -9.

A platform confirms an update as soon as the bot has taken it (Telegram: the next getUpdates offset,
or the webhook's 200), long before the reply is sent. The adapter records each update here *before*
that confirmation (`receive`), and marks it `answered` once handling is over; after a crash the next
start `replay`s what was received but never answered, at most `replays` times each (an update that
crashes the bot is not replayed forever). `receive` also answers "seen before?", so the same update
id delivered twice (a webhook redelivery, a replay racing a fetch) is handled once.

One SQLite file in the state directory (WAL, `synchronous=NORMAL`: a committed row survives the
process being killed; a power cut may lose the last few), or an in-memory database when the bot keeps
no state on disk. Rows are kept for `keep` seconds, the window in which a duplicate is recognised.
The async methods run the SQLite work in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "journal.sqlite3"
KEEP_SECONDS = 24 * 3600.0  # a duplicate is recognised for a day; older rows are deleted
REPLAYS = 1  # times an unanswered update is replayed after a restart
PRUNE_EVERY = 1000  # receives between two sweeps of old rows

_SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    payload TEXT NOT NULL,
    received REAL NOT NULL,
    answered REAL,
    replays INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, key)
);
CREATE INDEX IF NOT EXISTS unanswered ON updates (source, answered);
"""


class Journal:
    def __init__(self, path: str | Path = ":memory:", keep: float = KEEP_SECONDS, replays: int = REPLAYS) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.replays = replays
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._since_prune = 0
        self.prune()

    @classmethod
    def in_dir(cls, state_dir: str | Path) -> Journal:
        return cls(Path(state_dir) / FILE_NAME)

    # -- sync ------------------------------------------------------------------------------------
    def receive(self, source: str, key: str, payload: str) -> bool:
        """Record an update before it is confirmed; False when this `key` was received before."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO updates (source, key, payload, received) VALUES (?, ?, ?, ?)",
                (source, key, payload, time.time()),
            )
            self._since_prune += 1
            due = self._since_prune >= PRUNE_EVERY
        if due:
            self.prune()
        return cursor.rowcount == 1

    def answered(self, source: str, key: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE updates SET answered = ? WHERE source = ? AND key = ? AND answered IS NULL",
                (time.time(), source, key),
            )

    def replay(self, source: str) -> list[tuple[str, str]]:
        """(key, payload) of every update received and not answered, oldest first, each counted as
        replayed once more; those replayed `replays` times already are given up (logged)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key, payload, replays FROM updates WHERE source = ? AND answered IS NULL ORDER BY received",
                (source,),
            ).fetchall()
            out: list[tuple[str, str]] = []
            dropped: list[tuple[str, str]] = []
            for key, payload, replays in rows:
                (out if replays < self.replays else dropped).append((key, payload))
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE updates SET replays = replays + 1 WHERE source = ? AND key = ?",
                [(source, key) for key, _ in out],
            )
            self._db.executemany(
                "UPDATE updates SET answered = ? WHERE source = ? AND key = ?",
                [(time.time(), source, key) for key, _ in dropped],
            )
            self._db.execute("COMMIT")
        if dropped:
            log.error(
                "%s: %d update(s) were already replayed %d time(s) and still not answered; giving them up: %s",
                source,
                len(dropped),
                self.replays,
                ", ".join(key for key, _ in dropped[:20]),
            )
        if out:
            log.warning("%s: replaying %d update(s) received but not answered before a restart", source, len(out))
        return out

    def prune(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM updates WHERE received < ?", (time.time() - self.keep,))
            self._since_prune = 0

    def unanswered(self, source: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key FROM updates WHERE source = ? AND answered IS NULL ORDER BY received", (source,)
            ).fetchall()
        return [key for (key,) in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- async: the same, off the event loop -----------------------------------------------------
    async def areceive(self, source: str, key: str, payload: str) -> bool:
        return await asyncio.to_thread(self.receive, source, key, payload)

    async def aanswered(self, source: str, key: str) -> None:
        await asyncio.to_thread(self.answered, source, key)
