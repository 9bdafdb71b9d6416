"""Which question family answers a frame: members by year, the Nth member, a summit, an office
holder, framework membership, ... computed by `structured.Facts`. A family answers only when every
content word of the question is explained by it; otherwise the curated entries are tried."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core import cues
from bot.core.asking import PERIOD_WORDS, count_of, is_number_word, ordinals_of, period_of
from bot.core.frame import Frame
from bot.core.horizon import HorizonRules
from bot.core.i18n import format_date, t
from bot.core.reply import Reply
from bot.core.retrieval import KO_FUNCTION_PREFIXES
from bot.core.schema import Status, Summit
from bot.core.text import is_hangul, korean_stems, normalize
from bot.core.wording import HARMLESS, HARMLESS_KO, prefix


class Families(HorizonRules):
    """Mixed into the guard: the structured question families."""

    def _names_office(self, office_id: str, word: str) -> bool:
        """ "who chairs the Military Committee", "who leads NATO": the verb of the office's own name."""
        office = self.kb.offices[office_id]
        stem = re.sub(r"(?:s|ed|ing)$", "", word) if len(word) > 4 else word
        names = (office.name.en, *office.aliases.en)
        return len(stem) >= 4 and any(n.startswith(stem) for name in names for n in normalize(name).split())

    def _extra(self, f: Frame) -> list[str]:
        """Content words no family explains: with any, the curated entries are tried instead."""
        extra = [
            w
            for w in f.residual
            if w not in HARMLESS
            and cues.kind(w) not in ("stop", "status", "list", "when")
            and not (
                is_hangul(w)
                and (
                    any(form in HARMLESS for form in korean_stems(w))
                    or w.startswith((*HARMLESS_KO, *KO_FUNCTION_PREFIXES))
                )
            )
        ]
        if f.office is not None:
            extra = [w for w in extra if not self._names_office(f.office, w)]
        return extra

    def _origin(self, f: Frame, lang: str) -> Reply | None:
        """Where an office holder comes from: asked ("where is Rutte from?") or wrongly assumed ("Rutte,
        the former Belgian prime minister")."""
        if f.office is None:
            return None
        office = self.kb.offices[f.office]
        index = f.holder if f.holder is not None else len(office.holders) - 1
        holder = office.holders[index]
        words = set(f.words)
        asked = (
            bool(ORIGIN & words)
            or ("from" in words and "where" in f.asks)  # "where is Rutte from?", not "took over from Stoltenberg"
            or any(w.startswith(("국적", "출신")) for w in f.words)
        )
        if holder.country is None or not (asked or ({"prime", "minister", "총리", "president"} & words)):
            return None
        who, country = getattr(holder.who, lang), _the(self.build.name(holder.country, lang), lang)
        named = [c for c in f.codes if c != holder.country]
        reply = self.facts.holder(office, index, lang)
        if named:  # "the former Belgian prime minister": no, Dutch
            wrong = _the(self.build.name(named[0], lang), lang)
            return prefix(reply, t("premise.holder_country", lang, who=who, country=country, named=wrong))
        if f.codes:  # "Rutte was Dutch prime minister, right?"
            return prefix(reply, t("holder.from_yes", lang, who=who, country=country))
        return prefix(reply, t("holder.from", lang, who=who, country=country)) if asked else None

    def _event_date(self, f: Frame) -> tuple[str, str] | None:
        """The date of the one event a question names (a member's accession, a summit), and its name."""
        members = [c for c in f.codes if c in self.facts.places]
        if len(members) == 1 and len(f.codes) == 1 and f.has("join") and not f.summits:
            entry = self.kb.countries[members[0]]
            return (entry.joined.isoformat(), members[0]) if entry.joined else None
        summit = next((s for s in self.kb.summits if s.id in f.summits), None)
        if summit is not None and not f.codes:
            return summit.start.isoformat(), f"s:{summit.id}"
        return None

    def _structured(self, f: Frame, lang: str) -> Reply | None:
        facts = self.facts
        if f.office is not None and f.has("next") and not f.codes:
            return facts.next_office(self.kb.offices[f.office], lang)  # "who will take over from Rutte?"
        personal = PERSONAL & set(f.words) or any(w.startswith(PERSONAL_KO) for w in f.words)
        if (f.holder is not None or f.office is not None) and personal:
            return self.build.unknown(lang)  # "Rutte's birthday", "what is Stoltenberg doing now": not in the data
        origin = self._origin(f, lang)
        if origin is not None:
            return origin
        if (
            f.office is not None
            and f.holder is not None
            and f.has("before")
            and not f.codes
            and f.holder > 0
            and all(_proper_name(w, f.text) for w in self._extra(f))  # "… from Rasmussen, right?": corrected
        ):
            return facts.holder(self.kb.offices[f.office], f.holder - 1, lang)  # "Rutte took over from …"
        if f.office is not None and f.holder is not None and f.years and not f.codes:
            holder = self.kb.offices[f.office].holders[f.holder]
            if not holder.held_in(f.years[0]):
                # "Rutte has led NATO since 2023, so …": the premise is wrong; say who held it then
                return facts.holder(self.kb.offices[f.office], f.holder, lang, f.years[0])
        if f.named and (f.summits or f.has("summit")) and not f.asks_any("why", "how"):
            return self._summit(f, lang)  # a person at a summit: who was there is what the data says
        extra = self._extra(f)
        named_period = period_of(f.text.casefold(), self.horizon.year if self.horizon else 9999)
        in_words = all(w in PERIOD_WORDS or is_number_word(w) for w in extra)  # "joined in the last 10 years"
        if named_period and in_words and f.has("join", "member") and not f.codes and not f.years:
            return facts.joined_in(named_period[0], named_period[1], lang)
        excluding = f.has("founder") and "how_many" in f.asks and not f.codes and EXCLUDING & set(f.words)
        if excluding and all(w in EXCLUDING or w in ("later", "나중에", "이후에") for w in extra):
            return facts.joined_since_founding(lang)  # "창설국 빼고 나중에 가입한 나라는 몇 개국?"
        if extra:
            return None
        codes = f.codes
        if f.office is not None and f.holder is None and (not f.years or f.summits):
            on = self._event_date(f)
            if on is not None:  # "who was SG when Finland joined?", "… during the Washington summit?"
                reply = facts.office_on(self.kb.offices[f.office], on[0], on[1], lang)
                summit = next((s for s in self.kb.summits if s.id in f.summits), None)
                wrong = self._summit_premise(f, summit, lang)  # "… hosted the 2023 summit in The Hague?"
                return prefix(reply, wrong) if wrong else reply
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
        asked = f.frameworks or f.has("member", "join", "partner") or f.asks_any("which", "who", "when", "how_many")
        if f.region is not None and not codes and not f.years and len(f.frameworks) <= 1 and asked:
            return facts.region(f.region, lang, f.frameworks[0] if f.frameworks else None)  # "the Baltic states"
        if len(f.frameworks) == 1 and not codes and f.years and f.has("created") and not f.asks_any("why", "who"):
            started = facts.framework_started(f.frameworks[0], f.years[0], lang)
            if started is not None:
                return started
        if f.summits or f.has("summit"):
            return self._summit(f, lang)
        compared = f.has("join", "first", "before", "after") or bool(COMPARE & set(f.words))
        if len(members) >= 2 and len(codes) == len(members) and compared and not f.frameworks:
            return facts.joined_many(members, lang)  # "who joined first, Greece or Türkiye?", "Hungary vs Slovakia"
        if len(codes) == 1 and codes[0] not in facts.places and f.has("join") and f.has("next"):
            # "when will Korea join NATO?": it is not a member; what is known, and where the sources end
            card = self.build.status(codes[0], lang)
            until = format_date(self.horizon.isoformat(), lang) if self.horizon else ""
            return replace(card, body=f"{card.body}\n\n{t('horizon.note', lang, date=until)}" if until else card.body)
        if (
            len(codes) >= 2
            and not f.frameworks
            and not f.years
            and f.ordinal is None
            and not f.asks_any("why", "how", "when", "who", "where")
            and not (f.asks_any("what", "which") and not (f.has("member", "status") or _says_partner(f)))
        ):  # "what did Korea do in Afghanistan" is not "are Korea and Afghanistan members?"
            return facts.statuses(list(codes), lang)  # "is Korea or Japan in NATO?"
        if f.ordinal is not None and f.has("round") and not codes:
            return facts.round(f.ordinal, lang)
        if (
            len(codes) == 1
            and f.years
            and not f.has("join", "member", "ordinal", "round", "founder")
            and not f.frameworks
        ):
            return facts.events(codes[0], f.years[0], lang)  # "Korea and NATO in 2012?"
        if f.frameworks and not f.years:
            fw = f.frameworks[0]
            if codes and f.asks_any("when"):
                return None  # when a country joined a framework: its card or FAQ entry says
            if codes and len(f.frameworks) > 1:  # "Is Australia in the IP4 and PfP?": each one
                return facts.in_frameworks(codes[0], list(f.frameworks), lang)
            if codes:
                return facts.in_framework(codes[0], fw, lang)
            if f.asks_any("which", "who", "how_many") or f.has("member", "partner"):
                return facts.framework_list(fw, lang, f.continent)
            return None
        if f.ordinal is not None and f.has("founder") and f.has("after") and not codes:
            return facts.round(f.ordinal, lang)  # "the first country to join after the founders"
        if f.has("newest", "first") and f.has("before", "after") and len(members) == 1 and len(codes) == 1:
            return facts.relative(members[0], f.has("after"), lang, adjacent=True)  # "the last to join before Finland"
        if f.has("round") and ("ordinal_of" in f.asks or f.asks_any("which", "what")) and len(codes) <= 1:
            found = facts.round_of(lang, members[0] if members else None, f.years[0] if f.years and not codes else None)
            if found is not None and (members or f.years) and f.ordinal is None:
                return found  # "which round brought in Poland?", "what number enlargement was 2004?"
        several = ordinals_of(f.text)
        if len(set(several)) > 1 and f.has("member", "join") and not codes:
            replies = [facts.nth(n, lang) for n in dict.fromkeys(several)]  # "the 31st and 32nd members"
            body = "\n\n".join(r.body for r in replies)
            return replace(replies[0], body=body, sources=tuple(dict.fromkeys(s for r in replies for s in r.sources)))
        if f.ordinal is not None and f.has("member", "join"):
            if codes:
                code = codes[0]
                if code in facts.places:
                    return facts.ordinal_of(code, lang)
                return self.build.status(code, lang)
            return facts.nth(f.ordinal, lang)
        if "ordinal_of" in f.asks and codes:
            return facts.ordinal_of(codes[0], lang) if codes[0] in facts.places else self.build.status(codes[0], lang)
        if f.has("founder") and "how_many" in f.asks and not codes and EXCLUDING & set(f.words):
            return facts.joined_since_founding(lang)  # "not counting the original 12, how many joined?"
        if f.has("founder") and not codes and (f.has("member") or f.asks_any("which", "who", "how_many")):
            return facts.founders(lang)
        many = count_of(f.text.casefold())
        if f.has("newest") and f.has("member", "join") and not codes and not f.years and many and 1 < many <= 10:
            return facts.newest_n(many, lang)  # "the three newest members", "최근 가입한 3개국"
        if f.has("newest") and f.has("member", "join") and len(codes) <= 1 and not f.years:
            reply = facts.newest(lang)
            if codes and codes[0] != facts.members[-1].code:  # "Montenegro is the newest member, right?"
                reply = prefix(reply, t("premise.newest", lang, name=self.build.name(codes[0], lang)))
            return reply
        together = len(members) == 1 and len(codes) == 1 and f.has("join") and bool(_TOGETHER & set(f.words))
        if together and not f.ordinal and (not f.asks or f.asks_any("which", "who", "how_many", "what")):
            return facts.same_day(members[0], lang)  # "who joined together with Poland?"
        if "how_many" in f.asks and _says_partner(f) and not codes and not f.frameworks and not f.years:
            partners = [c for c in self.kb.countries.values() if c.frameworks and c.status is not Status.non_member]
            partners = [c for c in partners if c.status is not Status.member]
            note = t("partners.count", lang, n=len(partners), asof=facts.asof(lang))
            return prefix(self.build.partners(lang), note)  # "how many partners?" is not the member count
        if "how_many" in f.asks and len(members) == 1 and len(codes) == 1 and f.has("join") and _totals(f):
            return facts.count_at(members[0], lang)  # "how many allies did that make?": the total, not who came after
        if (
            (f.has("before") or f.has("after") or f.has("next"))
            and len(members) == 1
            and len(codes) == 1
            and f.has("join", "member")
            and not f.years
        ):
            adjacent = bool({"right", "immediately", "directly", "just", "바로", "직후", "직전"} & set(f.words)) or (
                f.has("next") and not f.has("after")
            )
            return facts.relative(members[0], not f.has("before"), lang, adjacent=adjacent)
        period = (
            f.span
            or ((f.decade, f.decade + 9) if f.decade is not None else None)
            or ((min(f.years), max(f.years)) if f.years else None)
        )
        if "how_many" in f.asks and f.has("member") and f.years and not codes and {"have", "had", "has"} & set(f.words):
            return facts.count(lang, as_of=f.years[0])  # "how many members did NATO have after 2004?"
        if (
            f.years
            and not f.span
            and (f.has("since") or f.has("after") or (f.has("next") and f.has("join")))
            and not codes
        ):
            period = (f.years[0] + (0 if f.has("since") else 1), self.horizon.year if self.horizon else 9999)
        elif period is not None and f.has("member") and not f.has("join") and not codes and not (f.span or f.decade):
            return facts.count(lang, as_of=period[1])
        if period is not None and f.has("join", "member"):
            if not codes and len(f.years) >= 2 and not f.span and not f.has("since", "after", "span"):
                return facts.joined_in_years(sorted(set(f.years)), lang)  # "in 2009 and 2017": those years only
            if not codes:
                return facts.joined_in(period[0], period[1], lang)
            if len(members) == 1 and len(codes) == 1 and f.has("join"):
                return self._verify_joined(members[0], f, lang)
            return None
        if (
            f.continent
            and f.has("member", "join", "partner")
            and not f.has("first", "newest")  # "NATO's oldest partner outside Europe" is not a list by continent
            and not codes
            and not f.asks_any("why", "how")
            and not {"can", "could", "may", "might", "가능", "있나", "있어"} & set(f.words)
        ):
            outside = bool({"not", "outside", "non", "아닌", "밖", "밖에", "외"} & set(f.words))
            return facts.continent(f.continent, lang, outside=outside)
        if (
            f.has("created")
            and not codes
            and not f.has("member", "join")
            and not f.frameworks
            and (f.asks_any("when", "which", "how") or f.years)
        ):
            reply = facts.founded(lang)
            year = facts.members[0].accession.year
            if f.years and year not in f.years:  # "NATO was created in 1945, right?"
                return prefix(reply, t("premise.founded", lang, year=f.years[0], real=year))
            return reply
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

    def _summit_premise(self, f: Frame, summit: Summit | None, lang: str) -> str | None:
        """ "the 2023 summit was in Madrid, right?" / "Madrid summit in 2021?": one of the two is wrong."""
        if summit is None or not f.years or summit.start.year in f.years:
            return None
        that_year = self.facts.summit_by_year(f.years[0])
        named = getattr(summit.city, lang)
        if that_year is not None:
            city = getattr(that_year.city, lang)
            return t("premise.summit_city", lang, named=named, year=f.years[0], city=city, real=summit.start.year)
        return t("premise.summit_year", lang, named=named, year=f.years[0], real=summit.start.year)

    def _summit(self, f: Frame, lang: str) -> Reply | None:
        facts = self.facts
        summit = next((s for s in self.kb.summits if s.id in f.summits), None)
        wrong = self._summit_premise(f, summit, lang)
        if wrong is not None and summit is not None:
            that_year = facts.summit_by_year(f.years[0])
            summit = that_year or summit
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
            summit = next(
                (s for s in reversed(self.kb.summits) if self.horizon is None or s.start <= self.horizon), None
            )
        # A capital names a summit's city, not an attendee ("the Riga summit" is not about Latvia).
        code = next((c for c in (*f.hard_codes, *f.people) if summit is None or c != summit.host), None)
        if summit is None and f.soft and not f.years:
            return None  # "the Riga summit": a city without a summit row; the curated cards may know it
        if summit is None:
            if code and not any(a.country == code for s in self.kb.summits for a in s.attendees):
                name = self.build.name(code, "en")
                names = "|".join(re.escape(n.casefold()) for n in (name, self.build.name(code, "ko")))
                hosted = re.search(
                    rf"(?:{names})(?:'s)? ?(?:summit|정상회의)|summit (?:in|of) (?:{names})", f.text.casefold()
                )
                planned = [  # "the Albania summit": a summit planned in that country
                    e
                    for e in self.kb.timeline
                    if hosted and "summit" in e.tags and (code in e.countries or name in e.text.en)
                ]
                if planned and self.horizon is not None:  # "is the Albania summit's date set?": what was said
                    return self._later(
                        self.build.name(code, lang), self.horizon.year, None, lang, tags=("summit",), events=planned
                    )
            if code and not any(a.country == code for s in self.kb.summits for a in s.attendees):
                return None  # no summit in the knowledge lists this country: nothing to compute
            if f.asks_any("which", "how_many", "when", "where") or code:
                return facts.summits(lang, code)
            return None
        who = f.asks_any("who") or f.has("attend") or "ip4" in f.frameworks
        if not (who or code or wrong or f.asks_any("where", "when", "which") or f.has("next")):
            return None  # "what happened at ...": the curated summary says more
        reply = facts.summit(summit, lang, code, who)
        if wrong:
            return prefix(reply, wrong)
        attendee = next((a for a in summit.attendees if a.country == code), None)
        absent = [n for n in f.named if attendee is None or n not in normalize(f"{attendee.who.en} {attendee.who.ko}")]
        asked = f.asks_any("who", "where", "when", "which", "what", "how_many")
        if attendee is not None and f.named and not absent and not asked:  # "did Albanese attend Vilnius?"
            who = getattr(attendee.who, lang)
            return prefix(reply, t("attend.yes", lang, who=who, summit=getattr(summit.name, lang)))
        if absent:  # "did Albanese attend The Hague?": someone else represented Australia there
            reply = prefix(
                reply,
                t(
                    "premise.attendee",
                    lang,
                    who=absent[0].title() if lang == "en" else absent[0],
                    summit=getattr(summit.name, lang),
                ),
            )
        return reply


# What the knowledge never holds about a person: their birthday, age, family, what they do now.
PERSONAL = frozenset({"birthday", "born", "age", "old", "wife", "husband", "married", "children", "doing", "hobby"})
PERSONAL_KO = (
    *("생일", "나이", "태어", "출생", "부인", "아내", "남편", "자녀", "근황", "뭐해", "뭐하", "취미", "살이", "몇살"),
)
EXCLUDING = frozenset({"counting", "besides", "excluding", "except", "apart", "other", "빼고", "제외", "말고", "외에"})
ORIGIN = frozenset({"nationality", "citizen", "국적", "출신", "어느나라"})
COMPARE = frozenset({"vs", "versus", "earlier", "sooner", "older", "먼저", "빨리", "일찍"})
_TOGETHER = frozenset({"with", "together", "alongside", "same", "같이", "함께", "동시에", "같은날", "같은"})
# "how many members did NATO have / did that make / were there": the total at a time, not a count of joiners.
_TOTAL_WORDS = frozenset({"have", "had", "has", "make", "made", "bring", "brought", "total", "there", "were"})


def _totals(f: Frame) -> bool:
    return bool(_TOTAL_WORDS & set(f.words)) or any(w.startswith(("됐", "되었", "된", "이었", "였")) for w in f.words)


def _says_partner(f: Frame) -> bool:
    """The word "partner" itself (the `partner` topic also holds "in", as in "is Korea in NATO")."""
    return any(w.startswith("partner") or "파트너" in w for w in f.words)


def _proper_name(word: str, text: str) -> bool:
    """A word the asker capitalised mid-sentence: a name ("took over from Rasmussen")."""
    return bool(re.search(rf"(?<=\S )({word[:1].upper()}{re.escape(word[1:])})\b", text))


def _the(name: str, lang: str) -> str:
    """ "the Netherlands", "the United States": the article some country names take in a sentence."""
    plural = lang == "en" and (name.endswith("s") or name.startswith(("United ", "Czech Republic")))
    return f"the {name}" if plural else name
