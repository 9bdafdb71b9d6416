"""Discord adapter: slash commands, embeds and follow-up buttons over discord.py 2.7.

`serve` is what `natobot discord` / `natobot run` await (through `bot.serve`, which owns the
signals). It runs the client with the async lifecycle (`async with client: await
client.start(token)`), not `Client.run`, which owns the event loop and only handles
KeyboardInterrupt: when SIGTERM/SIGINT cancel it, replies in flight are finished and the client
is closed cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

import discord

from bot.adapters.discord.client import ConfigError, NatoClient, NatoShardedClient, build_client
from bot.config import Settings
from bot.runtime import Runtime

__all__ = ["REJECTED_TOKEN", "ConfigError", "NatoClient", "NatoShardedClient", "build_client", "serve"]

log = logging.getLogger("natobot.discord")

DRAIN_SECONDS = 5.0
REJECTED_TOKEN = (
    "natobot: Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from "
    "https://discord.com/developers/applications (your app > Bot > Reset Token) into DISCORD_TOKEN."
)


def _fail(text: str) -> SystemExit:
    print(text, file=sys.stderr, flush=True)
    return SystemExit(2)


async def serve(runtime: Runtime, settings: Settings, args: argparse.Namespace | None = None) -> None:
    """Run the Discord bot until cancelled (SIGTERM/SIGINT in bot.serve) or a fatal error (exit status 2)."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise _fail("natobot: DISCORD_TOKEN is not set.")
    try:
        client = build_client(runtime, settings, force_sync=bool(getattr(args, "sync", False)))
    except ConfigError as exc:
        raise _fail(f"natobot: {exc}") from None

    health = getattr(runtime, "health", None)
    if isinstance(health, dict):
        health["discord"] = lambda: client.is_ready() and not client.is_closed()
    try:
        async with client:  # closes the client however this block ends
            try:
                await client.start(settings.discord_token.get_secret_value().strip())
            except asyncio.CancelledError:  # SIGTERM/SIGINT: bot.serve cancels every adapter
                log.info("Discord: shutting down: finishing in-flight replies")
                await client.drain(DRAIN_SECONDS)
                raise
    except discord.LoginFailure:
        raise _fail(REJECTED_TOKEN) from None
    except discord.PrivilegedIntentsRequired:
        raise _fail(
            "natobot: Discord asked for a privileged intent this bot does not use; please report this as a bug."
        ) from None
