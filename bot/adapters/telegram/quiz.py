"""Quizzes as native Telegram quiz polls, scored from poll answers; the chat's leaderboard.

One question at a time: `/nato_quiz` stores the quiz and sends question 0 as a quiz poll
(`open_period` seconds, explanation in the chat's language, not anonymous so that every vote
arrives as a `poll_answer` update). The poll id is linked to (quiz, question) in the store, so
whichever process receives a vote can score it, once per member (the store guarantees it).

A question closes when Telegram says its poll closed (a `poll` update, sent to any process) or,
as a fallback, when this process's timer runs out a little after the open period. Both go
through `advance_quiz`, a compare-and-set, so exactly one process posts the next question, or
at the end the answers with their sources and the leaderboard. The timer's deadline is stored
with the question, so a process starting up (`resume_quizzes`) closes what a stopped one left
open — at once if overdue, else when the deadline comes — even if the poll update never arrives.

Store calls are synchronous (SQLite may wait for its lock), so they run in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from html import escape as _attr
from typing import Any, TypeVar

from telegram import InputPollOption, Message, Poll, Update, User
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.adapters.telegram.handlers import RUNTIME
from bot.adapters.telegram.render import escape
from bot.adapters.telegram.rights import is_chat_admin
from bot.adapters.telegram.split import split_html
from bot.core import commands
from bot.core.quiz import (QUESTION_MAX, QuizMaker, leaderboard_lines, parse_quiz_args, qt, question_at,
                           questions_to_resume, score_answer)
from bot.ops.logging import correlation_id
from bot.ops.ratelimit import Verdict
from bot.runtime import Runtime
from bot.state import QuizState, Store

LINK_WAIT = (0.05, 0.15, 0.3, 0.5, 1.0)  # seconds between look-ups of a poll not linked (yet)
log = logging.getLogger(__name__)
T = TypeVar("T")

OPEN_PERIOD = 30  # seconds a question's poll stays open (Telegram allows 5-600)
GRACE = 3.0  # our own timer closes the question this long after the poll, if Telegram's update has not
CLOSE_AFTER: float | None = None  # override of OPEN_PERIOD + GRACE (tests)
TIMERS = "quiz_timers"  # bot_data key: (quiz id, index) -> the task that closes that question
CLOSING = "quiz_closing"  # bot_data key: timer tasks past their sleep, closing their question now
SHUTDOWN_WAIT = 10.0
MAKERS = "quiz_makers"  # bot_data key: knowledge version -> QuizMaker

STRINGS: dict[str, dict[str, str]] = {
    "intro": {
        "en": "Quiz: {count} questions on {topic}. Answer each poll within {seconds} seconds; "
              "the answers and the leaderboard come at the end.",
        "ko": "퀴즈: {topic}, {count}문제. 각 문제는 {seconds}초 안에 투표로 답해 주세요. "
              "끝나면 정답과 순위를 보여 드려요.",
    },
    "results": {"en": "Quiz over: the answers", "ko": "퀴즈 끝: 정답과 해설"},
    "right": {"en": "{right} of {answered} answered correctly", "ko": "{answered}명 중 {right}명 정답"},
    "reset.denied": {
        "en": "Sorry, only this chat's admins can reset the leaderboard.",
        "ko": "죄송해요, 순위 초기화는 이 대화방 관리자만 할 수 있어요.",
    },
    "reset.done": {"en": "Leaderboard reset ({count} members).", "ko": "순위를 초기화했어요 ({count}명)."},
    "stopped": {
        "en": "I could not post the next question, so the quiz has ended.",
        "ko": "다음 문제를 올리지 못해 퀴즈를 끝냈어요.",
    },
}


def say(key: str, lang: str, **values: object) -> str:
    return STRINGS[key][lang].format(**values)


PREFIX = "telegram:"  # every chat key of this adapter starts so


def chat_key(chat_id: int) -> str:
    return f"{PREFIX}{chat_id}"


def poll_ref(poll_id: str) -> str:
    return f"telegram:poll:{poll_id}"


async def _io(call: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(call, *args)


def _runtime(application: Application) -> Runtime:
    return application.bot_data[RUNTIME]


async def chat_lang(store: Store, chat_id: int, user: User | None = None) -> str:
    lang = await _io(store.get_lang, chat_key(chat_id)) or (user.language_code if user else None) or "en"
    return "ko" if lang.startswith("ko") else "en"


def _maker(application: Application) -> QuizMaker:
    """One QuizMaker per knowledge version: a reload makes new questions."""
    answerer = _runtime(application).answerer
    makers = application.bot_data.setdefault(MAKERS, {})
    if answerer.knowledge.version not in makers:
        makers.clear()
        makers[answerer.knowledge.version] = QuizMaker(answerer.knowledge, answerer.countries)
    return makers[answerer.knowledge.version]


# -- commands ------------------------------------------------------------------------------


async def on_quiz(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/nato_quiz [topic] [length]`: a new quiz for this chat (replacing one still running)."""
    correlation_id.set(f"tg-{update.update_id}")
    message = update.effective_message
    runtime = _runtime(context.application)
    lang = await chat_lang(runtime.store, message.chat_id, message.from_user)
    if not await _admitted(message, runtime, lang):
        return
    request = parse_quiz_args(_argument(message))
    maker = _maker(context.application)
    questions = maker.generate(request.topic, request.length, secrets.token_hex(8)) if request else []
    if request is None or not questions:
        await message.reply_text(escape(qt("quiz.usage", lang)))
        return
    old = await _io(runtime.store.active_quiz, chat_key(message.chat_id))
    state = await _io(runtime.store.create_quiz, chat_key(message.chat_id), [q.to_dict() for q in questions])
    if old is not None:
        _cancel_timer(context.application, old.id, old.current)
    intro = say("intro", lang, count=len(questions), topic=qt(f"topic.{request.topic}", lang), seconds=OPEN_PERIOD)
    await message.reply_text(escape(intro))
    await post_question(context.application, state, lang)


async def on_leaderboard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/nato_leaderboard`: the chat's top members; `/nato_leaderboard reset`: admins only."""
    correlation_id.set(f"tg-{update.update_id}")
    message = update.effective_message
    store = _runtime(context.application).store
    lang = await chat_lang(store, message.chat_id, message.from_user)
    if not await _admitted(message, _runtime(context.application), lang):
        return
    if _argument(message).casefold() in ("reset", "초기화"):
        if not await is_chat_admin(message, context):
            await message.reply_text(escape(say("reset.denied", lang)))
            return
        count = await _io(store.reset_leaderboard, chat_key(message.chat_id))
        await message.reply_text(escape(say("reset.done", lang, count=count)))
        return
    standings = await _io(store.leaderboard, chat_key(message.chat_id))
    await message.reply_text(_board(standings, lang))


def _argument(message: Message) -> str:
    parsed = commands.parse(message.text or "")
    return parsed.arg if parsed else ""


async def _admitted(message: Message, runtime: Runtime, lang: str) -> bool:
    """The runtime's rate limits, as for any other command (the polite warning sent once)."""
    user = message.from_user
    verdict, refusal = runtime.admit("telegram", str(user.id) if user else None, str(message.chat_id), lang)
    if refusal is not None:
        await message.reply_text(escape(refusal.body))
    return verdict is Verdict.ALLOW


# -- polls ---------------------------------------------------------------------------------


async def on_poll_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A vote: scored once per member and question, by whichever process receives it."""
    correlation_id.set(f"tg-{update.update_id}")
    vote = update.poll_answer
    voter = vote.user or vote.voter_chat
    if voter is None or not vote.option_ids:  # a retracted vote (regular polls only)
        return
    store = _runtime(context.application).store
    ref = await _resolve(store, vote.poll_id)
    if ref is None:
        return  # not one of our quiz polls (or expired)
    name = vote.user.full_name if vote.user else (vote.voter_chat.title or str(vote.voter_chat.id))
    scored = await _io(score_answer, store, ref[0], ref[1], f"telegram:{voter.id}", name, vote.option_ids[0])
    log.debug("quiz %s question %d: %s answer", ref[0], ref[1], scored.outcome)


async def on_poll(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram closed one of our polls (its open period ran out): close the question."""
    correlation_id.set(f"tg-{update.update_id}")
    if not update.poll.is_closed:
        return
    ref = await _resolve(_runtime(context.application).store, update.poll.id)
    if ref is not None:
        await close_question(context.application, *ref)


async def _resolve(store: Store, poll_id: str) -> tuple[str, int] | None:
    """The quiz question of a poll. The process that sent the poll links its id only once sendPoll has
    returned, and with several workers a vote can reach another one first: wait a moment for the link
    before deciding the poll is not ours (votes come from people, so a second's delay costs nothing)."""
    for pause in (*LINK_WAIT, None):
        ref = await _io(store.resolve_ref, poll_ref(poll_id))
        if ref is not None or pause is None:
            return ref
        await asyncio.sleep(pause)
    return None


async def close_question(application: Application, quiz_id: str, index: int) -> None:
    """Move the quiz past question `index`; only the one caller that wins announces what follows."""
    runtime = _runtime(application)
    state = await _io(runtime.store.advance_quiz, quiz_id, index)
    _cancel_timer(application, quiz_id, index)
    if state is None:
        log.debug("quiz %s question %d: already closed", quiz_id, index)
        return  # by Telegram's update, by a timer, or by another process
    log.debug("quiz %s question %d: closed here", quiz_id, index)
    lang = await chat_lang(runtime.store, _chat_id(state))
    if state.finished:
        await post_results(application, state, lang)
    else:
        await post_question(application, state, lang)


async def post_question(application: Application, state: QuizState, lang: str) -> None:
    question = question_at(state)
    text = f"{state.current + 1}/{len(state.questions)} · {question.text(lang)}"
    # Plain text throughout (no parse modes): a "&" or "<" in the knowledge must not break the poll.
    options = [InputPollOption(option, text_parse_mode=None) for option in question.option_texts(lang)]
    try:
        message = await application.bot.send_poll(
            _chat_id(state), text if len(text) <= QUESTION_MAX else question.text(lang), options,
            question_parse_mode=None, is_anonymous=False, type=Poll.QUIZ, correct_option_ids=[question.correct],
            explanation=question.why(lang), explanation_parse_mode=None, open_period=OPEN_PERIOD)
    except TelegramError:
        log.exception("could not post question %d of quiz %s; the quiz ends", state.current, state.id)
        if await _io(_runtime(application).store.finish_quiz, state.id):
            with contextlib.suppress(TelegramError):
                await application.bot.send_message(_chat_id(state), escape(say("stopped", lang)))
        return
    store = _runtime(application).store
    delay = CLOSE_AFTER if CLOSE_AFTER is not None else OPEN_PERIOD + GRACE
    await _io(store.link_ref, poll_ref(message.poll.id), state.id, state.current)
    await _io(store.mark_posted, state.id, state.current, time.time() + delay, {"poll": message.poll.id})
    _start_timer(application, state.id, state.current, delay)


async def post_results(application: Application, state: QuizState, lang: str) -> None:
    """Every question's answer, explanation and sources, how many got it, then the leaderboard."""
    store = _runtime(application).store
    blocks = [f"<b>{escape(say('results', lang))}</b>"]
    for index in range(len(state.questions)):
        question = question_at(state, index)
        answers = await _io(store.answers, state.id, index)
        lines = [f"<b>{index + 1}. {escape(question.text(lang))}</b>",
                 f"✅ {escape(qt('reveal.answer', lang, answer=question.answer(lang)))}",
                 escape(question.why(lang))]
        source = qt("reveal.source", lang, title="", url="").strip()
        lines += [f'{escape(source)} <a href="{_attr(s.url)}">{escape(s.title)}</a>' for s in question.sources[:2]]
        if answers:
            right = sum(a.correct for a in answers)
            lines.append(f"<i>{escape(say('right', lang, right=right, answered=len(answers)))}</i>")
        blocks.append("\n".join(lines))
    blocks.append(_board(await _io(store.leaderboard, state.chat), lang))
    for part in split_html("\n\n".join(blocks)):
        await application.bot.send_message(_chat_id(state), part)


def _board(standings: list[Any], lang: str) -> str:
    return "\n".join([f"<b>{escape(qt('board.title', lang))}</b>",
                      *(escape(line) for line in leaderboard_lines(standings, lang))])


def _chat_id(state: QuizState) -> int:
    return int(state.chat.rpartition(":")[2])


# -- the fallback timer --------------------------------------------------------------------


async def resume_quizzes(application: Application) -> int:
    """At start-up: time the questions that stopped processes left open. An overdue one is closed at
    once (its result or the next question posted once, by whichever process wins `advance_quiz`), one
    still running when its deadline comes. Returns how many questions were resumed."""
    try:
        due = await _io(questions_to_resume, _runtime(application).store, PREFIX, time.time())
    except Exception:  # noqa: BLE001 - the bot still answers; the log says why quizzes were not resumed
        log.exception("could not look for quiz questions left open")
        return 0
    for state, left in due:
        _start_timer(application, state.id, state.current, max(0.0, left))
    if due:
        log.info("Telegram: resumed %d quiz question(s) left open", len(due))
    return len(due)


def _start_timer(application: Application, quiz_id: str, index: int, delay: float) -> None:
    async def close_later() -> None:
        await asyncio.sleep(delay)
        task = application.bot_data[TIMERS].pop((quiz_id, index), None)
        closing = application.bot_data.setdefault(CLOSING, set())
        if task is not None:
            closing.add(task)  # from here on, shutdown lets it finish rather than cancel it
        try:
            await close_question(application, quiz_id, index)
        except Exception:
            log.exception("could not close question %d of quiz %s", index, quiz_id)
        finally:
            closing.discard(task)

    timers = application.bot_data.setdefault(TIMERS, {})
    timers[(quiz_id, index)] = asyncio.create_task(close_later(), name=f"quiz {quiz_id} #{index}")


def _cancel_timer(application: Application, quiz_id: str, index: int) -> None:
    task = application.bot_data.get(TIMERS, {}).pop((quiz_id, index), None)
    if task is not None and task is not asyncio.current_task():
        task.cancel()


async def stop_timers(application: Application) -> None:
    """On shutdown: waiting timers are dropped (Telegram's poll update closes those questions, in
    whichever process gets it); a question being closed right now is finished first."""
    for task in application.bot_data.pop(TIMERS, {}).values():
        task.cancel()
    closing = list(application.bot_data.get(CLOSING, ()))
    if closing:
        await asyncio.wait(closing, timeout=SHUTDOWN_WAIT)
