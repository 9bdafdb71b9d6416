"""Country suggestions while a user types (Discord's autocomplete; any platform that has one).

Built from the core's country index, so it offers exactly the countries the answerer resolves,
with the names it knows in both languages. The Runtime builds one per knowledge version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.countries import CountryIndex
from bot.core.i18n import other_lang
from bot.core.text import normalize

MAX_CHOICES = 25  # Discord's limit, and plenty for a person scanning a list
MAX_TYPED = 100  # longer input names no country
FEATURED = ("KR",)  # shown first when the user has typed nothing yet


@dataclass(frozen=True)
class Choice:
    name: str  # what the user sees (≤ 100 characters)
    value: str  # the ISO code submitted


class CountryChoices:
    """Autocomplete over every country the core resolves, knowledge-base countries first."""

    def __init__(self, countries: CountryIndex, in_knowledge: Iterable[str]):
        self.countries = countries
        known = set(in_knowledge)
        keys: dict[str, set[str]] = {code: {code.casefold()} for code in countries.codes()}
        for alias, code in countries.aliases().items():
            keys.setdefault(code, set()).add(alias)
        self._entries = []
        for code in countries.codes():
            en, ko = normalize(countries.name(code, "en")), normalize(countries.name(code, "ko"))
            words = tuple(w for name in (en, ko) for w in name.split())
            rank = FEATURED.index(code) if code in FEATURED else len(FEATURED) + (0 if code in known else 1)
            self._entries.append((code, (en, ko), tuple(sorted(keys.get(code, ()))), words, rank))

    def search(self, typed: str, lang: str, limit: int = MAX_CHOICES) -> list[Choice]:
        query = normalize(typed)[:MAX_TYPED]
        scored = []
        for code, names, aliases, words, rank in self._entries:
            score = self._score(query, names, aliases, words)
            if score is not None:
                scored.append((score, rank, self.countries.name(code, lang), code))
        scored.sort()
        return [Choice(self.label(code, lang), code) for *_, code in scored[:limit]]

    @staticmethod
    def _score(query: str, names: tuple[str, str], aliases: tuple[str, ...], words: tuple[str, ...]) -> int | None:
        if not query or query in names or query in aliases:
            return 0
        if any(name.startswith(query) for name in names):
            return 1
        if any(alias.startswith(query) for alias in aliases):
            return 2
        if any(word.startswith(query) for word in words):
            return 3
        if len(query) >= 2 and any(query in name for name in (*names, *aliases)):
            return 4
        return None

    def label(self, code: str, lang: str) -> str:
        first, second = self.countries.name(code, lang), self.countries.name(code, other_lang(lang))
        text = first if first == second else f"{first} ({second})"
        return text[:100]
