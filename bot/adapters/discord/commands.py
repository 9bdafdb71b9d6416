"""The slash commands, declared as in discord.py's app_commands examples, from the core's table.

Each command of `bot.core.commands.for_platform("discord")` becomes one `app_commands.Command`.
The argument kind in the table ("", "country", "country?", "question") picks the callback's
signature, and the callback hands `"/<id> <argument>"` to the door, which asks the core; adding a
command to the table adds it here. The study-group commands ("quiz?", "reset?") go to `quiz`, the
language setting ("lang") to `language`. An argument kind this module does not know stops the start.
Callbacks close over the `Door` and the quiz engine: nothing here imports the client, and errors
go to the tree's one `on_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import discord
from discord import app_commands

from bot.adapters.discord import quiz
from bot.adapters.discord import translator as tr
from bot.adapters.discord.door import Door
from bot.adapters.discord.language import set_language
from bot.core.autocomplete import MAX_CHOICES
from bot.core.commands import DISCORD_NAME, Command, for_platform
from bot.core.inbound import Inbound
from bot.core.quiz import ALL, MAX_LENGTH, TOPICS, QuizEngine

__all__ = ["MAX_ARGUMENT", "MAX_CHOICES", "MAX_QUESTION", "build"]

MAX_ARGUMENT = 100  # Discord caps option values at 6,000; nothing we accept is longer than this
MAX_QUESTION = 500
Factory = Callable[[Command, Door, QuizEngine], Callable]


def _countries(door: Door) -> Callable:
    """Country autocomplete through the Runtime: its country index, its (per-keystroke) limits."""

    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        inbound: Inbound = door.inbound(interaction, "autocomplete", current)
        return [app_commands.Choice(name=c.name, value=c.value) for c in await door.runtime.suggest(inbound)]

    return complete


# -- one callback shape per argument kind in the core's table -------------------------------


def _no_argument(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    async def callback(interaction: discord.Interaction) -> None:
        await door.command(interaction, command.discord, "")

    return callback


def _country(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(country=tr.parameter_name("country"))
    @app_commands.describe(country=tr.parameter_description("country"))
    @app_commands.autocomplete(country=_countries(door))
    async def callback(interaction: discord.Interaction, country: app_commands.Range[str, 1, MAX_ARGUMENT]) -> None:
        await door.command(interaction, command.discord, country)

    return callback


def _optional_country(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(country=tr.parameter_name("country"))
    @app_commands.describe(country=tr.parameter_description("country"))
    @app_commands.autocomplete(country=_countries(door))
    async def callback(
        interaction: discord.Interaction, country: app_commands.Range[str, 1, MAX_ARGUMENT] | None = None
    ) -> None:
        await door.command(interaction, command.discord, country or "")

    return callback


def _question(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(question=tr.parameter_name("question"))
    @app_commands.describe(question=tr.parameter_description("question"))
    async def callback(interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION]) -> None:
        await door.command(interaction, command.discord, question)

    return callback


def _choices(param: str, values: Iterable[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=tr.choice_name(param, v), value=v) for v in values]


def _quiz(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(topic=tr.parameter_name("topic"), length=tr.parameter_name("length"))
    @app_commands.describe(topic=tr.parameter_description("topic"), length=tr.parameter_description("length"))
    @app_commands.choices(topic=_choices("topic", (ALL, *TOPICS)))
    async def callback(
        interaction: discord.Interaction,
        topic: str | None = None,
        length: app_commands.Range[int, 1, MAX_LENGTH] | None = None,
    ) -> None:
        await quiz.start(door, quizzes, interaction, topic, length)

    return callback


def _reset(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(reset=tr.parameter_name("reset"))
    @app_commands.describe(reset=tr.parameter_description("reset"))
    async def callback(interaction: discord.Interaction, reset: bool | None = None) -> None:
        await quiz.leaderboard(door, quizzes, interaction, bool(reset))

    return callback


def _lang(command: Command, door: Door, quizzes: QuizEngine) -> Callable:
    @app_commands.rename(language=tr.parameter_name("language"), scope=tr.parameter_name("scope"))
    @app_commands.describe(language=tr.parameter_description("language"), scope=tr.parameter_description("scope"))
    @app_commands.choices(
        language=_choices("language", ("en", "ko", "auto")), scope=_choices("scope", ("me", "server"))
    )
    async def callback(interaction: discord.Interaction, language: str, scope: str | None = None) -> None:
        await set_language(door, interaction, language, scope)

    return callback


CALLBACKS: dict[str, Factory] = {
    "": _no_argument,
    "country": _country,
    "country?": _optional_country,
    "question": _question,
    "quiz?": _quiz,
    "reset?": _reset,
    "lang": _lang,
}


def build(door: Door, quizzes: QuizEngine) -> list[app_commands.Command]:
    """The app commands for every Discord command in the core's table."""
    tr.check_names()
    out: list[app_commands.Command] = []
    for command in for_platform("discord"):
        if not DISCORD_NAME.fullmatch(command.discord) or command.discord != command.discord.lower():
            raise ValueError(f"invalid Discord command name in the command table: {command.discord!r}")
        if command.arg not in CALLBACKS:
            raise ValueError(f"the Discord adapter does not know the argument kind {command.arg!r} of {command.id}")
        callback = CALLBACKS[command.arg](command, door, quizzes)
        callback.__name__ = command.discord.replace("-", "_")
        out.append(
            app_commands.Command(
                name=tr.name(command.discord), description=tr.description(command.id), callback=callback
            )
        )
    return out
