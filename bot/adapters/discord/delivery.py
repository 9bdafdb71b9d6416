"""Getting a message to Discord exactly once, when the connection drops under a request."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

log = logging.getLogger("natobot.discord")

RESEND_DELAYS = (0.25, 0.75)  # seconds: a request Discord did not answer is sent again, inside the 3 s window
ALREADY_ACKNOWLEDGED = 40060  # Discord's code for a second callback to one interaction
# The connection failed before any answer: discord.py retries 5xx and waits out 429s itself, but not
# these (it only knows the macOS and Windows numbers of ECONNRESET, and not a server disconnect).
DROPPED = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
T = TypeVar("T")


async def resend(send: Callable[[], Awaitable[T]], what: str) -> T | None:
    """`send()`, and again after a short pause when the connection was dropped before any answer.

    Sending again is safe for interaction callbacks: if the first one did reach Discord, the second
    is refused as already acknowledged, which is taken as delivered (None is returned). For a
    follow-up or a channel message it risks a double only when Discord carried the request out and
    then the connection died before the status line: far rarer than a kept-alive connection closed
    under the request, which is what this repairs. A timeout is never repeated (discord.py sets none
    of its own; a slow Discord is waited for), so no reply is sent twice because Discord was slow.
    """
    for attempt, delay in enumerate((*RESEND_DELAYS, None)):
        try:
            return await send()
        except DROPPED as exc:
            if delay is None:
                raise
            log.warning("Discord: connection dropped sending %s (%s); sending it again", what, exc)
            await asyncio.sleep(delay)
        except discord.HTTPException as exc:
            if attempt and exc.code == ALREADY_ACKNOWLEDGED:
                log.info("Discord: %s had arrived before its connection dropped", what)
                return None
            raise
    raise AssertionError("unreachable")
