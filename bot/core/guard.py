"""Decide from the question's frame: answer from the data, correct a false premise, say where the
knowledge ends, and refuse any answer whose own slots disagree with the question's.

A fact bot that answers a different question is worse than one that says "I don't know": a 2023
question never gets a 2026 card, a Canada question never the US card, an ordinal question never a
card that names no ordinal. When nothing consistent is left, the answerer declines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.core import answers, cues
from bot.core.asking import MONTHS
from bot.core.countries import CountryIndex
from bot.core.families import Families
from bot.core.frame import Frame
from bot.core.i18n import format_date, ordinal, t
from bot.core.knowledge import Knowledge
from bot.core.reply import Reply
from bot.core.retrieval import FaqIndex
from bot.core.schema import Status
from bot.core.structured import Facts
from bot.core.text import features, is_hangul, normalize, word_features
from bot.core.wording import CONFIRM, COUNT, MONEY, YEAR, acronyms, content_words, fw_names, off_topic, prefix


@dataclass(frozen=True)
class Slots:
    """What one curated answer speaks of."""

    years: frozenset[int]
    countries: frozenset[str]
    summits: frozenset[str]
    frameworks: frozenset[str]
    offices: frozenset[str]
    text: str  # normalised answer text, both languages
    money: bool = False  # the answer states an amount of money
    count: bool = False  # the answer states a number that is not a date ("46th", "350 troops", "32 members")


# "which ally spends the most", "가장 많이": a ranking; "the most recent", "가장 최근" is the newest family's.
_SUPERLATIVE = re.compile(
    r"\b(?:most|least|highest|lowest|biggest|largest|smallest|strongest|weakest|richest|poorest)\b"
    r"(?! recent| recently| latest)|(?:가장|제일) ?(?!최근|먼저|늦게|처음|마지막|오래|나중)|최대|최고|최다"
)


def _superlatives(frame: Frame) -> list[str]:
    if frame.has("newest", "first"):
        return []
    return [m.group(0).strip() for m in _SUPERLATIVE.finditer(frame.text.casefold())]


def _superlative(frame: Frame) -> bool:
    return bool(_superlatives(frame))


PRONOUNS = frozenset({"they", "them", "their", "we", "us", "you", "he", "she", "him", "her", "his", "그들", "걔네"})
LEAVE = frozenset({"leave", "left", "quit", "quitted", "withdraw", "withdrew", "exit", "exited", "탈퇴", "탈퇴했어"})
_SHARE = re.compile(r"%|percent|per cent|share|ratio|target|퍼센트|프로|비율|대비|목표")


# A card states a GDP only with the amount next to it ("GDP of $1.7 trillion", "1.7조 달러 GDP"), not
# "61.2 trillion won, roughly 2.32% of GDP".
_GDP_AMOUNT = re.compile(rf"gdp\S*(?: \S+){{0,2}} (?:{MONEY.pattern})|(?:{MONEY.pattern})(?: \S+)? gdp")


def _gdp_value(frame: Frame) -> bool:
    """ "What was Korea's GDP?" asks an amount; "2% of GDP" and "GDP 대비" ask about a share of it."""
    return any(w.startswith("gdp") for w in frame.words) and not _SHARE.search(frame.text.casefold())


_DATE_NUMBER = re.compile(
    rf"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)|(?:\d{{1,2}}\s?[–-]\s?)?\d{{1,2}}\s?(?:{'|'.join(m.title() for m in MONTHS)})|"
    rf"(?:{'|'.join(m.title() for m in MONTHS)})\s?\d{{1,2}}|\d{{1,2}}\s?[월일]"
)


def _states_count(text: str) -> bool:
    """Whether a text gives a number other than a year or a day of the month: a count, a rank, a share."""
    return bool(re.search(r"\d", _DATE_NUMBER.sub(" ", text)))


_PAST_TAG = re.compile(r"[었았였했겼됐렸졌갔왔섰켰쳤]지$")  # "생겼지?", "했지?": a past fact put up for confirmation


def _confirming(frame: Frame) -> bool:
    """A yes/no question or a "…, right?" / "…맞지?" confirmation."""
    return (
        "yesno" in frame.asks
        or bool(CONFIRM & set(frame.words))
        or any(w.endswith(("잖아", "맞지", "맞죠", "맞아", "거죠", "거지", "지요", "맞나요")) for w in frame.words)
        or any(_PAST_TAG.search(w) for w in frame.words)
    )


def _month_in(month: int, text: str) -> bool:
    name = MONTHS[month - 1]
    return f" {name} " in text or f" {month}월" in text or f" {name[:3]} " in text


class _CardSlots(dict[str, Slots]):
    """Each FAQ card's slots, read on first use: `natobot ask` reads a handful of cards, not all of them."""

    def __init__(self, knowledge: Knowledge, countries: CountryIndex):
        super().__init__()
        self.entries = {f"faq:{entry.id}": entry for entry in knowledge.faq}
        self.countries = countries
        # The names a card may mention, normalised once (not once per card).
        self.cities = [(s, f" {normalize(s.city.en.split(',')[0])} ", normalize(s.city.ko)) for s in knowledge.summits]
        self.fw_keys = [(f.id, [f" {normalize(n)} " for n in fw_names(f)]) for f in knowledge.frameworks.values()]
        self.office_keys = [
            (o.id, [f" {normalize(n)} " for n in (o.name.en, o.name.ko, *o.aliases.en, *o.aliases.ko)])
            for o in knowledge.offices.values()
        ]

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str, default: Slots | None = None) -> Slots | None:  # type: ignore[override]
        return self[key] if key in self.entries else default

    def __missing__(self, key: str) -> Slots:
        entry = self.entries[key]
        text = " ".join((entry.answer.en, entry.answer.ko, *entry.questions.en, *entry.questions.ko))
        norm = f" {normalize(text)} "
        words = normalize(entry.answer.en).split()
        # Countries the card names outright: exact names only (every word counts as known, so no fuzzy guess).
        named = {m.code for m in self.countries.find_all(words, frozenset(words))}
        slots = Slots(
            years=frozenset(int(y) for y in YEAR.findall(text)),
            countries=frozenset(entry.countries) | named,
            summits=frozenset(
                s.id
                for s, city_en, city_ko in self.cities
                if city_en in norm or city_ko in norm or (str(s.start.year) in text and "summit" in norm)
            ),
            frameworks=frozenset(fid for fid, keys in self.fw_keys if any(k in norm for k in keys)),
            offices=frozenset(oid for oid, keys in self.office_keys if any(k in norm for k in keys)),
            text=norm,
            money=bool(MONEY.search(f"{entry.answer.en} {entry.answer.ko}")),
            count=_states_count(f"{entry.answer.en} {entry.answer.ko}"),
        )
        self[key] = slots
        return slots


class Guard(Families):
    def __init__(
        self, knowledge: Knowledge, countries: CountryIndex, facts: Facts, build: answers.Builder, index: FaqIndex
    ):
        self.kb = knowledge
        self.index = index
        self.countries = countries
        self.facts = facts
        self.build = build
        self.horizon = knowledge.horizon
        self.slots = _CardSlots(knowledge, countries)
        self._said: dict[str, frozenset[str]] = {}

    # -- the consistency check ------------------------------------------------------------
    def fits(self, frame: Frame, key: str) -> bool:
        """Whether a curated entry is about what the question's slots say."""
        if key.startswith("intent:"):
            return not (
                frame.years
                or frame.decade
                or frame.ordinal
                or frame.summits
                or frame.frameworks
                or frame.office
                or frame.continent
                or frame.region
            )
        slots = self.slots.get(key)
        if slots is None:
            return True
        if any(y not in slots.years for y in frame.years):
            return False
        if frame.month is not None and frame.years and not _month_in(frame.month, slots.text):
            return False  # "the foreign ministers' meeting in April 2025" is not the June 2025 summit card
        if frame.decade is not None and not any(frame.decade <= y < frame.decade + 10 for y in slots.years):
            return False
        if any(s not in slots.summits for s in frame.summits):
            return False
        if any(f not in slots.frameworks for f in frame.frameworks):
            return False
        if frame.office is not None and frame.office not in slots.offices:
            return False
        if frame.member_ordinal is not None and normalize(ordinal(frame.ordinal or 0, "en")) not in slots.text.split():
            return False
        if not all(code in slots.countries for code in frame.hard_codes):
            return False
        # An acronym the asker typed ("ITPP", "PURL", "CCDCOE") names the topic: the card must mention it.
        if any(a not in slots.text and self.countries.code_for(a) is None for a in acronyms(frame.text)):
            return False
        if frame.has("summit") and not slots.summits and " summit" not in slots.text and "정상회의" not in slots.text:
            return False
        # The kind of answer asked for must be in the card: a date for "when", a number for "how many".
        if "when" in frame.asks and not slots.years:
            return False
        if "how_many" in frame.asks and not slots.count:
            return False
        if any(f" {w} " not in slots.text for w in _superlatives(frame)):
            return False  # "which ally spends the most": a ranking the card would have to state
        if "how_much" in frame.asks and not slots.money:
            return False  # "how much does Korea spend": an amount of money, which a percentage is not
        if _gdp_value(frame) and not _GDP_AMOUNT.search(slots.text):
            return False  # "what was Korea's GDP": a card on "5% of GDP" or on the defence budget doesn't say
        if "who" in frame.asks and frame.has("now") and not slots.offices:
            return False  # "who is X now": a card about past events does not say who holds anything now
        # Content words the entry does not explain mean it answers a neighbouring question
        # ("how many soldiers ..." is not "how many members ...").
        # Only quantity questions and everyday topics are held to this: other unexplained words are
        # mostly verbs and endings ("explain", "곳이에요") that the retrieval score already weighs.
        # Half the English content words, at least, must be in the card's own text (its answer included):
        # "what unit protected the PRT" is not answered by a card that names no unit. Korean words are
        # left to the phrasing coverage below: their endings rarely match an answer's wording.
        english = [w for w in content_words(frame.residual) if not is_hangul(w)]
        if len(english) >= 2 and sum(self._says(key, w) for w in english) < len(english) / 2:
            return False
        checked = (
            frame.asks_any("how_many", "how_much")
            or off_topic(frame.residual)
            or ("who" in frame.asks and not frame.hard_codes)
        )
        if not checked:
            return True
        if any(f" {org} " not in slots.text for org in cues.orgs_named(list(frame.words))):
            return False  # "how many are in the EU and NATO": a card that never names the EU doesn't say
        # An everyday word ("weather", "biggest", "budget") must be in the card itself, whatever else is.
        if any(self.index.coverage(key, [w]) < 0.5 for w in off_topic(frame.residual)):
            return False
        content = content_words(frame.residual)
        # "How many Korean soldiers died …": every word of what is counted must be in the card.
        need = 0.99 if "how_many" in frame.asks else 0.5
        return not content or self.index.coverage(key, content) >= need

    def _says(self, key: str, word: str) -> bool:
        """Whether a card's text (answer and phrasings, both languages) uses a word, in any of its forms."""
        said = self._said.get(key)
        if said is None:
            said = self._said[key] = frozenset(features(self.slots[key].text))
        return any(f in said for f in word_features(word))

    def wrong_date(self, frame: Frame, key: str) -> bool:
        """A confirmation question ("…in 2002, right?") about a card that fits in all but its year."""
        if not frame.years or not key.startswith("faq:") or (frame.codes and self.premise(frame, "en")):
            return False
        return _confirming(frame) and not self.fits(frame, key) and self.fits(replace(frame, years=()), key)

    def correct_date(self, frame: Frame, reply: Reply, lang: str) -> Reply:
        body = re.sub(r"^(Yes|네|예)[.,!;]\s*", "", reply.body)
        return prefix(replace(reply, body=body), t("premise.date", lang, year=frame.years[0]))

    def unexplained(self, frame: Frame, key: str) -> bool:
        """Whether the question's own content words are mostly not what the card is about: such a card
        must match much better than usual (a near miss shares the topic words, not the point)."""
        content = content_words(frame.residual)
        strong = frozenset(acronyms(frame.text))  # "ITPP" typed in capitals names the topic outright
        return bool(content) and self.index.coverage(key, content, strong) < 0.5

    def without_premise(self, frame: Frame) -> Frame:
        """The frame minus what a false premise asserted ("since Korea joined in 2010": not 2010)."""
        for code in frame.codes:
            entry = self.kb.countries.get(code)
            if (entry is None or entry.status is not Status.member) and self.premise(frame, "en"):
                return replace(frame, years=(), ordinal=None, decade=None, span=None)
        return frame

    def _count_note(self, frame: Frame, lang: str) -> str | None:
        """ "all 31 NATO members", "31개 회원국": a member count that is not the current one."""
        m = COUNT.search(frame.text.casefold())
        if m is None or frame.codes or int(m.group(1)) == len(self.facts.members) or int(m.group(1)) < 12:
            return None
        return t("premise.count", lang, n=len(self.facts.members), wrong=m.group(1))

    def _count_premise(self, frame: Frame, lang: str) -> Reply | None:
        note = self._count_note(frame, lang)
        return prefix(self.facts.count(lang), note) if note else None

    # -- decisions before retrieval ---------------------------------------------------------
    def understood(self, frame: Frame, lang: str) -> Reply | None:
        """A structured, premise-correcting or horizon answer; None to try the curated entries."""
        later = self._beyond_horizon(frame, lang)
        if later is not None:
            return later
        reply = self._structured(frame, lang)
        if reply is None:
            return None
        if reply.intent == "status" and reply.status != "member":
            if frame.member_ordinal is not None:  # "Japan is the 33rd member": not a member, and how many there are
                return prefix(
                    reply, t("premise.ordinal_count", lang, n=len(self.facts.members), asof=self.facts.asof(lang))
                )
            return reply  # the card opens with "X is not a NATO member"
        if reply.intent == "joined" and reply.ref and reply.ref.startswith("status:"):
            return reply  # the verified accession date already says "No. X joined on …, not in …"
        note = self.premise(frame, lang)
        if note is None and not frame.years and reply.intent in ("newest", "members", "nth"):
            note = self._count_note(frame, lang)  # "now that NATO has 30 members, which joined last?"
        place = self.facts.places.get(reply.country or "")
        single = place is not None and place.first == place.last  # "was Greece the 13th?": 13th-14th, no "Yes"
        if note is None and reply.intent == "ordinal" and frame.member_ordinal and single and _confirming(frame):
            note = t("confirm.yes", lang)  # "Was Finland the 31st member?": it was (a wrong one is corrected above)
        return prefix(reply, note) if note else reply

    def finish(self, frame: Frame, reply: Reply, lang: str, suggestions: tuple[str, ...]) -> Reply:
        """The last check on a curated answer; a false premise is corrected before it."""
        if not reply.matched:
            return self._nothing_fits(frame, lang, suggestions, reply)
        if reply.intent in ("status", "joined", "timeline") and (
            off_topic(frame.residual) or frame.asks_any("how_much") or _superlative(frame)
        ):
            return self._nothing_fits(frame, lang, suggestions)  # "the weather in Seoul" is not Korea's status
        if (
            reply.intent in ("status", "joined", "timeline")
            and reply.country in frame.soft
            and any(cues.kind(w) is None and w not in PRONOUNS for w in frame.residual)
        ):
            return self._nothing_fits(frame, lang, suggestions)  # "what time is it in Tokyo" is not about Japan
        if reply.intent == "status" and reply.status != "member" and reply.country in frame.codes:
            return reply  # a non-member's card opens by saying it is not a member: that is the correction
        entry = self.kb.countries.get(reply.country or "")
        if reply.intent in ("status", "joined") and entry and entry.joined and LEAVE & set(frame.words):
            date = format_date(entry.joined.isoformat(), lang)  # "when did Greece leave NATO?": it didn't
            return prefix(reply, t("premise.left", lang, name=self.build.name(entry.code, lang), date=date))
        if reply.intent in ("status", "joined", "timeline") and reply.country and (frame.years or frame.member_ordinal):
            shown = f"{reply.body} {' '.join(f.value for f in reply.fields)}"
            if any(str(y) not in shown for y in frame.years) or frame.member_ordinal:
                return self._nothing_fits(frame, lang, suggestions)
        if (
            reply.country
            and frame.codes
            and reply.country not in frame.codes
            and reply.ref
            and not reply.ref.startswith("faq:")
        ):
            return self.build.unknown(lang, suggestions)
        slots = self.slots.get(reply.ref or "")
        later = (
            slots is not None
            and self.horizon is not None
            and any(s.start > self.horizon for s in self.kb.summits if s.id in slots.summits)
        )
        if (frame.has("next") or later) and self.horizon is not None and reply.intent != "horizon":
            until = format_date(self.horizon.isoformat(), lang)
            reply = replace(reply, body=f"{reply.body}\n\n{t('horizon.note', lang, date=until)}")
        note = self.premise(frame, lang)
        if note:
            body = re.sub(r"^(Yes|네|예)[.,!]\s*", "", reply.body)
            if reply.intent in ("status", "joined") and body.startswith(self.build.name(reply.country or "", lang)):
                return replace(reply, body=body)  # the card itself opens with the correction
            return prefix(replace(reply, body=body), note)
        if (
            reply.ref
            and reply.ref.startswith("faq:")
            and frame.asks_any("when", "where", "who", "which", "how_many", "how_much", "what", "why", "how")
            and "yesno" not in frame.asks
            and re.match(r"^(Yes|No|네|예|아니요)[.!]\s+\S", reply.body)
        ):
            # "When did Korea open its mission?" is not a yes/no question: the card's "Yes." would read oddly
            reply = replace(reply, body=re.sub(r"^(Yes|No|네|예|아니요)[.!]\s+", "", reply.body))
        if self._unconfirmed(frame, reply):
            # "…, right?" answered by a card that opens "Yes" but doesn't say all that was asked: no false "Yes"
            body = re.sub(r"^(Yes|No|네|예|아니요)[.,!;]\s*", "", reply.body)
            return replace(reply, body=f"{t('confirm.unsure', lang)}\n\n{body}")
        return reply

    def _unconfirmed(self, frame: Frame, reply: Reply) -> bool:
        if not re.match(r"^(Yes|네|예)\b", reply.body) or not reply.ref or reply.ref not in self.slots:
            return False
        confirming = bool(CONFIRM & set(frame.words)) or any(
            w.endswith(("잖아", "맞지", "맞죠", "맞아", "거죠", "거지", "지요", "맞나요")) for w in frame.words
        )
        if not confirming:
            return False
        text = self.slots[reply.ref].text
        numbers = re.findall(r"\d+", frame.text)
        return (
            any(n not in text for n in numbers) or self.index.coverage(reply.ref, content_words(frame.residual)) < 0.75
        )

    def _nothing_fits(self, frame: Frame, lang: str, suggestions: tuple[str, ...], reply: Reply | None = None) -> Reply:
        """No answer fits: what is true when the question rests on a false fact, else a decline."""
        note = self.premise(frame, lang)
        wrong = next((c for c in frame.codes if self.facts.places.get(c) is None), None)
        if wrong is not None and note:
            return self.build.status(wrong, lang)  # what is true, opening with "X is not a NATO member"
        members = [c for c in frame.codes if c in self.facts.places]
        if note and len(members) == 1 and frame.years and frame.has("join"):
            return self._verify_joined(members[0], frame, lang)
        count = self._count_premise(frame, lang)
        if count is not None:
            return count
        if frame.frameworks and not frame.codes and frame.asks_any("what") and not off_topic(frame.residual):
            return self.facts.framework_list(frame.frameworks[0], lang)  # "what does PfP stand for?"
        reply = reply or self.build.unknown(lang)
        return replace(reply, suggestions=suggestions) if suggestions and not reply.suggestions else reply

    def premise(self, frame: Frame, lang: str) -> str | None:
        """A correction when the question takes a false fact for granted."""
        for code in frame.codes:
            entry = self.kb.countries.get(code)
            status = entry.status if entry else Status.non_member
            name = self.build.name(code, lang)
            if status is not Status.member:
                assumes = (
                    frame.has("since")
                    or frame.has("long")
                    or frame.member_ordinal is not None
                    or (frame.has("join") and bool(frame.years or frame.asks_any("why", "how")))
                    or (frame.has("after") and frame.has("join"))
                )
                if assumes and frame.has("join", "member"):
                    return t("premise.not_member", lang, name=name, status=t(f"status.{status.value}", lang))
            elif entry is not None and entry.joined is not None:
                if frame.member_ordinal is None and frame.ordinal is not None:
                    continue
                if (
                    frame.has("join")
                    and frame.years
                    and entry.joined.year not in frame.years
                    and not frame.asks_any("which", "how_many")
                    and len(frame.codes) == 1
                ):
                    return t(
                        "premise.year",
                        lang,
                        name=name,
                        date=format_date(entry.joined.isoformat(), lang),
                        year=frame.years[0],
                    )
                place = self.facts.places.get(code)
                # "which joined first, X or Y?" compares and "first after X" is relative: neither claims a rank
                single = len(frame.codes) == 1 and not frame.has("before", "after")
                if (
                    single
                    and frame.member_ordinal is not None
                    and place
                    and not place.first <= frame.member_ordinal <= place.last
                ):
                    nth = ordinal(frame.member_ordinal, lang)
                    if 1 <= frame.member_ordinal <= len(self.facts.members):
                        other = self.facts.places[self.facts.members[frame.member_ordinal - 1].code]
                        if other.first == other.last:  # "North Macedonia was the 29th?": no, that is Montenegro
                            who = self.build.name(other.group[0].code, lang)
                            return t("premise.ordinal_is", lang, name=name, nth=nth, other=who)
                    return t("premise.ordinal", lang, name=name, nth=nth)
        return None

    # -- the horizon ----------------------------------------------------------------------
