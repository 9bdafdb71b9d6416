"""Question understanding: a question becomes a `Frame` (what is asked, and about what).

The slots a question can fill — countries, years and decades, ordinals, a summit, frameworks, an
office, a continent, the time it is about — are read with gazetteers built from the knowledge
(summit cities, framework names, office names, country aliases, capitals, demonyms) and pycountry,
so a row a curator adds is understood with no code change. What stays in code is how people ask
(question words, "joined", "founding", "before", ordinal number words): language, not facts.

The frame is what the answerer decides with, and what the consistency guard checks an answer
against: a question about 2023 must not get a 2026 answer, one about Canada not the US card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.core.asking import (
    CONTINENTS,
    EN_ASK,
    REGION_NAMES,
    SHORT_WORDS,
    cues_of,
    glued_ok,
    is_number_word,
    month_of,
    ordinal_of,
    person_names,
    years_of,
)
from bot.core.countries import CountryIndex, Match, _jamo, flag_to_code
from bot.core.knowledge import Knowledge
from bot.core.text import is_hangul, korean_stems, normalize, split_korean

# -- how people ask (language, not facts) ------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """What one question asks: an intent is decided from these by the answerer."""

    text: str  # the cleaned question
    words: tuple[str, ...]  # normalised words
    countries: tuple[Match, ...] = ()
    years: tuple[int, ...] = ()
    decade: int | None = None
    span: tuple[int, int] | None = None  # "between 1990 and 2005"
    ordinal: int | None = None
    summits: tuple[str, ...] = ()  # summit ids named by city
    frameworks: tuple[str, ...] = ()
    office: str | None = None
    continent: str | None = None
    region: str | None = None  # a group of countries: "the Baltic states", "북유럽"
    people: tuple[str, ...] = ()  # countries of the people named (summit attendees)
    named: tuple[str, ...] = ()  # those people's names as typed (normalised)
    holder: int | None = None  # which holder of `office` was named ("Stoltenberg")
    month: int | None = None  # a month named with the year ("November 2026", "2026년 11월"), or 7 for "second half"
    soft: frozenset[str] = frozenset()  # countries named only by a capital or demonym ("Seoul", "Korean")
    asks: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    residual: tuple[str, ...] = ()  # words no slot or cue explains
    used: frozenset[int] = field(default=frozenset())  # word positions a slot took

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.countries))

    @property
    def hard_codes(self) -> tuple[str, ...]:
        """Countries named outright, not only through a capital city."""
        return tuple(c for c in self.codes if c not in self.soft)

    @property
    def member_ordinal(self) -> int | None:
        """An ordinal that is about the order of members ("the 30th member"), not "the first visit"."""
        return self.ordinal if self.has("member", "join") else None

    def has(self, *topics: str) -> bool:
        return any(t in self.topics for t in topics)

    def asks_any(self, *asks: str) -> bool:
        return any(a in self.asks for a in asks)


def _singulars(name: str) -> tuple[str, ...]:
    """ "Partners across the globe" -> "partner across the globe"; "global partners" -> "global partner"."""
    words = name.split()
    out = []
    for k, word in enumerate(words):
        if word.lower().startswith("partners"):
            out.append(" ".join([*words[:k], word[:-1], *words[k + 1 :]]))
    return tuple(out)


class Reader:
    """Reads questions into frames; built once per knowledge version from its data."""

    def __init__(self, knowledge: Knowledge, countries: CountryIndex, vocabulary: frozenset[str] = frozenset()):
        self.kb = knowledge
        self.countries = countries
        self.vocabulary = vocabulary
        self._phrases: dict[str, tuple[str, str]] = {}  # normalised phrase -> (slot, value)

        self._holders: dict[str, str] = {}  # a holder's name -> "office-id:index"
        self._answer_words: frozenset[str] | None = None

        def add(slot: str, value: str, *phrases: str | None) -> None:
            for phrase in phrases:
                key = normalize(phrase or "")
                if slot == "holder":
                    self._holders.setdefault(key, value)
                    continue
                if key and key not in self._phrases:
                    self._phrases[key] = (slot, value)
                    if is_hangul(key) and " " in key:
                        self._phrases.setdefault(key.replace(" ", ""), (slot, value))

        for summit in knowledge.summits:
            add("summit", summit.id, summit.city.en, summit.city.ko, summit.city.en.split(",")[0])
        for fw in knowledge.frameworks.values():
            add("framework", fw.id, fw.name.en, fw.name.ko, *(fw.short.en, fw.short.ko) if fw.short else ())
            for name in (fw.name.en, fw.short.en if fw.short else ""):  # "a partner across the globe"
                add("framework", fw.id, *_singulars(name))
            for name in (fw.name.en, fw.name.ko):  # "평화를 위한 동반자 관계(PfP)" -> both halves
                for part in re.split(r"[()]", name):
                    if len(part.strip()) >= 3:
                        add("framework", fw.id, part)
        for office in knowledge.offices.values():
            add("office", office.id, office.name.en, office.name.ko, *office.aliases.en, *office.aliases.ko)
            for n, holder in enumerate(office.holders):
                for name in person_names(holder.who.en, holder.who.ko):
                    add("office", office.id, name)
                    add("holder", f"{office.id}:{n}", name)
        people: dict[str, set[str]] = {}
        for summit in knowledge.summits:
            for attendee in summit.attendees:
                for name in person_names(attendee.who.en, attendee.who.ko):
                    people.setdefault(name, set()).add(attendee.country)
        for name, codes in people.items():
            if len(codes) == 1:
                add("person", next(iter(codes)), name)
        for phrase, continent in CONTINENTS.items():
            add("continent", continent, phrase)
        for phrase, region in REGION_NAMES.items():
            add("region", region, phrase)
        self._longest = max((len(k.split()) for k in self._phrases), default=1)
        # Korean names glued to what follows ("빌뉴스정상회의"): candidates by first syllable, longest first.
        self._hangul_cache: dict[str, str | None] = {}
        self._glued: dict[str, list[str]] = {}
        for key in sorted((k for k in self._phrases if len(k) >= 2 and is_hangul(k[0])), key=len, reverse=True):
            self._glued.setdefault(key[0], []).append(key)

    def read(self, text: str) -> Frame:
        low = normalize(
            text.replace("몇 년", "몇년")
            .replace("몇 번째", "몇번째")
            .replace("몇 개", "몇개")
            .replace("몇 명", "몇명")
            .replace("몇 나라", "몇나라")
        )
        words = split_korean(low.split())
        used: set[int] = set()
        slots: dict[str, list[str]] = {
            "summit": [],
            "framework": [],
            "office": [],
            "continent": [],
            "region": [],
            "person": [],
            "holder": [],
            "named": [],
        }
        # A continent word inside a country's name is the country: "South Africa", "Central African Republic".
        everywhere = self.countries.find_all(words, self.vocabulary)
        in_names = {k for m in everywhere if m.end - m.start > 1 for k in range(m.start, m.end)}
        hangul = [is_hangul(w) for w in words]  # once per word, not once per phrase size
        i = 0
        while i < len(words):  # gazetteer phrases first, longest first: "north america" before a country
            for size in range(min(self._longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + size])
                hit = self._phrases.get(phrase)
                if hit is None and size > 1 and hangul[i + size - 1]:  # "지중해 대화에": the particle
                    head = " ".join(words[i : i + size - 1])
                    hit = next(
                        (
                            self._phrases[f"{head} {f}"]
                            for f in korean_stems(words[i + size - 1])
                            if f"{head} {f}" in self._phrases
                        ),
                        None,
                    )
                if hit is None and size == 1 and hangul[i]:
                    key = self._hangul_key(phrase)
                    if key is not None:
                        hit, phrase = self._phrases[key], key
                if hit is not None and hit[0] == "continent" and (phrase == "eu" or i in in_names):
                    hit = None
                if hit is not None:
                    slots[hit[0]].append(hit[1])
                    if hit[0] == "person":
                        slots["named"].append(phrase)
                    if phrase in self._holders:
                        slots["holder"].append(self._holders[phrase])
                    used.update(range(i, i + size))
                    i += size
                    break
            else:
                i += 1

        years, decade, span = years_of(low, text.casefold())
        month = month_of(low) if years else None
        ordinal = ordinal_of(text)
        masked = [("·" if k in used else w) for k, w in enumerate(words)]
        found = [m for m in everywhere if not any(k in used for k in range(m.start, m.end))]
        found += self._codes_in(text, masked, {k for m in found for k in range(m.start, m.end)})
        for flag in re.findall(r"[\U0001F1E6-\U0001F1FF]{2}", text):  # flags anywhere: 🇰🇷
            code = flag_to_code(flag)
            if code and code in self.countries.codes() and code not in {m.code for m in found}:
                found.append(Match(code, flag, len(words), len(words)))  # an empty span: no word is the flag
        found.sort(key=lambda m: m.start)
        for m in found:
            used.update(range(m.start, m.end))

        asks: set[str] = set()
        topics: set[str] = set()
        for k in range(len(words) - 1):  # two-word cues: "how many", "what number"
            pair = f"{words[k]} {words[k + 1]}"
            for ask, phrases in EN_ASK.items():
                if pair in phrases and k not in used and k + 1 not in used:
                    asks.add(ask)
                    used.update((k, k + 1))
        residual = []
        for k, word in enumerate(words):
            if k in used:
                continue
            a, tp = cues_of(word)
            asks |= a
            topics |= tp
            if a or tp or is_number_word(word):
                continue
            known = word in self.vocabulary
            if not found and not (known and len(word) <= 3):
                near = self.countries.near(word, k)
                if near is not None and not known and not self._said(word):
                    found.append(near)
                    used.add(k)
                    continue
            residual.append(word)
        if ordinal is not None:
            topics.add("ordinal")
        if any("수" in korean_stems(w) and k and "member" in cues_of(words[k - 1])[1] for k, w in enumerate(words)):
            asks.add("how_many")  # "회원국 수(는)" is a count; "가입할 수 없나요" is "can"
        if re.search(r"몇 ?(?:개국|개 나라|나라|곳|명|개)", low):
            asks.add("how_many")  # "몇 개국이에요": the words apart, the question is still a count
        if re.search(r"(된|한|열린|있던|시작된|맺은) 해(는|가|가\s|\b)", low):
            asks.add("when")  # "파트너가 된 해는?": the year it happened
        if re.search(r"\b(came|come|comes|got|get|went|brought) (in|into)\b", low):
            topics.add("join")  # "Hungary came into NATO"
        if re.search(r"\b(take|takes|taking) over\b|\bgoing to\b|\b(will|to) replace\b", low):
            topics.add("next")  # "who's going to take over from Rutte"
        elif re.search(r"\b(took over|replaced|succeeded)\b", low):
            topics.add("before")  # "Rutte took over from …": who came before
        if words and words[0] in EN_ASK["yesno"]:
            asks.add("yesno")
        return Frame(
            text=text,
            words=tuple(words),
            countries=tuple(found),
            years=years,
            decade=decade,
            span=span,
            ordinal=ordinal,
            summits=tuple(dict.fromkeys(slots["summit"])),
            frameworks=tuple(dict.fromkeys(slots["framework"])),
            office=next(iter(slots["office"]), None),
            holder=int(slots["holder"][0].split(":")[1]) if slots["holder"] else None,
            month=month,
            continent=next(iter(slots["continent"]), None),
            region=next(iter(slots["region"]), None),
            people=tuple(dict.fromkeys(slots["person"])),
            named=tuple(slots["named"]),
            asks=frozenset(asks),
            topics=frozenset(topics),
            residual=tuple(residual),
            used=frozenset(used),
            soft=frozenset(m.code for m in found if self.countries.is_indirect(m.alias))
            - {m.code for m in found if not self.countries.is_indirect(m.alias)},
        )

    def _said(self, word: str) -> bool:
        """Whether the knowledge's answers use this word (a particle aside): then a country one letter
        away is no typo for it ("가입 조건" is not 조선, North Korea). Read on first need only."""
        if self._answer_words is None:
            words = {w for e in self.kb.faq for text in (e.answer.en, e.answer.ko) for w in normalize(text).split()}
            self._answer_words = frozenset(words | {f for w in words if is_hangul(w) for f in korean_stems(w)})
        return (
            any(f in self._answer_words for f in korean_stems(word)) if is_hangul(word) else word in self._answer_words
        )

    def _hangul_key(self, word: str) -> str | None:
        """The gazetteer name a Korean word holds: with a particle ("앙카라에서"), glued to what follows
        ("빌뉴스정상회의"), or one letter off ("뤼테"). Cached: chat words repeat."""
        if word in self._hangul_cache:
            return self._hangul_cache[word]
        key = next((f for f in korean_stems(word) if f in self._phrases), None)
        if key is None:
            key = next(
                (k for k in self._glued.get(word[0], ()) if word.startswith(k) and glued_ok(word[len(k) :])), None
            )
        if key is None:
            key = self._near_hangul(word)
        if len(self._hangul_cache) < 20_000 and len(word) <= 32:  # bounded in count and in size
            self._hangul_cache[word] = key
        return key

    def _near_hangul(self, word: str) -> str | None:
        """A gazetteer name one letter (jamo) away, same first syllable and length; only when unambiguous."""
        for form in korean_stems(word):
            if len(form) < 2:
                continue
            keys = [
                k
                for k in self._glued.get(form[0], ())
                if len(k) == len(form) and " " not in k and OSA.distance(_jamo(form), _jamo(k)) <= 1
            ]
            if keys:
                return keys[0] if len({self._phrases[k] for k in keys}) == 1 else None
        return None

    def _codes_in(self, raw: str, words: list[str], taken: set[int]) -> list[Match]:
        """ISO codes anywhere: typed in capitals ("KR nato?"), or in lower case when not an English word."""
        letters = [c for c in raw if c.isalpha() and c.isascii()]
        shouting = sum(c.isupper() for c in letters) > len(letters) / 2
        upper = set() if shouting else {w.casefold() for w in re.findall(r"\b[A-Z]{2,3}\b", raw)}
        out = []
        for k, word in enumerate(words):
            if k in taken or not (2 <= len(word) <= 3) or not word.isascii() or not word.isalpha():
                continue
            code = self.countries.code_for(word)
            if code is None:
                continue
            if (
                word in upper
                and word not in ("eu", "un", "sg", "md", "ici", "pfp", "ip", "nz")
                and not (len(word) == 3 and word in self.vocabulary)
            ) or (word not in SHORT_WORDS and word not in self.vocabulary):
                out.append(Match(code, word, k, k + 1))
        return out
