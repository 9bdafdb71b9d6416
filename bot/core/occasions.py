"""Computed answers about occasions and offices: summits (where, when, who represented whom),
a country's year with NATO from the timeline, and who held an office when."""

from __future__ import annotations

from dataclasses import replace

from bot.core.facts_base import FactsBase, _date_range
from bot.core.i18n import format_date, t
from bot.core.reply import Reply
from bot.core.schema import Holder, Office, Summit


class Occasions(FactsBase):
    # -- summits --------------------------------------------------------------------------
    def summit_by_year(self, year: int) -> Summit | None:
        return next((s for s in self.kb.summits if s.start.year == year), None)

    def summit(self, summit: Summit, lang: str, code: str | None = None, who: bool = False) -> Reply:
        """Where and when; who represented `code`; or, with `who`, the partner leaders there."""
        year = summit.start.year
        dates = _date_range(summit.start, summit.end, lang)
        city, host = getattr(summit.city, lang), self.name(summit.host, lang)
        future = self.horizon is not None and summit.start > self.horizon
        key = "summit.future" if future else "summit.where"
        lines = [t(key, lang, year=year, city=city, country=host, dates=dates)]
        ref = f"q:summit:{summit.id}" + (f":{code}" if code else "")
        if future and self.horizon is not None:  # `future` says there is a horizon
            what = getattr(summit.name, lang)
            lines.append(t("horizon.later", lang, what=what, date=format_date(self.horizon.isoformat(), lang)))
        elif code is not None:
            attendee = next((a for a in summit.attendees if a.country == code), None)
            name = self.name(code, lang)
            lines.append(
                t("summit.attendee", lang, name=name, who=getattr(attendee.who, lang))
                if attendee
                else t("summit.no_attendee", lang, name=name)
            )
        elif who and summit.attendees:
            names = "; ".join(f"{self.name(a.country, lang)}: {getattr(a.who, lang)}" for a in summit.attendees)
            lines.append(t("summit.attendees", lang, names=names))
        if summit.note is not None:  # for an announced summit: what was announced, sourced
            lines.append(getattr(summit.note, lang))
        return self._reply(
            getattr(summit.name, lang), "\n\n".join(lines), lang, "summit", ref, list(summit.sources), code
        )

    def summits(self, lang: str, code: str | None = None) -> Reply:
        rows = [s for s in self.kb.summits if code is None or any(a.country == code for a in s.attendees)]
        lines = []
        for s in rows:
            line = f"• {getattr(s.name, lang)} — {_date_range(s.start, s.end, lang)}"
            attendee = next((a for a in s.attendees if a.country == code), None) if code else None
            if attendee is not None:
                line += f": {getattr(attendee.who, lang)}"
            lines.append(line)
        head = t("summits.of_country", lang, name=self.name(code, lang)) if code else t("summits.body", lang)
        body = head + "\n" + "\n".join(lines)
        if self.horizon is not None:
            body += "\n\n" + t("horizon.note", lang, date=format_date(self.horizon.isoformat(), lang))
        return self._reply(
            t("title.summits", lang),
            body,
            lang,
            "summits",
            f"q:summits:{code or 'all'}",
            [sid for s in rows for sid in s.sources],
            code,
        )

    def unknown_summit(self, year: int, lang: str) -> str:
        known = ", ".join(f"{getattr(s.city, lang)} {s.start.year}" for s in self.kb.summits)
        return t("summit.unknown_year", lang, year=year, known=known)

    def events(self, code: str, year: int, lang: str) -> Reply:
        """What a country did with NATO in one year, from the timeline; says where the sources end."""
        rows = [e for e in self.kb.timeline if code in e.countries and e.date[:4] == str(year)]
        name = self.name(code, lang)
        lines = [f"• {format_date(e.date, lang)} — {getattr(e.text, lang)}" for e in rows]
        body = t("events.body" if rows else "events.none", lang, name=name, year=year)
        if lines:
            body += "\n" + "\n".join(lines)
        if self.horizon is not None and year >= self.horizon.year:
            body += "\n\n" + t("horizon.note", lang, date=format_date(self.horizon.isoformat(), lang))
        reply = self._reply(
            t("title.events", lang, name=name, year=year),
            body,
            lang,
            "events",
            f"q:events:{code}:{year}",
            [s for e in rows for s in e.sources],
            code,
        )
        if not rows and (self.horizon is None or year < self.horizon.year):
            return replace(reply, matched=False, intent="unknown", sources=())
        return reply

    # -- offices --------------------------------------------------------------------------
    def office(self, office: Office, lang: str, year: int | None = None) -> Reply:
        name = getattr(office.name, lang)
        holder = office.holders[-1]
        if year is not None:
            then = [h for h in office.holders if h.held_in(year)]
            if then:
                holder = then[-1]
                body = t(
                    "office.then",
                    lang,
                    year=year,
                    office=name,
                    who=getattr(holder.who, lang),
                    term=_term(holder, lang),
                )
            else:
                lines = [f"• {getattr(h.who, lang)}: {_term(h, lang)}" for h in office.holders]
                body = (
                    t("office.unknown", lang, office=name, year=year)
                    + "\n"
                    + t("office.history", lang)
                    + "\n"
                    + "\n".join(lines)
                )
                return self._reply(
                    name,
                    body,
                    lang,
                    "office",
                    f"q:office:{office.id}:{year}",
                    [s for h in office.holders for s in h.sources],
                )
        elif holder.start is None:
            body = t("office.seen", lang, who=getattr(holder.who, lang), office=name, seen=_seen(holder, lang))
        else:
            body = t(
                "office.now",
                lang,
                who=getattr(holder.who, lang),
                office=name,
                start=format_date(holder.start, lang),
                asof=self.asof(lang),
            )
        if holder.note is not None:
            body += "\n\n" + getattr(holder.note, lang)
        return self._reply(
            name, body, lang, "office", f"q:office:{office.id}" + (f":{year}" if year else ""), list(holder.sources)
        )

    def holder(self, office: Office, index: int, lang: str, year: int | None = None) -> Reply:
        """One holder's term ("Stoltenberg's term"); with a year, also who held the office then."""
        holder = office.holders[index]
        name, who = getattr(office.name, lang), getattr(holder.who, lang)
        start = format_date(holder.since, lang)
        if holder.start is None:
            body = t("office.seen", lang, who=who, office=name, seen=_seen(holder, lang))
        elif holder.end:
            body = t("holder.past", lang, who=who, office=name, start=start, end=format_date(holder.end, lang))
        else:
            body = t("holder.now", lang, who=who, office=name, start=start, asof=self.asof(lang))
        if holder.note is not None:
            body += "\n\n" + getattr(holder.note, lang)
        ids = list(holder.sources)
        if year is not None and not holder.held_in(year):
            then = self.office(office, lang, year)
            body = f"{t('premise.holder', lang, who=who, year=year)}\n\n{body}\n\n{then.body}"
            ids += [s for h in office.holders for s in h.sources]
        return self._reply(
            name, body, lang, "office", f"q:holder:{office.id}:{index}" + (f":{year}" if year else ""), ids
        )

    def office_on(self, office: Office, day: str, what: str, lang: str) -> Reply:
        """Who held an office on the day of an event ("who was SG when Finland joined?")."""
        name = getattr(office.name, lang)
        then = [h for h in office.holders if h.start is not None and h.start <= day <= (h.end or "9999")]
        date = format_date(day, lang)
        ref = f"q:officeon:{office.id}:{what}"
        if not then:
            lines = [f"• {getattr(h.who, lang)}: {_term(h, lang)}" for h in office.holders]
            body = t("office.on_unknown", lang, office=name, date=date) + "\n" + "\n".join(lines)
            return self._reply(name, body, lang, "office", ref, [s for h in office.holders for s in h.sources])
        holder = then[-1]
        values = {"office": name, "who": getattr(holder.who, lang), "term": _term(holder, lang), "date": date}
        if what.startswith("s:"):
            summit = next(s for s in self.kb.summits if s.id == what[2:])
            body = t("office.on_summit", lang, summit=getattr(summit.name, lang), **values)
            ids = [*holder.sources, *summit.sources]
        else:
            body = t("office.on_join", lang, name=self.name(what, lang), **values)
            ids = [*holder.sources, *self.kb.countries[what].sources]
        return self._reply(name, body, lang, "office", ref, ids)

    def office_at(self, office: Office, what: str, lang: str) -> Reply | None:
        """Rebuild `office_on` from its ref."""
        if what.startswith("s:"):
            summit = next((s for s in self.kb.summits if s.id == what[2:]), None)
            return self.office_on(office, summit.start.isoformat(), what, lang) if summit else None
        entry = self.kb.countries.get(what)
        if entry is None or entry.joined is None:
            return None
        return self.office_on(office, entry.joined.isoformat(), what, lang)

    def office_unknown(self, office: Office, lang: str) -> Reply:
        """A holder the knowledge does not list: say which ones it does, and decline."""
        lines = [f"• {getattr(h.who, lang)}: {_term(h, lang)}" for h in office.holders]
        body = t("office.not_listed", lang, office=getattr(office.name, lang)) + "\n" + "\n".join(lines)
        return Reply(title=t("title.unknown", lang), body=body, lang=lang, intent="unknown", matched=False)

    def next_office(self, office: Office, lang: str) -> Reply:
        holder = office.holders[-1]
        body = t(
            "horizon.next_office",
            lang,
            who=getattr(holder.who, lang),
            office=getattr(office.name, lang),
            date=format_date(self.horizon.isoformat() if self.horizon else "", lang),
        )
        return self._reply(
            getattr(office.name, lang), body, lang, "horizon", f"q:nextoffice:{office.id}", list(holder.sources)
        )


def _seen(holder: Holder, lang: str) -> str:
    return format_date(holder.seen or "", lang)


def _term(holder: Holder, lang: str) -> str:
    """ "2014 – 30 September 2024", or "in office as of February 2026" when the start is not known."""
    if holder.start is None:
        return t("office.term_seen", lang, seen=_seen(holder, lang))
    return f"{format_date(holder.start, lang)} – {format_date(holder.end, lang) if holder.end else ''}"
