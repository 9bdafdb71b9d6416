"""Answers computed from the knowledge's rows, not from curated FAQ cards.

Each question family (members by year, the Nth member, a summit by year or city, framework
membership, office holders, ...) is one method over `countries`, `summits`, `frameworks` and
`offices`. A row a curator adds is answered by every family with no new phrasing. Every answer
cites the sources of the rows it used, and says "as of <horizon>" where the answer could change.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from bot.core.asking import REGIONS
from bot.core.facts_base import _SENTENCE, Place, _first_sentence
from bot.core.i18n import format_date, join_names, ordinal, t
from bot.core.occasions import Occasions
from bot.core.reply import Reply
from bot.core.schema import Country, Status
from bot.core.wording import fw_names


class Facts(Occasions):
    """The structured question families; built once per knowledge version."""

    # -- members ------------------------------------------------------------------------
    def joined_in(self, low: int, high: int, lang: str) -> Reply:
        rows = [c for c in self.members if c.joined and low <= c.accession.year <= high]
        period = self._period((low, high), lang)
        ref = f"q:joined:{low}:{high}"
        if not rows:
            before = [c for c in self.members if c.joined and c.accession.year < low][-1:]
            after = [c for c in self.members if c.joined and c.accession.year > high][:1]
            near = []
            for c in before + after:
                place = self.places[c.code]
                near.append(f"{format_date(c.accession.isoformat(), lang)} ({self._names(place.group, lang)})")
            body = t("joined_in.none", lang, period=period, near="; ".join(dict.fromkeys(near)))
            return self._reply(
                t("title.joined_in", lang, period=period), body, lang, "joined_in", ref, self._rows(before + after)
            )
        lines = self._by_day(rows, lang)
        word = t("word.country" if len(rows) == 1 else "word.countries", lang)
        body = t("joined_in.body", lang, n=len(rows), countries=word, period=period) + "\n" + "\n".join(lines)
        return self._reply(t("title.joined_in", lang, period=period), body, lang, "joined_in", ref, self._rows(rows))

    def joined_in_years(self, years: list[int], lang: str) -> Reply:
        """ "Which countries joined in 1952 and 2004?": those years, not everything between them."""
        rows = [c for c in self.members if c.joined and c.accession.year in years]
        lines = self._by_day(rows, lang)
        said = join_names([str(y) for y in years], lang) if lang == "en" else ", ".join(f"{y}년" for y in years)
        head = t("joined_years", lang, n=len(rows), years=said)
        ref = f"q:joinedyears:{'-'.join(str(y) for y in years)}"
        return self._reply(head, head + "\n" + "\n".join(lines), lang, "joined_in", ref, self._rows(rows))

    def joined_many(self, codes: list[str], lang: str) -> Reply:
        """When several members joined, side by side ("did Greece and Türkiye join together?")."""
        rows = sorted((self.kb.countries[c] for c in codes), key=lambda c: (c.joined, c.code))
        lines = [
            f"• {self.name(c.code, lang)}: {format_date(c.accession.isoformat(), lang)} "
            f"({self.place_text(c.code, lang)})"
            for c in rows
        ]
        same = len({c.joined for c in rows}) == 1
        names = [self.name(c.code, lang) for c in rows]
        head = t("joined_many.same", lang) if same else t("joined_many.differ", lang, first=names[0])
        return self._reply(
            join_names(names, lang),
            head + "\n" + "\n".join(lines),
            lang,
            "joined_many",
            f"q:joinedmany:{'-'.join(c.code for c in rows)}",
            self._rows(rows),
            None,
            "member",
        )

    def statuses(self, codes: list[str], lang: str) -> Reply:
        """Several countries at once: each one's verdict sentence from its own card."""
        lines: list[str] = []
        ids: list[str] = []
        for code in codes:
            entry = self.kb.countries.get(code)
            if entry is not None:
                text, sources = getattr(entry.summary, lang), entry.sources
            else:
                template = self.kb.templates["non-member"]
                text = getattr(template.text, lang).format(
                    name=self.name(code, lang), name_topic=self.name(code, lang), name_and=self.name(code, lang)
                )
                sources = template.sources
            verdict = _first_sentence(text)
            if entry is not None and entry.status is Status.partner:  # and what it is instead: a partner
                verdict += " " + _first_sentence(text[len(verdict) :])
            lines.append(f"• {verdict}")
            ids.extend(sources)
        names = [self.name(c, lang) for c in codes]
        return self._reply(
            join_names(names, lang), "\n".join(lines), lang, "statuses", f"q:statuses:{'-'.join(codes)}", ids
        )

    def rounds(self) -> list[Place]:
        """The accession days after the founding, in order: NATO's enlargement rounds."""
        return sorted({p.first: p for p in self.places.values() if p.first > 1}.values(), key=lambda p: p.first)

    def round_of(self, lang: str, code: str | None = None, year: int | None = None) -> Reply | None:
        """ "Which round brought in Poland?", "what number enlargement was 2004?" """
        groups = self.rounds()
        for n, place in enumerate(groups, 1):
            if (code is not None and any(c.code == code for c in place.group)) or (
                year is not None and place.group[0].accession.year == year
            ):
                return self.round(n, lang)
        return None

    def round(self, n: int, lang: str) -> Reply:
        """The Nth enlargement round: accession days after the founding, in order."""
        groups = self.rounds()
        title = t("title.round", lang, nth=ordinal(n, lang))
        if not 1 <= n <= len(groups):
            body = t("round.none", lang, n=len(groups), nth=ordinal(n, lang), asof=self.asof(lang))
            return self._reply(title, body, lang, "round", f"q:round:{n}", self._rows(self.members[-1:]))
        place = groups[n - 1]
        body = t(
            "round.body",
            lang,
            nth=ordinal(n, lang),
            total=len(groups),
            date=format_date(place.group[0].accession.isoformat(), lang),
            names=self._names(place.group, lang),
        )
        return self._reply(title, body, lang, "round", f"q:round:{n}", self._rows(list(place.group)))

    def founders(self, lang: str) -> Reply:
        return self._founding("founders", "title.founders", "founders.body", lang)

    def founded(self, lang: str) -> Reply:
        return self._founding("founded", "title.founded", "founded.body", lang)

    def _founding(self, kind: str, title: str, text: str, lang: str) -> Reply:
        """The founding members ("founders") or the founding itself ("founded"): one text each, same rows."""
        group = self.places[self.members[0].code].group
        date = format_date(group[0].accession.isoformat(), lang)
        body = t(text, lang, n=len(group), date=date, names=self._names(group, lang))
        return self._reply(t(title, lang), body, lang, kind, f"q:{kind}", self._rows(list(group)))

    def _by_day(self, rows: list[Country], lang: str) -> list[str]:
        """ "• 29 March 2004: Bulgaria, Estonia, …": members grouped by the day they joined."""
        return [
            f"• {format_date(d.isoformat(), lang)}: {self._names(list(g), lang)}"
            for d, g in groupby(rows, key=lambda c: c.joined)
        ]

    def nth(self, n: int, lang: str) -> Reply:
        title = t("title.nth", lang, nth=ordinal(n, lang))
        if n < 1 or n > len(self.members):
            body = t("nth.none", lang, n=len(self.members), nth=ordinal(n, lang), asof=self.asof(lang))
            return self._reply(title, body, lang, "nth", f"q:nth:{n}", self._rows(self.members[-1:]))
        place = self.places[self.members[n - 1].code]
        when = format_date(place.group[0].accession.isoformat(), lang)
        names = self._names(place.group, lang)
        if place.first == place.last:
            code = place.group[0].code
            body = t("nth.one", lang, name=self.name(code, lang), nth=ordinal(n, lang), date=when)
            country = code
        elif place.first == 1:
            body = t("nth.founders", lang, n=len(place.group), date=when, names=names)
            country = None
        else:
            body = t(
                "nth.group",
                lang,
                first=ordinal(place.first, lang),
                last=ordinal(place.last, lang),
                date=when,
                names=names,
                nth=ordinal(n, lang),
            )
            country = None
        return self._reply(title, body, lang, "nth", f"q:nth:{n}", self._rows(list(place.group)), country, "member")

    def ordinal_of(self, code: str, lang: str) -> Reply | None:
        place = self.places.get(code)
        if place is None:
            return None
        name = self.name(code, lang)
        when = format_date(place.group[0].accession.isoformat(), lang)
        if place.first == place.last:
            body = t("ordinal_of.one", lang, name=name, nth=ordinal(place.first, lang), date=when)
        elif place.first == 1:
            body = t("ordinal_of.founder", lang, name=name, n=len(place.group), date=when)
        else:
            others = self._names([c for c in place.group if c.code != code], lang)
            body = t(
                "ordinal_of.group",
                lang,
                name=name,
                date=when,
                others=others,
                first=ordinal(place.first, lang),
                last=ordinal(place.last, lang),
            )
        return self._reply(
            t("title.ordinal_of", lang, name=name),
            body,
            lang,
            "ordinal",
            f"q:ordinal:{code}",
            list(self.kb.countries[code].sources),
            code,
            "member",
        )

    def newest(self, lang: str) -> Reply:
        last = self.members[-1]
        place = self.places[last.code]
        if len(place.group) > 1:
            return self.joined_in(last.accession.year, last.accession.year, lang)
        body = t(
            "newest.body",
            lang,
            name=self.name(last.code, lang),
            date=format_date(last.accession.isoformat(), lang),
            nth=ordinal(place.first, lang),
            asof=self.asof(lang),
        )
        earlier = self.places[self.members[place.first - 2].code] if place.first > 1 else None
        if earlier is not None:  # "the newest members" often means the latest rounds
            body += " " + t(
                "newest.before",
                lang,
                names=self._names(earlier.group, lang),
                date=format_date(earlier.group[0].accession.isoformat(), lang),
            )
        rows = [last, *(earlier.group if earlier else ())]
        return self._reply(
            t("title.newest", lang), body, lang, "newest", "q:newest", self._rows(rows), last.code, "member"
        )

    def relative(self, code: str, after: bool, lang: str, adjacent: bool = False) -> Reply | None:
        """Members who joined before or after `code`; with `adjacent`, only the round right before or after."""
        entry = self.kb.countries.get(code)
        if entry is None or entry.joined is None:
            return None
        name, when = self.name(code, lang), format_date(entry.accession.isoformat(), lang)
        rows = [c for c in self.members if (c.accession > entry.joined if after else c.accession < entry.joined)]
        if adjacent and rows:
            edge = rows[0].joined if after else rows[-1].joined
            rows = [c for c in rows if c.joined == edge]
        title = t("title.after" if after else "title.before", lang, name=name)
        ref = f"q:{'after' if after else 'before'}:{code}" + (":1" if adjacent else "")
        if not rows:
            body = (
                t("after.none", lang, name=name, date=when, asof=self.asof(lang))
                if after
                else t(
                    "nth.founders",
                    lang,
                    n=len(self.places[code].group),
                    date=when,
                    names=self._names(self.places[code].group, lang),
                )
            )
            return self._reply(title, body, lang, "relative", ref, list(entry.sources), code, "member")
        if adjacent:
            body = t(
                "adjacent.after" if after else "adjacent.before",
                lang,
                name=name,
                date=when,
                names=self._names(rows, lang),
                then=format_date(rows[0].accession.isoformat(), lang),
            )
            return self._reply(title, body, lang, "relative", ref, [*entry.sources, *self._rows(rows)], code, "member")
        lines = self._by_day(rows, lang)
        word = t("word.country" if len(rows) == 1 else "word.countries", lang)
        head = t("after.body" if after else "before.body", lang, n=len(rows), name=name, date=when, countries=word)
        return self._reply(
            title,
            head + "\n" + "\n".join(lines),
            lang,
            "relative",
            ref,
            [*entry.sources, *self._rows(rows)],
            code,
            "member",
        )

    def count(self, lang: str, as_of: int | None = None) -> Reply:
        """How many members, now (as of the horizon) or at the end of a past year."""
        if as_of is not None and as_of < self.members[0].accession.year:
            as_of = None if self.horizon is None else self.members[0].accession.year
        if as_of is not None and as_of == self.members[0].accession.year:
            return self.founders(lang)  # "how many countries did NATO start with in 1949?"
        if as_of is not None and (self.horizon is None or as_of < self.horizon.year):
            rows = [c for c in self.members if c.accession.year <= as_of]
            group = self.places[rows[-1].code].group
            body = t(
                "count.then",
                lang,
                n=len(rows),
                year=as_of,
                name=self._names(group, lang),
                date=format_date(group[0].accession.isoformat(), lang),
            )
            ref = f"q:count:{as_of}"
        else:
            rows = self.members
            last = rows[-1]
            body = t(
                "count.body",
                lang,
                n=len(rows),
                asof=self.asof(lang),
                name=self.name(last.code, lang),
                date=format_date(last.accession.isoformat(), lang),
            )
            ref = "q:count"
        lines = self._by_day(rows, lang)
        return self._reply(
            t("title.count", lang), body + "\n\n" + "\n".join(lines), lang, "members", ref, self._rows(rows)
        )

    def newest_n(self, n: int, lang: str) -> Reply:
        """The last N members to join, in order ("the three newest members")."""
        rows = self.members[-n:] if n < len(self.members) else self.members
        lines = [f"• {format_date(c.accession.isoformat(), lang)}: {self.name(c.code, lang)}" for c in rows]
        body = t("newest.n", lang, n=len(rows)) + "\n" + "\n".join(lines)
        return self._reply(t("title.newest", lang), body, lang, "newest", f"q:newestn:{n}", self._rows(rows))

    def joined_since_founding(self, lang: str) -> Reply:
        """ "Not counting the original 12, how many joined?" — every member after the founders."""
        founders = self.places[self.members[0].code].group
        rows = self.members[len(founders) :]
        lines = self._by_day(rows, lang)
        head = t("founders.since", lang, founders=len(founders), n=len(rows), asof=self.asof(lang))
        return self._reply(
            t("title.count", lang), head + "\n" + "\n".join(lines), lang, "members", "q:sincefounding", self._rows(rows)
        )

    def same_day(self, code: str, lang: str) -> Reply:
        """ "Who joined together with Poland?": the members who joined on the same day."""
        place = self.places[code]
        when = format_date(place.group[0].accession.isoformat(), lang)
        others = [c for c in place.group if c.code != code]
        if not others:
            body = t("same_day.alone", lang, name=self.name(code, lang), date=when)
        else:
            names = self._names(others, lang)
            body = t("same_day.group", lang, name=self.name(code, lang), date=when, others=names, n=len(place.group))
        title = t("title.ordinal_of", lang, name=self.name(code, lang))
        return self._reply(title, body, lang, "members", f"q:sameday:{code}", self._rows(list(place.group)), code)

    def count_at(self, code: str, lang: str) -> Reply:
        """ "Montenegro joined in 2017: how many allies did that make?" — the total once it was in."""
        place = self.places[code]
        rows = self.members[: place.last]
        body = t(
            "count.at",
            lang,
            n=place.last,
            name=self._names(place.group, lang),
            date=format_date(place.group[0].accession.isoformat(), lang),
        )
        return self._reply(t("title.count", lang), body, lang, "members", f"q:countat:{code}", self._rows(rows), code)

    def region(self, region: str, lang: str, fw_id: str | None = None) -> Reply:
        """A group of countries ("the Baltic states"): which are members and when they joined, or which
        take part in a framework."""
        en, ko, codes = REGIONS[region]
        where = ko if lang == "ko" else en
        rows = [self.kb.countries[c] for c in sorted(codes) if c in self.kb.countries]
        if fw_id is not None:
            fw = self.kb.frameworks[fw_id]
            inside = [c for c in rows if fw_id in c.frameworks]
            name = getattr(fw.name, lang)
            if inside:
                body = t("region.fw", lang, where=where, fw=name, names=self._names(inside, lang))
            else:
                body = t("region.fw_none", lang, where=where, fw=name)
            ids = [*fw.sources, *(s for c in inside for s in c.sources)]
            return self._reply(where, body, lang, "members", f"q:region:{region}:{fw_id}", ids)
        members = sorted((c for c in rows if c.code in self.places), key=lambda c: (c.joined, c.code))
        others = [c for c in rows if c.code not in self.places]
        if members:
            lines = [f"• {self.name(c.code, lang)}: {format_date(c.accession.isoformat(), lang)}" for c in members]
            body = t("region.members", lang, where=where, n=len(members)) + "\n" + "\n".join(lines)
        else:
            body = t("region.none", lang, where=where)
        if others:
            body += "\n\n" + t("region.others", lang, names=self._names(others, lang))
        return self._reply(where, body, lang, "members", f"q:region:{region}", self._rows(rows))

    def continent(self, continent: str, lang: str, outside: bool = False) -> Reply | None:
        """Members in a continent, or (`outside`) those not in it."""
        if any(c.continent is None for c in self.members):
            return None  # the data can't say which members are where
        if outside:
            rows = [c for c in self.members if c.continent is not None and c.continent.value != continent]
            names = sorted({c.continent.value for c in rows if c.continent is not None})
            continent = names[0] if len(names) == 1 else continent
            if len(names) != 1:
                return None
        where = t(f"continent.{continent}", lang)
        rows = [c for c in self.members if c.continent is not None and c.continent.value == continent]
        total = len(self.members)
        if rows:
            body = t("continent.body", lang, n=len(rows), total=total, where=where, names=self._names(rows, lang))
        else:
            body = t("continent.none", lang, where=where, total=total)
            partners = [
                c
                for c in self.kb.countries.values()
                if c.status is Status.partner and c.continent is not None and c.continent.value == continent
            ]
            if partners:
                body += " " + t("continent.partners", lang, names=self._names(partners, lang))
                rows = partners
        return self._reply(
            t("title.continent", lang, where=where),
            body,
            lang,
            "continent",
            f"q:continent:{continent}",
            self._rows(rows),
        )

    # -- frameworks -----------------------------------------------------------------------
    def in_framework(self, code: str, fw_id: str, lang: str) -> Reply:
        fw = self.kb.frameworks[fw_id]
        entry = self.kb.countries.get(code)
        name, fw_name = self.name(code, lang), getattr(fw.name, lang)
        if entry is not None and fw_id in entry.frameworks and entry.status is Status.non_member:
            # "Is Russia still in PfP?": listed, but cooperation suspended; its own card says so
            summary = getattr(entry.summary, lang)
            first = _first_sentence(summary)
            body = f"{first} {_first_sentence(summary[len(first) :])}".strip()
        elif entry is not None and fw_id in entry.frameworks:
            body = t("fw.yes", lang, name=name, fw=fw_name)
            said = _sentence_naming(getattr(entry.summary, lang), fw_names(fw))
            if said and any(w in said.casefold() for w in ("suspend", "중단")):  # "Belarus: suspended since 2021"
                body = said  # listed, but not "Yes, it takes part"
        elif entry is not None and entry.status is Status.member:
            body = t("fw.member_no", lang, name=name, fw=fw_name)
        else:
            body = t("fw.no", lang, name=name, fw=fw_name)
            rows = [c for c in self.kb.countries.values() if fw_id in c.frameworks]
            if len(rows) <= 8:  # "is Mongolia one of the IP4?": no, and who is
                body += " " + t("fw.its_members", lang, names=self._names(rows, lang))
            if entry is not None and entry.frameworks:
                body += " " + t(
                    "fw.other", lang, fws="; ".join(getattr(self.kb.frameworks[f].name, lang) for f in entry.frameworks)
                )
        ids = [*fw.sources, *(entry.sources if entry else ())]
        status = entry.status.value if entry else Status.non_member.value
        return self._reply(f"{name} — {fw_name}", body, lang, "framework", f"q:fw:{fw_id}:{code}", ids, code, status)

    def in_frameworks(self, code: str, fw_ids: list[str], lang: str) -> Reply:
        """One country against several frameworks, a line each."""
        replies = [self.in_framework(code, fw_id, lang) for fw_id in fw_ids]
        body = "\n".join(r.body for r in replies)
        sources = tuple(dict.fromkeys(x for r in replies for x in r.sources))
        return replace(replies[0], body=body, sources=sources, ref=f"q:fws:{code}:{'-'.join(fw_ids)}")

    def framework_list(self, fw_id: str, lang: str, continent: str | None = None) -> Reply:
        fw = self.kb.frameworks[fw_id]
        rows = [c for c in self.kb.countries.values() if fw_id in c.frameworks]
        if continent is not None:  # "which PfP countries are in Europe?"
            rows = [c for c in rows if c.continent is not None and c.continent.value == continent]
            where = t(f"continent.{continent}", lang)
            body = t("region.fw", lang, where=where, fw=getattr(fw.name, lang), names=self._names(rows, lang))
            if not rows:
                body = t("region.fw_none", lang, where=where, fw=getattr(fw.name, lang))
            ids = [*fw.sources, *(s for c in rows for s in c.sources)]
            return self._reply(getattr(fw.name, lang), body, lang, "framework", f"q:fwlist:{fw_id}:{continent}", ids)
        word = t("word.country" if len(rows) == 1 else "word.countries", lang)
        body = t("fw.list", lang, fw=getattr(fw.name, lang), n=len(rows), countries=word, names=self._names(rows, lang))
        body += "\n\n" + getattr(fw.summary, lang)
        return self._reply(getattr(fw.name, lang), body, lang, "framework", f"q:fwlist:{fw_id}", list(fw.sources))

    def framework_started(self, fw_id: str, year: int, lang: str) -> Reply | None:
        """ "PfP was launched in 1999, wasn't it?": the year it began, then what it is. None when the
        year is right (the curated entries say more) or the knowledge has no start date."""
        fw = self.kb.frameworks[fw_id]
        if fw.started is None or str(year) == fw.started[:4]:
            return None
        name = getattr(fw.name, lang)
        date = t("date.on" if len(fw.started) == 10 else "date.in", lang, date=format_date(fw.started, lang))
        body = t("premise.fw_year", lang, fw=name, date=date, year=year) + "\n\n" + getattr(fw.summary, lang)
        return self._reply(name, body, lang, "framework", f"q:fwstart:{fw_id}:{year}", list(fw.sources))

    # -- buttons --------------------------------------------------------------------------
    def from_ref(self, ref: str, lang: str) -> Reply | None:
        """Rebuild a reply from its `q:` ref (buttons, language switch)."""
        parts = ref.split(":")[1:]
        if not parts:
            return None
        kind, args = parts[0], parts[1:]
        try:
            if kind == "joined" and len(args) == 2:
                return self.joined_in(int(args[0]), int(args[1]), lang)
            if kind == "founders":
                return self.founders(lang)
            if kind == "joinedmany" and args:
                return self.joined_many([c for c in args[0].split("-") if c in self.places], lang)
            if kind == "statuses" and args:
                return self.statuses([c for c in args[0].split("-") if c in self.countries.codes()], lang)
            if kind == "round" and args:
                return self.round(int(args[0]), lang)
            if kind == "events" and len(args) == 2:
                return self.events(args[0], int(args[1]), lang)
            if kind == "founded":
                return self.founded(lang)
            if kind == "nth" and args:
                return self.nth(int(args[0]), lang)
            if kind == "ordinal" and args:
                return self.ordinal_of(args[0], lang)
            if kind == "newest":
                return self.newest(lang)
            if kind in ("before", "after") and args:
                return self.relative(args[0], kind == "after", lang, adjacent=len(args) > 1)
            if kind == "region" and args and args[0] in REGIONS:
                fw = args[1] if len(args) > 1 and args[1] in self.kb.frameworks else None
                return self.region(args[0], lang, fw)
            if kind == "newestn" and args:
                return self.newest_n(int(args[0]), lang)
            if kind == "sincefounding":
                return self.joined_since_founding(lang)
            if kind == "officeon" and len(args) >= 2 and args[0] in self.kb.offices:
                return self.office_at(self.kb.offices[args[0]], ":".join(args[1:]), lang)
            if kind == "joinedyears" and args:
                return self.joined_in_years([int(y) for y in args[0].split("-")], lang)
            if kind == "sameday" and args and args[0] in self.places:
                return self.same_day(args[0], lang)
            if kind == "countat" and args and args[0] in self.places:
                return self.count_at(args[0], lang)
            if kind == "count":
                return self.count(lang, int(args[0]) if args else None)
            if kind == "continent" and args:
                return self.continent(args[0], lang)
            if kind == "summit" and args:
                summit = next((s for s in self.kb.summits if s.id == args[0]), None)
                return self.summit(summit, lang, args[1] if len(args) > 1 else None) if summit else None
            if kind == "summits" and args:
                return self.summits(lang, None if args[0] == "all" else args[0])
            if kind == "fw" and len(args) == 2 and args[0] in self.kb.frameworks:
                return self.in_framework(args[1], args[0], lang)
            if kind == "fws" and len(args) == 2:
                return self.in_frameworks(args[0], [f for f in args[1].split("-") if f in self.kb.frameworks], lang)
            if kind == "fwstart" and args and args[0] in self.kb.frameworks:
                return self.framework_started(args[0], int(args[1]), lang) if len(args) > 1 else None
            if kind == "fwlist" and args and args[0] in self.kb.frameworks:
                return self.framework_list(args[0], lang, args[1] if len(args) > 1 else None)
            if kind == "office" and args and args[0] in self.kb.offices:
                return self.office(self.kb.offices[args[0]], lang, int(args[1]) if len(args) > 1 else None)
            if kind == "holder" and len(args) >= 2 and args[0] in self.kb.offices:
                return self.holder(
                    self.kb.offices[args[0]], int(args[1]), lang, int(args[2]) if len(args) > 2 else None
                )
            if kind == "nextoffice" and args and args[0] in self.kb.offices:
                return self.next_office(self.kb.offices[args[0]], lang)
        except (KeyError, ValueError, IndexError):
            return None
        return None


def _sentence_naming(text: str, names: tuple[str, ...]) -> str | None:
    """The first sentence of `text` that names one of `names` (a framework's names)."""
    for sentence in _SENTENCE.split(text.strip()):
        if any(n.casefold() in sentence.casefold() for n in names):
            return sentence
    return None
