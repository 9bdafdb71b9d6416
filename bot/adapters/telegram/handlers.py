"""PTB callbacks: each update becomes one `Inbound` for the Runtime (the door), and the Reply messages.

They hold no knowledge logic and no policy: `routing` decides once whether a message is for us,
the Runtime admits, picks the language and answers, `render` formats, and these only carry. Quiz
commands go to `quiz` after the same admission.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging

from telegram import Chat, InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.ext import ContextTypes

from bot.adapters.telegram import quiz, render, routing
from bot.adapters.telegram.rights import is_chat_admin
from bot.core.commands import find
from bot.core.i18n import t
from bot.core.inbound import Inbound, chat_key
from bot.core.reply import Reply
from bot.ops.logging import correlation_id
from bot.runtime import Runtime, StoreUnavailable

log = logging.getLogger(__name__)
RUNTIME = "runtime"  # key of the Runtime in application.bot_data
STALE_EXAMPLE = f"/{find('nato-status').telegram} korea"  # the command a stale button's notice suggests
INLINE_CACHE_SECONDS = 300
QUIZ_COMMANDS = {"nato-quiz": quiz.on_quiz, "nato-leaderboard": quiz.on_leaderboard}


def _runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.bot_data[RUNTIME]


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every text message: addressed or not, and which command, is decided here once (`routing`)."""
    message = update.effective_message
    if message is None:  # the MessageHandler's filters let only messages through
        return
    inbound = routing.inbound(
        message, context.bot.username, context.bot.id, functools.partial(is_chat_admin, message, context)
    )
    if not inbound.addressed:
        return
    correlation_id.set(f"tg-{update.update_id}")
    runtime = _runtime(context)
    run_quiz = QUIZ_COMMANDS.get(inbound.command_id or "")
    if run_quiz is None:
        reply = await runtime.receive(inbound)
    else:
        admission = await runtime.admit(inbound)
        if admission.allowed:
            try:
                await run_quiz(message, inbound, admission, quiz.engine(context.application))
                return
            except StoreUnavailable:  # the store failed on the quiz's first write: say so, don't go quiet
                reply = runtime.store_busy(admission.lang)
        else:
            reply = admission.refusal
    if reply is not None:  # None: over the rate limit and already told
        await send(message, reply)


async def send(message: Message, reply: Reply) -> None:
    """Answer `message` with `reply`: quoting it in groups, buttons under the last part."""
    parts = render.messages(reply)
    quote = message.chat.type != Chat.PRIVATE
    for number, part in enumerate(parts, 1):
        markup = render.keyboard(reply) if number == len(parts) else None
        await message.reply_html(part, do_quote=quote and number == 1, reply_markup=markup)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A follow-up button: admitted like a message (a button is one tap from a flood too)."""
    correlation_id.set(f"tg-{update.update_id}")
    button = update.callback_query
    if button is None:
        return
    lang, ref = render.parse_callback_data(button.data)
    chat = button.message.chat if button.message else None
    key = chat_key(routing.PLATFORM, chat.id) if chat else None
    user = button.from_user
    inbound = Inbound(
        routing.PLATFORM,
        "button",
        ref,
        chat=key,
        user=str(user.id),
        locale=user.language_code,
        lang=lang,
        lang_keys=(key,) if key else (),
    )
    runtime = _runtime(context)
    admission = await runtime.admit(inbound)
    if not admission.allowed:  # the spinner must stop either way; the first time, with the notice
        await button.answer(admission.refusal.body if admission.refusal else None)
        return
    reply = await runtime.respond(inbound, admission)
    if not reply.matched:
        await button.answer(t("button.stale", admission.lang, example=STALE_EXAMPLE))
        return
    await button.answer()
    parts = render.messages(reply)
    in_place = ref.startswith("lang:") and len(parts) == 1
    if button.message is None or (in_place and isinstance(button.message, Message)):
        await button.edit_message_text(parts[0], reply_markup=render.keyboard(reply))
    elif isinstance(button.message, Message):
        await send(button.message, reply)
    else:  # too old to reply to: a plain new message in the chat
        for part in parts:
            await context.bot.send_message(button.message.chat.id, part)


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline mode: the answer and its timeline as cards, admitted in the per-keystroke bucket."""
    inline = update.inline_query
    if inline is None:
        return
    text = inline.query.strip()
    results: list[InlineQueryResultArticle] = []
    cache = INLINE_CACHE_SECONDS
    if text:
        user = inline.from_user
        runtime = _runtime(context)
        reply = await runtime.receive(
            Inbound(routing.PLATFORM, "inline", text, user=str(user.id), locale=user.language_code)
        )
        if reply is None or reply.intent == "rate_limited":
            cache = 0  # an empty list for now, not for the next five minutes
        elif reply.matched:
            cards = await asyncio.to_thread(_cards, runtime, reply)
            results = [_article(card) for card in cards if card.matched]
    await inline.answer(results, cache_time=cache, is_personal=True)


def _cards(runtime: Runtime, reply: Reply) -> list[Reply]:
    return [reply] + [runtime.follow(a.ref, reply.lang) for a in reply.actions if a.kind == "timeline"]


def _article(reply: Reply) -> InlineQueryResultArticle:
    key = f"{reply.lang}|{reply.ref or reply.title}"
    first_line = reply.body.strip().split("\n", 1)[0]
    return InlineQueryResultArticle(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest(),
        title=reply.title,
        description=first_line[:120],
        input_message_content=InputTextMessageContent(render.messages(reply)[0]),
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    where = f"update {update.update_id}" if isinstance(update, Update) else "a background task"
    log.error("error while handling %s", where, exc_info=context.error)
