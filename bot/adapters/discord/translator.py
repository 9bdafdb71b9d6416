"""Korean names and descriptions for the slash commands, through app_commands' Translator.

discord.py asks the translator for every `locale_str` when the commands are synced and sends the
answers as `name_localizations` / `description_localizations`; the default (English) strings are
what interactions carry back, so handlers never see the Korean names. Command descriptions come
from the core's command table; localized names must pass Discord's naming rule like the defaults.
"""

from __future__ import annotations

import discord
from discord import app_commands

from bot.core import commands as table
from bot.core.commands import DISCORD_NAME
from bot.core.i18n import STRINGS, t

# Every text here is a catalogue entry (bot.core.i18n.STRINGS): "discord.name.<command>" and
# "discord.param.<param>" are names (Discord's naming rule applies, see check_names),
# "discord.param.<param>.about" describes a parameter, "discord.choice.<param>.<value>" names a choice.
ENTRIES = {
    "command_name": "discord.name.{}",
    "parameter_name": "discord.param.{}",
    "parameter_description": "discord.param.{}.about",
    "choice_name": "discord.choice.{}",  # the id is "param:value"
}

KOREAN = (discord.Locale.korean,)


def name(command_id: str) -> app_commands.locale_str:
    return app_commands.locale_str(command_id, kind="command_name", id=command_id)


def description(command_id: str) -> app_commands.locale_str:
    return app_commands.locale_str(table.find(command_id).description("en"), kind="command_description", id=command_id)


def parameter_name(param: str) -> app_commands.locale_str:
    return app_commands.locale_str(param, kind="parameter_name", id=param)


def parameter_description(param: str) -> app_commands.locale_str:
    return app_commands.locale_str(t(f"discord.param.{param}.about", "en"), kind="parameter_description", id=param)


def choice_name(param: str, value: str) -> app_commands.locale_str:
    return app_commands.locale_str(
        t(f"discord.choice.{param}.{value}", "en"), kind="choice_name", id=f"{param}:{value}"
    )


def korean(string: app_commands.locale_str) -> str | None:
    """The Korean text for one of the strings above; None leaves Discord on the default."""
    kind, key = string.extras.get("kind"), string.extras.get("id")
    if not isinstance(key, str):  # not one of ours
        return None
    if kind == "command_description":
        return table.find(key).description("ko")
    entry = ENTRIES.get(str(kind), "").format(key.replace(":", "."))
    return t(entry, "ko") if entry in STRINGS else None


class KoreanTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        if locale not in KOREAN:
            return None
        return korean(string)


def check_names() -> None:
    """Every localized name must be a valid Discord name, or the sync is refused with a 400."""
    names = [key for key in STRINGS if key.startswith(("discord.name.", "discord.param.")) and key.count(".") == 2]
    for value in (t(key, "ko") for key in names):
        if not DISCORD_NAME.fullmatch(value) or value != value.lower():
            raise ValueError(f"invalid Discord command name: {value!r}")
