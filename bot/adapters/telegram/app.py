"""Build the PTB Application: API location, defaults, flood control, retries, concurrency and handlers."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
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
from telegram.request import HTTPXRequest

from bot.adapters.telegram import handlers, quiz
from bot.adapters.telegram.ordering import ChatOrderedProcessor, Inbox
from bot.core.commands import TELEGRAM_NAME, for_platform
from bot.ops import platforms
from bot.runtime import Runtime
from bot.state.journal import Journal

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.INLINE_QUERY, Update.CALLBACK_QUERY, Update.POLL, Update.POLL_ANSWER]
MAX_CONCURRENT_UPDATES = 256
MAX_RETRIES = 3  # 429s PTB's AIORateLimiter waits out itself (pausing the chat's group) before ours take over
# A request Telegram did not take (5xx, a dropped connection, a 429) is sent again, pausing BACKOFF[0]
# seconds, doubling up to BACKOFF[1] (or retry_after when Telegram says), until DEADLINE seconds have
# passed since the first attempt. Callback and inline answers expire within seconds on Telegram's side.
BACKOFF = (0.5, 30.0)
DEADLINE = 300.0
SHORT_LIVED = {"answerCallbackQuery": 15.0, "answerInlineQuery": 15.0}
READ_TIMEOUT = 5.0  # seconds for Telegram's answer to a request (PTB's default)
GET_UPDATES_READ_TIMEOUT = 5.0  # seconds for getUpdates' answer on top of the long-polling timeout
CONNECTION_POOL = 256  # PTB's default for the requests of a bot with concurrent updates
PLATFORM = "telegram"
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
    waits out the first 429s), then sending again a request Telegram did not take (`not_taken`, or a
    429 past the wrapped limiter's retries) with exponential backoff, honouring retry_after, until
    the endpoint's deadline. So a reply survives a storm of 5xx, 429s and dropped connections lasting
    minutes, and is never sent twice because of a timeout. (getUpdates is retried by PTB's polling
    loop; its offsets make that safe.)
    """

    def __init__(self, inner: BaseRateLimiter):
        self.inner = inner

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
        loop = asyncio.get_running_loop()
        give_up = loop.time() + min(DEADLINE, SHORT_LIVED.get(endpoint, DEADLINE))
        pause, longest = BACKOFF
        failure: TelegramError
        while True:
            try:
                return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as error:
                failure, wait = error, _seconds(error) + 0.1
            except NetworkError as error:
                if not not_taken(error):
                    raise
                failure, wait, pause = error, pause, min(pause * 2, longest)
            if loop.time() + wait > give_up:
                log.error("Telegram did not take %s before its deadline (%s); giving up", endpoint, failure)
                raise failure
            log.warning("Telegram did not take %s (%s); sending it again in %.1f s", endpoint, failure, wait)
            await asyncio.sleep(wait)


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB warns that retry_after becomes a timedelta; either is taken
        warnings.simplefilter("ignore")
        after = error.retry_after
    return after.total_seconds() if isinstance(after, timedelta) else float(after)


class WatchedRequest(HTTPXRequest):
    """PTB's HTTP client, reporting each API call's outcome to the platform's health record: an
    answer of 2xx is a success, a 5xx or no answer at all a failure (4xx and 429 are neither)."""

    def __init__(self, health: platforms.Platform, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.health = health

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TelegramError:
            self.health.failed()
            raise
        if code < 300:
            self.health.succeeded()
        elif code >= 500:
            self.health.failed()
        return code, payload

    async def shutdown(self) -> None:
        await super().shutdown()
        platforms.unregister(self.health)


def api_urls(base: str) -> tuple[str, str]:
    """(base_url, base_file_url) for a Bot API server given as its root or its `/bot` URL."""
    root = base.strip().rstrip("/").removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(
    runtime: Runtime,
    token: str,
    base_url: str | None = None,
    rate_limiter: BaseRateLimiter | None = None,
    journal: Journal | None = None,
) -> Application:
    """The Application. `journal` keeps the updates not yet answered across a crash (an in-memory one,
    which still answers each update id once, when None)."""
    inbox = Inbox(journal or Journal(), f"{PLATFORM}:{token.partition(':')[0]}")
    running: list[Application] = []
    health = platforms.register(PLATFORM, lambda: bool(running) and running[0].running)
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
        .request(WatchedRequest(health, connection_pool_size=CONNECTION_POOL, read_timeout=READ_TIMEOUT))
        .get_updates_request(WatchedRequest(health, connection_pool_size=1, read_timeout=GET_UPDATES_READ_TIMEOUT))
        .update_queue(inbox.queue)
        .concurrent_updates(ChatOrderedProcessor(MAX_CONCURRENT_UPDATES, inbox))
        .post_stop(quiz.stop_timers)
    )
    if base_url:
        api, files = api_urls(base_url)
        builder = builder.base_url(api).base_file_url(files)
    application = builder.build()
    running.append(application)
    inbox.bot = application.bot
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
