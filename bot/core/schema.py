"""The shape of the knowledge files, as pydantic models.

Curators are not programmers, so the schema is strict (unknown keys are errors, not silently
ignored) and every model carries both languages: a missing Korean text is caught by
`natobot check`, not by a user who sees an English fallback in a Korean chat.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, model_validator

LANGS: tuple[str, ...] = ("en", "ko")

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


def _check_partial_date(value: str) -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD: many sources only give a month or a year."""
    if not _PARTIAL_DATE.match(value):
        raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")]
    date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return value


def _date_to_text(value: object) -> object:
    """YAML reads an unquoted 2005-12-02 as a date and 2005 as a number; accept both."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("ids are lowercase letters, digits and '-', at most 48 characters")
    return value


def _no_yaml_bool(value: object) -> object:
    """YAML 1.1 reads a bare NO (Norway) as false: say so instead of a puzzling type error."""
    if isinstance(value, bool):
        raise ValueError('YAML read this as true/false: put the code in quotes, e.g. "NO"')
    return value


def _check_alpha2(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError("expected an ISO 3166-1 alpha-2 code in capitals, such as KR")
    return value


PartialDate = Annotated[str, BeforeValidator(_date_to_text), AfterValidator(_check_partial_date)]
EntryId = Annotated[str, AfterValidator(_check_id)]
Alpha2 = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(_check_alpha2)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    # defer_build: the validators are built on first validation, not at import; a bot started from the
    # compiled knowledge cache (bot/core/compiled.py) constructs its already-validated models without them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """One piece of text in both languages."""

    en: NonEmpty
    ko: NonEmpty


class Phrases(Strict):
    """Several phrasings per language (aliases, question variants)."""

    en: tuple[NonEmpty, ...] = ()
    ko: tuple[NonEmpty, ...] = ()


# The default of the `Phrases` fields below: equal to `Phrases()`, made without building its validator at import.
_NO_PHRASES = Phrases.model_construct()


class SourceKind(StrEnum):
    """How much a source is worth: answers list official ones first; `natobot check` warns on weak-only claims."""

    official = "official"  # NATO, governments, parliaments
    press = "press"  # news agencies and newspapers
    reference = "reference"  # encyclopaedias, research institutes, think tanks
    weak = "weak"  # blogs, aggregators, mirrors: never the only support for a claim


class Source(Strict):
    id: EntryId
    title: NonEmpty
    publisher: NonEmpty
    url: HttpUrl
    kind: SourceKind  # official, press, reference or weak: answers list official ones first
    published: PartialDate | None = None  # when the source itself was published, where known
    checked: date  # when a curator last verified the claims against this source (not a page visit)


class Status(StrEnum):
    member = "member"
    partner = "partner"
    aspirant = "aspirant"
    non_member = "non_member"


class Framework(Strict):
    """A partnership framework (PfP, Mediterranean Dialogue, ...)."""

    id: EntryId
    name: Text
    short: Text | None = None
    started: PartialDate | None = None
    summary: Text
    sources: tuple[EntryId, ...] = Field(min_length=1)
    updated: date


class Continent(StrEnum):
    europe = "europe"
    north_america = "north_america"
    south_america = "south_america"
    asia = "asia"
    africa = "africa"
    oceania = "oceania"


class Country(Strict):
    """A curated country entry; countries not curated still resolve through ISO data."""

    code: Alpha2
    name: Text | None = None  # how to show the country, when the ISO name is not what people say
    status: Status
    continent: Continent | None = None  # geography, for "which members are in North America?"
    capital: Text | None = None  # "Seoul" stands for the country in a question
    demonyms: Phrases = _NO_PHRASES  # "the Finns", "Koreans", "핀란드인"
    joined: date | None = None
    frameworks: tuple[EntryId, ...] = ()
    aliases: Phrases = _NO_PHRASES
    summary: Text
    details: Text | None = None
    sources: tuple[EntryId, ...] = Field(min_length=1)
    updated: date

    @property
    def accession(self) -> date:
        """A member's accession date: `joined`, which the validator below requires of every member."""
        if self.joined is None:
            raise ValueError(f"{self.code} is not a member: it has no accession date")
        return self.joined

    @model_validator(mode="after")
    def _joined_only_for_members(self) -> Country:
        if self.status is Status.member and self.joined is None:
            raise ValueError("a member needs 'joined' (its accession date)")
        if self.status is not Status.member and self.joined is not None:
            raise ValueError("'joined' is only for members")
        return self


class Event(Strict):
    """One dated event on a timeline."""

    date: PartialDate
    countries: tuple[Alpha2, ...] = ()
    tags: tuple[EntryId, ...] = ()
    text: Text
    sources: tuple[EntryId, ...] = Field(min_length=1)


class Attendee(Strict):
    country: Alpha2
    who: Text


class Summit(Strict):
    """A summit; one that starts after the knowledge horizon is announced, its outcome unknown."""

    id: EntryId
    name: Text
    city: Text
    host: Alpha2
    start: date
    end: date
    attendees: tuple[Attendee, ...] = ()
    note: Text | None = None
    sources: tuple[EntryId, ...] = Field(min_length=1)


class Holder(Strict):
    """Who held an office and when. Where the sources show someone in office but not since when,
    `seen` is the date they were last seen in office and `start` stays empty: no invented dates."""

    who: Text
    start: PartialDate | None = None
    seen: PartialDate | None = None  # in office on this date, per the sources; the start is not known
    end: PartialDate | None = None  # None: in office as of the knowledge horizon (or `seen`)
    country: Alpha2 | None = None  # where the holder comes from, when the sources say
    note: Text | None = None
    sources: tuple[EntryId, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dated(self) -> Holder:
        if (self.start is None) == (self.seen is None):
            raise ValueError("give exactly one of `start` (took office) or `seen` (in office on that date)")
        return self

    @property
    def since(self) -> str:
        """The earliest date the holder is known to be in office."""
        return self.start or self.seen or ""

    def held_in(self, year: int) -> bool:
        """In office during `year`, as far as the sources say (from `seen` only, when the start is unknown)."""
        return int(self.since[:4]) <= year <= int((self.end or "9999")[:4])


class Office(Strict):
    """A NATO office (Secretary General, ...) and who held it, oldest first."""

    id: EntryId
    name: Text
    aliases: Phrases = _NO_PHRASES
    holders: tuple[Holder, ...] = Field(min_length=1)


class Horizon(Strict):
    """The date the knowledge's sources run to: later events are unknown, not the nearest older ones."""

    date: date
    sources: tuple[EntryId, ...] = ()


class Faq(Strict):
    id: EntryId
    topic: EntryId
    countries: tuple[Alpha2, ...] = ()
    questions: Phrases
    answer: Text
    sources: tuple[EntryId, ...] = Field(min_length=1)
    updated: date

    @model_validator(mode="after")
    def _both_languages(self) -> Faq:
        if not self.questions.en or not self.questions.ko:
            raise ValueError("every FAQ needs questions in both 'en' and 'ko'")
        return self


class Names(Strict):
    """What people call a country that has no entry of its own (names are not facts: no source)."""

    code: Alpha2
    name: Text | None = None
    en: tuple[NonEmpty, ...] = ()
    ko: tuple[NonEmpty, ...] = ()
    capital: Text | None = None
    demonyms: Phrases = _NO_PHRASES


class Template(Strict):
    """A sourced answer pattern for what is not curated one by one (e.g. any non-member).

    `{name}` is replaced by the country's name; in Korean `{name_topic}` adds the right
    topic particle (은 or 는) for the name's last syllable.
    """

    id: EntryId
    text: Text
    sources: tuple[EntryId, ...] = Field(min_length=1)
    updated: date


class KnowledgeFile(Strict):
    """One YAML file: any of these sections, each optional; ids are unique across files."""

    sources: tuple[Source, ...] = ()
    frameworks: tuple[Framework, ...] = ()
    countries: tuple[Country, ...] = ()
    timeline: tuple[Event, ...] = ()
    summits: tuple[Summit, ...] = ()
    offices: tuple[Office, ...] = ()
    horizon: Horizon | None = None
    faq: tuple[Faq, ...] = ()
    templates: tuple[Template, ...] = ()
    names: tuple[Names, ...] = ()
