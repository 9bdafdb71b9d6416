"""Build the PTB Application: API location, defaults, flood control, retries, concurrency and handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    PollAnswerHandler,
    PollHandler,
    filters,
)

from bot.adapters.telegram import handlers, quiz
from bot.adapters.telegram.ordering import ChatOrderedProcessor
from bot.core.commands import TELEGRAM_NAME, for_platform
from bot.runtime import Runtime

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.INLINE_QUERY, Update.CALLBACK_QUERY, Update.POLL, Update.POLL_ANSWER]
MAX_CONCURRENT_UPDATES = 256
MAX_RETRIES = 3  # a 429's retry_after is waited out and the request sent again, up to this often
RESEND_DELAYS = (0.5, 1.0, 2.0)  # a request Telegram did not take is sent again after these pauses
READ_TIMEOUT = 5.0  # seconds for Telegram's answer to a request (PTB's default)
GET_UPDATES_READ_TIMEOUT = 5.0  # seconds for getUpdates' answer on top of the long-polling timeout
# httpx failures that happen before Telegram can have taken the request, or that leave the connection
# without any answer: the server (or a proxy) dropped it, e.g. a kept-alive connection closed under us.
_NOT_TAKEN = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.ReadError,
)


def not_taken(error: TelegramError) -> bool:
    """Did this failed request certainly (or in all practical cases) never reach Telegram's logic?

    Yes for an error status Telegram answered without a specific meaning (5xx: Bad Gateway, Internal
    Server Error…), for a connection that could not be opened or written to, and for one dropped
    without any answer. No for a read timeout: the request went out whole and Telegram may well be
    carrying it out slowly, so sending it again could post the message twice; a reply that timed out
    is logged as lost rather than risked as a double. No for 400/403 (sending again cannot help) and
    for 429 (the rate limiter waits out retry_after itself).
    """
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout))
    if cause is None or isinstance(cause, TelegramError):  # an HTTP error status (its body maybe unparsable)
        return True
    return isinstance(cause, _NOT_TAKEN)


class ResendingRateLimiter(BaseRateLimiter[int]):
    """Every API call but getUpdates goes through here: flood control by the wrapped limiter (which
    waits out 429s), then sending again a request Telegram did not take (`not_taken`), up to
    `len(delays)` times. So a reply survives a 5xx or a dropped connection, and is never sent twice
    because of a timeout. (getUpdates is retried by PTB's polling loop; its offsets make that safe.)
    """

    def __init__(self, inner: BaseRateLimiter, delays: tuple[float, ...] = RESEND_DELAYS):
        self.inner = inner
        self.delays = delays

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for delay in (*self.delays, None):
            try:
                return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as error:
                if delay is None or not not_taken(error):
                    raise
                log.warning("Telegram did not take %s (%s); sending it again in %.1f s", endpoint, error, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


def api_urls(base: str) -> tuple[str, str]:
    """(base_url, base_file_url) for a Bot API server given as its root or its `/bot` URL."""
    root = base.strip().rstrip("/").removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    runtime: Runtime, token: str, base_url: str | None = None, rate_limiter: BaseRateLimiter | None = None
) -> Application:
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(ResendingRateLimiter(rate_limiter or AIORateLimiter(max_retries=MAX_RETRIES)))
        .read_timeout(READ_TIMEOUT)
        .get_updates_read_timeout(GET_UPDATES_READ_TIMEOUT)
        .concurrent_updates(ChatOrderedProcessor(MAX_CONCURRENT_UPDATES))
        .post_stop(quiz.stop_timers)
    )
    if base_url:
        api, files = api_urls(base_url)
        builder = builder.base_url(api).base_file_url(files)
    application = builder.build()
    application.bot_data[handlers.RUNTIME] = runtime
    quiz.install(application, runtime)
    # One handler for all text: whether a message is for us, and which command, is decided once, inside.
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.VIA_BOT, handlers.on_message)
    )
    application.add_handler(PollAnswerHandler(quiz.on_poll_answer))
    application.add_handler(PollHandler(quiz.on_poll))
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(InlineQueryHandler(handlers.on_inline))
    application.add_error_handler(handlers.on_error)
    return application


def bot_commands(lang: str) -> list[BotCommand]:
    """The command menu in one language; refuses a name Telegram would reject."""
    menu = []
    for command in for_platform("telegram"):
        if not TELEGRAM_NAME.match(command.telegram):
            raise ValueError(f"invalid Telegram command name: {command.telegram!r}")
        menu.append(BotCommand(command.telegram, command.description(lang)[:256]))
    return menu


async def publish_commands(application: Application) -> None:
    """setMyCommands: English for everyone, Korean for clients set to Korean."""
    await application.bot.set_my_commands(bot_commands("en"))
    await application.bot.set_my_commands(bot_commands("ko"), language_code="ko")
