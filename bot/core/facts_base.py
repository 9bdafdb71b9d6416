"""What the computed answers share: the order of accession (places), names, the horizon's
"as of", and one way to build a sourced Reply with its buttons."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from bot.core.countries import CountryIndex
from bot.core.i18n import format_date, join_names, ordinal, other_lang, t
from bot.core.knowledge import Knowledge
from bot.core.reply import Action, Reply, SourceRef
from bot.core.schema import Country


@dataclass(frozen=True)
class Place:
    """A member's place in the order of accession: members who joined on one day share a range."""

    first: int
    last: int
    group: tuple[Country, ...]


class FactsBase:
    """The rows and helpers every family of computed answers uses; built once per knowledge version."""

    def __init__(
        self, knowledge: Knowledge, countries: CountryIndex, sources: Callable[..., tuple[SourceRef, ...]]
    ) -> None:
        self.kb = knowledge
        self.countries = countries
        self._sources = sources  # Builder._sources: ids -> SourceRefs, official first
        self.members = knowledge.members()
        self.places: dict[str, Place] = {}
        position = 1
        for _, rows in groupby(self.members, key=lambda c: c.joined):
            group = tuple(rows)
            place = Place(position, position + len(group) - 1, group)
            for c in group:
                self.places[c.code] = place
            position += len(group)
        self.horizon = knowledge.horizon

    # -- helpers ------------------------------------------------------------------------
    def name(self, code: str, lang: str) -> str:
        return self.countries.name(code, lang)

    def asof(self, lang: str) -> str:
        return format_date(self.horizon.isoformat()[:7], lang) if self.horizon else ""

    def _names(self, rows: list[Country] | tuple[Country, ...], lang: str) -> str:
        return join_names(sorted(self.name(c.code, lang) for c in rows), lang)

    def _reply(
        self,
        title: str,
        body: str,
        lang: str,
        intent: str,
        ref: str,
        source_ids: list[str],
        country: str | None = None,
        status: str | None = None,
    ) -> Reply:
        other = other_lang(lang)
        actions = (
            Action("sources", t("label.sources", lang), f"sources:{ref}"),
            Action("lang", t("label.other_lang", lang), f"lang:{other}:{ref}"),
        )
        return Reply(
            title=title,
            body=body,
            lang=lang,
            intent=intent,
            matched=True,
            country=country,
            status=status,
            sources=self._sources(source_ids, by_frequency=len(source_ids) > 6),
            actions=actions if len(ref) <= 48 else (),
            ref=ref if len(ref) <= 48 else None,
        )

    def _rows(self, rows: list[Country]) -> list[str]:
        return [s for c in rows for s in c.sources]

    def _period(self, years: tuple[int, int], lang: str) -> str:
        low, high = years
        if low == high:
            return t("period.year", lang, year=low)
        if high - low == 9 and low % 10 == 0:
            return t("period.decade", lang, decade=low)
        return t("period.range", lang, low=low, high=high)

    def place_text(self, code: str, lang: str) -> str:
        place = self.places[code]
        if place.first == place.last:
            return ordinal(place.first, lang)
        return f"{ordinal(place.first, lang)}–{ordinal(place.last, lang)}"


def _date_range(start: date, end: date, lang: str) -> str:
    if start == end:
        return format_date(start.isoformat(), lang)
    if lang == "ko":
        return (
            f"{format_date(start.isoformat(), lang)}~{end.day}일"
            if start.month == end.month
            else f"{format_date(start.isoformat(), lang)}~{end.month}월 {end.day}일"
        )
    if start.month == end.month:
        return f"{start.day}–{format_date(end.isoformat(), lang)}"
    return f"{format_date(start.isoformat(), lang)} – {format_date(end.isoformat(), lang)}"


SourceRefs = tuple[SourceRef, ...]
_SENTENCE = re.compile(r"(?<=[.!?다요])\s")


def _first_sentence(text: str) -> str:
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]
