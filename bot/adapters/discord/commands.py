"""The slash commands, declared as in discord.py's app_commands examples, from the core's table.

Each command of `bot.core.commands.for_platform("discord")` becomes one `app_commands.Command`
whose callback hands `"/<id> <argument>"` to the client, which asks the core. The argument kind
in the table ("", "country", "country?", "question") picks the callback's signature, so adding a
command to the table adds it here; an argument kind this module does not know stops the start.
The study-group commands ("quiz?", "reset?", "lang") are answered by the adapter itself
(`bot.adapters.discord.quiz`): they keep state in the store rather than ask the core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Optional

import discord
from discord import app_commands

from bot.adapters.discord import quiz
from bot.adapters.discord import translator as tr
from bot.core.commands import DISCORD_NAME, Command, for_platform
from bot.core.countries import CountryIndex
from bot.core.quiz import ALL, MAX_LENGTH, TOPICS
from bot.core.text import normalize

if TYPE_CHECKING:
    from bot.adapters.discord.client import NatoMixin

MAX_CHOICES = 25  # Discord's limit for autocomplete results
MAX_ARGUMENT = 100  # Discord caps option values at 6,000; nothing we accept is longer than this
MAX_QUESTION = 500
FEATURED = ("KR",)  # shown first when the user has typed nothing yet


class CountryChoices:
    """Autocomplete over every country the core resolves, knowledge-base countries first."""

    def __init__(self, countries: CountryIndex, in_knowledge: Iterable[str]):
        self.countries = countries
        known = set(in_knowledge)
        keys: dict[str, set[str]] = {code: {code.casefold()} for code in countries.codes()}
        for alias, code in countries.aliases().items():
            keys.setdefault(code, set()).add(alias)
        self._entries = []
        for code in countries.codes():
            en, ko = normalize(countries.name(code, "en")), normalize(countries.name(code, "ko"))
            words = tuple(w for name in (en, ko) for w in name.split())
            rank = FEATURED.index(code) if code in FEATURED else len(FEATURED) + (0 if code in known else 1)
            self._entries.append((code, (en, ko), tuple(sorted(keys.get(code, ()))), words, rank))

    def search(self, typed: str, lang: str, limit: int = MAX_CHOICES) -> list[app_commands.Choice[str]]:
        query = normalize(typed)[:MAX_ARGUMENT]
        scored = []
        for code, names, aliases, words, rank in self._entries:
            score = self._score(query, code, names, aliases, words)
            if score is not None:
                scored.append((score, rank, self.countries.name(code, lang), code))
        scored.sort()
        return [app_commands.Choice(name=self.label(code, lang), value=code) for *_, code in scored[:limit]]

    @staticmethod
    def _score(query: str, code: str, names: tuple[str, str], aliases: tuple[str, ...],
               words: tuple[str, ...]) -> int | None:
        if not query:
            return 0
        if query in names or query in aliases:
            return 0
        if any(name.startswith(query) for name in names):
            return 1
        if any(alias.startswith(query) for alias in aliases):
            return 2
        if any(word.startswith(query) for word in words):
            return 3
        if len(query) >= 2 and any(query in name for name in (*names, *aliases)):
            return 4
        return None

    def label(self, code: str, lang: str) -> str:
        first, second = self.countries.name(code, lang), self.countries.name(code, "en" if lang == "ko" else "ko")
        text = first if first == second else f"{first} ({second})"
        return text[:100]


def _client(interaction: discord.Interaction) -> NatoMixin:
    return interaction.client  # type: ignore[return-value]


async def country_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    client = _client(interaction)
    return client.country_choices().search(current, client.language(interaction))


# -- one callback shape per argument kind in the core's table -------------------------------

def _no_argument(command: Command) -> Callable:
    async def callback(interaction: discord.Interaction) -> None:
        await _client(interaction).run_command(interaction, command, "")
    return callback


def _country(command: Command) -> Callable:
    @app_commands.rename(country=tr.parameter_name("country"))
    @app_commands.describe(country=tr.parameter_description("country"))
    @app_commands.autocomplete(country=country_autocomplete)
    async def callback(interaction: discord.Interaction, country: app_commands.Range[str, 1, MAX_ARGUMENT]) -> None:
        await _client(interaction).run_command(interaction, command, country)
    return callback


def _optional_country(command: Command) -> Callable:
    @app_commands.rename(country=tr.parameter_name("country"))
    @app_commands.describe(country=tr.parameter_description("country"))
    @app_commands.autocomplete(country=country_autocomplete)
    async def callback(interaction: discord.Interaction,
                       country: Optional[app_commands.Range[str, 1, MAX_ARGUMENT]] = None) -> None:
        await _client(interaction).run_command(interaction, command, country or "")
    return callback


def _question(command: Command) -> Callable:
    @app_commands.rename(question=tr.parameter_name("question"))
    @app_commands.describe(question=tr.parameter_description("question"))
    async def callback(interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        await _client(interaction).run_command(interaction, command, question)
    return callback


def _choices(param: str, values: Iterable[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=tr.choice_name(param, v), value=v) for v in values]


def _quiz(command: Command) -> Callable:
    @app_commands.rename(topic=tr.parameter_name("topic"), length=tr.parameter_name("length"))
    @app_commands.describe(topic=tr.parameter_description("topic"), length=tr.parameter_description("length"))
    @app_commands.choices(topic=_choices("topic", (ALL, *TOPICS)))
    async def callback(interaction: discord.Interaction, topic: Optional[str] = None,
                       length: Optional[app_commands.Range[int, 1, MAX_LENGTH]] = None) -> None:
        await quiz.start(_client(interaction), interaction, topic, length)
    return callback


def _reset(command: Command) -> Callable:
    @app_commands.rename(reset=tr.parameter_name("reset"))
    @app_commands.describe(reset=tr.parameter_description("reset"))
    async def callback(interaction: discord.Interaction, reset: Optional[bool] = None) -> None:
        await quiz.leaderboard(_client(interaction), interaction, bool(reset))
    return callback


def _lang(command: Command) -> Callable:
    @app_commands.rename(language=tr.parameter_name("language"), scope=tr.parameter_name("scope"))
    @app_commands.describe(language=tr.parameter_description("language"), scope=tr.parameter_description("scope"))
    @app_commands.choices(language=_choices("language", ("en", "ko", "auto")), scope=_choices("scope", ("me", "server")))
    async def callback(interaction: discord.Interaction, language: str, scope: Optional[str] = None) -> None:
        await quiz.set_language(_client(interaction), interaction, language, scope)
    return callback


CALLBACKS: dict[str, Callable[[Command], Callable]] = {
    "": _no_argument,
    "country": _country,
    "country?": _optional_country,
    "question": _question,
    "quiz?": _quiz,
    "reset?": _reset,
    "lang": _lang,
}


def build() -> list[app_commands.Command]:
    """The app commands for every Discord command in the core's table."""
    tr.check_names()
    out = []
    for command in for_platform("discord"):
        if not DISCORD_NAME.fullmatch(command.discord) or command.discord != command.discord.lower():
            raise ValueError(f"invalid Discord command name in the command table: {command.discord!r}")
        if command.arg not in CALLBACKS:
            raise ValueError(f"the Discord adapter does not know the argument kind {command.arg!r} of {command.id}")
        callback = CALLBACKS[command.arg](command)
        callback.__name__ = command.discord.replace("-", "_")
        out.append(app_commands.Command(name=tr.name(command.discord), description=tr.description(command.id),
                                        callback=callback))
    return out
