"""The quiz's words: question templates and the text every presenter shows (answers, leaderboards).

Only *templates* live here, in English and Korean; the facts come from the knowledge (see
`generate`). Platform-specific wording (a poll's "answer within 30 seconds", a button's "answer
recorded") stays with each presenter until the one string catalogue (issue 12, item 4) takes
both; `qt` is this package's lookup until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.core.i18n import topic as with_topic_particle
from bot.core.quiz.question import LANGS, Question, known_lang

STRINGS: dict[str, dict[str, str]] = {
    # Topic names, for the adapters' quiz announcements.
    "topic.all": {"en": "all topics", "ko": "전체 주제"},
    "topic.members": {"en": "members", "ko": "회원국"},
    "topic.korea": {"en": "Korea", "ko": "한국"},
    "topic.ip4": {"en": "the IP4", "ko": "IP4"},
    "topic.summits": {"en": "summits", "ko": "정상회의"},
    "topic.partners": {"en": "partners", "ko": "파트너"},
    "q.joined": {"en": "In which year did {name} join NATO?", "ko": "{name_topic} 몇 년에 나토에 가입했나요?"},
    "a.joined": {"en": "{name} joined NATO on {date}.", "ko": "{name_topic} {date}에 나토에 가입했습니다."},
    "opt.year": {"en": "{year}", "ko": "{year}년"},
    "q.not_member": {
        "en": "Which of these countries is NOT a NATO member?",
        "ko": "다음 중 나토 회원국이 아닌 나라는?",
    },
    "a.not_member.partner": {
        "en": "{name} is a NATO partner, not a member; the other three are members.",
        "ko": "{name_topic} 나토 회원국이 아니라 파트너 국가입니다. 나머지 세 나라는 회원국입니다.",
    },
    "a.not_member.aspirant": {
        "en": "{name} wants to join NATO but is not a member; the other three are members.",
        "ko": "{name_topic} 나토 가입을 희망하지만 회원국은 아닙니다. 나머지 세 나라는 회원국입니다.",
    },
    "a.not_member.non_member": {
        "en": "{name} is not a NATO member; the other three are.",
        "ko": "{name_topic} 나토 회원국이 아닙니다. 나머지 세 나라는 회원국입니다.",
    },
    "q.is_member": {"en": "Which of these countries IS a NATO member?", "ko": "다음 중 나토 회원국인 나라는?"},
    "a.is_member": {
        "en": "{name} joined NATO on {date}; the other three are not members.",
        "ko": "{name_topic} {date}에 나토에 가입했습니다. 나머지 세 나라는 회원국이 아닙니다.",
    },
    "q.in_framework": {
        "en": "Which of these countries belongs to NATO's {framework}?",
        "ko": "다음 중 나토의 {framework}에 속하는 나라는?",
    },
    "a.in_framework": {
        "en": "{name} belongs to NATO's {framework}; the other three do not.",
        "ko": "{name_topic} 나토의 {framework}에 속합니다. 나머지 세 나라는 속하지 않습니다.",
    },
    "q.not_in_framework": {
        "en": "Which of these countries is NOT in NATO's {framework}?",
        "ko": "다음 중 나토의 {framework}에 속하지 않는 나라는?",
    },
    "a.not_in_framework": {
        "en": "{name} is not in NATO's {framework}; the other three are.",
        "ko": "{name_topic} 나토의 {framework}에 속하지 않습니다. 나머지 세 나라는 속합니다.",
    },
    "q.framework_of": {
        "en": "Which NATO partnership framework does {name} belong to?",
        "ko": "{name_topic} 나토의 어느 협력 틀에 속하나요?",
    },
    "a.framework_of": {
        "en": "{name} belongs to NATO's {framework}.",
        "ko": "{name_topic} 나토의 {framework}에 속합니다.",
    },
    "q.represented": {
        "en": "Who represented {name} at the {summit}?",
        "ko": "{summit}에 {name} 대표로 누가 참석했나요?",
    },
    "a.represented": {"en": "{who} represented {name} at the {summit}.", "ko": "{summit}의 {name} 대표: {who}."},
    "q.host": {
        "en": "Which country hosted the NATO summit that began on {date}?",
        "ko": "{date}에 시작된 나토 정상회의의 개최국은?",
    },
    "a.host": {"en": "{summit}: {start} – {end}.", "ko": "{summit}: {start} – {end}."},
    "q.when": {"en": "When did this happen? {event}", "ko": "다음 일은 언제 있었나요? {event}"},
    "q.what_year": {"en": "Which of these happened in {year}?", "ko": "다음 중 {year}년에 있었던 일은?"},
    "a.event": {"en": "{date}: {event}", "ko": "{date}: {event}"},
    # For adapters: showing results and leaderboards.
    "reveal.answer": {"en": "Correct answer: {answer}", "ko": "정답: {answer}"},
    "reveal.source": {"en": "Source: {title} {url}", "ko": "출처: {title} {url}"},
    "board.title": {"en": "Quiz leaderboard", "ko": "퀴즈 순위"},
    "board.empty": {"en": "No scores yet: start a quiz!", "ko": "아직 점수가 없어요. 퀴즈를 시작해 보세요!"},
    "board.line": {
        "en": "{rank}. {name}: {score} pts ({correct}/{answered} correct, best streak {best})",
        "ko": "{rank}. {name}: {score}점 ({answered}문제 중 {correct}개 정답, 최고 연속 {best})",
    },
    "board.streak": {"en": " 🔥{streak}", "ko": " 🔥{streak}"},
    "quiz.usage": {
        "en": "Usage: quiz [topic] [length]. Topics: members, korea, ip4, summits, partners, all; length 1-20.",
        "ko": "사용법: quiz [주제] [문항 수]. 주제: members(회원국), korea(한국), ip4, summits(정상회의), "
        "partners(파트너), all(전체); 문항 수 1-20.",
    },
}


def qt(key: str, lang: str, **values: object) -> str:
    """A quiz string in `lang`; `{name_topic}` adds 은/는 to a Korean name."""
    if "name" in values:
        name = str(values["name"])
        values = {"name_topic": with_topic_particle(name), **values}
    return STRINGS[key][lang].format(**values)


def both(key: str, **per_lang: Callable[[str], object] | object) -> dict[str, str]:
    """The template in both languages; values may be callables of the language."""
    return {lang: qt(key, lang, **{k: v(lang) if callable(v) else v for k, v in per_lang.items()}) for lang in LANGS}


def reveal(question: Question, lang: str, max_sources: int = 2) -> str:
    """'Correct answer: X', why, and sources: what an adapter shows when a question closes."""
    lang = known_lang(lang)
    lines = [qt("reveal.answer", lang, answer=question.answer(lang)), question.why(lang)]
    lines += [qt("reveal.source", lang, title=s.title, url=s.url) for s in question.sources[:max_sources]]
    return "\n".join(lines)


def leaderboard_lines(standings: Iterable[Any], lang: str) -> list[str]:
    """One line per `bot.state.Standing`, already ranked by the store."""
    lang = known_lang(lang)
    lines = []
    for rank, s in enumerate(standings, 1):
        line = qt(
            "board.line",
            lang,
            rank=rank,
            name=s.name,
            score=s.score,
            correct=s.correct,
            answered=s.answered,
            best=s.best_streak,
        )
        if s.streak >= 3:
            line += qt("board.streak", lang, streak=s.streak)
        lines.append(line)
    return lines or [qt("board.empty", lang)]
