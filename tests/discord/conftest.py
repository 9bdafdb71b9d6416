"""Fixtures: a fake Discord on 127.0.0.1 and the real discord.py client pointed at it.

No test reaches the internet: name resolution is allowed only for local hosts, so a request that
escaped the fake (discord.com, gateway.discord.gg) fails loudly instead of leaving the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.gateway import DiscordWebSocket
from fake_discord import FakeDiscord

from bot.adapters.discord import build_client
from bot.config import Settings
from bot.runtime import Runtime
from bot.state import MemoryStore

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
_LOCAL = {"127.0.0.1", "localhost", "::1"}
_real_getaddrinfo = socket.getaddrinfo


def _local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL:
        raise OSError(f"test tried to reach {name!r}: tests must not touch the network")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _local_only)
    # build_client points these process-wide settings at the fake; put them back afterwards.
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)


@pytest.fixture(scope="session")
def shared_runtime() -> Runtime:
    return Runtime(KNOWLEDGE)


@pytest.fixture
def runtime(shared_runtime: Runtime) -> Runtime:
    """The loaded knowledge, with a fresh store for each test."""
    out = copy.copy(shared_runtime)
    out.store = MemoryStore()
    return out


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.close()


def settings_for(fake: FakeDiscord, state_dir: Path, **env: Any) -> Settings:
    values = {"DISCORD_TOKEN": fake.token, "DISCORD_API_BASE_URL": fake.api, "NATOBOT_STATE_DIR": str(state_dir)}
    values.update(env)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


StartBot = Callable[..., Awaitable[Any]]


@pytest.fixture
async def start_bot(fake: FakeDiscord, runtime: Runtime, tmp_path: Path) -> AsyncIterator[StartBot]:
    """Start the real client against the fake and wait until it is READY; closed after the test."""
    running: list[tuple[Any, asyncio.Task]] = []

    async def start(
        *,
        runtime_: Runtime | None = None,
        force_sync: bool = False,
        state_dir: Path | None = None,
        defer_after: float | None = None,
        quiz_seconds: float | None = None,
        shards: tuple[int, ...] = (0,),
        **env: Any,
    ) -> Any:
        """Returns once the fake has sent READY on `shards`: interactions are handled from then on
        (discord.py's own on_ready waits a further guild_ready_timeout of 2 s for guilds)."""
        settings = settings_for(fake, state_dir or tmp_path / "state", **env)
        options = {k: v for k, v in {"defer_after": defer_after, "quiz_seconds": quiz_seconds}.items() if v is not None}
        client = build_client(runtime_ or runtime, settings, force_sync=force_sync, **options)

        async def run() -> None:
            async with client:
                await client.start(fake.token)

        task = asyncio.create_task(run())
        running.append((client, task))
        ready = asyncio.create_task(
            asyncio.wait_for(asyncio.gather(*(fake.wait_ready(shard, timeout=20) for shard in shards)), 20)
        )
        done, _ = await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()
            raise AssertionError("the client stopped before READY")
        ready.result()
        return client

    yield start
    for client, task in running:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 10)
