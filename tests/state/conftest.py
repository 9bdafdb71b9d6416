"""Fixtures for the store contract: every backend, SQLite files in tmp dirs, and the real
redis-server that `redis_url` (tests/conftest.py, shared with the adapter tests) starts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.core.knowledge import Knowledge, load_knowledge
from bot.state.store import MemoryStore, Store

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"

# A factory of stores that share one persistent backend: calling it twice is "restarting the bot".
Opener = Callable[[], Store]


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.e2e)])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def opener(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens stores on one backend; each call is a fresh process's view of the same state.

    `opener.spec` is how another process opens the same store: [kind, target, namespace]
    (None for memory, which no other process can see).
    """
    opened: list[Store] = []
    spec: list[str] | None = None
    if backend == "memory":
        shared = MemoryStore()

        def make() -> Store:  # memory has no restart: the same object stands in
            return shared

    elif backend == "sqlite":
        from bot.state.sqlite import SQLiteStore

        path = tmp_path / "natobot.sqlite3"
        spec = ["sqlite", str(path), ""]

        def make() -> Store:
            return SQLiteStore(path)

    else:
        from bot.state.redis import RedisStore

        url = request.getfixturevalue("redis_url")
        ns = f"natobot-test-{uuid.uuid4().hex[:8]}:"
        spec = ["redis", url, ns]

        def make() -> Store:
            return RedisStore(url, namespace=ns)

    def open_() -> Store:
        store = make()
        opened.append(store)
        return store

    open_.backend = backend  # type: ignore[attr-defined]
    open_.spec = spec  # type: ignore[attr-defined]
    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(opener: Opener) -> Store:
    return opener()


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge(KNOWLEDGE)
