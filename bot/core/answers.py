"""Build each kind of Reply from the knowledge base (no parsing or matching here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from bot.core import commands
from bot.core.countries import CountryIndex, Match
from bot.core.i18n import EXAMPLES, and_particle, format_date, known_lang, other_lang, t, topic
from bot.core.knowledge import Knowledge
from bot.core.reply import Action, Field, Reply, SourceRef
from bot.core.schema import Country, Faq, Status

# Which tagged timeline events belong to NATO's own history rather than one partner's story.
GENERAL_TAGS = frozenset(
    {
        "enlargement",
        "founding",
        "secretary-general",
        "headquarters",
        "france",
        "summit",
        "aspirants",
        "pfp",
        "md",
        "ici",
    }
)
LOCAL_TAGS = frozenset(
    {
        "korea",
        "ip4",
        "dprk",
        "japan",
        "australia",
        "new-zealand",
        "partnership-document",
        "mission",
        "visit",
        "afghanistan",
    }
)
BODY_BUDGET = 2800  # characters of list-like bodies; leaves room for fields and sources under 4,096


def lang_of(lang: str) -> str:
    return known_lang(lang)


class Builder:
    def __init__(self, knowledge: Knowledge, countries: CountryIndex):
        self.kb = knowledge
        self.countries = countries
        self.computed: Callable[[str, str], Reply | None] | None = None  # rebuilds `q:` refs (structured.Facts)
        # Replies are immutable and depend only on their arguments and this knowledge: build each once.
        for name in ("status", "timeline", "members", "partners", "faq", "help"):
            setattr(self, name, lru_cache(maxsize=4096)(getattr(self, name)))

    # -- helpers ------------------------------------------------------------------------
    def _sources(self, ids: Iterable[str], by_frequency: bool = False) -> tuple[SourceRef, ...]:
        """Distinct sources in citation order, or most-cited first for answers built from many entries."""
        cited = list(ids)
        if by_frequency:
            counts = Counter(cited)
            cited = sorted(counts, key=lambda sid: (-counts[sid], cited.index(sid)))
        # Official sources first (NATO, governments), then press, reference and weak ones: a stable sort.
        rank = {"official": 0, "press": 1, "reference": 2, "weak": 3}
        cited = sorted(
            dict.fromkeys(cited), key=lambda sid: rank.get(getattr(self.kb.sources[sid].kind, "value", ""), 2)
        )
        seen: dict[str, SourceRef] = {}
        for sid in cited:
            src = self.kb.sources[sid]
            seen.setdefault(str(src.url), SourceRef(src.title, str(src.url), src.publisher))
        return tuple(seen.values())

    def _actions(self, ref: str, lang: str, country: str | None = None, timeline: bool = True) -> tuple[Action, ...]:
        out = []
        if country and timeline and any(country in e.countries for e in self.kb.timeline):
            out.append(Action("timeline", t("label.timeline", lang), f"timeline:{country}"))
        if country and not timeline:
            out.append(Action("status", t("label.status", lang), f"status:{country}"))
        out.append(Action("sources", t("label.sources", lang), f"sources:{ref}"))
        other = other_lang(lang)
        out.append(Action("lang", t("label.other_lang", lang), f"lang:{other}:{ref}"))
        return tuple(out)

    def name(self, code: str, lang: str) -> str:
        return self.countries.name(code, lang)

    # -- country answers ------------------------------------------------------------------
    def country(self, kind: str, match: Match | str, lang: str) -> Reply:
        match = match if isinstance(match, Match) else Match(match, match, 0, 1)
        if kind == "timeline":
            reply = self.timeline(match.code, lang)
        elif kind == "joined":
            reply = self.status(match.code, lang, joined=True)
        else:
            reply = self.status(match.code, lang)
        notes = list(reply.notes)
        if match.fuzzy:
            notes.append(t("fuzzy.note", lang, typed=match.typed or match.alias, name=self.name(match.code, lang)))
        if match.alternatives:
            names = ", ".join(self.name(c, lang) for c in match.alternatives[:3])
            notes.append(f"{t('field.see_also', lang)}: {names}?")
        return _replace(reply, notes=tuple(notes))

    def status(self, code: str, lang: str, joined: bool = False) -> Reply:
        name = self.name(code, lang)
        entry: Country | None = self.kb.countries.get(code)
        ref = f"status:{code}"
        if entry is None:
            template = self.kb.templates["non-member"]
            return Reply(
                title=t("title.status", lang, name=name),
                body=_fill(getattr(template.text, lang), name),
                lang=lang,
                intent="status",
                matched=True,
                country=code,
                status=Status.non_member.value,
                fields=(Field(t("field.status", lang), t("status.non_member", lang)),),
                sources=self._sources(template.sources),
                actions=self._actions(ref, lang, code),
                updated=template.updated,
                ref=ref,
            )
        body = getattr(entry.summary, lang)
        if entry.details is not None:
            body = f"{body}\n\n{getattr(entry.details, lang)}"
        fields = [Field(t("field.status", lang), t(f"status.{entry.status.value}", lang))]
        if entry.joined:
            fields.append(Field(t("field.joined", lang), format_date(entry.joined, lang)))
        if entry.frameworks:
            names = "; ".join(getattr(self.kb.frameworks[f].name, lang) for f in entry.frameworks)
            fields.append(Field(t("field.frameworks", lang), names))
        attended = [
            f"{getattr(s.name, lang)}: {getattr(a.who, lang)}"
            for s in self.kb.summits
            for a in s.attendees
            if a.country == code
        ]
        if attended:
            fields.append(Field(t("field.summits", lang), "\n".join(attended)))
        intent = "status"
        if joined:
            intent = "joined"
            if entry.joined:
                founder = entry.joined == self.kb.members()[0].joined  # the founders share the earliest date
                key = "joined.founder" if founder else "joined.member"
                body = f"{t(key, lang, name=name, date=format_date(entry.joined, lang))}\n\n{body}"
        return Reply(
            title=t("title.joined" if joined and entry.joined else "title.status", lang, name=name),
            body=body,
            lang=lang,
            intent=intent,
            matched=True,
            country=code,
            status=entry.status.value,
            fields=tuple(fields),
            sources=self._sources(entry.sources),
            actions=self._actions(ref, lang, code),
            updated=entry.updated,
            ref=ref,
        )

    def timeline(self, code: str | None, lang: str) -> Reply:
        if code is None:
            events = [
                e
                for e in self.kb.timeline
                if not e.countries or (set(e.tags) & GENERAL_TAGS and not set(e.tags) & LOCAL_TAGS)
            ]
            title = t("title.timeline_all", lang)
        else:
            events = [e for e in self.kb.timeline if code in e.countries]
            title = t("title.timeline", lang, name=self.name(code, lang))
        ref = f"timeline:{code or 'all'}"
        if not events:
            name = self.name(code, lang) if code else "NATO"
            return Reply(
                title=title,
                body=t("timeline.none", lang, name=name),
                lang=lang,
                intent="timeline",
                matched=True,
                country=code,
                actions=self._actions(ref, lang, code, timeline=False),
                ref=ref,
                sources=(),
                status=self._status_of(code),
            )
        lines = [f"• {format_date(e.date, lang)} — {getattr(e.text, lang)}" for e in events]
        return Reply(
            title=title,
            body=_budget(lines, lang, keep_ends=True),
            lang=lang,
            intent="timeline",
            matched=True,
            country=code,
            status=self._status_of(code),
            sources=self._sources((s for e in events for s in e.sources), by_frequency=True),
            actions=self._actions(ref, lang, code, timeline=False),
            ref=ref,
        )

    def _status_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        entry = self.kb.countries.get(code)
        return entry.status.value if entry else Status.non_member.value

    # -- lists ----------------------------------------------------------------------------
    def members(self, lang: str) -> Reply:
        members = self.kb.members()
        groups: dict[str, list[str]] = {}
        for c in members:
            groups.setdefault(c.accession.isoformat(), []).append(self.name(c.code, lang))
        lines = [f"• {format_date(d, lang)}: {', '.join(sorted(names))}" for d, names in groups.items()]
        body = f"{t('members.body', lang, n=len(members))}\n" + "\n".join(lines)
        return Reply(
            title=t("title.members", lang, n=len(members)),
            body=body,
            lang=lang,
            intent="members",
            matched=True,
            sources=self._sources((s for c in members for s in c.sources), by_frequency=True),
            ref="members",
            actions=self._actions("members", lang),
        )

    def partners(self, lang: str) -> Reply:
        lines = []
        source_ids: list[str] = []
        listed_only = False
        for fw in self.kb.frameworks.values():
            names = []
            for c in self.kb.countries.values():
                if fw.id in c.frameworks:
                    inactive = c.status is Status.non_member
                    listed_only |= inactive
                    names.append(self.name(c.code, lang) + (" *" if inactive else ""))
            if names:
                lines.append(f"• {getattr(fw.name, lang)}: {', '.join(sorted(names))}")
                source_ids.extend(fw.sources)
        if listed_only:
            lines.append(t("partners.listed_only", lang))
        body = f"{t('partners.body', lang)}\n" + "\n".join(lines)
        return Reply(
            title=t("title.partners", lang),
            body=body,
            lang=lang,
            intent="partners",
            matched=True,
            sources=self._sources(source_ids),
            ref="partners",
            actions=self._actions("partners", lang),
        )

    # -- FAQ ------------------------------------------------------------------------------
    def faq(self, entry: Faq, lang: str) -> Reply:
        ref = f"faq:{entry.id}"
        code = entry.countries[0] if len(entry.countries) == 1 else None
        return Reply(
            title=getattr(entry.questions, lang)[0],
            body=getattr(entry.answer, lang),
            lang=lang,
            intent=f"faq:{entry.topic}",
            matched=True,
            country=code,
            status=self._status_of(code),
            sources=self._sources(entry.sources),
            actions=self._actions(ref, lang, code),
            updated=entry.updated,
            ref=ref,
        )

    # -- help, errors, abstentions -----------------------------------------------------
    def help(self, lang: str, platform: str = "console") -> Reply:
        platform_name = platform if platform in ("discord", "telegram") else "console"
        shown = [c for c in commands.for_platform(platform_name) if c.id not in ("start", "help")]
        prefix = "/"
        lines = [
            f"{prefix}{c.telegram if platform_name == 'telegram' else c.id}{_arg_hint(c.arg)} — {c.description(lang)}"
            for c in shown
        ]
        examples = [f"• {q}" for q in EXAMPLES[lang]]
        body = (
            f"{t('help.body', lang)}\n\n{t('help.commands', lang)}:\n"
            + "\n".join(lines)
            + f"\n\n{t('help.examples', lang)}:\n"
            + "\n".join(examples)
        )
        return Reply(
            title=t("title.help", lang),
            body=body,
            lang=lang,
            intent="help",
            matched=True,
            suggestions=EXAMPLES[lang],
            ref="help",
        )

    def unknown(self, lang: str, suggestions: tuple[str, ...] = ()) -> Reply:
        return Reply(
            title=t("title.unknown", lang),
            body=t("unknown.body", lang),
            lang=lang,
            intent="unknown",
            matched=False,
            suggestions=suggestions,
        )

    def other_org(self, org: str, lang: str) -> Reply:
        return Reply(
            title=t("title.unknown", lang),
            body=t("unknown.other_org", lang, org=org),
            lang=lang,
            intent="out_of_scope",
            matched=False,
        )

    def empty(self, lang: str) -> Reply:
        return Reply(
            title=t("title.help", lang),
            body=t("unknown.empty", lang),
            lang=lang,
            intent="empty",
            matched=False,
            suggestions=EXAMPLES[lang][:3],
        )

    def unknown_country(self, arg: str, lang: str, suggestions: tuple[str, ...] = ()) -> Reply:
        shown = arg if len(arg) <= 40 else arg[:40] + "…"
        return Reply(
            title=t("title.unknown", lang),
            body=t("unknown.country", lang, arg=shown),
            lang=lang,
            intent="status",
            matched=False,
            suggestions=suggestions,
        )

    def need_country(self, command: commands.Command, lang: str) -> Reply:
        example = f"/{command.id} {'한국' if lang == 'ko' else 'korea'}"
        return Reply(
            title=t("title.help", lang),
            body=t("unknown.need_country", lang, example=example),
            lang=lang,
            intent="status",
            matched=False,
            suggestions=(example,),
        )

    def unknown_command(self, name: str, lang: str) -> Reply:
        shown = name if len(name) <= 32 else name[:32] + "…"
        help_reply = self.help(lang)
        return _replace(
            help_reply,
            body=f"{t('unknown.command', lang, name=shown)}\n\n{help_reply.body}",
            matched=False,
            intent="unknown_command",
        )

    def group_only(self, lang: str) -> Reply:
        """Quizzes need a chat to keep score in: the Telegram and Discord adapters run them."""
        return Reply(
            title=t("title.help", lang), body=t("quiz.chat_only", lang), lang=lang, intent="quiz", matched=False
        )

    def lang(self, arg: str, lang: str) -> Reply:
        choice = arg.strip().casefold()[:2]
        if choice in ("en", "ko", "영어", "한국"):
            chosen = "ko" if choice in ("ko", "한국") else "en"
            return Reply(
                title=t("title.help", chosen),
                body=t("lang.set", chosen),
                lang=chosen,
                intent="lang",
                matched=True,
                ref=f"lang:{chosen}",
            )
        return Reply(title=t("title.help", lang), body=t("lang.usage", lang), lang=lang, intent="lang", matched=False)

    # -- follow-ups ---------------------------------------------------------------------
    def from_ref(self, ref: str, lang: str) -> Reply | None:
        """Rebuild a reply from a button ref; None when the ref is stale or malformed."""
        kind, _, rest = ref.partition(":")
        try:
            if kind == "lang":
                new_lang, _, inner_ref = rest.partition(":")
                return self.from_ref(inner_ref, lang_of(new_lang))
            if kind == "sources":
                inner = self.from_ref(rest, lang)
                if inner is None:
                    return None
                lines = [f"• {s.title} — {s.publisher}\n  {s.url}" for s in inner.sources]
                other = other_lang(lang)
                actions = tuple(
                    Action(a.kind, a.label, f"lang:{other}:{ref}") if a.kind == "lang" else a
                    for a in inner.actions
                    if a.kind != "sources"
                )
                return _replace(
                    inner,
                    title=f"{t('title.sources', lang)}: {inner.title}",
                    body=_budget(lines, lang),
                    fields=(),
                    intent="sources",
                    actions=actions,
                    ref=ref,
                )
            if kind == "status" and rest in self.countries.codes():
                return self.status(rest, lang)
            if kind == "timeline" and (rest == "all" or rest in self.countries.codes()):
                return self.timeline(None if rest == "all" else rest, lang)
            if kind == "faq" and rest in {f.id for f in self.kb.faq}:
                return self.faq(next(f for f in self.kb.faq if f.id == rest), lang)
            if kind == "members":
                return self.members(lang)
            if kind == "partners":
                return self.partners(lang)
            if kind == "help":
                return self.help(lang)
            if kind == "q" and self.computed is not None:
                return self.computed(ref, lang)
        except (KeyError, ValueError):
            return None
        return None

    def from_payload(self, payload: str, lang: str) -> Reply | None:
        """Telegram deep links: `/start status_KR` opens on an answer (payloads allow [A-Za-z0-9_-])."""
        kind, _, arg = payload.partition("_")
        if kind in ("status", "timeline") and arg.upper() in self.countries.codes():
            return self.from_ref(f"{kind}:{arg.upper()}", lang)
        if kind == "faq" and arg:
            return self.from_ref(f"faq:{arg.replace('_', '-')}", lang)
        if kind in ("members", "partners", "help"):
            return self.from_ref(kind, lang)
        return None


def _arg_hint(arg: str) -> str:
    if not arg or arg == "payload?":
        return ""
    return f" [{arg[:-1]}]" if arg.endswith("?") else f" <{arg}>"


def _fill(template: str, name: str) -> str:
    return template.format(name=name, name_topic=topic(name), name_and=and_particle(name))


def _budget(lines: list[str], lang: str, keep_ends: bool = False) -> str:
    """Join lines within BODY_BUDGET. Lists are cut at the end; timelines (`keep_ends`) in the middle,
    so both the beginning and the latest events stay visible."""
    if sum(len(line) + 1 for line in lines) <= BODY_BUDGET:
        return "\n".join(lines)
    if not keep_ends:
        out: list[str] = []
        used = 0
        for i, line in enumerate(lines):
            if used + len(line) + 1 > BODY_BUDGET - 40:
                out.append(t("label.more", lang, n=len(lines) - i))
                break
            out.append(line)
            used += len(line) + 1
        return "\n".join(out)
    head: list[str] = []
    tail: list[str] = []
    used, low, high = 40, 0, len(lines) - 1
    while low <= high:  # take from both ends alternately while there is room
        line = lines[low] if len(head) <= len(tail) else lines[high]
        if used + len(line) + 1 > BODY_BUDGET:
            break
        used += len(line) + 1
        if len(head) <= len(tail):
            head.append(line)
            low += 1
        else:
            tail.insert(0, line)
            high -= 1
    skipped = len(lines) - len(head) - len(tail)
    return "\n".join([*head, t("label.more", lang, n=skipped), *tail])


def _replace(reply: Reply, **changes: Any) -> Reply:
    return replace(reply, **changes)
