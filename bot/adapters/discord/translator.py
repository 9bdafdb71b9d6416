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
    "nato-quiz": "나토-퀴즈",
    "nato-leaderboard": "나토-순위",
    "nato-lang": "나토-언어",
}

# Parameters: (English description, Korean name, Korean description).
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "country": (
        "A country: name, code or flag (English or Korean)",
        "국가",
        "국가 이름, 코드 또는 국기 (영어나 한국어)",
    ),
    "question": ("Your question, in English or Korean", "질문", "영어나 한국어로 된 질문"),
    "topic": ("What the questions are about (default: all)", "주제", "문제 주제 (기본: 전체)"),
    "length": ("How many questions (1-20, default 5)", "문항수", "문제 수 (1-20, 기본 5)"),
    "reset": (
        "Clear this server's scores (Manage Server only)",
        "초기화",
        "이 서버의 점수 지우기 (서버 관리 권한 필요)",
    ),
    "language": ("The answer language", "언어", "답변 언어"),
    "scope": (
        "For you only (default) or for the whole server (Manage Server only)",
        "범위",
        "나만 (기본) 또는 서버 전체 (서버 관리 권한 필요)",
    ),
}

# Choices: (parameter, value) -> (English name, Korean name).
CHOICES: dict[tuple[str, str], tuple[str, str]] = {
    ("topic", "all"): ("All topics", "전체"),
    ("topic", "members"): ("Members and accession", "회원국과 가입"),
    ("topic", "korea"): ("Korea and NATO", "한국과 나토"),
    ("topic", "ip4"): ("Indo-Pacific partners (IP4)", "인도·태평양 파트너 (IP4)"),
    ("topic", "summits"): ("Summits", "정상회의"),
    ("topic", "partners"): ("Partnerships", "파트너십"),
    ("language", "en"): ("English", "영어 (English)"),
    ("language", "ko"): ("Korean (한국어)", "한국어"),
    ("language", "auto"): ("Automatic (server or Discord language)", "자동 (서버 또는 Discord 언어)"),
    ("scope", "me"): ("Just me", "나만"),
    ("scope", "server"): ("The whole server", "서버 전체"),
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


def choice_name(param: str, value: str) -> app_commands.locale_str:
    return app_commands.locale_str(CHOICES[(param, value)][0], kind="choice_name", id=f"{param}:{value}")


def korean(string: app_commands.locale_str) -> str | None:
    """The Korean text for one of the strings above; None leaves Discord on the default."""
    kind, key = string.extras.get("kind"), string.extras.get("id")
    if not isinstance(key, str):  # not one of ours
        return None
    if kind == "command_name":
        return KO_NAMES.get(key)
    if kind == "command_description":
        return table.find(key).description("ko")
    if kind == "parameter_name" and key in PARAMETERS:
        return PARAMETERS[key][1]
    if kind == "parameter_description" and key in PARAMETERS:
        return PARAMETERS[key][2]
    if kind == "choice_name":
        param, _, value = key.partition(":")
        if (param, value) in CHOICES:
            return CHOICES[(param, value)][1]
    return None


class KoreanTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        if locale not in KOREAN:
            return None
        return korean(string)


def check_names() -> None:
    """Every localized name must be a valid Discord name, or the sync is refused with a 400."""
    for value in (*KO_NAMES.values(), *(p[1] for p in PARAMETERS.values())):
        if not DISCORD_NAME.fullmatch(value) or value != value.lower():
            raise ValueError(f"invalid Discord command name: {value!r}")
