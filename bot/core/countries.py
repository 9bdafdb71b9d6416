"""Resolve what users type to an ISO 3166-1 country.

Every country in the world resolves (ISO names from pycountry, Korean names from its locale
files), curated aliases from the knowledge base come first, and typos are caught by rapidfuzz.
A short name that is part of longer country names ("korea" in "north korea") resolves to the
curated default and reports the others as alternatives, so the reply can point at them.
"""

from __future__ import annotations

import gettext
import hashlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.i18n import known_lang
from bot.core.knowledge import Knowledge
from bot.core.schema import Country, Names
from bot.core.text import is_hangul, korean_stems, normalize

_REGIONAL_A = 0x1F1E6
MAX_NGRAM = 5
# Phrases that contain a country's name but do not name the country ("Indo-Pacific" is not India).
NOT_COUNTRIES = frozenset(
    {
        "인도 태평양",
        "인도태평양",
        "south china sea",
        "east china sea",
        "남중국해",
        "동중국해",
        "north atlantic",
        "korean peninsula",
        "한반도",
    }
)


# What the index reads of pycountry (imported on first use: an index from the compiled knowledge cache
# needs none of it).
ISO_DATA = ("databases/iso3166-1.json", "locales/ko/LC_MESSAGES/iso3166-1.mo")


def iso_data_digest() -> str:
    """SHA-256 of the pycountry files a `CountryIndex` is built from, found without importing pycountry:
    part of the compiled cache's key, so a pycountry upgrade rebuilds the cached index."""
    digest = hashlib.sha256()
    spec = importlib.util.find_spec("pycountry")
    folder = Path(spec.origin).parent if spec and spec.origin else None
    for name in ISO_DATA:
        try:
            data = (folder / name).read_bytes() if folder else b"?"
        except OSError:
            data = b"?"
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


_compiled: list[tuple[Knowledge, dict[str, Any]]] = []


def use_compiled(knowledge: Knowledge | None, data: dict[str, Any] | None = None) -> None:
    """Let the next `CountryIndex(knowledge)` of this very Knowledge object take `data` (from
    `CountryIndex.to_data`) instead of building its tables (`bot.core.compiled` registers what it read
    from the knowledge cache); None forgets it."""
    _compiled.clear()
    if knowledge is not None and data is not None:
        _compiled.append((knowledge, data))


@lru_cache(maxsize=1)
def _korean_names() -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
    except OSError:  # pragma: no cover - pycountry always ships ko
        return gettext.NullTranslations()


@dataclass(frozen=True)
class CountryName:
    code: str
    en: str
    ko: str

    def __call__(self, lang: str) -> str:
        return str(getattr(self, known_lang(lang)))


@dataclass(frozen=True)
class Match:
    code: str
    alias: str  # the normalised alias that matched
    start: int  # word span in the normalised text
    end: int
    fuzzy: bool = False
    alternatives: tuple[str, ...] = ()
    typed: str = ""  # what the user wrote, for "I read X as Y"


def _plain_name(iso_name: str) -> str:
    """ "Palestine, State of" -> "State of Palestine": ISO's sorting order is not how names are said."""
    head, sep, tail = iso_name.partition(", ")
    if sep and (tail.endswith((" of", " of the")) or tail in ("British", "U.S.")):
        return f"{tail.removeprefix('The ')} {head}"
    return iso_name


def flag_to_code(text: str) -> str | None:
    """🇰🇷 -> 'KR'."""
    points = [ord(ch) - _REGIONAL_A for ch in text if _REGIONAL_A <= ord(ch) <= _REGIONAL_A + 25]
    if len(points) >= 2:
        return chr(65 + points[0]) + chr(65 + points[1])
    return None


class CountryIndex:
    """All countries by every name people use; built once per knowledge version."""

    def __init__(self, knowledge: Knowledge):
        if _compiled and _compiled[0][0] is knowledge:
            self._load(_compiled[0][1])
        else:
            self._build(knowledge)
        self._derive()

    def _build(self, knowledge: Knowledge) -> None:
        import pycountry

        ko = _korean_names()
        self._names: dict[str, CountryName] = {}
        # Three tiers, strongest first: curated aliases, ISO names, then derived short forms
        # ("Korea, Republic of" -> "korea", "러시아 연방" -> "러시아") kept only when unique.
        tiers: list[dict[str, set[str]]] = [{}, {}, {}]

        def add(tier: int, alias: str | None, code: str) -> None:
            key = normalize(alias or "")
            if key:
                tiers[tier].setdefault(key, set()).add(code)

        for c in pycountry.countries:
            en = getattr(c, "common_name", None) or _plain_name(c.name)
            ko_name = ko.gettext(c.name)
            self._names[c.alpha_2] = CountryName(c.alpha_2, en, ko_name)
            for name in (c.name, en, getattr(c, "official_name", None), ko_name):
                add(1, name, c.alpha_2)
            add(2, c.name.split(",")[0], c.alpha_2)
            add(2, ko_name.split(" ")[0], c.alpha_2)

        curated = [(c.code, c.name, c.aliases.en, c.aliases.ko) for c in knowledge.countries.values()]
        curated += [(n.code, n.name, n.en, n.ko) for n in knowledge.names.values()]
        # Capitals and demonyms stand for their country ("Seoul", "the Finns"), below ISO names.
        self._indirect: set[str] = set()  # capitals and demonyms: they name a country only in passing
        named: list[Country | Names] = [*knowledge.countries.values(), *knowledge.names.values()]
        for entry in named:
            if entry.capital:
                self._indirect |= {normalize(entry.capital.en), normalize(entry.capital.ko)}
            self._indirect |= {normalize(d) for d in (*entry.demonyms.en, *entry.demonyms.ko)}
            for alias in (
                *entry.demonyms.en,
                *entry.demonyms.ko,
                *((entry.capital.en, entry.capital.ko) if entry.capital else ()),
            ):
                add(2, alias, entry.code)
        for code, display, en_aliases, ko_aliases in curated:
            names = self._names[code]
            self._names[code] = CountryName(
                code,
                display.en if display else names.en,
                display.ko if display else ko_aliases[0] if ko_aliases else names.ko,
            )
            for alias in (*en_aliases, *ko_aliases):
                add(0, alias, code)
        for tier in (0, 1, 2):  # Korean is often typed without spaces: "남아프리카공화국"
            for key, codes in list(tiers[tier].items()):
                if " " in key and is_hangul(key):
                    for code in codes:
                        add(tier, key.replace(" ", ""), code)

        self._exact: dict[str, str] = {}
        for tier, table in enumerate(tiers):
            for key, codes in table.items():
                if key in self._exact:
                    continue
                if len(codes) == 1:
                    self._exact[key] = next(iter(codes))
                elif tier < 2:  # an ISO name shared by two entries: keep the first by code
                    self._exact[key] = sorted(codes)[0]
        # A one-word name inside longer names of other countries: "korea" -> north korea.
        containing: dict[str, set[str]] = {}
        for key, code in self._exact.items():
            if " " in key:
                for word in key.split():
                    containing.setdefault(word, set()).add(code)
        self._alternatives = {
            key: tuple(sorted(containing[key] - {code}))
            for key, code in self._exact.items()
            if key in containing and containing[key] - {code} and len(key) >= 4
        }
        # ISO codes are matched only when typed on their own (see `resolve`), since "in", "is",
        # "no", "and", "are", "can" are also English words.
        self._codes = {c.alpha_2.casefold(): c.alpha_2 for c in pycountry.countries}
        self._codes.update({c.alpha_3.casefold(): c.alpha_2 for c in pycountry.countries})

    def to_data(self) -> dict[str, Any]:
        """The built tables as plain data (dicts keep their order: it decides ties) for `use_compiled`."""
        return {
            "names": {code: [n.en, n.ko] for code, n in self._names.items()},
            "indirect": sorted(self._indirect),
            "exact": self._exact,
            "alternatives": {k: list(v) for k, v in self._alternatives.items()},
            "codes": self._codes,
        }

    def _load(self, data: dict[str, Any]) -> None:
        def strings(value: Any) -> dict[str, str]:
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ValueError("compiled country data is not a table of names")
            return value

        self._names = {str(code): CountryName(str(code), str(en), str(ko)) for code, (en, ko) in data["names"].items()}
        self._indirect = {str(alias) for alias in data["indirect"]}
        self._exact = strings(data["exact"])
        self._alternatives = {str(k): tuple(map(str, v)) for k, v in data["alternatives"].items()}
        self._codes = strings(data["codes"])
        names = self._names.keys()
        if not (set(self._exact.values()) | set(self._codes.values())) <= names or not all(
            set(v) <= names for v in self._alternatives.values()
        ):
            raise ValueError("compiled country data names unknown countries")

    def _derive(self) -> None:
        """Lookup tables derived from the exact names (cheap; never stored)."""
        self._choices = [k for k in self._exact if len(k) >= 4]
        self._by_len: dict[int, list[str]] = {}
        for k in self._choices:
            self._by_len.setdefault(len(k), []).append(k)
        self._fuzzy_cache: dict[str, str | None] = {}
        self._starts: dict[str, int] = {}  # a name's first word -> how many words the longest such name has
        for k in self._exact:
            first, n = k.split(" ", 1)[0], k.count(" ") + 1
            if n > 1 and n > self._starts.get(first, 1):
                self._starts[first] = n
        self._pairs = [k for k in self._exact if k.count(" ") == 1 and not is_hangul(k)]
        self._short = [k for k in self._exact if 4 <= len(k) <= 6 and " " not in k and not is_hangul(k)]
        self._hangul: dict[tuple[str, int], list[str]] = {}
        for key in self._exact:
            if is_hangul(key) and " " not in key and len(key) >= 2:
                self._hangul.setdefault((key[0], len(key)), []).append(key)

    def name(self, code: str, lang: str) -> str:
        return self._names[code](lang)

    def codes(self) -> Iterable[str]:
        return self._names.keys()

    def is_indirect(self, alias: str) -> bool:
        """Whether an alias is a capital or a demonym ("Seoul", "Korean"), not the country's name."""
        return alias in self._indirect or any(f in self._indirect for f in _forms(alias))

    def code_for(self, word: str) -> str | None:
        """The alpha-2 code an ISO alpha-2 or alpha-3 code (any case) stands for."""
        return self._codes.get(word.casefold())

    def aliases(self) -> dict[str, str]:
        return dict(self._exact)

    def resolve(self, text: str) -> Match | None:
        """Resolve a country argument ("korea", "KR", "🇰🇷", "대한민국", "finalnd")."""
        code = flag_to_code(text)
        if code and code in self._names:
            return Match(code, text, 0, 1)
        key = normalize(text)
        if not key:
            return None
        if key in self._codes:
            return Match(self._codes[key], key, 0, 1)
        words = key.split()
        found = self.find(words)
        if found and found.start == 0 and found.end == len(words):
            return found
        return found or self._fuzzy(key, 0, len(words))

    def find(self, words: list[str], vocabulary: frozenset[str] = frozenset()) -> Match | None:
        """The first country named in a normalised word list."""
        found = self.find_all(words, vocabulary)
        return found[0] if found else None

    def find_all(self, words: list[str], vocabulary: frozenset[str] = frozenset()) -> list[Match]:
        """Every country named in a normalised word list, in order; the longest alias wins.

        Words in `vocabulary` (known non-country words) are never fuzzy-matched, so a
        question word is not mistaken for a misspelt country.
        """
        found: list[Match] = []
        start = 0
        while start < len(words):
            skip = next((n for n in (3, 2, 1) if " ".join(words[start : start + n]) in NOT_COUNTRIES), 0)
            if skip:
                start += skip
                continue
            match = self._exact_at(words, start) or self._korean_prefix(words[start], start)
            if match is None and start + 1 < len(words) and not is_hangul(words[start]):
                pair = f"{words[start]} {words[start + 1]}"  # "south kroea": the typo is inside a name
                if len(pair) >= 9:
                    match = self._fuzzy_pair(pair, start)
            if (
                match is None
                and len(words[start]) >= 5
                and not is_hangul(words[start])
                and words[start] not in vocabulary
            ):
                match = self._fuzzy(words[start], start, start + 1)
                if match is not None and match.alias[0] != words[start][0]:
                    match = None  # in running text, "woman" is not a typo for Oman
            if match is None and is_hangul(words[start]):
                glued = self._korean_pair(words[start], start)  # "핀란드랑스웨덴": two names, no space
                if glued:
                    found.extend(glued)
                    start += 1
                    continue
            if match is not None:
                found.append(match)
                start = match.end
            else:
                start += 1
        return found

    def _korean_pair(self, word: str, start: int) -> list[Match]:
        for cut in range(len(word) - 2, 1, -1):
            code = self._exact.get(word[:cut])
            if code is None:
                continue
            rest = word[cut:]
            for joint in ("이랑", "랑", "하고", "와", "과", "및", "이나", "나"):
                if rest.startswith(joint) and len(rest) > len(joint):
                    second = self._korean_prefix(rest[len(joint) :] + "는", start) or next(
                        (
                            Match(self._exact[f], f, start, start + 1)
                            for f in _forms(rest[len(joint) :])
                            if f in self._exact
                        ),
                        None,
                    )
                    if second is not None and second.code != code:
                        return [Match(code, word[:cut], start, start + 1), second]
        return []

    def _exact_at(self, words: list[str], start: int) -> Match | None:
        # Only as many words as the longest name that begins with this one ("south" -> 2, "bosnia" -> 3).
        longest = self._starts.get(words[start], 1)
        for size in range(min(longest, MAX_NGRAM, len(words) - start), 0, -1):
            phrase = " ".join(words[start : start + size])
            for form in _forms(phrase):
                code = self._exact.get(form)
                if code:
                    return Match(code, form, start, start + size, alternatives=self._alternatives.get(form, ()))
        return None

    def _korean_prefix(self, word: str, start: int) -> Match | None:
        """A Korean name glued to what follows ("한국이랑", "일본나토"): the longest name that starts
        the word, when the rest is a particle, an ending or a NATO cue."""
        if not is_hangul(word) or len(word) < 3:
            return None
        for cut in range(len(word) - 1, 1, -1):
            code = self._exact.get(word[:cut])
            if code and _tail_ok(word[cut:]):
                return Match(code, word[:cut], start, start + 1, alternatives=self._alternatives.get(word[:cut], ()))
        return None

    def _fuzzy(self, key: str, start: int, end: int) -> Match | None:
        """Typos: one edit away (a swap counts as one: "kroea", "norwya"), or a close overall match."""
        if len(key) < 4:
            return None
        if key in self._fuzzy_cache:
            alias = self._fuzzy_cache[key]
        else:
            alias = self._fuzzy_alias(key)
            if len(self._fuzzy_cache) < 20_000 and len(key) <= 32:  # bounded in count and in size
                self._fuzzy_cache[key] = alias
        if alias is None:
            return None
        return Match(
            self._exact[alias], alias, start, end, fuzzy=True, alternatives=self._alternatives.get(alias, ()), typed=key
        )

    def _fuzzy_alias(self, key: str) -> str | None:
        # Only names of a length that can be that close: one edit changes the length by at most one,
        # and a ratio of 84 needs the lengths within about a third of each other.
        n = len(key)
        near = [c for size in (n - 1, n, n + 1) for c in self._by_len.get(size, ())]
        close = process.extractOne(key, near, scorer=OSA.distance, score_cutoff=1)
        if close is not None and not (n < 5 and close[1] > 0):
            return close[0]
        wide = [c for size in range(int(n * 0.72), int(n / 0.72) + 2) for c in self._by_len.get(size, ())]
        hit = process.extractOne(key, wide, scorer=fuzz.ratio, score_cutoff=84)
        return hit[0] if hit else None

    def _fuzzy_pair(self, pair: str, start: int) -> Match | None:
        hit = process.extractOne(pair, self._pairs, scorer=OSA.distance, score_cutoff=1)
        if hit is None or hit[0].split()[0] != pair.split()[0]:
            return None  # only a typo in the second word: "south kroea", not "south korea" for "north korea"
        return Match(
            self._exact[hit[0]],
            hit[0],
            start,
            start + 2,
            fuzzy=True,
            alternatives=self._alternatives.get(hit[0], ()),
            typed=pair,
        )

    def near(self, word: str, start: int) -> Match | None:
        """A short or Korean word one edit from a name ("jpan", "한궁"): only for words nothing else explains.

        Korean is compared letter by letter (jamo), so 한궁 is one edit from 한국; the first syllable must
        agree, which keeps common words from turning into countries.
        """
        if is_hangul(word):
            for form in korean_stems(word):
                if len(form) < 2:
                    continue
                jamo = _jamo(form)
                best = None
                for key in self._hangul.get((form[0], len(form)), ()):
                    if OSA.distance(jamo, _jamo(key)) <= 1:
                        if best is not None and self._exact[best] != self._exact[key]:
                            return None  # two countries equally near: don't guess
                        best = key
                if best is not None:
                    return Match(self._exact[best], best, start, start + 1, fuzzy=True, typed=form)
            return None
        if len(word) != 4 or not word.isalpha():
            return None
        hits = [k for k in self._short if k[0] == word[0] and OSA.distance(word, k) <= 1]
        codes = {self._exact[k] for k in hits}
        if len(codes) != 1:
            return None
        return Match(codes.pop(), hits[0], start, start + 1, fuzzy=True, typed=word)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Codes of countries whose names look like `text`, for "did you mean" after a miss."""
        key = normalize(text)
        hits = process.extract(key, self._choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=72) if key else []
        return list(dict.fromkeys(self._exact[h[0]] for h in hits))[:limit]


def _jamo(text: str) -> str:
    """Hangul syllables as their letters (한 -> ㅎㅏㄴ as code points), other characters as they are."""
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(
                chr(0x1100 + code // 588)
                + chr(0x1161 + code % 588 // 28)
                + (chr(0x11A7 + code % 28) if code % 28 else "")
            )
        else:
            out.append(ch)
    return "".join(out)


def _tail_ok(tail: str) -> bool:
    forms = korean_stems(f"가{tail}")  # a dummy syllable: does removing particles/endings eat the tail?
    return "가" in forms or tail.startswith(("나토", "북대서양", "회원", "가입"))


def _forms(phrase: str) -> tuple[str, ...]:
    """The phrase, and for Korean its forms without a trailing particle or ending."""
    if " " not in phrase and is_hangul(phrase):
        return korean_stems(phrase)
    if is_hangul(phrase):
        head, _, last = phrase.rpartition(" ")
        return tuple(f"{head} {form}" for form in korean_stems(last))
    return (phrase,)
