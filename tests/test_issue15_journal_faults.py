"""Issue 15, "nothing blocked" for the update journal (item 5): when the journal cannot be written (a
full disk, a lock), updates are still answered, unjournalled, rather than refused at the door.

The real PTB bot against the fake Bot API, its journal an on-disk SQLite file that another connection
holds with `BEGIN EXCLUSIVE` (the journal's busy timeout shortened to 0.1 s so the test is quick; a full
disk fails the same INSERT with "disk I/O error").

    .venv/bin/pytest -q tests/test_issue15_journal_faults.py
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS / "telegram"))

from fake_bot_api import FakeBotAPI  # noqa: E402
from telegram_harness import KNOWLEDGE, Harness, make_settings  # noqa: E402

from bot.adapters.telegram import serve  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.state.journal import Journal  # noqa: E402

pytestmark = pytest.mark.e2e


async def test_a_journal_that_cannot_be_written_does_not_stop_the_answers(tmp_path: Path) -> None:
    """Before: the journal's INSERT raised inside the update queue's put, PTB's polling loop logged it and
    fetched the same updates again, forever: no question was answered while the journal failed."""
    fake = await FakeBotAPI().start()
    journal = Journal(tmp_path / "journal.sqlite3")
    journal._db.execute("PRAGMA busy_timeout = 100")
    runtime = Runtime(KNOWLEDGE)
    task = asyncio.create_task(serve(runtime, make_settings(fake), journal=journal))
    holder = sqlite3.connect(tmp_path / "journal.sqlite3", isolation_level=None)
    try:
        await asyncio.wait_for(fake.wait_for("getUpdates"), 15)
        bot = Harness(fake, runtime)
        assert (await bot.ask("Is Korea in NATO?"))["text"].startswith("<b>South Korea")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM updates WHERE 0")  # a write: the lock is really held
        reply = await bot.ask("Is Finland in NATO?", chat_id=1002)
        assert reply["text"].startswith("<b>Finland")
        holder.execute("COMMIT")
        assert (await bot.ask("Is Sweden in NATO?", chat_id=1003))["text"].startswith("<b>Sweden")
    finally:
        with contextlib.suppress(sqlite3.Error):
            holder.execute("ROLLBACK")
        holder.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)
        await fake.stop()
        journal.close()
