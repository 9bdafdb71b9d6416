"""PTB callbacks: turn an update into a Query (or a button's ref), and the Reply into messages.

They hold no knowledge logic: the core answers, `render` formats, and these only carry.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from telegram import (Chat, InlineQueryResultArticle, InputTextMessageContent, Message, Update, User)
from telegram.ext import ContextTypes

from bot.adapters.telegram import render
from bot.adapters.telegram.rights import is_chat_admin
from bot.adapters.telegram.routing import question
from bot.core.reply import Query, Reply
from bot.ops.logging import correlation_id
from bot.runtime import Runtime

log = logging.getLogger(__name__)
RUNTIME = "runtime"  # key of the Runtime in application.bot_data
STALE = {
    "en": "This button is out of date. Ask me again, please.",
    "ko": "오래된 버튼입니다. 다시 질문해 주세요.",
}
LANG_ADMINS_ONLY = {
    "en": "Only this chat's admins can change its language.",
    "ko": "이 대화방의 언어는 관리자만 바꿀 수 있어요.",
}
INLINE_CACHE_SECONDS = 300


def chat_key(chat_id: int) -> str:
    return f"telegram:{chat_id}"


def _runtime(context: ContextTypes.DEFAULT_TYPE) -> Runtime:
    return context.bot_data[RUNTIME]


def _locale(user: User | None) -> str | None:
    return user.language_code if user else None


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    text = question(message, context.bot.username, context.bot.id)
    if text is None:
        return
    runtime, key = _runtime(context), chat_key(message.chat_id)
    correlation_id.set(f"tg-{update.update_id}")
    user = message.from_user
    # The store (SQLite may wait on a lock) and the gap log are blocking: keep them off the event loop,
    # so one slow write never holds up the other chats.
    lang = await asyncio.to_thread(runtime.store.get_lang, key)
    query = Query(text, lang=lang, locale=_locale(user), platform="telegram",
                  user=str(user.id) if user else None, chat=str(message.chat_id))
    reply = await asyncio.to_thread(runtime.handle, query)
    if reply is None:  # over the rate limit and already told
        return
    if reply.intent == "lang" and reply.matched:
        if not await is_chat_admin(message, context):  # a group's language is the admins' choice
            await message.reply_text(LANG_ADMINS_ONLY[reply.lang], do_quote=True)
            return
        await asyncio.to_thread(runtime.store.set_lang, key, reply.lang)
    await send(message, reply)


async def send(message: Message, reply: Reply) -> None:
    """Answer `message` with `reply`: quoting it in groups, buttons under the last part."""
    parts = render.messages(reply)
    quote = message.chat.type != Chat.PRIVATE
    for number, part in enumerate(parts, 1):
        markup = render.keyboard(reply) if number == len(parts) else None
        await message.reply_html(part, do_quote=quote and number == 1, reply_markup=markup)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    correlation_id.set(f"tg-{update.update_id}")
    button = update.callback_query
    lang, ref = render.parse_callback_data(button.data)
    chat = button.message.chat if button.message else None
    runtime = _runtime(context)
    lang = lang or (runtime.store.get_lang(chat_key(chat.id)) if chat else None) or _locale(button.from_user)
    lang = lang if lang in STALE else "en"
    reply = runtime.follow(ref, lang)
    if not reply.matched:
        await button.answer(STALE[lang])
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
    inline = update.inline_query
    text = inline.query.strip()
    results = []
    if text:
        runtime = _runtime(context)
        reply = runtime.answer(Query(text, locale=_locale(inline.from_user), platform="telegram"))
        if reply.matched:
            cards = [reply] + [runtime.follow(a.ref, reply.lang) for a in reply.actions if a.kind == "timeline"]
            results = [_article(card) for card in cards if card.matched]
    await inline.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)


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
