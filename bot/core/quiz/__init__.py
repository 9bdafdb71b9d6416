"""Quizzes for study groups, once for every platform. Modules by job:

- `question`: what a question is (limits, stored form) and what a quiz request asks for;
- `text`: the question templates and the words every presenter shows;
- `generate`: questions made from the knowledge (`QuizMaker`);
- `scoring`: one answer scored once, and what a starting process must resume (sync, over the store);
- `timers`: the deadlines this process watches (asyncio);
- `engine`: the lifecycle (`QuizEngine`) and the `Presenter` each platform implements.

Imports point down that list; nothing here imports a platform library or `bot.state`.
"""

from __future__ import annotations

from bot.core.i18n import pick_lang
from bot.core.quiz.engine import Posted, Presenter, QuizEngine, Result, Start, Turn
from bot.core.quiz.generate import QuizMaker
from bot.core.quiz.question import (
    ALL,
    BUTTON_MAX,
    DEFAULT_LENGTH,
    EXPLANATION_MAX,
    LANGS,
    MAX_LENGTH,
    OPTION_MAX,
    QUESTION_MAX,
    TOPICS,
    Question,
    QuizRequest,
    SourceRef,
    clip,
    parse_quiz_args,
)
from bot.core.quiz.scoring import RESUME_WITHIN, Scored, question_at, questions_to_resume, score_answer
from bot.core.quiz.text import leaderboard_lines, reveal

__all__ = [
    "ALL",
    "BUTTON_MAX",
    "DEFAULT_LENGTH",
    "EXPLANATION_MAX",
    "LANGS",
    "MAX_LENGTH",
    "OPTION_MAX",
    "QUESTION_MAX",
    "RESUME_WITHIN",
    "TOPICS",
    "Posted",
    "Presenter",
    "Question",
    "QuizEngine",
    "QuizMaker",
    "QuizRequest",
    "Result",
    "Scored",
    "SourceRef",
    "Start",
    "Turn",
    "clip",
    "leaderboard_lines",
    "parse_quiz_args",
    "pick_lang",
    "question_at",
    "questions_to_resume",
    "reveal",
    "score_answer",
]
