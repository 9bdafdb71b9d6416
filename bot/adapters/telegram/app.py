"""Build the PTB Application: API location, defaults, flood control, concurrency and handlers."""

from __future__ import annotations

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter, CallbackQueryHandler,
                          Defaults, InlineQueryHandler, MessageHandler, PollAnswerHandler, PollHandler, filters)

from bot.adapters.telegram import handlers, quiz
from bot.adapters.telegram.ordering import ChatOrderedProcessor
from bot.adapters.telegram.routing import AddressedToMe, CommandIs
from bot.core.commands import TELEGRAM_NAME, for_platform
from bot.runtime import Runtime

ALLOWED_UPDATES = [Update.MESSAGE, Update.INLINE_QUERY, Update.CALLBACK_QUERY, Update.POLL, Update.POLL_ANSWER]
MAX_CONCURRENT_UPDATES = 256
MAX_RETRIES = 3  # a 429's retry_after is waited out and the request sent again, up to this often


def api_urls(base: str) -> tuple[str, str]:
    """(base_url, base_file_url) for a Bot API server given as its root or its `/bot` URL."""
    root = base.strip().rstrip("/").removesuffix("/bot")
    return f"{root}/bot", f"{root}/file/bot"


def build_application(runtime: Runtime, token: str, base_url: str | None = None,
                      rate_limiter: BaseRateLimiter | None = None) -> Application:
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=MAX_RETRIES))
        .concurrent_updates(ChatOrderedProcessor(MAX_CONCURRENT_UPDATES))
        .post_stop(quiz.stop_timers)
    )
    if base_url:
        api, files = api_urls(base_url)
        builder = builder.base_url(api).base_file_url(files)
    application = builder.build()
    application.bot_data[handlers.RUNTIME] = runtime
    messages = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.VIA_BOT
    application.add_handler(MessageHandler(messages & CommandIs("nato-quiz"), quiz.on_quiz))
    application.add_handler(MessageHandler(messages & CommandIs("nato-leaderboard"), quiz.on_leaderboard))
    application.add_handler(MessageHandler(messages & AddressedToMe(), handlers.on_message))
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
