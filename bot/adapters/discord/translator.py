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

# Korean command names: what a Korean-locale user sees in the slash-command picker.
KO_NAMES: dict[str, str] = {
    "nato-status": "나토-지위",
    "nato-timeline": "나토-연표",
    "nato-members": "나토-회원국",
    "nato-partners": "나토-파트너",
    "nato-ask": "나토-질문",
    "nato-help": "나토-도움말",
}

# Parameters: (English description, Korean name, Korean description).
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "country": ("A country: name, code or flag (English or Korean)", "국가", "국가 이름, 코드 또는 국기 (영어나 한국어)"),
    "question": ("Your question, in English or Korean", "질문", "영어나 한국어로 된 질문"),
}

KOREAN = (discord.Locale.korean,)


def name(command_id: str) -> app_commands.locale_str:
    return app_commands.locale_str(command_id, kind="command_name", id=command_id)


def description(command_id: str) -> app_commands.locale_str:
    return app_commands.locale_str(table.find(command_id).description("en"), kind="command_description", id=command_id)


def parameter_name(param: str) -> app_commands.locale_str:
    return app_commands.locale_str(param, kind="parameter_name", id=param)


def parameter_description(param: str) -> app_commands.locale_str:
    return app_commands.locale_str(PARAMETERS[param][0], kind="parameter_description", id=param)


def korean(string: app_commands.locale_str) -> str | None:
    """The Korean text for one of the strings above; None leaves Discord on the default."""
    kind, key = string.extras.get("kind"), string.extras.get("id")
    if kind == "command_name":
        return KO_NAMES.get(key)
    if kind == "command_description":
        return table.find(key).description("ko")
    if kind == "parameter_name" and key in PARAMETERS:
        return PARAMETERS[key][1]
    if kind == "parameter_description" and key in PARAMETERS:
        return PARAMETERS[key][2]
    return None


class KoreanTranslator(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        if locale not in KOREAN:
            return None
        return korean(string)


def check_names() -> None:
    """Every localized name must be a valid Discord name, or the sync is refused with a 400."""
    for value in (*KO_NAMES.values(), *(p[1] for p in PARAMETERS.values())):
        if not DISCORD_NAME.fullmatch(value) or value != value.lower():
            raise ValueError(f"invalid Discord command name: {value!r}")
