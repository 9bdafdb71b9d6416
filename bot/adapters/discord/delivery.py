"""Getting a message to Discord exactly once, through dropped connections, 5xx and 429 storms.

discord.py itself sends a request again after a 5xx (pausing 1, 3, 5, 7 s; for interaction callbacks
and channel messages only 500/502/504/524) and after a 429 (waiting out retry_after), five tries in
all, and not after a connection dropped before any answer. `resend` retries what discord.py gave up
on, with exponential backoff (honouring Retry-After when Discord gives one), until `DEADLINE`.
Whether the interaction can still be answered is for Discord to say: past the 3-second window (or
the 15 minutes of a deferred interaction's token) it refuses with "Unknown interaction" / "Unknown
webhook" (`expired`), which is not retried; the door then posts the answer in the channel instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

from bot.ops import platforms

log = logging.getLogger("natobot.discord")

PLATFORM = "discord"
BACKOFF = (0.25, 30.0)  # seconds: the first pause between two attempts, doubling up to the second
DEADLINE = 600.0  # seconds a message keeps being sent again (a deferred interaction's token lives 15 min)
ALREADY_ACKNOWLEDGED = 40060  # Discord's code for a second callback to one interaction
# The interaction can no longer be answered through its token: "Unknown interaction" (the 3 s window
# passed without a first response), "Unknown webhook" and "Invalid webhook token" (15 minutes passed).
EXPIRED = frozenset({10062, 10015, 50027})
# The connection failed before any answer: discord.py retries 5xx and waits out 429s itself, but not
# these (it only knows the macOS and Windows numbers of ECONNRESET, and not a server disconnect).
DROPPED = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError)
T = TypeVar("T")


def expired(exc: BaseException) -> bool:
    """Did Discord refuse because the interaction's token can no longer be used?"""
    return isinstance(exc, discord.HTTPException) and exc.code in EXPIRED


def transient(exc: BaseException) -> bool:
    """A failure that sending again later can cure: a 5xx, a 429, or a connection dropped unanswered."""
    if isinstance(exc, discord.HTTPException):
        return exc.status >= 500 or exc.status == 429
    return isinstance(exc, (*DROPPED, discord.RateLimited))


def _retry_after(exc: BaseException) -> float | None:
    if isinstance(exc, discord.RateLimited):
        return exc.retry_after
    response = getattr(exc, "response", None)
    try:
        return float(response.headers["Retry-After"]) if response is not None else None
    except (KeyError, TypeError, ValueError):
        return None


async def resend(send: Callable[[], Awaitable[T]], what: str, deadline: float | None = None) -> T | None:
    """`send()`, and again after a pause whenever it fails in a way that waiting can cure
    (`transient`), until `deadline` seconds (default `DEADLINE`) have passed; then the last error.

    Sending again is safe for interaction callbacks: if an earlier one did reach Discord, the next
    is refused as already acknowledged, which is taken as delivered (None is returned). For a
    follow-up or a channel message it risks a double only when Discord carried the request out and
    then failed to say so: far rarer than a kept-alive connection closed under the request or a
    gateway error, which is what this repairs. A timeout is never repeated (discord.py sets none of
    its own; a slow Discord is waited for), so no reply is sent twice because Discord was slow.
    """
    health = platforms.get(PLATFORM)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + (DEADLINE if deadline is None else deadline)
    pause, longest = BACKOFF
    attempt = 0
    while True:
        try:
            result = await send()
        except (discord.HTTPException, discord.RateLimited, *DROPPED) as exc:
            if attempt and isinstance(exc, discord.HTTPException) and exc.code == ALREADY_ACKNOWLEDGED:
                log.info("Discord: %s had arrived before its connection dropped", what)
                health.succeeded()
                return None
            if not transient(exc):
                raise
            health.failed()
            wait = _retry_after(exc) or pause
            if loop.time() + wait > give_up:
                log.error("Discord: gave up sending %s (%s)", what, exc)
                raise
            log.warning("Discord: could not send %s (%s); sending it again in %.2f s", what, exc, wait)
        else:
            health.succeeded()
            return result
        await asyncio.sleep(wait)
        pause = min(pause * 2, longest)
        attempt += 1
