"""Decide from the question's frame: answer from the data, correct a false premise, say where the
knowledge ends, and refuse any answer whose own slots disagree with the question's.

A fact bot that answers a different question is worse than one that says "I don't know": a 2023
question never gets a 2026 card, a Canada question never the US card, an ordinal question never a
card that names no ordinal. When nothing consistent is left, the answerer declines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.core import answers, cues
from bot.core.countries import CountryIndex
from bot.core.frame import Frame
from bot.core.i18n import format_date, ordinal, t
from bot.core.knowledge import Knowledge
from bot.core.reply import Reply
from bot.core.retrieval import KO_FUNCTION_PREFIXES, FaqIndex
from bot.core.schema import Status
from bot.core.structured import Facts
from bot.core.text import is_hangul, korean_stems, normalize

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Words that ask for an answer rather than name what it is about.
_REQUESTS = frozenset({"explain", "explained", "meaning", "mean", "means", "describe", "define", "definition",
                       "summary", "summarize", "summarise", "overview", "details", "detail", "info", "information",
                       "briefly", "short", "simple", "simply", "meet", "met", "gather", "gathered", "convene", "convened", "설명", "설명해줘", "설명해", "뜻", "의미", "요약",
                       "정리", "정리해줘", "알려줘", "알려주세요"})
_MONEY = re.compile(r"[$€£₩]\s?\d|\d[\d,.]*\s?(?:billion|million|trillion|dollars?|euros?|won|달러|유로|억|조|만 ?원|원)")
_CONFIRM = frozenset({"right", "correct", "true", "yeah", "didnt", "isnt", "wasnt", "no", "맞아", "맞지", "맞죠", "맞나"})
_COUNT = re.compile(r"(?<!\d)(\d{2})\s?(?:nato\s)?(?:members?|member countries|countries|allies|nations|개국|개 회원국|개의 회원국|회원국|개 나라|나라|동맹국)")
# Words a structured answer explains by itself; any other content word left over means the
# question asks for something the computed answer does not say ("how many soldiers ...").
_HARMLESS = frozenset({"nato", "나토", "otan", "the", "a", "an", "in", "of", "to", "is", "was", "did", "does",
                       "ones", "that", "which", "were", "they", "there", "total", "altogether", "together",
                       "both", "exactly", "same", "day", "time", "group", "held", "take", "place", "took",
                       "happen", "happened", "about", "answer", "please", "tell", "between", "from", "until",
                       "through", "사이", "까지", "부터", "say", "said", "says", "saying", "do", "did", "done", "doing",
                       "relations", "relation", "relationship", "ties", "between", "with", "and", "news", "update",
                       "updates", "anything", "something", "what", "whats", "going", "on", "up", "있었", "있었어",
                       "있었나", "무슨", "일", "뭐", "소식", "관계", "때", "당시", "같아", "같은", "같이", "같나", "함께",
                       "다른", "다르", "same", "different", "together", "both", "either", "or", "didnt", "isnt",
                       "wasnt", "right", "correct", "true", "yeah", "yep", "맞아", "맞지", "맞죠", "맞나", "맞는", "제일", "가장",
                       "동시에", "most", "very", "날", "single", "them", "all", "each", "every", "non", "name", "list",
                       "member", "members", "ones", "수", "out", "off", "with", "any", "anyone", "anything", "yet",
                       "날짜", "정해졌", "정해졌어", "확정", "take", "over", "as", "right", "immediately", "directly", "just",
                       "바로", "직후", "직전", "outside", "밖", "밖에", "외", "have", "had", "has",
                       # casual Korean endings and chat noise: "어디서 함", "누가 감", "ㅋㅋ"
                       "함", "임", "됨", "음", "감", "했음", "갔음", "ㅋㅋ", "ㅎㅎ", "ㅇㅇ", "lol"})
_HARMLESS_KO = tuple(w for w in _HARMLESS if is_hangul(w) and len(w) >= 2)  # "같은날" starts with "같은"


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


class Guard:
    def __init__(self, knowledge: Knowledge, countries: CountryIndex, facts: Facts, build: answers.Builder,
                 index: FaqIndex):
        self.kb = knowledge
        self.index = index
        self.countries = countries
        self.facts = facts
        self.build = build
        self.horizon = knowledge.horizon
        self.slots: dict[str, Slots] = {}
        for entry in knowledge.faq:
            text = " ".join((entry.answer.en, entry.answer.ko, *entry.questions.en, *entry.questions.ko))
            norm = f" {normalize(text)} "
            named = {m.code for m in countries.find_all(normalize(entry.answer.en).split())}
            self.slots[f"faq:{entry.id}"] = Slots(
                years=frozenset(int(y) for y in _YEAR.findall(text)),
                countries=frozenset(entry.countries) | named,
                summits=frozenset(s.id for s in knowledge.summits
                                  if f" {normalize(s.city.en.split(',')[0])} " in norm
                                  or normalize(s.city.ko) in norm or (str(s.start.year) in text and "summit" in norm)),
                frameworks=frozenset(f.id for f in knowledge.frameworks.values()
                                     if any(f" {normalize(n)} " in norm for n in _fw_names(f))),
                offices=frozenset(o.id for o in knowledge.offices.values()
                                  if any(f" {normalize(n)} " in norm for n in (o.name.en, o.name.ko, *o.aliases.en,
                                                                                  *o.aliases.ko))),
                text=norm,
                money=bool(_MONEY.search(f"{entry.answer.en} {entry.answer.ko}")),
            )

    # -- the consistency check ------------------------------------------------------------
    def fits(self, frame: Frame, key: str) -> bool:
        """Whether a curated entry is about what the question's slots say."""
        if key.startswith("intent:"):
            return not (frame.years or frame.decade or frame.ordinal or frame.summits or frame.frameworks
                        or frame.office or frame.continent)
        slots = self.slots.get(key)
        if slots is None:
            return True
        if any(y not in slots.years for y in frame.years):
            return False
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
        if any(a not in slots.text and self.countries.code_for(a) is None for a in _acronyms(frame.text)):
            return False
        if frame.has("summit") and not slots.summits and " summit" not in slots.text and "정상회의" not in slots.text:
            return False
        # The kind of answer asked for must be in the card: a date for "when", a number for "how many".
        if "when" in frame.asks and not slots.years:
            return False
        if "how_many" in frame.asks and not any(ch.isdigit() for ch in slots.text):
            return False
        if "how_much" in frame.asks and not slots.money:
            return False  # "how much does Korea spend": an amount of money, which a percentage is not
        if "who" in frame.asks and frame.has("now") and not slots.offices:
            return False  # "who is X now": a card about past events does not say who holds anything now
        # Content words the entry does not explain mean it answers a neighbouring question
        # ("how many soldiers ..." is not "how many members ...").
        # Only quantity questions and everyday topics are held to this: other unexplained words are
        # mostly verbs and endings ("explain", "곳이에요") that the retrieval score already weighs.
        checked = frame.asks_any("how_many", "how_much") or _off_topic(frame.residual) or (
            "who" in frame.asks and not frame.hard_codes)
        if not checked:
            return True
        content = _content(frame.residual)
        # "How many Korean soldiers died …": every word of what is counted must be in the card.
        need = 0.99 if "how_many" in frame.asks else 0.5
        return not content or self.index.coverage(key, content) >= need

    def wrong_date(self, frame: Frame, key: str) -> bool:
        """A confirmation question ("…in 2002, right?") about a card that fits in all but its year."""
        if not frame.years or not key.startswith("faq:") or frame.codes and self.premise(frame, "en"):
            return False
        confirming = "yesno" in frame.asks or bool(_CONFIRM & set(frame.words)) or any(
            w.endswith(("잖아", "맞지", "맞죠", "맞아", "거죠", "거지", "지요")) for w in frame.words)
        return confirming and not self.fits(frame, key) and self.fits(replace(frame, years=()), key)

    def correct_date(self, frame: Frame, reply: Reply, lang: str) -> Reply:
        body = re.sub(r"^(Yes|네|예)[.,!;]\s*", "", reply.body)
        return _prefix(replace(reply, body=body), t("premise.date", lang, year=frame.years[0]))

    def unexplained(self, frame: Frame, key: str) -> bool:
        """Whether the question's own content words are mostly not what the card is about: such a card
        must match much better than usual (a near miss shares the topic words, not the point)."""
        content = _content(frame.residual)
        strong = frozenset(_acronyms(frame.text))  # "ITPP" typed in capitals names the topic outright
        return bool(content) and self.index.coverage(key, content, strong) < 0.5

    def without_premise(self, frame: Frame) -> Frame:
        """The frame minus what a false premise asserted ("since Korea joined in 2010": not 2010)."""
        for code in frame.codes:
            entry = self.kb.countries.get(code)
            if (entry is None or entry.status is not Status.member) and self.premise(frame, "en"):
                return replace(frame, years=(), ordinal=None, decade=None, span=None)
        return frame

    def _count_premise(self, frame: Frame, lang: str) -> Reply | None:
        """"all 31 NATO members", "31개 회원국": a member count that is not the current one."""
        m = _COUNT.search(frame.text.casefold())
        if m is None or frame.codes or int(m.group(1)) == len(self.facts.members) or int(m.group(1)) < 12:
            return None
        reply = self.facts.count(lang)
        return _prefix(reply, t("premise.count", lang, n=len(self.facts.members), wrong=m.group(1)))

    # -- decisions before retrieval ---------------------------------------------------------
    def later(self, frame: Frame, lang: str) -> str | None:
        """What a question asks about after the sources end ("2027", "late 2026", "the Ankara summit"),
        in words for the answer; None when it is within the knowledge's reach."""
        if self.horizon is None:
            return None
        h = self.horizon
        if any(s.start <= h for s in self.kb.summits if s.id in frame.summits) or (frame.span and frame.span[0] <= h.year):
            return None  # "did The Hague agree a target for 2030?", "2024~2028": a past event's own dates
        for year in frame.years:
            month = frame.month if len(frame.years) == 1 else None
            if year > h.year or year == h.year and month is not None and month > h.month:
                if month is None or year > h.year:
                    return str(year) if lang == "en" else f"{year}년"
                return format_date(f"{year}-{month:02d}", lang)
        if frame.has("since", "after") and any(s.start > h for s in self.kb.summits if s.id in frame.summits):
            summit = next(s for s in self.kb.summits if s.id in frame.summits)
            return getattr(summit.name, lang)
        return None

    def before_horizon(self, frame: Frame) -> Frame:
        """The frame without the dates past the horizon, to find what was known up to it."""
        assert self.horizon is not None
        summits = tuple(s.id for s in self.kb.summits if s.id in frame.summits and s.start <= self.horizon)
        dropped = {"next"} | ({"summit", "since", "after"} if len(summits) < len(frame.summits) else set())
        return replace(frame, years=tuple(y for y in frame.years if y < self.horizon.year), month=None,
                       summits=summits, topics=frame.topics - dropped)

    def note_later(self, frame: Frame, reply: Reply, what: str, lang: str) -> Reply:
        """Say first that the question is about after the horizon, then what was known by then."""
        assert self.horizon is not None
        until = format_date(self.horizon.isoformat(), lang)
        year = next((y for y in frame.years if y > self.horizon.year), None)
        if year is not None and frame.has("summit") and any(
                str(year) in e.text.en and "summit" in e.tags for e in self.kb.timeline):
            # a summit already planned for that year: what the sources said about it
            return self._later(what, year, frame.codes[0] if frame.codes else None, lang, tags=("summit",))
        if reply.intent == "horizon" or t("horizon.note", lang, date=until) in reply.body:
            return reply
        if not reply.matched or reply.intent in ("unknown", "empty"):
            if _off_topic(frame.residual):
                return reply  # "the weather in 2027" is not ours either way
            year = next((y for y in frame.years if y >= self.horizon.year), self.horizon.year)
            return self._later(what, year, frame.codes[0] if frame.codes else None, lang)
        head = t("horizon.later", lang, what=what, date=until) + "\n" + t("horizon.asof", lang, date=until)
        return _prefix(reply, head)

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
                return _prefix(reply, t("premise.ordinal_count", lang, n=len(self.facts.members), asof=self.facts.asof(lang)))
            return reply  # the card opens with "X is not a NATO member"
        note = self.premise(frame, lang)
        return _prefix(reply, note) if note else reply

    def finish(self, frame: Frame, reply: Reply, lang: str, suggestions: tuple[str, ...]) -> Reply:
        """The last check on a curated answer; a false premise is corrected before it."""
        if not reply.matched:
            return self._nothing_fits(frame, lang, suggestions, reply)
        if reply.intent in ("status", "joined", "timeline") and _off_topic(frame.residual):
            return self._nothing_fits(frame, lang, suggestions)  # "the weather in Seoul" is not Korea's status
        if reply.intent in ("status", "joined", "timeline") and reply.country in frame.soft and frame.residual \
                and any(cues.kind(w) is None for w in frame.residual):
            return self._nothing_fits(frame, lang, suggestions)  # "what time is it in Tokyo" is not about Japan
        if reply.intent == "status" and reply.status != "member" and reply.country in frame.codes:
            return reply  # a non-member's card opens by saying it is not a member: that is the correction
        if reply.intent in ("status", "joined", "timeline") and reply.country and (frame.years or frame.member_ordinal):
            shown = f"{reply.body} {' '.join(f.value for f in reply.fields)}"
            if any(str(y) not in shown for y in frame.years) or frame.member_ordinal:
                return self._nothing_fits(frame, lang, suggestions)
        if reply.country and frame.codes and reply.country not in frame.codes and reply.ref \
                and not reply.ref.startswith("faq:"):
            return self.build.unknown(lang, suggestions)
        slots = self.slots.get(reply.ref or "")
        later = slots is not None and self.horizon is not None and any(
            s.start > self.horizon for s in self.kb.summits if s.id in slots.summits)
        if (frame.has("next") or later) and self.horizon is not None and reply.intent != "horizon":
            until = format_date(self.horizon.isoformat(), lang)
            reply = replace(reply, body=f"{reply.body}\n\n{t('horizon.note', lang, date=until)}")
        note = self.premise(frame, lang)
        if note:
            body = re.sub(r"^(Yes|네|예)[.,!]\s*", "", reply.body)
            if reply.intent in ("status", "joined") and body.startswith(self.build.name(reply.country or "", lang)):
                return replace(reply, body=body)  # the card itself opens with the correction
            return _prefix(replace(reply, body=body), note)
        if reply.ref and reply.ref.startswith("faq:") and frame.asks_any("when", "where", "who", "which", "how_many") \
                and "yesno" not in frame.asks and re.match(r"^(Yes|No|네|예|아니요)[.,!;]\s+\S", reply.body):
            # "When did Korea open its mission?" is not a yes/no question: the card's "Yes." would read oddly
            reply = replace(reply, body=re.sub(r"^(Yes|No|네|예|아니요)[.,!;]\s+", "", reply.body))
        if self._unconfirmed(frame, reply):
            # "…, right?" answered by a card that opens "Yes" but doesn't say all that was asked: no false "Yes"
            body = re.sub(r"^(Yes|No|네|예|아니요)[.,!;]\s*", "", reply.body)
            return replace(reply, body=f"{t('confirm.unsure', lang)}\n\n{body}")
        return reply

    def _unconfirmed(self, frame: Frame, reply: Reply) -> bool:
        if not re.match(r"^(Yes|네|예)\b", reply.body) or not reply.ref or reply.ref not in self.slots:
            return False
        confirming = bool(_CONFIRM & set(frame.words)) or any(
            w.endswith(("잖아", "맞지", "맞죠", "맞아", "거죠", "거지", "지요", "맞나요")) for w in frame.words)
        if not confirming:
            return False
        text = self.slots[reply.ref].text
        numbers = re.findall(r"\d+", frame.text)
        return any(n not in text for n in numbers) or self.index.coverage(reply.ref, _content(frame.residual)) < 0.75

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
        reply = reply or self.build.unknown(lang)
        return replace(reply, suggestions=suggestions) if suggestions and not reply.suggestions else reply

    def premise(self, frame: Frame, lang: str) -> str | None:
        """A correction when the question takes a false fact for granted."""
        for code in frame.codes:
            entry = self.kb.countries.get(code)
            status = entry.status if entry else Status.non_member
            name = self.build.name(code, lang)
            if status is not Status.member:
                assumes = (frame.has("since") or frame.has("long") or frame.member_ordinal is not None
                           or (frame.has("join") and bool(frame.years or frame.asks_any("why", "how")))
                           or (frame.has("after") and frame.has("join")))
                if assumes and frame.has("join", "member"):
                    return t("premise.not_member", lang, name=name, status=t(f"status.{status.value}", lang))
            elif entry is not None and entry.joined is not None:
                if frame.member_ordinal is None and frame.ordinal is not None:
                    continue
                if frame.has("join") and frame.years and entry.joined.year not in frame.years \
                        and not frame.asks_any("which", "how_many") and len(frame.codes) == 1:
                    return t("premise.year", lang, name=name, date=format_date(entry.joined.isoformat(), lang),
                             year=frame.years[0])
                place = self.facts.places.get(code)
                if frame.member_ordinal is not None and place and not place.first <= frame.member_ordinal <= place.last:
                    return t("premise.ordinal", lang, name=name, nth=ordinal(frame.ordinal, lang))
        return None

    # -- the horizon ----------------------------------------------------------------------
    def _beyond_horizon(self, frame: Frame, lang: str) -> Reply | None:
        if self.horizon is None:
            return None
        summit = next((s for s in self.kb.summits if s.id in frame.summits), None)
        if summit is None and frame.has("summit") and frame.years:
            summit = self.facts.summit_by_year(frame.years[0])
        if summit is not None and summit.start > self.horizon and not _off_topic(frame.residual) \
                and not frame.has("since", "after"):
            # who went, what was decided, how it went: announced, outcome unknown
            code = next((c for c in (*frame.codes, *frame.people) if c != summit.host), None)
            return self.facts.summit(summit, lang, code)
        return None

    def _later(self, what: str, year: int, code: str | None, lang: str, tags: tuple[str, ...] = (),
               events: list | None = None) -> Reply:  # type: ignore[type-arg]
        """After the horizon: say so, then what the sources said up to then about that year (plans,
        announcements) or about the country."""
        assert self.horizon is not None
        body = t("horizon.later", lang, what=what, date=format_date(self.horizon.isoformat(), lang))
        if events is None:
            events = [e for e in self.kb.timeline if str(year) in e.text.en and (code is None or code in e.countries)
                      and (not tags or set(tags) & set(e.tags))]
        lines = [f"• {format_date(e.date, lang)} — {getattr(e.text, lang)}" for e in events[-3:]]
        ids = [sid for e in events[-3:] for sid in e.sources]
        if code is not None and not lines:
            card = self.build.status(code, lang)
            lines = [card.body.split("\n")[0]]
            ids = list(self.kb.countries[code].sources) if code in self.kb.countries else []
        if lines:
            body += f"\n\n{t('horizon.known', lang)}\n" + "\n".join(lines)
        return Reply(title=t("title.unknown", lang), body=body, lang=lang, intent="horizon", matched=True,
                     country=code, sources=self.build._sources(ids) if ids else ())

    # -- structured families ----------------------------------------------------------------
    def _structured(self, f: Frame, lang: str) -> Reply | None:
        facts = self.facts
        if f.office is not None and f.has("next") and not f.codes:
            return facts.next_office(self.kb.offices[f.office], lang)  # "who will take over from Rutte?"
        if f.office is not None and f.holder is not None and f.has("before") and not f.codes and f.holder > 0:
            return facts.holder(self.kb.offices[f.office], f.holder - 1, lang)  # "Rutte took over from …"
        if f.office is not None and f.holder is not None and f.years and not f.codes:
            holder = self.kb.offices[f.office].holders[f.holder]
            if not int(holder.start[:4]) <= f.years[0] <= int((holder.end or "9999")[:4]):
                # "Rutte has led NATO since 2023, so …": the premise is wrong; say who held it then
                return facts.holder(self.kb.offices[f.office], f.holder, lang, f.years[0])
        if f.named and (f.summits or f.has("summit")) and not f.asks_any("why", "how"):
            return self._summit(f, lang)  # a person at a summit: who was there is what the data says
        extra = [w for w in f.residual if w not in _HARMLESS and cues.kind(w) not in ("stop", "status", "list", "when")
                 and not (is_hangul(w) and (any(form in _HARMLESS for form in korean_stems(w))
                                            or w.startswith(_HARMLESS_KO) or w.startswith(KO_FUNCTION_PREFIXES)))]
        if extra:
            return None
        codes = f.codes
        members = [c for c in codes if c in facts.places]
        if f.office is not None and not codes:
            office = self.kb.offices[f.office]
            if f.has("next"):
                return facts.next_office(office, lang)
            if f.has("before") and len(office.holders) > 1:  # "the previous Secretary General", "Rutte's predecessor"
                index = (f.holder if f.holder is not None else len(office.holders) - 1) - 1
                return facts.holder(office, index, lang) if index >= 0 else facts.office_unknown(office, lang)
            if f.holder is not None:
                return facts.holder(office, f.holder, lang, f.years[0] if f.years else None)
            if f.ordinal is not None or f.has("first"):
                return facts.office_unknown(office, lang)  # "the first Secretary General": not that far back
            return facts.office(office, lang, f.years[0] if f.years else None)
        if f.summits or f.has("summit"):
            return self._summit(f, lang)
        if len(members) >= 2 and len(codes) == len(members) and f.has("join") and not f.frameworks:
            return facts.joined_many(members, lang)
        if len(codes) == 1 and codes[0] not in facts.places and f.has("join") and f.has("next"):
            # "when will Korea join NATO?": it is not a member; what is known, and where the sources end
            card = self.build.status(codes[0], lang)
            until = format_date(self.horizon.isoformat(), lang) if self.horizon else ""
            return replace(card, body=f"{card.body}\n\n{t('horizon.note', lang, date=until)}" if until else card.body)
        if len(codes) >= 2 and not f.frameworks and not f.years and f.ordinal is None \
                and not f.asks_any("why", "how", "when", "who"):
            return facts.statuses(list(codes), lang)  # "is Korea or Japan in NATO?"
        if f.ordinal is not None and f.has("round") and not codes:
            return facts.round(f.ordinal, lang)
        if len(codes) == 1 and f.years and not f.has("join", "member", "ordinal", "round", "founder") \
                and not f.frameworks:
            return facts.events(codes[0], f.years[0], lang)  # "Korea and NATO in 2012?"
        if f.frameworks and not f.years:
            fw = f.frameworks[0]
            if codes and f.asks_any("when"):
                return None  # when a country joined a framework: its card or FAQ entry says
            if codes:
                return facts.in_framework(codes[0], fw, lang)
            if f.asks_any("which", "who", "how_many") or f.has("member", "partner"):
                return facts.framework_list(fw, lang)
            return None
        if f.ordinal is not None and f.has("member", "join"):
            if codes:
                code = codes[0]
                if code in facts.places:
                    return facts.ordinal_of(code, lang)
                return self.build.status(code, lang)
            return facts.nth(f.ordinal, lang)
        if "ordinal_of" in f.asks and codes:
            return facts.ordinal_of(codes[0], lang) if codes[0] in facts.places else self.build.status(codes[0], lang)
        if f.has("founder") and not codes and (f.has("member") or f.asks_any("which", "who", "how_many")):
            return facts.founders(lang)
        if f.has("newest") and f.has("member", "join") and len(codes) <= 1 and not f.years:
            reply = facts.newest(lang)
            if codes and codes[0] != facts.members[-1].code:  # "Montenegro is the newest member, right?"
                reply = _prefix(reply, t("premise.newest", lang, name=self.build.name(codes[0], lang)))
            return reply
        if (f.has("before") or f.has("after") or f.has("next")) and len(members) == 1 and len(codes) == 1 \
                and f.has("join", "member") and not f.years:
            adjacent = bool({"right", "immediately", "directly", "just", "바로", "직후", "직전"} & set(f.words)) \
                or f.has("next") and not f.has("after")
            return facts.relative(members[0], not f.has("before"), lang, adjacent=adjacent)
        period = f.span or ((f.decade, f.decade + 9) if f.decade is not None else None) or (
            (min(f.years), max(f.years)) if f.years else None)
        if "how_many" in f.asks and f.has("member") and f.years and not codes and {"have", "had", "has"} & set(f.words):
            return facts.count(lang, as_of=f.years[0])  # "how many members did NATO have after 2004?"
        if f.years and not f.span and (f.has("since") or f.has("after") or f.has("next") and f.has("join")) \
                and not codes:
            period = (f.years[0] + (0 if f.has("since") else 1), self.horizon.year if self.horizon else 9999)
        elif period is not None and f.has("member") and not f.has("join") and not codes and not (f.span or f.decade):
            return facts.count(lang, as_of=period[1])
        if period is not None and f.has("join", "member"):
            if not codes:
                return facts.joined_in(period[0], period[1], lang)
            if len(members) == 1 and len(codes) == 1 and f.has("join"):
                return self._verify_joined(members[0], f, lang)
            return None
        if f.continent and f.has("member", "join", "partner") and not codes and not f.asks_any("why", "how") \
                and not {"can", "could", "may", "might", "가능", "있나", "있어"} & set(f.words):
            outside = bool({"not", "outside", "non", "아닌", "밖", "밖에", "외"} & set(f.words))
            return facts.continent(f.continent, lang, outside=outside)
        if f.has("created") and not codes and not f.has("member", "join") and f.asks_any("when", "which", "how"):
            return facts.founded(lang)
        if "how_many" in f.asks and f.has("member") and not codes:
            return facts.count(lang)
        return None

    def _verify_joined(self, code: str, f: Frame, lang: str) -> Reply:
        entry = self.kb.countries[code]
        card = self.build.status(code, lang, joined=True)
        when = format_date(entry.joined.isoformat(), lang) if entry.joined else ""
        name = self.build.name(code, lang)
        if entry.joined and entry.joined.year in f.years:
            head = t("verify.joined_yes", lang, name=name, date=when)
        else:
            head = t("verify.joined_no", lang, name=name, date=when, year=f.years[0] if f.years else "")
        rest = card.body.split("\n\n", 1)[-1]
        return replace(card, body=f"{head}\n\n{rest}")

    def _summit(self, f: Frame, lang: str) -> Reply | None:
        facts = self.facts
        summit = next((s for s in self.kb.summits if s.id in f.summits), None)
        if summit is None and f.years:
            summit = facts.summit_by_year(f.years[0])
            if summit is None:
                year = f.years[0]
                if self.horizon is not None and year > self.horizon.year:
                    what = f"the {year} NATO summit" if lang == "en" else f"{year}년 나토 정상회의"
                    return self._later(what, year, None, lang, tags=("summit",))
                return replace(self.build.unknown(lang), body=facts.unknown_summit(year, lang))
        if summit is None and f.has("next") and self.horizon is not None:
            summit = next((s for s in self.kb.summits if s.start > self.horizon), None)
            if summit is None:
                return None
        if summit is None and (f.has("newest") or f.has("now")):
            summit = next((s for s in reversed(self.kb.summits) if self.horizon is None or s.start <= self.horizon), None)
        code = next((c for c in (*f.codes, *f.people) if summit is None or c != summit.host), None)
        if summit is None:
            if code and not any(a.country == code for s in self.kb.summits for a in s.attendees):
                name = self.build.name(code, "en")
                planned = [e for e in self.kb.timeline if "summit" in e.tags and (code in e.countries or name in e.text.en)]
                if planned and self.horizon is not None:  # "is the Albania summit's date set?": what was said
                    return self._later(self.build.name(code, lang), self.horizon.year, None, lang,
                                       tags=("summit",), events=planned)
            if f.asks_any("which", "how_many", "when", "where") or code:
                return facts.summits(lang, code)
            return None
        who = f.asks_any("who") or f.has("attend") or "ip4" in f.frameworks
        if not (who or code or f.asks_any("where", "when", "which") or f.has("next")):
            return None  # "what happened at ...": the curated summary says more
        reply = facts.summit(summit, lang, code, who)
        attendee = next((a for a in summit.attendees if a.country == code), None)
        wrong = [n for n in f.named if attendee is None or n not in normalize(f"{attendee.who.en} {attendee.who.ko}")]
        if wrong:  # "did Albanese attend The Hague?": someone else represented Australia there
            reply = _prefix(reply, t("premise.attendee", lang, who=wrong[0].title() if lang == "en" else wrong[0],
                                     summit=getattr(summit.name, lang)))
        return reply


_ACRONYM = re.compile(r"\b[A-Z]{3,}[0-9]?\b|\b[A-Z]{2,}[0-9]\b")
_NOT_TOPICS = frozenset({"nato", "otan", "nato의", "faq", "usa", "gdp", "dmz", "ok", "lol", "omg"})


@lru_cache(maxsize=1024)
def _off_topic(residual: tuple[str, ...]) -> frozenset[str]:
    return cues.off_topic(list(residual))


@lru_cache(maxsize=1024)
def _acronyms(text: str) -> list[str]:
    """Acronyms typed in capitals, lower-cased; not NATO itself, not shouting (a sentence in capitals)."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > len(letters) / 2:
        return []
    return [a.casefold() for a in _ACRONYM.findall(text) if a.casefold() not in _NOT_TOPICS]


@lru_cache(maxsize=1024)
def _content(residual: tuple[str, ...]) -> list[str]:
    """The question's own content words: not cues, filler or request words ("explain")."""
    return [w for w in residual if w not in _HARMLESS and w not in _REQUESTS and cues.kind(w) is None
            and len(w) >= (2 if is_hangul(w) else 3)]


def _fw_names(fw) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    names = [fw.name.en, fw.name.ko]
    if fw.short is not None:
        names += [fw.short.en, fw.short.ko]
    return tuple(part.strip() for n in names for part in re.split(r"[()]", n) if len(part.strip()) >= 2)


def _prefix(reply: Reply, note: str) -> Reply:
    return replace(reply, body=f"{note}\n\n{reply.body}")
