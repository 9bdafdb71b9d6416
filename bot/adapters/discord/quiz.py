"""Study-group quizzes and leaderboards on Discord: the core's `QuizEngine` with embeds and buttons.

This module only translates: slash commands and button clicks in, embeds out. The lifecycle
(scoring once per member, closing once across processes, resuming after a restart) is the engine's.
Every question is a channel message whose buttons carry everything needed to score a click
(``natobot-quiz:<lang>:<quiz id>:<index>:<option>``), so a click reaching any process (another
shard, or this one after a restart) is scored. When a question closes, its message is edited to
show the answer, why, the sources and who got it right; the leaderboard follows the last one.
A quiz keeps the language it was started in: the presenter stores it with each question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot.adapters.discord.delivery import DROPPED, resend
from bot.adapters.discord.door import Door, can_manage, host
from bot.adapters.discord.render import BLANK, FIELD_VALUE, clip, link, safe, slash
from bot.core.i18n import t
from bot.core.inbound import chat_key
from bot.core.quiz import ALL, DEFAULT_LENGTH, Posted, Question, QuizEngine, Result, Turn, leaderboard_lines
from bot.runtime import Runtime

log = logging.getLogger("natobot.discord.quiz")

NO_MENTIONS = discord.AllowedMentions.none()
PREFIX = "natobot-quiz:"
CHATS = "discord:"  # every chat key of this adapter starts so
QUESTION_SECONDS = 30.0
BUTTON_LABEL = 80
LETTERS = "ABCD"
COLOUR_OPEN = 0x1F5AA6
COLOUR_CLOSED = 0x2E9D6B
COLOUR_BOARD = 0xE3A21A
MAX_NAMES = 25
_ID = re.compile(r"(?P<lang>en|ko):(?P<quiz>[0-9a-zA-Z_-]{1,40}):(?P<index>\d{1,3}):(?P<option>[0-3])")


def custom_id(lang: str, quiz_id: str, index: int, option: int) -> str:
    return f"{PREFIX}{lang}:{quiz_id}:{index}:{option}"


def parse(custom: str) -> tuple[str, str, int, int] | None:
    """(lang, quiz id, question index, option) from a quiz button id; None for a malformed one."""
    match = _ID.fullmatch(custom.removeprefix(PREFIX))
    if match is None:
        return None
    return match["lang"], match["quiz"], int(match["index"]), int(match["option"])


# -- rendering -----------------------------------------------------------------------------


def _title(index: int, total: int, lang: str) -> str:
    return t("quiz.question_n", lang, n=index + 1, total=total)


def question_embed(question: Question, index: int, total: int, lang: str, closes_at: float) -> discord.Embed:
    text = f"**{safe(question.text(lang))}**\n\n{t('quiz.closes', lang, when=f'<t:{int(closes_at)}:R>')}"
    out = discord.Embed(title=_title(index, total, lang), description=clip(text, 4000), colour=COLOUR_OPEN)
    out.set_footer(text=t("quiz.footer", lang))
    return out


def question_view(question: Question, quiz_id: str, index: int, lang: str, *, closed: bool = False) -> discord.ui.View:
    """The four option buttons; when closed they stay, disabled, the right one in green."""
    view = discord.ui.View(timeout=None)
    for option, text in enumerate(question.option_texts(lang)):
        style = discord.ButtonStyle.primary
        if closed:
            style = discord.ButtonStyle.success if option == question.correct else discord.ButtonStyle.secondary
        view.add_item(
            QuizButton(lang, quiz_id, index, option, f"{LETTERS[option]}. {text}", style=style, disabled=closed)
        )
    return view


def _names(names: Sequence[str], lang: str) -> str:
    shown = ", ".join(safe(n) for n in names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + t("quiz.more_names", lang, n=len(names) - MAX_NAMES)
    return clip(shown, FIELD_VALUE)


def reveal_embed(
    question: Question, index: int, total: int, lang: str, right: Sequence[str], answered: int
) -> discord.Embed:
    lines = [
        f"**{safe(question.text(lang))}**",
        "",
        f"✅ **{safe(t('quiz.reveal.answer', lang, answer=question.answer(lang)))}**",
        safe(question.why(lang)),
    ]
    out = discord.Embed(
        title=_title(index, total, lang), description=clip("\n".join(lines), 4000), colour=COLOUR_CLOSED
    )
    label = t("quiz.right", lang, right=len(right), answered=answered)
    out.add_field(name=label, value=_names(right, lang) if right else t("quiz.nobody", lang), inline=False)
    if question.sources:
        sources = "\n".join("• " + link(s.title, s.url) for s in question.sources[:3])
        out.add_field(name=safe(t("label.sources", lang)), value=clip(sources, FIELD_VALUE) or BLANK, inline=False)
    out.set_footer(text=t("quiz.footer", lang))
    return out


def board_embed(standings: Sequence[Any], lang: str, *, final: bool = False) -> discord.Embed:
    title = t("quiz.over", lang) if final else t("quiz.board.title", lang)
    body = "\n".join(safe(line) for line in leaderboard_lines(standings, lang))
    out = discord.Embed(title=title, description=clip(body, 4000), colour=COLOUR_BOARD)
    out.set_footer(text="NATO Status Bot")
    return out


# -- the buttons ---------------------------------------------------------------------------


class QuizButton(discord.ui.DynamicItem[discord.ui.Button], template=re.escape(PREFIX) + r"(?P<rest>.*)"):
    """One option of one question; registered once at start-up, it answers clicks on any quiz message."""

    def __init__(
        self,
        lang: str,
        quiz_id: str,
        index: int,
        option: int,
        label: str = "…",
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
        disabled: bool = False,
        raw: str | None = None,
    ) -> None:
        self.parsed = (lang, quiz_id, index, option) if raw is None else parse(raw)
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL) or "…",
                style=style,
                disabled=disabled,
                custom_id=raw if raw is not None else custom_id(lang, quiz_id, index, option),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizButton:
        return cls("en", "", 0, 0, getattr(item, "label", None) or "…", raw=PREFIX + match["rest"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = host(interaction)
        await client.door.guarded(interaction, click(client.door, client.quizzes, interaction, self.parsed))


# -- the presenter -------------------------------------------------------------------------


class EmbedPresenter:
    """Questions as embeds with four buttons, in the channel the quiz was started in; a question's
    result edited into its message when it closes; the leaderboard posted after the last one."""

    def __init__(self, client: discord.Client, seconds: float) -> None:
        self.client = client
        self.seconds = seconds

    def close_after(self) -> float:
        return self.seconds

    def _channel(self, place: Mapping[str, Any]) -> discord.PartialMessageable | None:
        try:
            return self.client.get_partial_messageable(int(place["channel"]))
        except (KeyError, TypeError, ValueError):
            return None

    async def ask(self, turn: Turn, closes_at: float) -> Posted | None:
        channel, question = self._channel(turn.place), turn.question
        if channel is None:
            return None
        try:
            sent = await resend(
                lambda: channel.send(
                    embed=question_embed(question, turn.index, turn.total, turn.lang, closes_at),
                    view=question_view(question, turn.quiz.id, turn.index, turn.lang),
                    allowed_mentions=NO_MENTIONS,
                ),
                f"quiz {turn.quiz.id} question {turn.index}",
            )
        except (discord.HTTPException, *DROPPED) as exc:
            log.warning(
                "Discord: cannot post quiz %s question %d in channel %s (%s)", turn.quiz.id, turn.index, channel.id, exc
            )
            return None
        if sent is None:  # only an interaction callback can come back as "already there"
            return None
        return Posted({"channel": channel.id, "message": sent.id, "lang": turn.lang}, ref=f"discord:{sent.id}")

    async def reveal(self, turn: Turn, answers: Sequence[Any]) -> None:
        channel, message_id = self._channel(turn.place), turn.place.get("message")
        if channel is None or message_id is None:
            log.warning(
                "Discord: quiz %s question %d has no stored message; its result is not shown", turn.quiz.id, turn.index
            )
            return
        question, right = turn.question, [a.name for a in answers if a.correct]
        try:
            await resend(
                lambda: channel.get_partial_message(int(message_id)).edit(
                    embed=reveal_embed(question, turn.index, turn.total, turn.lang, right, len(answers)),
                    view=question_view(question, turn.quiz.id, turn.index, turn.lang, closed=True),
                    allowed_mentions=NO_MENTIONS,
                ),
                f"the result of quiz {turn.quiz.id} question {turn.index}",
            )
        except (discord.HTTPException, *DROPPED) as exc:  # deleted, or no access: the next question still comes
            log.warning("Discord: cannot show the result of quiz %s question %d (%s)", turn.quiz.id, turn.index, exc)

    async def finish(self, turn: Turn, results: Sequence[Result], board: Sequence[Any]) -> None:
        """Each result is already on its question's message: the leaderboard is what is left to show."""
        channel = self._channel(turn.place)
        if channel is None:
            return
        try:
            await resend(
                lambda: channel.send(embed=board_embed(board, turn.lang, final=True), allowed_mentions=NO_MENTIONS),
                f"the leaderboard of quiz {turn.quiz.id}",
            )
        except (discord.HTTPException, *DROPPED) as exc:
            log.warning("Discord: cannot post the leaderboard of quiz %s (%s)", turn.quiz.id, exc)

    async def stopped(self, turn: Turn) -> None:
        """Nothing in the channel (posting there has just failed); `start` tells whoever started the quiz."""


def engine_for(runtime: Runtime, client: discord.Client, seconds: float = QUESTION_SECONDS) -> QuizEngine:
    """The client's quiz engine: one quiz per server (a new one waits until the running one ends)."""
    return QuizEngine(
        runtime.store,
        EmbedPresenter(client, seconds),
        runtime.quiz_maker,
        chats=CHATS,
        on_running="refuse",
    )


# -- /nato-quiz (errors go to the tree's one on_error) ----------------------------------------


async def start(
    door: Door, quizzes: QuizEngine, interaction: discord.Interaction, topic: str | None, length: int | None
) -> None:
    admission = await door.admit(interaction, door.inbound(interaction, "command", "/nato-quiz"))
    if admission is None:
        return
    lang, topic = admission.lang, topic or ALL
    with door.working():
        started = await quizzes.start(door.quiz_chat(interaction), topic, length or DEFAULT_LENGTH)
        if started.running is not None:
            running = started.running
            await door.tell(interaction, t("quiz.running", lang, n=running.current + 1, total=len(running.questions)))
            return
        if started.quiz is None:
            await door.tell(interaction, t("quiz.empty", lang, command=slash("nato-quiz")))
            return
        intro = discord.Embed(
            title=t("quiz.title", lang),
            colour=COLOUR_OPEN,
            description=t(
                "quiz.intro.buttons",
                lang,
                count=len(started.quiz.questions),
                topic=t(f"quiz.topic.{topic}", lang),
                seconds=round(quizzes.presenter.close_after()),
            ),
        )
        intro.set_footer(text="NATO Status Bot")
        await interaction.response.send_message(embed=intro, allowed_mentions=NO_MENTIONS)
        if not await quizzes.open(started.quiz, lang, {"channel": interaction.channel_id, "lang": lang}):
            await door.tell(interaction, t("quiz.cannot_post", lang))


# -- a click on an option ------------------------------------------------------------------


async def click(
    door: Door, quizzes: QuizEngine, interaction: discord.Interaction, parsed: tuple[str, str, int, int] | None
) -> None:
    # No per-channel limit: a whole study group answers at once.
    admission = await door.admit(interaction, door.inbound(interaction, "button", room=False))
    if admission is None:
        return
    lang = admission.lang
    if parsed is None:
        await door.tell(interaction, t("quiz.ended", lang, command=slash("nato-quiz")))
        return
    quiz_lang, quiz_id, index, option = parsed
    user = interaction.user
    place = None  # where the question is, should this process have to close it
    if interaction.message is not None and interaction.channel_id:
        place = {"channel": interaction.channel_id, "message": interaction.message.id, "lang": quiz_lang}
    scored = await quizzes.answer(quiz_id, index, chat_key("discord", user.id), user.display_name, option, place)
    recorded = scored.outcome in ("accepted", "queued")  # queued: the store was down; written when it answers
    if recorded and scored.question is not None and 0 <= option < len(scored.question.options):
        text = t("quiz.recorded", lang, option=f"{LETTERS[option]}. {scored.question.option_texts(lang)[option]}")
    elif scored.outcome == "duplicate":
        text = t("quiz.duplicate", lang)
    elif scored.outcome == "closed":
        text = t("quiz.closed", lang)
    else:
        text = t("quiz.ended", lang, command=slash("nato-quiz"))
    await door.tell(interaction, text)


# -- /nato-leaderboard ---------------------------------------------------------------------


async def leaderboard(door: Door, quizzes: QuizEngine, interaction: discord.Interaction, reset: bool) -> None:
    admission = await door.admit(interaction, door.inbound(interaction, "command", "/nato-leaderboard"))
    if admission is None:
        return
    lang, chat = admission.lang, door.quiz_chat(interaction)
    with door.working():
        if not reset:
            board = await quizzes.leaderboard(chat, 10)
            await interaction.response.send_message(embed=board_embed(board, lang), allowed_mentions=NO_MENTIONS)
        elif not can_manage(interaction):
            await door.tell(interaction, t("quiz.reset.refused_manage_server", lang))
        else:
            removed = await quizzes.reset_leaderboard(chat)
            await interaction.response.send_message(t("quiz.reset.done", lang, n=removed), allowed_mentions=NO_MENTIONS)
