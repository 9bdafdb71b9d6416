"""What a quiz question is: its limits, its stored form, and what a quiz request asks for.

Questions are written in every language at once and checked against the tightest platform
limits (Telegram quiz polls, Discord button labels) when they are made, so no presenter ever
has to cut one. The store keeps them as opaque JSON (`to_dict`/`from_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.core.i18n import LANGS, known_lang

TOPICS: tuple[str, ...] = ("members", "korea", "ip4", "summits", "partners")
ALL = "all"
DEFAULT_LENGTH = 5
MAX_LENGTH = 20
# Telegram quiz polls: question 1-300 characters, options 1-100, explanation 0-200.
QUESTION_MAX = 300
OPTION_MAX = 100
EXPLANATION_MAX = 200
# Discord button labels: at most 80 characters. Options are kept within both limits, so the
# Discord adapter can put them on buttons as they are.
BUTTON_MAX = 80
OPTION_LIMIT = min(OPTION_MAX, BUTTON_MAX)
OPTIONS = 4

TOPIC_ALIASES: dict[str, str] = {
    **dict.fromkeys(("members", "member", "membership", "회원국", "회원"), "members"),
    **dict.fromkeys(("korea", "kr", "rok", "southkorea", "한국", "대한민국", "연표", "timeline"), "korea"),
    **dict.fromkeys(("ip4", "indo-pacific", "indopacific", "인도태평양", "인도·태평양"), "ip4"),
    **dict.fromkeys(("summits", "summit", "정상회의"), "summits"),
    **dict.fromkeys(("partners", "partner", "partnerships", "frameworks", "파트너", "협력"), "partners"),
    **dict.fromkeys(("all", "any", "전체", "모두"), ALL),
}


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary with an ellipsis; only when the text does not fit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–-(") + "…"


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Question:
    """One quiz question in both languages; `key` names the fact asked ("joined:FI")."""

    key: str
    topic: str
    prompt: Mapping[str, str]
    options: tuple[Mapping[str, str], ...]
    correct: int
    explanation: Mapping[str, str]
    sources: tuple[SourceRef, ...] = field(default=())

    def text(self, lang: str) -> str:
        return self.prompt[known_lang(lang)]

    def option_texts(self, lang: str) -> list[str]:
        return [o[known_lang(lang)] for o in self.options]

    def answer(self, lang: str) -> str:
        return self.options[self.correct][known_lang(lang)]

    def why(self, lang: str) -> str:
        return self.explanation[known_lang(lang)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for the store (which keeps questions opaque)."""
        return {
            "key": self.key,
            "topic": self.topic,
            "prompt": dict(self.prompt),
            "options": [dict(o) for o in self.options],
            "correct": self.correct,
            "explanation": dict(self.explanation),
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        return cls(
            key=data["key"],
            topic=data["topic"],
            prompt=dict(data["prompt"]),
            options=tuple(dict(o) for o in data["options"]),
            correct=int(data["correct"]),
            explanation=dict(data["explanation"]),
            sources=tuple(SourceRef(s["id"], s["title"], s["url"]) for s in data.get("sources", ())),
        )


def valid(q: Question) -> bool:
    """Four distinct options, one correct, within Telegram's limits, in both languages."""
    if len(q.options) != OPTIONS or not 0 <= q.correct < OPTIONS or not q.sources:
        return False
    for lang in LANGS:
        texts = [o.get(lang, "") for o in q.options]
        if len({t.casefold().strip() for t in texts}) != OPTIONS or not all(0 < len(t) <= OPTION_LIMIT for t in texts):
            return False
        if not 0 < len(q.prompt.get(lang, "")) <= QUESTION_MAX:
            return False
        if not 0 < len(q.explanation.get(lang, "")) <= EXPLANATION_MAX:
            return False
    return True


@dataclass(frozen=True)
class QuizRequest:
    topic: str = ALL
    length: int = DEFAULT_LENGTH


def parse_quiz_args(text: str) -> QuizRequest | None:
    """'korea 10', '10', '한국', '' -> a request; None when the words are not understood (show `quiz.usage`)."""
    topic, length = ALL, DEFAULT_LENGTH
    for word in text.replace(",", " ").split():
        word = word.casefold()
        if word.isdigit():
            length = max(1, min(MAX_LENGTH, int(word)))
        elif word in TOPIC_ALIASES:
            topic = TOPIC_ALIASES[word]
        else:
            return None
    return QuizRequest(topic, length)
