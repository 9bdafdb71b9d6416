"""Discord adapter: slash commands, embeds and follow-up buttons over discord.py 2.7.

`serve` is what `natobot discord` / `natobot run` await. It runs the client with the async
lifecycle (`async with client: await client.start(token)`), not `Client.run`, which owns the
event loop and only handles KeyboardInterrupt: here SIGTERM closes the client cleanly, and
cancellation (Ctrl-C under asyncio.run) does too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

import discord

from bot.adapters.discord.client import ConfigError, NatoClient, NatoShardedClient, build_client
from bot.config import Settings
from bot.runtime import Runtime

__all__ = ["serve", "build_client", "NatoClient", "NatoShardedClient", "ConfigError", "REJECTED_TOKEN"]

log = logging.getLogger("natobot.discord")

REJECTED_TOKEN = ("natobot: Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from "
                  "https://discord.com/developers/applications (your app > Bot > Reset Token) into DISCORD_TOKEN.")


def _fail(text: str) -> SystemExit:
    print(text, file=sys.stderr, flush=True)
    return SystemExit(2)


async def serve(runtime: Runtime, settings: Settings, args: argparse.Namespace | None = None) -> None:
    """Run the Discord bot until SIGTERM, cancellation, or a fatal error (exit status 2)."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise _fail("natobot: DISCORD_TOKEN is not set.")
    try:
        client = build_client(runtime, settings, force_sync=bool(getattr(args, "sync", False)))
    except ConfigError as exc:
        raise _fail(f"natobot: {exc}") from None

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not on Windows / not main thread
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with client:
            runner = asyncio.create_task(client.start(settings.discord_token.get_secret_value().strip()))
            stopper = asyncio.create_task(stop.wait())
            try:
                await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopper.cancel()
                if not runner.done():
                    log.info("Discord: shutting down")
                    await client.close()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await asyncio.wait_for(runner, 10)
            if runner.done() and not runner.cancelled() and not stop.is_set():
                runner.result()  # LoginFailure and other fatal errors surface here
    except discord.LoginFailure:
        raise _fail(REJECTED_TOKEN) from None
    except discord.PrivilegedIntentsRequired:
        raise _fail("natobot: Discord asked for a privileged intent this bot does not use; "
                    "please report this as a bug.") from None
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGTERM)
