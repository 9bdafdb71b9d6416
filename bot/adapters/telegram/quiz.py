"""Quizzes on Telegram: the core's `QuizEngine` with native quiz polls, and the chat's leaderboard.

This module only translates: commands and poll updates in, quiz polls and HTML messages out. The
lifecycle (scoring once per member, closing once across workers, resuming after a restart) is the
engine's. Each question is a quiz poll (`OPEN_PERIOD` seconds, explanation in the chat's language,
not anonymous so that every vote arrives as a `poll_answer` update); its poll id is the ref any
worker resolves a vote with. A question closes when Telegram says its poll closed (a `poll` update,
sent to any worker) or, as a fallback, on the engine's timer a little after the open period.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from html import escape as _attr
from typing import Any, Literal

from telegram import Bot, InputPollOption, Message, Poll, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.adapters.telegram.render import escape
from bot.adapters.telegram.split import split_html
from bot.core.i18n import t
from bot.core.inbound import Inbound, chat_key
from bot.core.quiz import QUESTION_MAX, Posted, QuizEngine, Result, Turn, leaderboard_lines, parse_quiz_args
from bot.ops.logging import correlation_id
from bot.runtime import Admission, Runtime

log = logging.getLogger(__name__)

OPEN_PERIOD = 30  # seconds a question's poll stays open (Telegram allows 5-600)
GRACE = 3.0  # the engine closes the question this long after the poll, if Telegram's update has not
CLOSE_AFTER: float | None = None  # override of OPEN_PERIOD + GRACE (tests)
ENGINE = "quiz"  # bot_data key of this application's QuizEngine
PREFIX = "telegram:"  # every chat key of this adapter starts so
OPTION_IDS: tuple[Literal[0, 1, 2, 3], ...] = (0, 1, 2, 3)  # a question's four options, as Telegram types their ids


def poll_ref(poll_id: str) -> str:
    return f"telegram:poll:{poll_id}"


def _chat_id(turn: Turn) -> int:
    return int(turn.quiz.chat.rpartition(":")[2])


class PollPresenter:
    """Quiz questions as native quiz polls; the results as one HTML message at the end."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def close_after(self) -> float:
        return CLOSE_AFTER if CLOSE_AFTER is not None else OPEN_PERIOD + GRACE

    async def ask(self, turn: Turn, closes_at: float) -> Posted | None:
        question, lang = turn.question, turn.lang
        text = f"{turn.index + 1}/{turn.total} · {question.text(lang)}"
        # Plain text throughout (no parse modes): a "&" or "<" in the knowledge must not break the poll.
        options = [InputPollOption(option, text_parse_mode=None) for option in question.option_texts(lang)]
        try:
            message = await self.bot.send_poll(
                _chat_id(turn),
                text if len(text) <= QUESTION_MAX else question.text(lang),
                options,
                question_parse_mode=None,
                is_anonymous=False,
                type=Poll.QUIZ,
                correct_option_ids=[OPTION_IDS[question.correct]],
                explanation=question.why(lang),
                explanation_parse_mode=None,
                open_period=OPEN_PERIOD,
            )
        except TelegramError:
            log.exception("could not post question %d of quiz %s; the quiz ends", turn.index, turn.quiz.id)
            return None
        assert message.poll is not None
        return Posted({"poll": message.poll.id}, ref=poll_ref(message.poll.id))

    async def reveal(self, turn: Turn, answers: Sequence[Any]) -> None:
        """Nothing to do: a closed quiz poll shows its answer and explanation itself."""

    async def finish(self, turn: Turn, results: Sequence[Result], board: Sequence[Any]) -> None:
        """Every question's answer, explanation and sources, how many got it, then the leaderboard."""
        lang = turn.lang
        blocks = [f"<b>{escape(t('quiz.results', lang))}</b>"]
        source = escape(t("quiz.reveal.source", lang, title="", url="").strip())
        for number, result in enumerate(results, 1):
            question, answers = result.question, result.answers
            lines = [
                f"<b>{number}. {escape(question.text(lang))}</b>",
                f"✅ {escape(t('quiz.reveal.answer', lang, answer=question.answer(lang)))}",
                escape(question.why(lang)),
            ]
            lines += [f'{source} <a href="{_attr(s.url)}">{escape(s.title)}</a>' for s in question.sources[:2]]
            if answers:
                right = sum(a.correct for a in answers)
                lines.append(f"<i>{escape(t('quiz.right_count', lang, right=right, answered=len(answers)))}</i>")
            blocks.append("\n".join(lines))
        blocks.append(_board(board, lang))
        for part in split_html("\n\n".join(blocks)):
            await self.bot.send_message(_chat_id(turn), part)

    async def stopped(self, turn: Turn) -> None:
        with contextlib.suppress(TelegramError):
            await self.bot.send_message(_chat_id(turn), escape(t("quiz.stopped", turn.lang)))


def install(application: Application, runtime: Runtime) -> QuizEngine:
    """This application's quiz engine (a new quiz replaces one still running in the chat)."""
    quizzes = QuizEngine(
        runtime.store, PollPresenter(application.bot), runtime.quiz_maker, chats=PREFIX, on_running="replace"
    )
    application.bot_data[ENGINE] = quizzes
    return quizzes


def engine(application: Application) -> QuizEngine:
    return application.bot_data[ENGINE]


# -- commands (admitted by the Runtime first, like every message) ---------------------------------


async def on_quiz(message: Message, inbound: Inbound, admission: Admission, quizzes: QuizEngine) -> None:
    """`/nato_quiz [topic] [length]`: a new quiz for this chat (replacing one still running)."""
    lang = admission.lang
    request = parse_quiz_args(inbound.command.arg if inbound.command else "")
    quiz = (await quizzes.start(inbound.chat or "", request.topic, request.length)).quiz if request else None
    if request is None or quiz is None:
        await message.reply_text(escape(t("quiz.usage", lang)))
        return
    intro = t(
        "quiz.intro.polls",
        lang,
        count=len(quiz.questions),
        topic=t(f"quiz.topic.{request.topic}", lang),
        seconds=OPEN_PERIOD,
    )
    await message.reply_text(escape(intro))
    await quizzes.open(quiz, lang, {})


async def on_leaderboard(message: Message, inbound: Inbound, admission: Admission, quizzes: QuizEngine) -> None:
    """`/nato_leaderboard`: the chat's top members; `/nato_leaderboard reset`: admins only."""
    lang, chat = admission.lang, inbound.chat or ""
    if inbound.command is not None and inbound.command.arg.casefold() in ("reset", "초기화"):
        if not await inbound.is_admin():
            await message.reply_text(escape(t("quiz.reset.refused_chat_admins", lang)))
            return
        count = await quizzes.reset_leaderboard(chat)
        await message.reply_text(escape(t("quiz.reset.done_count", lang, count=count)))
        return
    await message.reply_text(_board(await quizzes.leaderboard(chat), lang))


def _board(standings: Sequence[Any], lang: str) -> str:
    return "\n".join(
        [
            f"<b>{escape(t('quiz.board.title', lang))}</b>",
            *(escape(line) for line in leaderboard_lines(standings, lang)),
        ]
    )


# -- polls ---------------------------------------------------------------------------------


async def on_poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A vote: scored once per member and question, by whichever worker receives it."""
    correlation_id.set(f"tg-{update.update_id}")
    vote = update.poll_answer
    if vote is None:
        return
    voter = vote.user or vote.voter_chat
    if voter is None or not vote.option_ids:  # a retracted vote (regular polls only)
        return
    quizzes = engine(context.application)
    ref = await quizzes.resolve(poll_ref(vote.poll_id))
    if ref is None:
        return  # not one of our quiz polls (or expired)
    name = vote.user.full_name if vote.user else (vote.voter_chat.title if vote.voter_chat else None) or str(voter.id)
    await quizzes.answer(*ref, chat_key("telegram", voter.id), name, vote.option_ids[0])


async def on_poll(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram closed one of our polls (its open period ran out): close the question."""
    correlation_id.set(f"tg-{update.update_id}")
    poll = update.poll
    if poll is None or not poll.is_closed:
        return
    quizzes = engine(context.application)
    ref = await quizzes.resolve(poll_ref(poll.id))
    if ref is not None:
        await quizzes.close(*ref)


# -- process start and stop ----------------------------------------------------------------


async def resume_quizzes(application: Application) -> int:
    """At start-up: the engine re-times the questions stopped workers left open."""
    return await engine(application).resume()


async def stop_timers(application: Application) -> None:
    """On shutdown: waiting timers are dropped (Telegram's poll update, or the next start, closes those
    questions); a question being closed right now is finished first."""
    await engine(application).shutdown()
