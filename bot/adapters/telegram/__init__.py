"""The Telegram adapter: `serve` runs the bot inside the caller's event loop until cancelled.

Long polling by default; a webhook server when TELEGRAM_WEBHOOK_URL is set. It uses PTB's
async lifecycle rather than `run_polling`, so Discord can share the loop. Signals belong to
`bot.serve`, which cancels this coroutine on SIGTERM; cancellation stops fetching and lets the
in-flight replies finish before the process exits.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys
from typing import NoReturn
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application, Updater

from bot.adapters.telegram import quiz
from bot.adapters.telegram.app import ALLOWED_UPDATES, build_application, publish_commands
from bot.config import Settings
from bot.ops.logging import protect
from bot.runtime import Runtime
from bot.state.journal import Journal

log = logging.getLogger(__name__)
POLL_TIMEOUT = 10  # seconds a getUpdates long poll may wait for updates (PTB's default)
REJECTED = (
    "Telegram rejected TELEGRAM_TOKEN (401 Unauthorized). Copy the token again from @BotFather "
    "(/mybots → your bot → API Token) and set TELEGRAM_TOKEN in the environment or .env."
)

__all__ = ["build_application", "serve"]


async def serve(
    runtime: Runtime, settings: Settings, args: argparse.Namespace | None = None, *, journal: Journal | None = None
) -> None:
    """Run the Telegram bot until cancelled (or SIGTERM/SIGINT). `journal` keeps the updates not yet
    answered across a crash (`bot.serve` opens it in the state directory); without one, an in-memory
    journal still answers each update id once."""
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        _fail("TELEGRAM_TOKEN is not set.")
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
    protect(token, secret)
    application = build_application(runtime, token, settings.telegram_api_base_url, journal=journal)
    await _initialize(application, settings.telegram_api_base_url)
    try:
        await publish_commands(application)
        await application.start()
        await quiz.resume_quizzes(application)  # questions a stopped process left open
        if url := settings.telegram_webhook_url:
            await _start_webhook(application, settings, url, secret or secrets.token_urlsafe(32))
        else:
            await _updater(application).start_polling(allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT)
        log.info(
            "Telegram: @%s is answering (%s)",
            application.bot.username,
            "webhook" if settings.telegram_webhook_url else "long polling",
        )
        await asyncio.Event().wait()  # until cancelled
    finally:
        await _stop(application)


async def _initialize(application: Application, base_url: str | None) -> None:
    try:
        await application.initialize()  # getMe: checks the token
    except InvalidToken:
        _fail(REJECTED)
    except NetworkError as exc:
        where = urlsplit(base_url).netloc if base_url else "api.telegram.org"
        _fail(
            f"cannot reach the Telegram Bot API at {where} ({type(exc).__name__}). "
            "Check the network, or TELEGRAM_API_BASE_URL."
        )


def _updater(application: Application) -> Updater:
    if application.updater is None:  # build_application always gives it one
        raise RuntimeError("the Telegram application was built without an Updater")
    return application.updater


def _fail(message: str) -> NoReturn:
    print(f"natobot: {message}", file=sys.stderr)
    raise SystemExit(2)


async def _start_webhook(application: Application, settings: Settings, url: str, secret: str) -> None:
    protect(secret)
    await _updater(application).start_webhook(
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
        url_path=urlsplit(url).path.strip("/"),
        webhook_url=url,
        secret_token=secret,
        allowed_updates=ALLOWED_UPDATES,
    )


async def _stop(application: Application) -> None:
    """Stop fetching, let the updates in hand finish (their replies included), then close."""
    if application.updater and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        await quiz.stop_timers(application)  # post_stop runs only under run_polling/run_webhook
    await application.shutdown()
