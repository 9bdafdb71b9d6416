"""Who may change a chat's shared state (its language, its leaderboard): the chat's admins.

In a private chat the user is the whole chat; an anonymous admin posts as the group itself.
"""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, Message
from telegram.error import TelegramError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)


async def is_chat_admin(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = message.chat
    if chat.type == Chat.PRIVATE:
        return True
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous admin, posting as the group
    if message.from_user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, message.from_user.id)
    except TelegramError:
        log.warning("could not check the rights of a member of chat %s", chat.id, exc_info=True)
        return False
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
