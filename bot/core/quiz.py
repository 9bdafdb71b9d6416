"""Quiz questions generated from the knowledge base, and the scoring helper adapters call.

Only question *templates* live here, in English and Korean; every fact (years, members,
frameworks, summit attendees, the Korea timeline) comes from `Knowledge`, so new knowledge
makes new questions and a corrected fact corrects its questions. Generation is deterministic
given a seed. Every question has four distinct options, exactly one correct, an explanation
and its sources, and fits Telegram's quiz-poll limits (options also fit Discord's 80-character button labels),
so no adapter has to cut anything.

Pure: no platform imports and no I/O. `score_answer` takes the store as a parameter (any
object with `get_quiz` and `record_answer`, i.e. `bot.state.Store`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.core.countries import CountryIndex
from bot.core.i18n import format_date
from bot.core.i18n import topic as with_topic_particle
from bot.core.knowledge import Knowledge
from bot.core.schema import Country, Status

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
_OPTION_LIMIT = min(OPTION_MAX, BUTTON_MAX)
LANGS: tuple[str, str] = ("en", "ko")
OPTIONS = 4

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
    "q.not_member": {"en": "Which of these countries is NOT a NATO member?", "ko": "다음 중 나토 회원국이 아닌 나라는?"},
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
    "a.framework_of": {"en": "{name} belongs to NATO's {framework}.", "ko": "{name_topic} 나토의 {framework}에 속합니다."},
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

TOPIC_ALIASES: dict[str, str] = {
    **{w: "members" for w in ("members", "member", "membership", "회원국", "회원")},
    **{w: "korea" for w in ("korea", "kr", "rok", "southkorea", "한국", "대한민국", "연표", "timeline")},
    **{w: "ip4" for w in ("ip4", "indo-pacific", "indopacific", "인도태평양", "인도·태평양")},
    **{w: "summits" for w in ("summits", "summit", "정상회의")},
    **{w: "partners" for w in ("partners", "partner", "partnerships", "frameworks", "파트너", "협력")},
    **{w: ALL for w in ("all", "any", "전체", "모두")},
}

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")


def qt(key: str, lang: str, **values: object) -> str:
    """A quiz string in `lang`; `{name_topic}` adds 은/는 to a Korean name."""
    if "name" in values:
        name = str(values["name"])
        values = {"name_topic": with_topic_particle(name), **values}
    return STRINGS[key][lang].format(**values)


def _both(key: str, **per_lang: Callable[[str], object] | object) -> dict[str, str]:
    """The template in both languages; values may be callables of the language."""
    return {lang: qt(key, lang, **{k: v(lang) if callable(v) else v for k, v in per_lang.items()}) for lang in LANGS}


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary with an ellipsis; only when the text does not fit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
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
        return self.prompt[_lang(lang)]

    def option_texts(self, lang: str) -> list[str]:
        return [o[_lang(lang)] for o in self.options]

    def answer(self, lang: str) -> str:
        return self.options[self.correct][_lang(lang)]

    def why(self, lang: str) -> str:
        return self.explanation[_lang(lang)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for the store (which keeps questions opaque)."""
        return {
            "key": self.key, "topic": self.topic, "prompt": dict(self.prompt),
            "options": [dict(o) for o in self.options], "correct": self.correct,
            "explanation": dict(self.explanation),
            "sources": [{"id": s.id, "title": s.title, "url": s.url} for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        return cls(
            key=data["key"], topic=data["topic"], prompt=dict(data["prompt"]),
            options=tuple(dict(o) for o in data["options"]), correct=int(data["correct"]),
            explanation=dict(data["explanation"]),
            sources=tuple(SourceRef(s["id"], s["title"], s["url"]) for s in data.get("sources", ())),
        )


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def _valid(q: Question) -> bool:
    """Four distinct options, one correct, within Telegram's limits, in both languages."""
    if len(q.options) != OPTIONS or not 0 <= q.correct < OPTIONS or not q.sources:
        return False
    for lang in LANGS:
        texts = [o.get(lang, "") for o in q.options]
        if len({t.casefold().strip() for t in texts}) != OPTIONS or not all(0 < len(t) <= _OPTION_LIMIT for t in texts):
            return False
        if not 0 < len(q.prompt.get(lang, "")) <= QUESTION_MAX:
            return False
        if not 0 < len(q.explanation.get(lang, "")) <= EXPLANATION_MAX:
            return False
    return True


@dataclass(frozen=True)
class _Fact:
    """A question waiting to be built: options are drawn at generation time, from the seed."""

    topic: str
    template: str
    key: str
    subject: str
    build: Callable[[random.Random], Question | None]


class QuizMaker:
    """Knows which questions the knowledge base supports; build once per knowledge version."""

    def __init__(self, knowledge: Knowledge, names: CountryIndex | None = None) -> None:
        self.kb = knowledge
        self.names = names or CountryIndex(knowledge)
        self._facts: list[_Fact] = []
        self._members()
        self._frameworks()
        self._summits()
        self._korea()

    # -- helpers ---------------------------------------------------------------------------

    def _name(self, code: str) -> Callable[[str], str]:
        return lambda lang: self.names.name(code, lang)

    def _country_opt(self, code: str) -> dict[str, str]:
        return {lang: self.names.name(code, lang) for lang in LANGS}

    def _sources(self, ids: Iterable[str]) -> tuple[SourceRef, ...]:
        out: dict[str, SourceRef] = {}
        for sid in ids:
            src = self.kb.sources.get(sid)
            if src is not None and sid not in out:
                out[sid] = SourceRef(sid, src.title, str(src.url))
        return tuple(out.values())

    def _question(self, fact_topic: str, key: str, prompt: dict[str, str], correct: dict[str, str],
                  wrong: Sequence[dict[str, str]], explanation: dict[str, str], sources: Iterable[str],
                  rng: random.Random, *, ordered: bool = False) -> Question | None:
        if len(wrong) < OPTIONS - 1:
            return None
        options = [correct, *wrong[: OPTIONS - 1]]
        if ordered:
            options.sort(key=lambda o: o["en"])
        else:
            rng.shuffle(options)
        q = Question(key, fact_topic, prompt, tuple(options), options.index(correct),
                     {lang: clip(text, EXPLANATION_MAX) for lang, text in explanation.items()},
                     self._sources(sources))
        return q if _valid(q) else None

    def _add(self, topic: str, template: str, key: str, subject: str, build: Callable[[random.Random], Question | None]) -> None:
        self._facts.append(_Fact(topic, template, key, subject, build))

    @staticmethod
    def _pick(rng: random.Random, tiers: Sequence[Sequence[str]], n: int, exclude: set[str]) -> list[str]:
        """n distinct items, preferring earlier (more plausible) tiers, shuffled within each tier."""
        out: list[str] = []
        for tier in tiers:
            pool = sorted(set(tier) - exclude - set(out))
            rng.shuffle(pool)
            out.extend(pool[: n - len(out)])
            if len(out) >= n:
                break
        return out

    # -- members ---------------------------------------------------------------------------

    def _members(self) -> None:
        members = self.kb.members()
        member_codes = [c.code for c in members]
        outsiders = sorted((c for c in self.kb.countries.values() if c.status is not Status.member), key=lambda c: c.code)
        years = sorted({c.joined.year for c in members if c.joined})
        for c in members:
            self._add("members", "joined", f"joined:{c.code}", c.code, lambda rng, c=c: self._joined(c, years, rng))
            self._add("members", "is_member", f"is_member:{c.code}", c.code,
                      lambda rng, c=c: self._is_member(c, outsiders, rng))
        for c in outsiders:
            self._add("members", "not_member", f"not_member:{c.code}", c.code,
                      lambda rng, c=c: self._not_member(c, member_codes, rng))

    def _joined(self, c: Country, years: Sequence[int], rng: random.Random) -> Question | None:
        assert c.joined is not None
        year = c.joined.year
        near = sorted((y for y in years if y != year), key=lambda y: (abs(y - year), y))[:6]
        near += [y for k in range(1, 10) for y in (year - k, year + k) if y not in years and min(years) <= y <= max(years)]
        picked = rng.sample(near[:6], 3) if len(near) >= 6 else near[:3]
        name = self._name(c.code)
        opt = lambda y: _both("opt.year", year=y)  # noqa: E731
        return self._question(
            "members", f"joined:{c.code}", _both("q.joined", name=name), opt(year), [opt(y) for y in picked],
            _both("a.joined", name=name, date=lambda lang: format_date(c.joined, lang)), c.sources, rng, ordered=True)

    def _is_member(self, c: Country, outsiders: Sequence[Country], rng: random.Random) -> Question | None:
        partners = [o.code for o in outsiders if o.status is Status.partner]
        others = [o.code for o in outsiders]
        wrong = self._pick(rng, [partners, others], 3, {c.code})
        name = self._name(c.code)
        return self._question(
            "members", f"is_member:{c.code}", _both("q.is_member"), self._country_opt(c.code),
            [self._country_opt(w) for w in wrong],
            _both("a.is_member", name=name, date=lambda lang: format_date(c.joined, lang)), c.sources, rng)  # type: ignore[arg-type]

    def _not_member(self, c: Country, members: Sequence[str], rng: random.Random) -> Question | None:
        wrong = self._pick(rng, [members], 3, {c.code})
        return self._question(
            "members", f"not_member:{c.code}", _both("q.not_member"), self._country_opt(c.code),
            [self._country_opt(w) for w in wrong], _both(f"a.not_member.{c.status.value}", name=self._name(c.code)),
            c.sources, rng)

    # -- frameworks (partners, ip4) --------------------------------------------------------

    def _frameworks(self) -> None:
        curated = sorted(self.kb.countries.values(), key=lambda c: c.code)
        # Only active partners and aspirants are asked about: a country that is "listed" in a
        # framework but not an active partner (status non_member) would make a contested answer.
        askable = [c for c in curated if c.status in (Status.partner, Status.aspirant)]
        size = {fid: sum(fid in c.frameworks for c in curated) for fid in self.kb.frameworks}
        for fid in sorted(self.kb.frameworks):
            topic = "ip4" if fid == "ip4" else "partners"
            inside = [c for c in askable if fid in c.frameworks]
            for c in inside:
                self._add(topic, "in_framework", f"in_framework:{fid}:{c.code}", c.code,
                          lambda rng, c=c, fid=fid: self._in_framework(fid, c, curated, rng))
            if len(inside) >= OPTIONS - 1:
                for c in curated:  # non-members only: "is the UK a partner?" teaches nothing
                    if fid not in c.frameworks and c.status is not Status.member:
                        self._add(topic, "not_in_framework", f"not_in_framework:{fid}:{c.code}", c.code,
                                  lambda rng, c=c, fid=fid, inside=inside: self._not_in_framework(fid, c, inside, rng))
        for c in askable:
            if c.frameworks:
                main = min(c.frameworks, key=lambda f: (size[f], f))  # the most specific, e.g. IP4 over global
                topic = "ip4" if main == "ip4" else "partners"
                self._add(topic, "framework_of", f"framework_of:{c.code}", c.code,
                          lambda rng, c=c, main=main: self._framework_of(c, main, rng))

    def _fw_name(self, fid: str) -> Callable[[str], str]:
        return lambda lang: getattr(self.kb.frameworks[fid].name, lang)

    def _in_framework(self, fid: str, c: Country, curated: Sequence[Country], rng: random.Random) -> Question | None:
        outside = [o for o in curated if fid not in o.frameworks]
        near = [o.code for o in outside if set(o.frameworks) & set(c.frameworks)]  # e.g. other global partners
        partners = [o.code for o in outside if o.status is not Status.member]
        wrong = self._pick(rng, [near, partners, [o.code for o in outside]], 3, {c.code})
        fw = self._fw_name(fid)
        return self._question(
            "ip4" if fid == "ip4" else "partners", f"in_framework:{fid}:{c.code}", _both("q.in_framework", framework=fw),
            self._country_opt(c.code), [self._country_opt(w) for w in wrong],
            _both("a.in_framework", name=self._name(c.code), framework=fw),
            (*c.sources, *self.kb.frameworks[fid].sources), rng)

    def _not_in_framework(self, fid: str, c: Country, inside: Sequence[Country], rng: random.Random) -> Question | None:
        wrong = self._pick(rng, [[i.code for i in inside]], 3, {c.code})
        fw = self._fw_name(fid)
        return self._question(
            "ip4" if fid == "ip4" else "partners", f"not_in_framework:{fid}:{c.code}",
            _both("q.not_in_framework", framework=fw), self._country_opt(c.code), [self._country_opt(w) for w in wrong],
            _both("a.not_in_framework", name=self._name(c.code), framework=fw),
            (*c.sources, *self.kb.frameworks[fid].sources), rng)

    def _framework_of(self, c: Country, main: str, rng: random.Random) -> Question | None:
        others = [f for f in sorted(self.kb.frameworks) if f not in c.frameworks]
        wrong = self._pick(rng, [others], 3, set())
        opt = lambda fid: {lang: getattr(self.kb.frameworks[fid].name, lang) for lang in LANGS}  # noqa: E731
        name = self._name(c.code)
        explanation = {}
        for lang in LANGS:
            first = qt("a.framework_of", lang, name=name(lang), framework=getattr(self.kb.frameworks[main].name, lang))
            summary = getattr(self.kb.frameworks[main].summary, lang)
            extra = re.split(r"(?<=[.!?。])\s", summary, maxsplit=1)[0]
            explanation[lang] = f"{first} {extra}" if len(first) + 1 + len(extra) <= EXPLANATION_MAX else first
        return self._question(
            "ip4" if main == "ip4" else "partners", f"framework_of:{c.code}", _both("q.framework_of", name=name),
            opt(main), [opt(f) for f in wrong], explanation, (*self.kb.frameworks[main].sources, *c.sources), rng)

    # -- summits ---------------------------------------------------------------------------

    def _summits(self) -> None:
        summits = sorted(self.kb.summits, key=lambda s: (s.start, s.id))
        for s in summits:
            for a in s.attendees:
                self._add("summits", "represented", f"represented:{s.id}:{a.country}", f"{s.id}:{a.country}",
                          lambda rng, s=s, a=a: self._represented(s, a, summits, rng))
            self._add("summits", "host", f"host:{s.id}", s.id, lambda rng, s=s: self._host(s, summits, rng))

    def _represented(self, summit: Any, attendee: Any, summits: Sequence[Any], rng: random.Random) -> Question | None:
        # Distractors are other countries' representatives, never the same country's: the same
        # person may be described differently at two summits, which would give two right answers.
        same = [a.who for a in summit.attendees if a.country != attendee.country]
        other = [a.who for s in summits for a in s.attendees if a.country != attendee.country]
        by_en = {t.en: t for t in (*same, *other)}
        wrong_en = self._pick(rng, [[t.en for t in same], [t.en for t in other]], 3, {attendee.who.en})
        wrong = [{"en": by_en[w].en, "ko": by_en[w].ko} for w in wrong_en]
        name = self._name(attendee.country)
        title = lambda lang: getattr(summit.name, lang)  # noqa: E731
        return self._question(
            "summits", f"represented:{summit.id}:{attendee.country}", _both("q.represented", name=name, summit=title),
            {"en": attendee.who.en, "ko": attendee.who.ko}, wrong,
            _both("a.represented", name=name, summit=title, who=lambda lang: getattr(attendee.who, lang)),
            summit.sources, rng)

    def _host(self, summit: Any, summits: Sequence[Any], rng: random.Random) -> Question | None:
        hosts = [s.host for s in summits]
        members = [c.code for c in self.kb.members()]
        wrong = self._pick(rng, [hosts, members], 3, {summit.host})
        return self._question(
            "summits", f"host:{summit.id}", _both("q.host", date=lambda lang: format_date(summit.start, lang)),
            self._country_opt(summit.host), [self._country_opt(w) for w in wrong],
            _both("a.host", summit=lambda lang: getattr(summit.name, lang),
                  start=lambda lang: format_date(summit.start, lang), end=lambda lang: format_date(summit.end, lang)),
            summit.sources, rng)

    # -- the Korea timeline ----------------------------------------------------------------

    def _korea(self) -> None:
        # Events whose text names a year would give the answer away (or mislead): not asked.
        events = [e for e in self.kb.timeline if "korea" in e.tags
                  and not _YEAR_IN_TEXT.search(e.text.en + " " + e.text.ko)]
        events.sort(key=lambda e: (e.date, e.text.en))
        years = sorted({int(e.date[:4]) for e in events})
        for i, e in enumerate(events):
            key = f"{e.date}#{i}"
            self._add("korea", "when", f"when:{key}", key, lambda rng, e=e, key=key: self._when(e, key, years, rng))
            self._add("korea", "what_year", f"what_year:{key}", key,
                      lambda rng, e=e, key=key: self._what_year(e, key, events, rng))

    @staticmethod
    def _event_explanation(e: Any) -> dict[str, str]:
        return _both("a.event", date=lambda lang: format_date(e.date, lang), event=lambda lang: getattr(e.text, lang))

    def _when(self, e: Any, key: str, years: Sequence[int], rng: random.Random) -> Question | None:
        year = int(e.date[:4])
        near = sorted((y for y in years if y != year), key=lambda y: (abs(y - year), y))[:6]
        if len(near) < 3:
            return None
        opt = lambda y: _both("opt.year", year=y)  # noqa: E731
        return self._question(
            "korea", f"when:{key}", _both("q.when", event=lambda lang: getattr(e.text, lang)), opt(year),
            [opt(y) for y in rng.sample(near, 3)], self._event_explanation(e), e.sources, rng, ordered=True)

    def _what_year(self, e: Any, key: str, events: Sequence[Any], rng: random.Random) -> Question | None:
        year = e.date[:4]
        others = [o for o in events if o.date[:4] != year]
        if len(others) < 3:
            return None
        chosen = rng.sample(others, 3)
        opt = lambda t: {lang: clip(getattr(t, lang), _OPTION_LIMIT) for lang in LANGS}  # noqa: E731
        return self._question(
            "korea", f"what_year:{key}", _both("q.what_year", year=year), opt(e.text), [opt(o.text) for o in chosen],
            self._event_explanation(e), e.sources, rng)

    # -- generation ------------------------------------------------------------------------

    def available(self, topic: str = ALL) -> int:
        """How many distinct questions the knowledge supports for a topic (an upper bound)."""
        return len(self._facts_for(topic))

    def _facts_for(self, topic: str) -> list[_Fact]:
        if topic != ALL and topic not in TOPICS:
            raise ValueError(f"unknown quiz topic {topic!r}; expected one of {', '.join((*TOPICS, ALL))}")
        return [f for f in self._facts if topic == ALL or f.topic == topic]

    def generate(self, topic: str = ALL, length: int = DEFAULT_LENGTH, seed: int | str = 0) -> list[Question]:
        """`length` questions (clamped to 1-20; fewer if the knowledge has fewer), deterministic per seed.

        Templates take turns so a quiz mixes kinds of question, and a subject (a country, a
        summit, an event) is not asked about twice while others remain.
        """
        length = max(1, min(MAX_LENGTH, int(length)))
        rng = random.Random(f"natobot-quiz|{topic}|{seed}")
        groups: dict[str, list[_Fact]] = {}
        for fact in self._facts_for(topic):
            groups.setdefault(fact.template, []).append(fact)
        order = sorted(groups)
        rng.shuffle(order)
        for name in order:
            rng.shuffle(groups[name])
        out: list[Question] = []
        used: set[str] = set()
        subjects: set[str] = set()
        for strict in (True, False):
            progress = True
            while len(out) < length and progress:
                progress = False
                for name in order:
                    fact = next((f for f in groups[name] if f.key not in used
                                 and (not strict or f.subject not in subjects)), None)
                    if fact is None:
                        continue
                    used.add(fact.key)
                    progress = True
                    q = fact.build(rng)
                    if q is None:
                        continue
                    out.append(q)
                    subjects.add(fact.subject)
                    if len(out) >= length:
                        break
        return out


def generate_quiz(knowledge: Knowledge, topic: str = ALL, length: int = DEFAULT_LENGTH, seed: int | str = 0,
                  names: CountryIndex | None = None) -> list[Question]:
    """One-shot convenience; adapters should keep a `QuizMaker` per knowledge version."""
    return QuizMaker(knowledge, names).generate(topic, length, seed)


@dataclass(frozen=True)
class QuizRequest:
    topic: str = ALL
    length: int = DEFAULT_LENGTH


def parse_quiz_args(text: str) -> QuizRequest | None:
    """'korea 10', '10', '한국', '' -> a request; None when the words are not understood (show quiz.usage)."""
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


# -- scoring -----------------------------------------------------------------------------


class QuizStore(Protocol):
    """The part of `bot.state.Store` scoring needs (core must not import the state package)."""

    def get_quiz(self, quiz_id: str) -> Any: ...

    def record_answer(self, quiz_id: str, index: int, user: str, name: str, option: int,
                      correct: bool, points: int = 1) -> Any: ...


@dataclass(frozen=True)
class Scored:
    """What happened to one answer: `outcome` is accepted, duplicate, closed or unknown."""

    outcome: str
    correct: bool
    question: Question | None = None
    standing: Any = None  # bot.state.Standing after the answer, when accepted

    @property
    def accepted(self) -> bool:
        return self.outcome == "accepted"


def question_at(quiz: Any, index: int | None = None) -> Question:
    """The question of a stored quiz (`bot.state.QuizState`), by default the open one."""
    return Question.from_dict(quiz.questions[quiz.current if index is None else index])


def score_answer(store: QuizStore, quiz_id: str, index: int, user: str, name: str, option: int,
                 points: int = 1) -> Scored:
    """Check the option against the stored question and record it once; returns the new standing."""
    quiz = store.get_quiz(quiz_id)
    if quiz is None:
        return Scored("unknown", False)
    if not 0 <= index < len(quiz.questions):
        return Scored("closed", False)
    question = question_at(quiz, index)
    correct = option == question.correct
    result = store.record_answer(quiz_id, index, user, name, option, correct, points)
    outcome = getattr(result.outcome, "value", result.outcome)
    return Scored(str(outcome), correct, question, result.standing)


# A question whose deadline passed longer ago than this (the bot was down for days) is not announced
# any more on resuming: its quiz ends quietly (Redis forgets an unmoved quiz after as long anyway).
RESUME_WITHIN = 2 * 24 * 3600.0


class ResumeStore(Protocol):
    """The part of `bot.state.Store` resuming needs."""

    def open_quizzes(self, prefix: str) -> list[Any]: ...

    def finish_quiz(self, quiz_id: str) -> bool: ...


def questions_to_resume(store: ResumeStore, prefix: str, now: float) -> list[tuple[Any, float]]:
    """What a starting process must time of the quizzes left open (e.g. every process restarted while a
    question was up): (quiz, seconds until its open question closes, <= 0 when overdue), soonest first.

    A quiz whose open question was never posted (no deadline) is left alone; one abandoned longer than
    `RESUME_WITHIN` is finished without a word. Closing goes through the store's compare-and-set, so
    several processes resuming at once announce each question once.
    """
    due = []
    for quiz in store.open_quizzes(prefix):
        if quiz.deadline is None:
            continue
        if now - quiz.deadline > RESUME_WITHIN:
            store.finish_quiz(quiz.id)
            continue
        due.append((quiz, quiz.deadline - now))
    return sorted(due, key=lambda item: item[1])


# -- text for adapters -------------------------------------------------------------------


def reveal(question: Question, lang: str, max_sources: int = 2) -> str:
    """'Correct answer: X', why, and sources: what an adapter shows when a question closes."""
    lang = _lang(lang)
    lines = [qt("reveal.answer", lang, answer=question.answer(lang)), question.why(lang)]
    lines += [qt("reveal.source", lang, title=s.title, url=s.url) for s in question.sources[:max_sources]]
    return "\n".join(lines)


def leaderboard_lines(standings: Iterable[Any], lang: str) -> list[str]:
    """One line per `bot.state.Standing`, already ranked by the store."""
    lang = _lang(lang)
    lines = []
    for rank, s in enumerate(standings, 1):
        line = qt("board.line", lang, rank=rank, name=s.name, score=s.score, correct=s.correct,
                  answered=s.answered, best=s.best_streak)
        if s.streak >= 3:
            line += qt("board.streak", lang, streak=s.streak)
        lines.append(line)
    return lines or [qt("board.empty", lang)]

