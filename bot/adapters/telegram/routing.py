"""Which messages are meant for the bot: the one addressing check (and the one command parse) of a
Telegram message, turning it into the `Inbound` the Runtime answers.

Private chats: every text. Groups (privacy mode): commands for us (`/nato_status@ThisBot`,
or without a suffix), replies to our messages, and messages that mention @ThisBot, with the
mention removed. A command addressed to another bot, or an unknown bare command in a group
(probably another bot's), is not ours. Typed aliases such as `/nato-status korea`, which
Telegram itself reads as the command `/nato`, are recognised by the core's parser.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from telegram import Chat, Message

from bot.core import commands
from bot.core.inbound import Inbound, chat_key, nobody

PLATFORM = "telegram"


def inbound(message: Message, username: str, bot_id: int, is_admin: Callable[[], Awaitable[bool]] = nobody) -> Inbound:
    """The message as an `Inbound`; `addressed` is False when it is not for this bot."""
    text = (message.text or "").strip()
    private = message.chat.type == Chat.PRIVATE
    addressed, parsed = False, None
    if text.startswith("/"):
        parsed = commands.parse(text)
        if parsed is None:
            addressed = private
        elif parsed.bot is not None:
            addressed = parsed.bot.casefold() == username.casefold()
        else:
            addressed = private or parsed.command is not None
    elif text:
        mention = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
        stripped = re.sub(r"\s{2,}", " ", mention.sub(" ", text)).strip(" ,:;")
        addressed = private or stripped != text or _replies_to(message, bot_id)
        text = stripped
        parsed = commands.parse(text) if addressed else None
    key = chat_key(PLATFORM, message.chat_id)
    user = message.from_user
    return Inbound(
        PLATFORM,
        "command" if parsed else "message",
        text,
        chat=key,
        thread=str(message.message_thread_id) if message.is_topic_message else None,
        user=str(user.id) if user else None,
        locale=user.language_code if user else None,
        addressed=addressed,
        lang_keys=(key,),
        command=parsed,
        is_admin=is_admin,
    )


def question(message: Message, username: str, bot_id: int) -> str | None:
    """The text to ask the core, or None when the message is not addressed to this bot."""
    found = inbound(message, username, bot_id)
    return found.text if found.addressed else None


def _replies_to(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)
