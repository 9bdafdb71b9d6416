"""Fixtures for the store contract: a real redis-server on 127.0.0.1, SQLite files in tmp dirs.

In CI the Redis tests must run, not skip: a missing redis-server is an error unless
NATOBOT_SKIP_REDIS=1 says skipping is intended (e.g. on a laptop without Redis).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("NATOBOT_SKIP_REDIS") == "1":
            pytest.skip("redis-server not installed and NATOBOT_SKIP_REDIS=1")
        pytest.fail("redis-server is not installed: install it (apt-get install redis-server; .ci/run does) "
                    "or set NATOBOT_SKIP_REDIS=1 to skip the Redis store tests", pytrace=False)
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir), "--save", "",
         "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            pytest.fail(f"redis-server did not start on port {port}: {err}", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(params=["memory", "sqlite", "redis"])
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
        make: Opener = lambda: shared  # noqa: E731 - memory has no restart; the same object stands in
    elif backend == "sqlite":
        from bot.state.sqlite import SQLiteStore

        path = tmp_path / "natobot.sqlite3"
        spec = ["sqlite", str(path), ""]
        make = lambda: SQLiteStore(path)  # noqa: E731
    else:
        from bot.state.redis import RedisStore

        url = request.getfixturevalue("redis_url")
        ns = f"natobot-test-{uuid.uuid4().hex[:8]}:"
        spec = ["redis", url, ns]
        make = lambda: RedisStore(url, namespace=ns)  # noqa: E731

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
