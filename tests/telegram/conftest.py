"""Fixtures: a fake Bot API server on 127.0.0.1, and the real bot (`serve`) running against it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from fake_bot_api import FakeBotAPI
from telegram_harness import KNOWLEDGE, Harness, make_settings, running

from bot.runtime import Runtime
from bot.state import MemoryStore


@pytest.fixture(autouse=True)
def _offline_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting may come from the developer's environment or .env (a real token, a webhook URL)."""
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "NATOBOT_")):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def shared_runtime() -> Runtime:
    return Runtime(KNOWLEDGE)


@pytest.fixture
def runtime(shared_runtime: Runtime) -> Runtime:
    shared_runtime.store = MemoryStore()  # chat languages never leak from one test to the next
    return shared_runtime


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotAPI]:
    server = await FakeBotAPI().start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeBotAPI, runtime: Runtime) -> AsyncIterator[Harness]:
    async with running(runtime, make_settings(fake), fake.wait_for("getUpdates")):
        yield Harness(fake, runtime)
