"""Where the knowledge ends: questions about later dates get what was known by the horizon and a
plain "my sources run to <date>; I don't know what happened after that" — never the nearest older card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.core import answers
from bot.core.frame import Frame
from bot.core.i18n import format_date, t
from bot.core.knowledge import Knowledge
from bot.core.reply import Reply
from bot.core.schema import Event
from bot.core.structured import Facts
from bot.core.wording import off_topic, prefix


class HorizonRules:
    """Mixed into the guard: reads `kb`, `facts`, `build` and `horizon`."""

    kb: Knowledge
    facts: Facts
    build: answers.Builder
    horizon: date | None

    def later(self, frame: Frame, lang: str) -> str | None:
        """What a question asks about after the sources end ("2027", "late 2026", "the Ankara summit"),
        in words for the answer; None when it is within the knowledge's reach."""
        if self.horizon is None:
            return None
        h = self.horizon
        if any(s.start <= h for s in self.kb.summits if s.id in frame.summits) or (
            frame.span and frame.span[0] <= h.year
        ):
            return None  # "did The Hague agree a target for 2030?", "2024~2028": a past event's own dates
        for year in frame.years:
            month = frame.month if len(frame.years) == 1 else None
            if year > h.year or (year == h.year and month is not None and month > h.month):
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
        return replace(
            frame,
            years=tuple(y for y in frame.years if y < self.horizon.year),
            month=None,
            summits=summits,
            topics=frame.topics - dropped,
        )

    def note_later(self, frame: Frame, reply: Reply, what: str, lang: str) -> Reply:
        """Say first that the question is about after the horizon, then what was known by then."""
        assert self.horizon is not None
        until = format_date(self.horizon.isoformat(), lang)
        year = next((y for y in frame.years if y > self.horizon.year), None)
        if off_topic(frame.residual) and (not reply.matched or reply.intent in ("unknown", "empty")):
            return reply  # "the weather in 2027", "Albania's GDP now that it hosts 2027": not ours either way
        if (
            year is not None
            and frame.has("summit")
            and any(str(year) in e.text.en and "summit" in e.tags for e in self.kb.timeline)
        ):
            # a summit already planned for that year: what the sources said about it
            return self._later(what, year, frame.codes[0] if frame.codes else None, lang, tags=("summit",))
        if reply.intent == "horizon" or t("horizon.note", lang, date=until) in reply.body:
            return reply
        if not reply.matched or reply.intent in ("unknown", "empty"):
            if frame.asks_any("how_much") or ("how_many" in frame.asks and not frame.has("member", "join")):
                return reply  # "Korea's 2027 defence budget": an amount the sources never give, later or not
            if frame.has("join", "member") and not frame.codes:  # "did anyone join in late 2026?": who had by then
                head = t("horizon.later", lang, what=what, date=until) + "\n" + t("horizon.asof", lang, date=until)
                return prefix(self.facts.newest(lang), head)
            year = next((y for y in frame.years if y >= self.horizon.year), self.horizon.year)
            return self._later(what, year, frame.codes[0] if frame.codes else None, lang)
        head = t("horizon.later", lang, what=what, date=until) + "\n" + t("horizon.asof", lang, date=until)
        return prefix(reply, head)

    def _beyond_horizon(self, frame: Frame, lang: str) -> Reply | None:
        if self.horizon is None:
            return None
        summit = next((s for s in self.kb.summits if s.id in frame.summits), None)
        if summit is None and frame.has("summit") and frame.years:
            summit = self.facts.summit_by_year(frame.years[0])
        if (
            summit is not None
            and summit.start > self.horizon
            and not off_topic(frame.residual)
            and not frame.has("since", "after")
        ):
            # who went, what was decided, how it went: announced, outcome unknown
            code = next((c for c in (*frame.codes, *frame.people) if c != summit.host), None)
            return self.facts.summit(summit, lang, code)
        return None

    def _later(
        self,
        what: str,
        year: int,
        code: str | None,
        lang: str,
        tags: tuple[str, ...] = (),
        events: list[Event] | None = None,
    ) -> Reply:
        """After the horizon: say so, then what the sources said up to then about that year (plans,
        announcements) or about the country."""
        assert self.horizon is not None
        body = t("horizon.later", lang, what=what, date=format_date(self.horizon.isoformat(), lang))
        if events is None:
            events = [
                e
                for e in self.kb.timeline
                if str(year) in e.text.en
                and (code is None or code in e.countries)
                and (not tags or set(tags) & set(e.tags))
            ]
        lines = [f"• {format_date(e.date, lang)} — {getattr(e.text, lang)}" for e in events[-3:]]
        ids = [sid for e in events[-3:] for sid in e.sources]
        if code is not None and not lines:
            card = self.build.status(code, lang)
            lines = [card.body.split("\n")[0]]
            ids = list(self.kb.countries[code].sources) if code in self.kb.countries else []
        if lines:
            body += f"\n\n{t('horizon.known', lang)}\n" + "\n".join(lines)
        return Reply(
            title=t("title.unknown", lang),
            body=body,
            lang=lang,
            intent="horizon",
            matched=True,
            country=code,
            sources=self.build._sources(ids) if ids else (),
        )

    # -- structured families ----------------------------------------------------------------
