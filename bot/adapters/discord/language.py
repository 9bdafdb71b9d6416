"""`/nato-lang`: the answer language for the member (scope me) or the server (Manage Server only).

`auto` clears the setting: the server's, else the member's Discord language, applies again. The
setting is stored through the Runtime (off the event loop), under the keys `door.lang_keys` reads.
"""

from __future__ import annotations

import discord

from bot.adapters.discord.door import NO_MENTIONS, PLATFORM, Door, can_manage
from bot.core.i18n import t
from bot.core.inbound import chat_key

LANGS = ("en", "ko")


async def set_language(door: Door, interaction: discord.Interaction, lang: str, scope: str | None) -> None:
    admission = await door.admit(interaction, door.inbound(interaction, "command", "/nato-lang"))
    if admission is None:
        return
    server = scope == "server" and interaction.guild_id is not None
    if server and not can_manage(interaction):
        await door.tell(interaction, t("lang.refused_manage_server", admission.lang))
        return
    key = (
        chat_key(PLATFORM, "guild", interaction.guild_id) if server else chat_key(PLATFORM, "user", interaction.user.id)
    )
    value = lang if lang in LANGS else None
    await door.runtime.store_lang(key, value)
    now = await door.language(interaction)  # what applies from now on, after the change
    kind = ("server" if server else "me") + ("" if value else "_auto")
    text = t(f"lang.saved.{kind}", now, language=t(f"lang.name.{now}", now))
    await interaction.response.send_message(text, ephemeral=not server, allowed_mentions=NO_MENTIONS)
