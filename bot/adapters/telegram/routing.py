"""Which messages are meant for the bot, and the question each one asks.

Private chats: every text. Groups (privacy mode): commands for us (`/nato_status@ThisBot`,
or without a suffix), replies to our messages, and messages that mention @ThisBot, with the
mention removed. A command addressed to another bot, or an unknown bare command in a group
(probably another bot's), is not ours. Typed aliases such as `/nato-status korea`, which
Telegram itself reads as the command `/nato`, are recognised by the core's parser.
"""

from __future__ import annotations

import re

from telegram import Chat, Message
from telegram.ext import filters

from bot.core import commands


def question(message: Message, username: str, bot_id: int) -> str | None:
    """The text to ask the core, or None when the message is not addressed to this bot."""
    text = (message.text or "").strip()
    if not text:
        return None
    private = message.chat.type == Chat.PRIVATE
    if text.startswith("/"):
        parsed = commands.parse(text)
        if parsed is None:
            return text if private else None
        if parsed.bot is not None:
            return text if parsed.bot.casefold() == username.casefold() else None
        return text if private or parsed.command is not None else None
    mention = re.compile(rf"(?<![\w@])@{re.escape(username)}\b", re.IGNORECASE)
    stripped = re.sub(r"\s{2,}", " ", mention.sub(" ", text)).strip(" ,:;")
    if private or stripped != text or _replies_to(message, bot_id):
        return stripped
    return None


def _replies_to(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


class AddressedToMe(filters.MessageFilter):
    """A PTB filter for `question(...) is not None`, with the bot's own name and id."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return question(message, bot.username, bot.id) is not None


class CommandIs(filters.MessageFilter):
    """Messages for this bot that are one of the given commands, however typed (`/nato_quiz@ThisBot`,
    `/nato-quiz`)."""

    def __init__(self, *command_ids: str):
        super().__init__()
        self.command_ids = frozenset(command_ids)

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        text = question(message, bot.username, bot.id)
        parsed = commands.parse(text) if text else None
        return bool(parsed and parsed.command and parsed.command.id in self.command_ids)
