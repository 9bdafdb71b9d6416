"""What only one backend can get wrong: SQLite files, locks and migrations; Redis keys and reachability."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from bot.state import DB_NAME, MemoryStore, StoreError, open_store
from bot.state.redis import RedisStore, redact_url
from bot.state.sqlite import MIGRATIONS, SQLiteStore


def test_sqlite_uses_wal_and_records_schema_version(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    db = sqlite3.connect(tmp_path / "s.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in db.execute("SELECT version FROM schema_version")] == list(range(1, len(MIGRATIONS) + 1))
    db.close()
    SQLiteStore(tmp_path / "s.sqlite3").close()  # reopening applies nothing twice
    db = sqlite3.connect(tmp_path / "s.sqlite3")
    assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    db.close()


def test_sqlite_applies_new_migrations_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.sqlite3"
    store = SQLiteStore(path)
    store.set_lang("c", "ko")
    store.close()
    monkeypatch.setattr("bot.state.sqlite.MIGRATIONS", (*MIGRATIONS, "CREATE TABLE extra (x INTEGER)"))
    upgraded = SQLiteStore(path)
    assert upgraded.schema_version == len(MIGRATIONS) + 1
    assert upgraded.get_lang("c") == "ko"  # data kept across the upgrade
    upgraded.close()


def test_sqlite_quiz_from_schema_1_is_listed_open_without_a_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    with monkeypatch.context() as patch:
        patch.setattr("bot.state.sqlite.MIGRATIONS", MIGRATIONS[:1])  # the release before deadlines
        old = SQLiteStore(path)
        quiz = old.create_quiz("telegram:1", [{"n": 0}, {"n": 1}])
        old.close()
    upgraded = SQLiteStore(path)
    assert upgraded.schema_version == len(MIGRATIONS) >= 2
    [listed] = upgraded.open_quizzes("telegram:")
    assert (listed.id, listed.current, listed.deadline, listed.posted) == (quiz.id, 0, None, None)
    assert upgraded.mark_posted(quiz.id, 0, 5.0, {"poll": "1"}) and upgraded.get_quiz(quiz.id).deadline == 5.0  # type: ignore[union-attr]
    upgraded.close()


def test_sqlite_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_version VALUES (999)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this natobot"):
        SQLiteStore(path)


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is not an sqlite database, it is a shopping list\n" * 200)
    with pytest.raises(StoreError) as info:
        open_store(path)
    message = str(info.value)
    assert str(path) in message and "move the file aside" in message
    assert path.read_bytes().startswith(b"this is not")  # nothing overwritten: the operator decides


def test_damaged_pages_are_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    store = SQLiteStore(path)
    quiz = store.create_quiz("c", [{"text": "x" * 3000} for _ in range(20)])
    store.record_answer(quiz.id, 0, "u", "U", 0, True)
    store.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # trash every page header but the first
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        s = SQLiteStore(path)
        s.leaderboard("c")
        s.get_quiz(quiz.id)


def test_locked_database_errors_after_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    store = SQLiteStore(path, busy_timeout=0.3)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="locked by another process") as info:
            store.set_lang("c", "ko")
        assert 0.2 < time.monotonic() - started < 5
        assert "NATOBOT_STATE_DIR" in str(info.value)
        with pytest.raises(StoreError, match="locked"):
            SQLiteStore(path, busy_timeout=0.2)  # opening needs the lock for migrations too
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.set_lang("c", "ko")  # usable again once the lock is gone
    assert store.get_lang("c") == "ko"
    store.close()


def test_unwritable_state_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="NATOBOT_STATE_DIR"):
        SQLiteStore(blocker / "sub" / DB_NAME)


def test_open_store_chooses_the_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis_url: str) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    store = open_store(SimpleNamespace(state_dir=tmp_path / "state"))
    assert isinstance(store, SQLiteStore) and store.path == str(tmp_path / "state" / DB_NAME)
    store.close()
    monkeypatch.setenv("NATOBOT_STATE_DIR", str(tmp_path / "env"))
    store = open_store()
    assert isinstance(store, SQLiteStore) and Path(store.path).parent == tmp_path / "env"
    store.close()
    store = open_store(f"sqlite:///{tmp_path}/u.sqlite3")
    assert isinstance(store, SQLiteStore) and store.path == f"{tmp_path}/u.sqlite3"
    store.close()
    assert isinstance(open_store("memory://"), MemoryStore)
    monkeypatch.setenv("REDIS_URL", redis_url)
    store = open_store(SimpleNamespace(state_dir=tmp_path))
    assert isinstance(store, RedisStore)
    store.close()
    store = open_store(SimpleNamespace(state_dir=tmp_path, redis_url=redis_url))
    assert isinstance(store, RedisStore)
    store.close()


def test_unreachable_redis_is_a_clear_error() -> None:
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        RedisStore("redis://:hunter2@127.0.0.1:1/0", timeout=1)
    assert "REDIS_URL" in str(info.value) and "hunter2" not in str(info.value)
    assert time.monotonic() - started < 5
    assert redact_url("redis://u:pw@h:6379/0") == "redis://u:***@h:6379/0"


def test_redis_keys_are_namespaced_and_quizzes_expire(redis_url: str) -> None:
    store = RedisStore(redis_url, namespace="natobot-ns-test:")
    raw = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        quiz = store.create_quiz("telegram:1", [{"q": 1}])
        store.record_answer(quiz.id, 0, "u", "U", 0, True)
        store.link_ref("poll:1", quiz.id, 0)
        store.set_lang("telegram:1", "en")
        store.log_gap("budget", "en", "telegram")
        mine = set(raw.keys("natobot-ns-test:*"))
        assert {
            "natobot-ns-test:lang",
            "natobot-ns-test:gaps",
            "natobot-ns-test:lb:telegram:1",
            "natobot-ns-test:ref:poll:1",
            f"natobot-ns-test:quiz:{quiz.id}",
        } <= mine
        strays = [k for k in raw.keys("*") if not k.startswith(("natobot-ns-test:", "natobot-test-"))]
        assert strays == []  # nothing outside a namespace (other tests use natobot-test-*)
        assert raw.ttl(f"natobot-ns-test:quiz:{quiz.id}") > 0
        store.advance_quiz(quiz.id, 0)
        assert 0 < raw.ttl(f"natobot-ns-test:quiz:{quiz.id}") <= 7 * 24 * 3600
        assert raw.ttl("natobot-ns-test:lb:telegram:1") == -1  # scores never expire
        assert RedisStore(redis_url).ns == "natobot:"
    finally:
        for key in raw.keys("natobot-ns-test:*"):
            raw.delete(key)
        raw.close()
        store.close()


@pytest.mark.e2e
def test_redis_without_persistence_is_warned_about_at_start(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 15, item 9: the test server runs with `--save "" --appendonly no`, as a default-less Redis
    might; killing it would lose every score, so the store says so once it connects."""
    import logging

    import redis

    from bot.state.redis import RedisStore

    with caplog.at_level(logging.WARNING, logger="bot.state.redis"):
        store = RedisStore(redis_url, namespace="natobot-test-aof:")
    try:
        assert store.persistent is False
        assert any("persistence off" in r.getMessage() for r in caplog.records)
        client = redis.Redis.from_url(redis_url)
        client.config_set("appendonly", "yes")
        try:
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="bot.state.redis"):
                again = RedisStore(redis_url, namespace="natobot-test-aof:")
            assert again.persistent is True and not caplog.records
            again.close()
        finally:
            client.config_set("appendonly", "no")
            client.close()
    finally:
        store.close()
