"""The text every quiz presenter shows (answers, leaderboards), from the one string catalogue.

The templates themselves are `quiz.*` keys of `bot.core.i18n.STRINGS`, looked up with `t`; the
facts come from the knowledge (see `generate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.core.i18n import t
from bot.core.quiz.question import LANGS, Question, known_lang


def both(key: str, **per_lang: Callable[[str], object] | object) -> dict[str, str]:
    """The catalogue entry `key` in every language; values may be callables of the language."""
    return {lang: t(key, lang, **{k: v(lang) if callable(v) else v for k, v in per_lang.items()}) for lang in LANGS}


def reveal(question: Question, lang: str, max_sources: int = 2) -> str:
    """'Correct answer: X', why, and sources: what an adapter shows when a question closes."""
    lang = known_lang(lang)
    lines = [t("quiz.reveal.answer", lang, answer=question.answer(lang)), question.why(lang)]
    lines += [t("quiz.reveal.source", lang, title=s.title, url=s.url) for s in question.sources[:max_sources]]
    return "\n".join(lines)


def leaderboard_lines(standings: Iterable[Any], lang: str) -> list[str]:
    """One line per `bot.state.Standing`, already ranked by the store."""
    lang = known_lang(lang)
    lines = []
    for rank, s in enumerate(standings, 1):
        line = t(
            "quiz.board.line",
            lang,
            rank=rank,
            name=s.name,
            score=s.score,
            correct=s.correct,
            answered=s.answered,
            best=s.best_streak,
        )
        if s.streak >= 3:
            line += t("quiz.board.streak", lang, streak=s.streak)
        lines.append(line)
    return lines or [t("quiz.board.empty", lang)]
