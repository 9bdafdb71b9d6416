"""The update journal (`bot.state.journal`) and per-platform health (`bot.ops.platforms`), without a platform."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from bot.ops import platforms
from bot.state.journal import Journal


def test_an_update_id_is_received_once_per_source(tmp_path: Path) -> None:
    journal = Journal.in_dir(tmp_path)
    assert journal.receive("telegram:1", "7", "{}") is True
    assert journal.receive("telegram:1", "7", '{"again": 1}') is False  # a redelivery
    assert journal.receive("telegram:2", "7", "{}") is True  # another bot's update 7


def _receive_then_die(path: str) -> None:
    journal = Journal(path)
    journal.receive("telegram:1", "1", '{"update_id": 1}')
    journal.receive("telegram:1", "2", '{"update_id": 2}')
    journal.answered("telegram:1", "1")
    os.kill(os.getpid(), signal.SIGKILL)


def test_unanswered_updates_survive_sigkill_and_are_replayed_once(tmp_path: Path) -> None:
    path = str(tmp_path / "journal.sqlite3")
    child = multiprocessing.get_context("fork").Process(target=_receive_then_die, args=(path,))
    child.start()
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
    journal = Journal(path)
    assert journal.replay("telegram:1") == [("2", '{"update_id": 2}')]
    assert journal.receive("telegram:1", "2", "{}") is False  # a redelivery racing the replay
    # Killed again before answering it: not replayed a second time (an update that crashes the bot
    # would otherwise crash it forever); it is given up and logged.
    assert Journal(path).replay("telegram:1") == []
    assert journal.unanswered("telegram:1") == []


def test_answered_updates_are_not_replayed(tmp_path: Path) -> None:
    journal = Journal.in_dir(tmp_path)
    journal.receive("s", "1", "a")
    journal.answered("s", "1")
    assert journal.replay("s") == []


def test_old_rows_are_pruned(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3", keep=-1.0)  # everything is already too old
    journal.receive("s", "1", "a")
    journal.prune()
    assert journal.receive("s", "1", "a") is True


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platforms, "_registered", {})
    monkeypatch.setattr(platforms, "GRACE", 0.0)


def test_health_reports_each_platform_and_turns_false_when_one_is_down(registry: None) -> None:
    state = {"ok": True, "platforms": {"discord": True}, "knowledge": "v"}
    assert platforms.merge(state) == state  # nothing registered: unchanged

    telegram = platforms.register("telegram")
    telegram.succeeded()
    merged = platforms.merge(state)
    assert merged["ok"] is True and merged["knowledge"] == "v"
    assert merged["platforms"]["discord"] is True
    assert merged["platforms"]["telegram"]["connected"] is True
    assert merged["platforms"]["telegram"]["last_ok_age_seconds"] >= 0

    telegram.failed()  # failing for longer than GRACE (0 s here)
    merged = platforms.merge(state)
    assert merged["ok"] is False and merged["platforms"]["telegram"]["connected"] is False
    telegram.succeeded()
    assert platforms.merge(state)["ok"] is True

    discord = platforms.register("discord")  # the Runtime's connection check says False: down
    discord.succeeded()
    merged = platforms.merge({"ok": True, "platforms": {"discord": False}})
    assert merged["ok"] is False and merged["platforms"]["discord"]["connected"] is False

    platforms.unregister(telegram)
    platforms.unregister(discord)
    assert platforms.merge(state) == state
