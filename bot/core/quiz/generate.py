"""Quiz questions generated from the knowledge base.

Every fact (years, members, frameworks, summit attendees, the Korea timeline) comes from
`Knowledge`, so new knowledge makes new questions and a corrected fact corrects its questions;
the wording comes from `text`. Generation is deterministic given a seed. Every question has four
distinct options, exactly one correct, an explanation and its sources, and fits every platform's
limits (`question.valid`). Pure: no platform imports and no I/O.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from bot.core.countries import CountryIndex
from bot.core.i18n import format_date, t
from bot.core.knowledge import Knowledge
from bot.core.quiz.question import (
    ALL,
    DEFAULT_LENGTH,
    EXPLANATION_MAX,
    LANGS,
    MAX_LENGTH,
    OPTION_LIMIT,
    OPTIONS,
    TOPICS,
    Question,
    SourceRef,
    clip,
    valid,
)
from bot.core.quiz.text import both
from bot.core.schema import Country, Status

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[89]|20)\d\d(?!\d)")


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

    def _question(
        self,
        fact_topic: str,
        key: str,
        prompt: dict[str, str],
        correct: dict[str, str],
        wrong: Sequence[dict[str, str]],
        explanation: dict[str, str],
        sources: Iterable[str],
        rng: random.Random,
        *,
        ordered: bool = False,
    ) -> Question | None:
        if len(wrong) < OPTIONS - 1:
            return None
        options = [correct, *wrong[: OPTIONS - 1]]
        if ordered:
            options.sort(key=lambda o: o["en"])
        else:
            rng.shuffle(options)
        q = Question(
            key,
            fact_topic,
            prompt,
            tuple(options),
            options.index(correct),
            {lang: clip(text, EXPLANATION_MAX) for lang, text in explanation.items()},
            self._sources(sources),
        )
        return q if valid(q) else None

    def _add(
        self, topic: str, template: str, key: str, subject: str, build: Callable[[random.Random], Question | None]
    ) -> None:
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
        outsiders = sorted(
            (c for c in self.kb.countries.values() if c.status is not Status.member), key=lambda c: c.code
        )
        years = sorted({c.joined.year for c in members if c.joined})
        for c in members:
            self._add("members", "joined", f"joined:{c.code}", c.code, partial(self._joined, c, years))
            self._add(
                "members",
                "is_member",
                f"is_member:{c.code}",
                c.code,
                partial(self._is_member, c, outsiders),
            )
        for c in outsiders:
            self._add(
                "members",
                "not_member",
                f"not_member:{c.code}",
                c.code,
                partial(self._not_member, c, member_codes),
            )

    def _joined(self, c: Country, years: Sequence[int], rng: random.Random) -> Question | None:
        assert c.joined is not None
        year = c.joined.year
        near = sorted((y for y in years if y != year), key=lambda y: (abs(y - year), y))[:6]
        near += [
            y for k in range(1, 10) for y in (year - k, year + k) if y not in years and min(years) <= y <= max(years)
        ]
        picked = rng.sample(near[:6], 3) if len(near) >= 6 else near[:3]
        name = self._name(c.code)

        def opt(y: int) -> dict[str, str]:
            return both("quiz.opt.year", year=y)

        return self._question(
            "members",
            f"joined:{c.code}",
            both("quiz.q.joined", name=name),
            opt(year),
            [opt(y) for y in picked],
            both("quiz.a.joined", name=name, date=lambda lang: format_date(c.accession, lang)),
            c.sources,
            rng,
            ordered=True,
        )

    def _is_member(self, c: Country, outsiders: Sequence[Country], rng: random.Random) -> Question | None:
        partners = [o.code for o in outsiders if o.status is Status.partner]
        others = [o.code for o in outsiders]
        wrong = self._pick(rng, [partners, others], 3, {c.code})
        name = self._name(c.code)
        return self._question(
            "members",
            f"is_member:{c.code}",
            both("quiz.q.is_member"),
            self._country_opt(c.code),
            [self._country_opt(w) for w in wrong],
            both("quiz.a.is_member", name=name, date=lambda lang: format_date(c.accession, lang)),
            c.sources,
            rng,
        )

    def _not_member(self, c: Country, members: Sequence[str], rng: random.Random) -> Question | None:
        wrong = self._pick(rng, [members], 3, {c.code})
        return self._question(
            "members",
            f"not_member:{c.code}",
            both("quiz.q.not_member"),
            self._country_opt(c.code),
            [self._country_opt(w) for w in wrong],
            both(f"quiz.a.not_member.{c.status.value}", name=self._name(c.code)),
            c.sources,
            rng,
        )

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
                self._add(
                    topic,
                    "in_framework",
                    f"in_framework:{fid}:{c.code}",
                    c.code,
                    partial(self._in_framework, fid, c, curated),
                )
            if len(inside) >= OPTIONS - 1:
                for c in curated:  # non-members only: "is the UK a partner?" teaches nothing
                    if fid not in c.frameworks and c.status is not Status.member:
                        self._add(
                            topic,
                            "not_in_framework",
                            f"not_in_framework:{fid}:{c.code}",
                            c.code,
                            partial(self._not_in_framework, fid, c, inside),
                        )
        for c in askable:
            if c.frameworks:
                main = min(c.frameworks, key=lambda f: (size[f], f))  # the most specific, e.g. IP4 over global
                topic = "ip4" if main == "ip4" else "partners"
                self._add(
                    topic,
                    "framework_of",
                    f"framework_of:{c.code}",
                    c.code,
                    partial(self._framework_of, c, main),
                )

    def _fw_name(self, fid: str) -> Callable[[str], str]:
        return lambda lang: getattr(self.kb.frameworks[fid].name, lang)

    def _in_framework(self, fid: str, c: Country, curated: Sequence[Country], rng: random.Random) -> Question | None:
        outside = [o for o in curated if fid not in o.frameworks]
        near = [o.code for o in outside if set(o.frameworks) & set(c.frameworks)]  # e.g. other global partners
        partners = [o.code for o in outside if o.status is not Status.member]
        wrong = self._pick(rng, [near, partners, [o.code for o in outside]], 3, {c.code})
        fw = self._fw_name(fid)
        return self._question(
            "ip4" if fid == "ip4" else "partners",
            f"in_framework:{fid}:{c.code}",
            both("quiz.q.in_framework", framework=fw),
            self._country_opt(c.code),
            [self._country_opt(w) for w in wrong],
            both("quiz.a.in_framework", name=self._name(c.code), framework=fw),
            (*c.sources, *self.kb.frameworks[fid].sources),
            rng,
        )

    def _not_in_framework(self, fid: str, c: Country, inside: Sequence[Country], rng: random.Random) -> Question | None:
        wrong = self._pick(rng, [[i.code for i in inside]], 3, {c.code})
        fw = self._fw_name(fid)
        return self._question(
            "ip4" if fid == "ip4" else "partners",
            f"not_in_framework:{fid}:{c.code}",
            both("quiz.q.not_in_framework", framework=fw),
            self._country_opt(c.code),
            [self._country_opt(w) for w in wrong],
            both("quiz.a.not_in_framework", name=self._name(c.code), framework=fw),
            (*c.sources, *self.kb.frameworks[fid].sources),
            rng,
        )

    def _framework_of(self, c: Country, main: str, rng: random.Random) -> Question | None:
        others = [f for f in sorted(self.kb.frameworks) if f not in c.frameworks]
        wrong = self._pick(rng, [others], 3, set())

        def opt(fid: str) -> dict[str, str]:
            return {lang: getattr(self.kb.frameworks[fid].name, lang) for lang in LANGS}

        name = self._name(c.code)
        explanation = {}
        for lang in LANGS:
            first = t(
                "quiz.a.framework_of", lang, name=name(lang), framework=getattr(self.kb.frameworks[main].name, lang)
            )
            summary = getattr(self.kb.frameworks[main].summary, lang)
            extra = re.split(r"(?<=[.!?。])\s", summary, maxsplit=1)[0]
            explanation[lang] = f"{first} {extra}" if len(first) + 1 + len(extra) <= EXPLANATION_MAX else first
        return self._question(
            "ip4" if main == "ip4" else "partners",
            f"framework_of:{c.code}",
            both("quiz.q.framework_of", name=name),
            opt(main),
            [opt(f) for f in wrong],
            explanation,
            (*self.kb.frameworks[main].sources, *c.sources),
            rng,
        )

    # -- summits ---------------------------------------------------------------------------

    def _summits(self) -> None:
        summits = sorted(self.kb.summits, key=lambda s: (s.start, s.id))
        for s in summits:
            for a in s.attendees:
                self._add(
                    "summits",
                    "represented",
                    f"represented:{s.id}:{a.country}",
                    f"{s.id}:{a.country}",
                    partial(self._represented, s, a, summits),
                )
            self._add("summits", "host", f"host:{s.id}", s.id, partial(self._host, s, summits))

    def _represented(self, summit: Any, attendee: Any, summits: Sequence[Any], rng: random.Random) -> Question | None:
        # Distractors are other countries' representatives, never the same country's: the same
        # person may be described differently at two summits, which would give two right answers.
        same = [a.who for a in summit.attendees if a.country != attendee.country]
        other = [a.who for s in summits for a in s.attendees if a.country != attendee.country]
        by_en = {t.en: t for t in (*same, *other)}
        wrong_en = self._pick(rng, [[t.en for t in same], [t.en for t in other]], 3, {attendee.who.en})
        wrong = [{"en": by_en[w].en, "ko": by_en[w].ko} for w in wrong_en]
        name = self._name(attendee.country)

        def title(lang: str) -> str:
            return getattr(summit.name, lang)

        return self._question(
            "summits",
            f"represented:{summit.id}:{attendee.country}",
            both("quiz.q.represented", name=name, summit=title),
            {"en": attendee.who.en, "ko": attendee.who.ko},
            wrong,
            both("quiz.a.represented", name=name, summit=title, who=lambda lang: getattr(attendee.who, lang)),
            summit.sources,
            rng,
        )

    def _host(self, summit: Any, summits: Sequence[Any], rng: random.Random) -> Question | None:
        hosts = [s.host for s in summits]
        members = [c.code for c in self.kb.members()]
        wrong = self._pick(rng, [hosts, members], 3, {summit.host})
        return self._question(
            "summits",
            f"host:{summit.id}",
            both("quiz.q.host", date=lambda lang: format_date(summit.start, lang)),
            self._country_opt(summit.host),
            [self._country_opt(w) for w in wrong],
            both(
                "quiz.a.host",
                summit=lambda lang: getattr(summit.name, lang),
                start=lambda lang: format_date(summit.start, lang),
                end=lambda lang: format_date(summit.end, lang),
            ),
            summit.sources,
            rng,
        )

    # -- the Korea timeline ----------------------------------------------------------------

    def _korea(self) -> None:
        # Events whose text names a year would give the answer away (or mislead): not asked.
        events = [
            e for e in self.kb.timeline if "korea" in e.tags and not _YEAR_IN_TEXT.search(e.text.en + " " + e.text.ko)
        ]
        events.sort(key=lambda e: (e.date, e.text.en))
        years = sorted({int(e.date[:4]) for e in events})
        for i, e in enumerate(events):
            key = f"{e.date}#{i}"
            self._add("korea", "when", f"when:{key}", key, partial(self._when, e, key, years))
            self._add(
                "korea",
                "what_year",
                f"what_year:{key}",
                key,
                partial(self._what_year, e, key, events),
            )

    @staticmethod
    def _event_explanation(e: Any) -> dict[str, str]:
        return both(
            "quiz.a.event", date=lambda lang: format_date(e.date, lang), event=lambda lang: getattr(e.text, lang)
        )

    def _when(self, e: Any, key: str, years: Sequence[int], rng: random.Random) -> Question | None:
        year = int(e.date[:4])
        near = sorted((y for y in years if y != year), key=lambda y: (abs(y - year), y))[:6]
        if len(near) < 3:
            return None

        def opt(y: int) -> dict[str, str]:
            return both("quiz.opt.year", year=y)

        return self._question(
            "korea",
            f"when:{key}",
            both("quiz.q.when", event=lambda lang: getattr(e.text, lang)),
            opt(year),
            [opt(y) for y in rng.sample(near, 3)],
            self._event_explanation(e),
            e.sources,
            rng,
            ordered=True,
        )

    def _what_year(self, e: Any, key: str, events: Sequence[Any], rng: random.Random) -> Question | None:
        year = e.date[:4]
        others = [o for o in events if o.date[:4] != year]
        if len(others) < 3:
            return None
        chosen = rng.sample(others, 3)

        def opt(text: Any) -> dict[str, str]:
            return {lang: clip(getattr(text, lang), OPTION_LIMIT) for lang in LANGS}

        return self._question(
            "korea",
            f"what_year:{key}",
            both("quiz.q.what_year", year=year),
            opt(e.text),
            [opt(o.text) for o in chosen],
            self._event_explanation(e),
            e.sources,
            rng,
        )

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
                    pick = next(
                        (f for f in groups[name] if f.key not in used and (not strict or f.subject not in subjects)),
                        None,
                    )
                    if pick is None:
                        continue
                    used.add(pick.key)
                    progress = True
                    q = pick.build(rng)
                    if q is None:
                        continue
                    out.append(q)
                    subjects.add(pick.subject)
                    if len(out) >= length:
                        break
        return out
