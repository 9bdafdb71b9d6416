"""Study-group quizzes and leaderboards on Discord: question embeds with four persistent buttons.

`/nato-quiz` generates the questions with the core's `QuizMaker` and keeps the quiz in the state
store; every question is a channel message whose buttons carry everything needed to score a click
(``natobot-quiz:<lang>:<quiz id>:<index>:<option>``), so a click reaching any process — another
shard, or this one after a restart — is scored by the store, once per member per question.

Each question closes after `seconds`: whichever process wins `advance_quiz` (a compare-and-set in
the store) edits the question to show the answer, why, the source and who got it right, then
posts the next question, or the leaderboard after the last one. A process that scores a click on
a question it has no timer for (it did not post it) starts one. The deadline, channel and message
of the open question are stored too, so a process starting up (`QuizRunner.resume`) closes what a
stopped one left open — at once if overdue, else at its deadline — without waiting for a click.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.adapters.discord.delivery import DROPPED, resend
from bot.adapters.discord.messages import message
from bot.adapters.discord.render import BLANK, FIELD_VALUE, clip, link, safe
from bot.core.i18n import t
from bot.core.quiz import (
    ALL,
    DEFAULT_LENGTH,
    MAX_LENGTH,
    Question,
    QuizMaker,
    leaderboard_lines,
    qt,
    question_at,
    questions_to_resume,
    score_answer,
)
from bot.ops.ratelimit import Verdict
from bot.state import QuizState

if TYPE_CHECKING:
    from bot.adapters.discord.client import NatoMixin

log = logging.getLogger("natobot.discord.quiz")

NO_MENTIONS = discord.AllowedMentions.none()
PREFIX = "natobot-quiz:"
CHATS = "discord:"  # every chat key of this adapter starts so
QUESTION_SECONDS = 30.0
GRACE = 15.0  # a quiz older than its questions' time plus this is abandoned and may be replaced
BUTTON_LABEL = 80
LETTERS = "ABCD"
LANGS = ("en", "ko")
COLOUR_OPEN = 0x1F5AA6
COLOUR_CLOSED = 0x2E9D6B
COLOUR_BOARD = 0xE3A21A
MAX_NAMES = 25
_ID = re.compile(r"(?P<lang>en|ko):(?P<quiz>[0-9a-zA-Z_-]{1,40}):(?P<index>\d{1,3}):(?P<option>[0-3])")

T = TypeVar("T")


def custom_id(lang: str, quiz_id: str, index: int, option: int) -> str:
    return f"{PREFIX}{lang}:{quiz_id}:{index}:{option}"


def parse(custom: str) -> tuple[str, str, int, int] | None:
    """(lang, quiz id, question index, option) from a quiz button id; None for a malformed one."""
    match = _ID.fullmatch(custom.removeprefix(PREFIX))
    if match is None:
        return None
    return match["lang"], match["quiz"], int(match["index"]), int(match["option"])


def chat_key(interaction: discord.Interaction) -> str:
    """Quizzes and leaderboards belong to the server (to the channel in a DM)."""
    if interaction.guild_id:
        return f"discord:guild:{interaction.guild_id}"
    return f"discord:channel:{interaction.channel_id}"


def user_key(user: discord.abc.User) -> str:
    return f"discord:{user.id}"


def can_manage(interaction: discord.Interaction) -> bool:
    """Manage Server in a server; in a DM the leaderboard is the user's own."""
    return not interaction.guild_id or interaction.permissions.manage_guild


# -- rendering -----------------------------------------------------------------------------

def _title(index: int, total: int, lang: str) -> str:
    return message("quiz_question", lang, n=index + 1, total=total)


def question_embed(question: Question, index: int, total: int, lang: str, closes_at: float) -> discord.Embed:
    text = f"**{safe(question.text(lang))}**\n\n{message('quiz_closes', lang, when=f'<t:{int(closes_at)}:R>')}"
    out = discord.Embed(title=_title(index, total, lang), description=clip(text, 4000), colour=COLOUR_OPEN)
    out.set_footer(text=message("quiz_footer", lang))
    return out


def question_view(question: Question, quiz_id: str, index: int, lang: str, *, closed: bool = False) -> discord.ui.View:
    """The four option buttons; when closed they stay, disabled, the right one in green."""
    view = discord.ui.View(timeout=None)
    for option, text in enumerate(question.option_texts(lang)):
        style = discord.ButtonStyle.primary
        if closed:
            style = discord.ButtonStyle.success if option == question.correct else discord.ButtonStyle.secondary
        view.add_item(QuizButton(lang, quiz_id, index, option, f"{LETTERS[option]}. {text}", style=style,
                                 disabled=closed))
    return view


def _names(names: Sequence[str], lang: str) -> str:
    shown = ", ".join(safe(n) for n in names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += " " + message("quiz_more", lang, n=len(names) - MAX_NAMES)
    return clip(shown, FIELD_VALUE)


def reveal_embed(question: Question, index: int, total: int, lang: str, right: Sequence[str], answered: int) -> discord.Embed:
    lines = [f"**{safe(question.text(lang))}**", "",
             f"✅ **{safe(qt('reveal.answer', lang, answer=question.answer(lang)))}**", safe(question.why(lang))]
    out = discord.Embed(title=_title(index, total, lang), description=clip("\n".join(lines), 4000), colour=COLOUR_CLOSED)
    label = message("quiz_right", lang, right=len(right), answered=answered)
    out.add_field(name=label, value=_names(right, lang) if right else message("quiz_nobody", lang), inline=False)
    if question.sources:
        sources = "\n".join("• " + link(s.title, s.url) for s in question.sources[:3])
        out.add_field(name=safe(t("label.sources", lang)), value=clip(sources, FIELD_VALUE) or BLANK, inline=False)
    out.set_footer(text=message("quiz_footer", lang))
    return out


def board_embed(standings: Sequence[Any], lang: str, *, final: bool = False) -> discord.Embed:
    title = message("quiz_over", lang) if final else qt("board.title", lang)
    body = "\n".join(safe(line) for line in leaderboard_lines(standings, lang))
    out = discord.Embed(title=title, description=clip(body, 4000), colour=COLOUR_BOARD)
    out.set_footer(text="NATO Status Bot")
    return out


async def io(fn: Callable[..., T], *args: Any) -> T:
    """A blocking call (the store: SQLite or Redis; quiz generation) off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short notice for the member who acted, and nobody else."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


# -- the buttons ---------------------------------------------------------------------------

class QuizButton(discord.ui.DynamicItem[discord.ui.Button], template=re.escape(PREFIX) + r"(?P<rest>.*)"):
    """One option of one question; registered once at start-up, it answers clicks on any quiz message."""

    def __init__(self, lang: str, quiz_id: str, index: int, option: int, label: str = "…", *,
                 style: discord.ButtonStyle = discord.ButtonStyle.primary, disabled: bool = False,
                 raw: str | None = None) -> None:
        self.parsed = (lang, quiz_id, index, option) if raw is None else parse(raw)
        super().__init__(discord.ui.Button(
            label=clip(label, BUTTON_LABEL) or "…", style=style, disabled=disabled,
            custom_id=raw if raw is not None else custom_id(lang, quiz_id, index, option),
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> QuizButton:
        return cls("en", "", 0, 0, getattr(item, "label", None) or "…", raw=PREFIX + match["rest"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        client: NatoMixin = interaction.client  # type: ignore[assignment]
        await client.quizzes.click(interaction, self.parsed)


# -- the running quizzes -------------------------------------------------------------------

class QuizRunner:
    """The quizzes this process posts and closes; the state itself lives in the store."""

    def __init__(self, client: NatoMixin, seconds: float = QUESTION_SECONDS) -> None:
        self.client = client
        self.seconds = seconds
        self._timers: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._maker: tuple[Any, QuizMaker] | None = None

    @property
    def pending(self) -> int:
        """How many questions this process is timing."""
        return len(self._timers)

    @property
    def timed(self) -> set[tuple[str, int]]:
        """The (quiz id, question index) pairs this process is timing."""
        return set(self._timers)

    @property
    def store(self) -> Any:
        return self.client.runtime.store

    def maker(self) -> QuizMaker:
        answerer = self.client.runtime.answerer
        if self._maker is None or self._maker[0] is not answerer:  # rebuilt after a knowledge reload
            self._maker = (answerer, QuizMaker(answerer.knowledge, answerer.countries))
        return self._maker[1]

    def _running(self, quiz: QuizState) -> bool:
        """Whether a stored quiz can still be running: else it was abandoned (e.g. by a restart)."""
        budget = len(quiz.questions) * (self.seconds + GRACE) + GRACE
        return not quiz.finished and time.time() - quiz.created < budget

    # -- /nato-quiz --------------------------------------------------------------------------
    async def start(self, interaction: discord.Interaction, topic: str | None, length: int | None) -> None:
        client = self.client
        if not await client._admitted(interaction):
            return
        lang = client.language(interaction)
        try:
            with client._working():
                await self._start(interaction, topic or ALL, length or DEFAULT_LENGTH, lang)
        except Exception as exc:  # noqa: BLE001 - every failure gets a friendly answer
            await client.report_error(interaction, exc)

    async def _start(self, interaction: discord.Interaction, topic: str, length: int, lang: str) -> None:
        chat = chat_key(interaction)
        active = await io(self.store.active_quiz, chat)
        if active is not None and self._running(active):
            await tell(interaction, message("quiz_running", lang, n=active.current + 1, total=len(active.questions)))
            return
        length = max(1, min(MAX_LENGTH, length))
        questions = await io(lambda: self.maker().generate(topic, length, secrets.randbits(32)))
        if not questions:
            await tell(interaction, message("quiz_empty", lang))
            return
        quiz = await io(self.store.create_quiz, chat, [q.to_dict() for q in questions])
        intro = discord.Embed(title=message("quiz_title", lang), colour=COLOUR_OPEN, description=message(
            "quiz_intro", lang, count=len(questions), topic=qt(f"topic.{topic}", lang), seconds=round(self.seconds)))
        intro.set_footer(text="NATO Status Bot")
        await interaction.response.send_message(embed=intro, allowed_mentions=NO_MENTIONS)
        if not await self.post(quiz, interaction.channel_id, lang):
            await io(self.store.finish_quiz, quiz.id)
            await tell(interaction, message("quiz_cannot_post", lang))

    async def post(self, quiz: QuizState, channel_id: int | None, lang: str) -> bool:
        """Post the quiz's open question in the channel and start its timer; False if Discord refused."""
        if channel_id is None:
            return False
        index = quiz.current
        question = question_at(quiz, index)
        closes = time.time() + self.seconds
        channel = self.client.get_partial_messageable(channel_id)  # type: ignore[attr-defined]
        try:
            sent = await resend(lambda: channel.send(
                embed=question_embed(question, index, len(quiz.questions), lang, closes),
                view=question_view(question, quiz.id, index, lang), allowed_mentions=NO_MENTIONS),
                f"quiz {quiz.id} question {index}")
        except (discord.HTTPException, *DROPPED) as exc:
            log.warning("Discord: cannot post quiz %s question %d in channel %s (%s)", quiz.id, index, channel_id, exc)
            return False
        if sent is None:  # only an interaction callback can come back as "already there"
            return False
        await io(self.store.link_ref, f"discord:{sent.id}", quiz.id, index)
        await io(self.store.mark_posted, quiz.id, index, closes, {"channel": channel_id, "message": sent.id, "lang": lang})
        self.schedule(quiz.id, index, channel_id, sent.id, lang, max(0.0, closes - time.time()))
        return True

    async def resume(self) -> int:
        """At start-up: time the questions stopped processes left open (an overdue one closes at once;
        whichever process wins `advance_quiz` shows its result). Returns how many were resumed."""
        try:
            due = await io(questions_to_resume, self.store, CHATS, time.time())
        except Exception:  # noqa: BLE001 - the bot still answers; the log says why quizzes were not resumed
            log.exception("Discord: could not look for quiz questions left open")
            return 0
        resumed = 0
        for quiz, left in due:
            posted = quiz.posted or {}
            try:
                channel_id, message_id = int(posted["channel"]), int(posted["message"])
            except (KeyError, TypeError, ValueError):
                log.warning("Discord: quiz %s question %d has no stored message; not resumed", quiz.id, quiz.current)
                continue
            lang = posted.get("lang") if posted.get("lang") in LANGS else "en"
            self.schedule(quiz.id, quiz.current, channel_id, message_id, lang, max(0.0, left))
            resumed += 1
        if resumed:
            log.info("Discord: resumed %d quiz question(s) left open", resumed)
        return resumed

    # -- closing a question --------------------------------------------------------------------
    def schedule(self, quiz_id: str, index: int, channel_id: int, message_id: int, lang: str, delay: float) -> None:
        key = (quiz_id, index)
        if key in self._timers:
            return
        task = asyncio.get_running_loop().create_task(self._close_later(quiz_id, index, channel_id, message_id, lang, delay))
        self._timers[key] = task
        task.add_done_callback(lambda _t: self._timers.pop(key, None))

    async def _close_later(self, quiz_id: str, index: int, channel_id: int, message_id: int, lang: str,
                           delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await self.close(quiz_id, index, channel_id, message_id, lang)
        except Exception:  # noqa: BLE001 - a timer has nobody to tell; the log does
            log.exception("Discord: error closing quiz %s question %d", quiz_id, index)

    async def close(self, quiz_id: str, index: int, channel_id: int, message_id: int, lang: str) -> bool:
        """Close question `index` if no process has yet: reveal it, then post the next or the leaderboard."""
        quiz = await io(self.store.advance_quiz, quiz_id, index)
        if quiz is None:  # another process (or an earlier timer) closed it
            return False
        question = question_at(quiz, index)
        answers = await io(self.store.answers, quiz_id, index)
        right = [a.name for a in answers if a.correct]
        channel = self.client.get_partial_messageable(channel_id)  # type: ignore[attr-defined]
        try:
            await resend(lambda: channel.get_partial_message(message_id).edit(
                embed=reveal_embed(question, index, len(quiz.questions), lang, right, len(answers)),
                view=question_view(question, quiz_id, index, lang, closed=True), allowed_mentions=NO_MENTIONS),
                f"the result of quiz {quiz_id} question {index}")
        except (discord.HTTPException, *DROPPED) as exc:  # deleted, or no access: the next question still comes
            log.warning("Discord: cannot show the result of quiz %s question %d (%s)", quiz_id, index, exc)
        if quiz.finished:
            board = await io(self.store.leaderboard, quiz.chat, 10)
            try:
                await resend(lambda: channel.send(embed=board_embed(board, lang, final=True),
                                                  allowed_mentions=NO_MENTIONS), f"the leaderboard of quiz {quiz_id}")
            except (discord.HTTPException, *DROPPED) as exc:
                log.warning("Discord: cannot post the leaderboard of quiz %s (%s)", quiz_id, exc)
        elif not await self.post(quiz, channel_id, lang):
            await io(self.store.finish_quiz, quiz_id)
        return True

    def cancel(self) -> None:
        """Stop this process's timers (at shutdown); another process, or a later click, closes them."""
        for task in list(self._timers.values()):
            task.cancel()

    # -- a click on an option ------------------------------------------------------------------
    async def click(self, interaction: discord.Interaction, parsed: tuple[str, str, int, int] | None) -> None:
        client = self.client
        lang = client.language(interaction)
        verdict, reply = client.runtime.admit("discord", str(interaction.user.id), None, lang)  # no per-channel limit:
        if verdict is not Verdict.ALLOW:  # a whole study group answers at once
            await tell(interaction, reply.body if reply else message("slow_down", lang))
            return
        try:
            with client._working():
                await self._click(interaction, parsed, lang)
        except Exception as exc:  # noqa: BLE001
            await client.report_error(interaction, exc)

    async def _click(self, interaction: discord.Interaction, parsed: tuple[str, str, int, int] | None, lang: str) -> None:
        if parsed is None:
            await tell(interaction, message("quiz_ended", lang))
            return
        quiz_lang, quiz_id, index, option = parsed
        user = interaction.user
        scored = await io(score_answer, self.store, quiz_id, index, user_key(user), user.display_name, option)
        if scored.outcome in ("accepted", "duplicate") and interaction.message is not None and interaction.channel_id:
            # The process that posted the question may be gone: make sure someone closes it.
            self.schedule(quiz_id, index, interaction.channel_id, interaction.message.id, quiz_lang, self.seconds)
        if scored.outcome == "accepted" and scored.question is not None and 0 <= option < len(scored.question.options):
            text = message("quiz_recorded", lang, option=f"{LETTERS[option]}. {scored.question.option_texts(lang)[option]}")
        elif scored.outcome == "duplicate":
            text = message("quiz_duplicate", lang)
        elif scored.outcome == "closed":
            text = message("quiz_closed", lang)
        else:
            text = message("quiz_ended", lang)
        await tell(interaction, text)

    # -- /nato-leaderboard ---------------------------------------------------------------------
    async def leaderboard(self, interaction: discord.Interaction, reset: bool) -> None:
        client = self.client
        if not await client._admitted(interaction):
            return
        lang = client.language(interaction)
        try:
            with client._working():
                chat = chat_key(interaction)
                if not reset:
                    board = await io(self.store.leaderboard, chat, 10)
                    await interaction.response.send_message(embed=board_embed(board, lang), allowed_mentions=NO_MENTIONS)
                elif not can_manage(interaction):
                    await tell(interaction, message("board_reset_refused", lang))
                else:
                    removed = await io(self.store.reset_leaderboard, chat)
                    await interaction.response.send_message(message("board_reset", lang, n=removed),
                                                            allowed_mentions=NO_MENTIONS)
        except Exception as exc:  # noqa: BLE001
            await client.report_error(interaction, exc)


# -- /nato-lang ----------------------------------------------------------------------------

async def set_language(client: NatoMixin, interaction: discord.Interaction, lang: str, scope: str | None) -> None:
    """Store the answer language for the member (scope me) or the server (Manage Server only).
    `auto` clears the setting: the server's, else the member's Discord language, applies again."""
    if not await client._admitted(interaction):
        return
    server = scope == "server" and interaction.guild_id is not None
    try:
        if server and not can_manage(interaction):
            await tell(interaction, message("lang_refused", client.language(interaction)))
            return
        key = f"discord:guild:{interaction.guild_id}" if server else f"discord:user:{interaction.user.id}"
        value = lang if lang in LANGS else None
        await io(client.runtime.store.set_lang, key, value)
        now = client.language(interaction)  # what applies from now on, after the change
        kind = ("lang_server" if server else "lang_me") + ("" if value else "_auto")
        text = message(kind, now, language=message(f"language_{now}", now))
        await interaction.response.send_message(text, ephemeral=not server, allowed_mentions=NO_MENTIONS)
    except Exception as exc:  # noqa: BLE001
        await client.report_error(interaction, exc)
