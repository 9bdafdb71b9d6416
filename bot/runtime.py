"""The single door into the bot: every platform event comes in here as an `Inbound` (see
`bot.core.inbound` for the adapter contract) and leaves as a `Reply` for the adapter to render.

The door does, once and for every platform: admission (the rate limits, on every kind of event,
typed-as-you-go kinds in a bucket of their own), the language (looked up once per event), owner
commands, the answer, and a chat's language change. Store calls are blocking (SQLite waits on its
lock, Redis on the network), so the Runtime wraps its store in a `GuardedStore` (`bot.state.guarded`):
every call runs in the guard's own threads with a timeout, never on the event loop (a 3.5 s Redis
stall once made a Discord interaction miss its 3 s window). A store that fails degrades the bot, it
does not silence it: questions are answered without their stored language (the client's locale
applies), the unanswered-questions log and the quiz engines' writes wait in the guard's outbox,
and a stateful command (/lang, a quiz, the leaderboard) gets "try again shortly" in the user's
language. `/healthz` reports the store and answers 503 while it is degraded.

The Runtime also owns everything built from the knowledge (`Served`) and swaps it as one on
reload; a failed reload leaves the old knowledge serving. Metrics are counted here, so no adapter
can forget to.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from prometheus_client import Counter, Gauge

from bot.core import commands, compiled
from bot.core.answerer import Answerer
from bot.core.autocomplete import Choice, CountryChoices
from bot.core.gaps import log_unanswered
from bot.core.i18n import pick_lang, t
from bot.core.inbound import TYPED, Inbound
from bot.core.knowledge import KnowledgeError
from bot.core.quiz import QuizMaker
from bot.core.reply import Query, Reply
from bot.core.text import MAX_INPUT
from bot.ops.metrics import Metrics
from bot.ops.ratelimit import RateLimiter, Rule, Verdict
from bot.state import MemoryStore, Store
from bot.state.guarded import GuardedStore, StoreUnavailable

log = logging.getLogger("natobot.runtime")

STORE_TIMEOUT = 1.0  # seconds a language lookup may take before the event goes on without it
WRITE_TIMEOUT = 2.0  # seconds a language change may take before the user is asked to try again
STATEFUL = frozenset({"lang", "nato-lang", "nato-quiz", "nato-leaderboard"})  # need the store to work
TYPED_FACTOR = 5  # inline queries and autocomplete arrive per keystroke: that many times the message limit


class StoreMetrics:
    """The store's counters, registered once per metrics registry (a Runtime's store may be replaced)."""

    _made: ClassVar[weakref.WeakKeyDictionary[Metrics, StoreMetrics]] = weakref.WeakKeyDictionary()

    def __init__(self, metrics: Metrics) -> None:
        registry = metrics.registry
        self.faults = Counter("natobot_store_faults", "Store calls that failed or timed out", registry=registry)
        self.dropped = Counter(
            "natobot_store_writes_dropped",
            "Store writes given up (outbox full, an error, or still waiting at shutdown)",
            ["reason"],
            registry=registry,
        )
        self.pending = Gauge("natobot_store_pending_writes", "Writes waiting for the store", registry=registry)
        self.degraded = Gauge("natobot_store_degraded", "1 while the store is degraded", registry=registry)

    @classmethod
    def of(cls, metrics: Metrics) -> StoreMetrics:
        made = cls._made.get(metrics)
        if made is None:
            made = cls._made[metrics] = cls(metrics)
        return made


@dataclass(frozen=True)
class Served:
    """Everything built from one knowledge version, swapped together on reload."""

    answerer: Answerer
    quiz_maker: QuizMaker
    countries: CountryChoices

    @classmethod
    def load(cls, knowledge_dir: Path) -> Served:
        # From the compiled knowledge cache when it holds this version (the same checks run either way).
        answerer = compiled.answerer(knowledge_dir, compiled.default_cache_dir(os.environ))
        return cls(
            answerer,
            QuizMaker(answerer.knowledge, answerer.countries),
            CountryChoices(answerer.countries, answerer.knowledge.countries),
        )


@dataclass(frozen=True)
class Admission:
    """What the door decided about one event: `lang` is what the bot speaks to it (the event's own,
    the stored setting, the client's, else English); `stored` the explicit setting alone (the
    answerer prefers the question's own language to the client's); `refusal` the polite reply of a
    first event over the limit. Not `allowed` and no refusal: still over the limit, say nothing."""

    allowed: bool
    lang: str
    stored: str | None = None
    refusal: Reply | None = None


class Runtime:
    def __init__(
        self,
        knowledge_dir: Path,
        store: Store | None = None,
        limiter: RateLimiter | None = None,
        metrics: Metrics | None = None,
        owners: Iterable[str] = (),
    ):
        self.knowledge_dir = Path(knowledge_dir)
        self.served = Served.load(self.knowledge_dir)
        self.metrics = metrics or Metrics()
        self._store: GuardedStore | None = None
        self.store = store if store is not None else MemoryStore()
        self.limiter = limiter or RateLimiter(Rule(0, 1), Rule(0, 1))  # no limits unless configured
        self.health: dict[str, Callable[[], bool]] = {}  # platform -> "is it connected?"
        self.started = time.time()
        self.owners = frozenset(o.strip() for o in owners if o.strip())  # "123" or "telegram:123"
        self._typed: tuple[RateLimiter, RateLimiter] | None = None

    @property
    def store(self) -> GuardedStore:
        """The store, guarded: timeouts, off the loop, health, the outbox (`bot.state.guarded`)."""
        assert self._store is not None
        return self._store

    @store.setter
    def store(self, store: Store) -> None:
        """Any store: wrapped in a guard unless it is one already (tests swap stores between runs; a
        guard replaced so, and its idle threads, go with the last reference to it)."""
        if isinstance(store, GuardedStore):
            self._store = store
            return
        counters = StoreMetrics.of(self.metrics)
        self._store = GuardedStore(
            store, on_fault=counters.faults.inc, on_drop=lambda reason: counters.dropped.labels(reason).inc()
        )

    @property
    def answerer(self) -> Answerer:
        return self.served.answerer

    @property
    def version(self) -> str:
        return self.answerer.knowledge.version

    def quiz_maker(self) -> QuizMaker:
        """The quiz questions the knowledge now served supports (quiz engines call this per quiz)."""
        return self.served.quiz_maker

    def is_owner(self, platform: str, user: str | None) -> bool:
        return user is not None and (str(user) in self.owners or f"{platform}:{user}" in self.owners)

    # -- the door ------------------------------------------------------------------------------

    async def receive(self, inbound: Inbound) -> Reply | None:
        """Admit and answer one event; None means "say nothing" (not for us, or still over the limit)."""
        if not inbound.addressed:
            return None
        admission = await self.admit(inbound)
        if not admission.allowed:
            return admission.refusal
        return await self.respond(inbound, admission)

    async def admit(self, inbound: Inbound) -> Admission:
        """The rate limits and the language, for an event of any kind (quiz commands and clicks too)."""
        limiter = self._typed_limiter() if inbound.kind in TYPED else self.limiter
        user = f"{inbound.platform}:{inbound.user}" if inbound.user else None
        verdict, wait = limiter.check(user, inbound.room)
        if verdict is Verdict.DROP:
            self.metrics.rate_limited.labels(inbound.platform).inc()
            return Admission(False, pick_lang(inbound.lang or inbound.locale))
        stored = await self.stored_lang(inbound.lang_keys)
        lang = pick_lang(inbound.lang or stored or inbound.locale)
        if verdict is Verdict.ALLOW:
            if inbound.command_id in STATEFUL and self.store.degraded:  # it would fail: say so, not nothing
                return Admission(False, lang, stored, self.store_busy(lang))
            return Admission(True, lang, stored)
        self.metrics.rate_limited.labels(inbound.platform).inc()
        text = t("rate.limited", lang, seconds=max(1, round(wait)))
        return Admission(
            False, lang, stored, Reply(title="", body=text, lang=lang, intent="rate_limited", matched=False)
        )

    async def respond(self, inbound: Inbound, admission: Admission) -> Reply:
        """The answer to an admitted message, command, button or inline query."""
        if inbound.kind == "button":
            return await asyncio.to_thread(self.follow, inbound.text, admission.lang)
        if inbound.command_id in commands.ADMIN:
            return await asyncio.to_thread(self._admin, inbound.command_id, inbound, admission.lang)
        stored = admission.stored if inbound.kind != "inline" else None  # inline: the asker's own language
        command = inbound.command
        if command is not None and len(command.arg) > MAX_INPUT:  # parsed from the whole text: capped like a question
            command = replace(command, arg=command.arg[:MAX_INPUT])
        query = Query(
            inbound.text,
            lang=stored,
            locale=inbound.locale,
            platform=inbound.platform,
            user=inbound.user,
            chat=inbound.chat,
            command=command,
            parsed=inbound.kind in ("message", "command"),  # parsed once at the door
        )
        reply = await asyncio.to_thread(self.answer, query)  # the gap log's write included: never on the loop
        if reply.intent == "lang" and reply.matched and inbound.lang_keys:
            if not await inbound.is_admin():  # a group's language is its admins' choice
                return Reply(
                    title="", body=t("lang.admins_only", reply.lang), lang=reply.lang, intent="lang", matched=False
                )
            try:
                await self.store_lang(inbound.lang_keys[-1], reply.lang)
            except StoreUnavailable:
                return self.store_busy(admission.lang)
        return reply

    @staticmethod
    def store_busy(lang: str) -> Reply:
        """What a stateful command gets while the store is not answering: try again shortly."""
        return Reply(title="", body=t("store.busy", lang), lang=lang, intent="store_unavailable", matched=False)

    async def suggest(self, inbound: Inbound) -> list[Choice]:
        """Countries for an autocomplete event (nothing when over the limit: there is no room for a notice)."""
        admission = await self.admit(inbound)
        if not admission.allowed:
            return []
        return self.served.countries.search(inbound.text, admission.lang)

    # -- the store, off the event loop ---------------------------------------------------------

    async def stored_lang(self, keys: Iterable[str]) -> str | None:
        """The first language stored under `keys`; None if none is (or the store does not answer in time)."""
        keys = tuple(keys)
        if not keys:
            return None

        store = self.store.inner

        def lookup() -> str | None:
            return next((lang for lang in map(store.get_lang, keys) if lang), None)

        try:
            return await self.store.run(lookup, timeout=STORE_TIMEOUT)
        except StoreUnavailable as exc:  # a slow or broken store costs the stored language, not the answer
            log.debug("no stored language for %s: %s", keys[0], exc)
            return None

    async def store_lang(self, key: str, lang: str | None) -> None:
        """Set (None: clear) the language stored under `key`; `StoreUnavailable` if the store fails."""
        await self.store.run(self.store.inner.set_lang, key, lang, timeout=WRITE_TIMEOUT)

    async def aclose(self) -> None:
        """At shutdown: give the writes still waiting for the store a last chance (lost ones are logged
        and counted in natobot_store_writes_dropped_total)."""
        await self.store.drain()

    # -- answering -----------------------------------------------------------------------------

    def answer(self, query: Query) -> Reply:
        """A reply to `query` as it stands (no limits, no stored language; blocking: the door runs it in a
        worker thread); `natobot ask` and the console call it directly. Unanswered questions are logged."""
        start = time.perf_counter()
        reply = self.answerer.answer(query)
        self.metrics.observe(reply, query.platform, time.perf_counter() - start)
        if not reply.matched and reply.intent in ("unknown", "out_of_scope"):
            self._log_gap(query, reply)
        return reply

    def follow(self, ref: str, lang: str) -> Reply:
        return self.answerer.follow(ref, lang)

    def _admin(self, name: str | None, inbound: Inbound, lang: str) -> Reply:
        if not self.is_owner(inbound.platform, inbound.user):
            return Reply(title="", body=t("owner.only", lang), lang=lang, intent="admin", matched=False)
        if name == "reload":
            ok, text = self.try_reload()
            return Reply(title="", body=text, lang=lang, intent="admin", matched=ok)
        kb = self.answerer.knowledge
        lines = [
            f"knowledge {kb.version} (updated {kb.updated}), {len(kb.countries)} countries, {len(kb.faq)} FAQ",
            f"uptime {round(time.time() - self.started)} s",
        ]
        for metric in self.metrics.registry.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total") and sample.value:
                    labels = ",".join(f"{k}={v}" for k, v in sample.labels.items())
                    lines.append(f"{sample.name}{{{labels}}} {int(sample.value)}")
        return Reply(title="", body="\n".join(lines[:40]), lang=lang, intent="admin", matched=True)

    def _typed_limiter(self) -> RateLimiter:
        """Per-user limits for per-keystroke events, apart from messages: typing a country name must
        not use up the member's messages, yet a script cannot flood the bot through autocomplete."""
        if self._typed is None or self._typed[0] is not self.limiter:
            rule = self.limiter.rules["user"]
            self._typed = (self.limiter, RateLimiter(Rule(rule.count * TYPED_FACTOR, rule.seconds), Rule(0, 1)))
        return self._typed[1]

    # -- knowledge reload and health ------------------------------------------------------------

    def reload(self) -> str:
        """Load and swap in the knowledge folder again; raises KnowledgeError and keeps the old one."""
        try:
            served = Served.load(self.knowledge_dir)
        except KnowledgeError:
            self.metrics.reloads.labels("failed").inc()
            raise
        self.served = served
        self.metrics.reloads.labels("ok").inc()
        return served.answerer.knowledge.version

    def try_reload(self) -> tuple[bool, str]:
        """Reload for signal handlers and owner commands: never raises, says what happened."""
        old = self.version
        try:
            new = self.reload()
        except KnowledgeError as exc:
            log.error("knowledge reload failed; still serving version %s: %s", old, exc)
            return False, f"Reload failed; still serving knowledge {old}.\n{exc}"
        log.info("knowledge reloaded: %s -> %s", old, new)
        return True, f"Knowledge reloaded: {old} -> {new}."

    def healthy(self) -> dict[str, object]:
        """For /healthz: not ok (503) while a platform is down or the store is degraded."""
        platforms = {name: bool(check()) for name, check in self.health.items()}
        store = self.store.health()
        counters = StoreMetrics.of(self.metrics)
        counters.pending.set(self.store.pending)
        counters.degraded.set(int(store["state"] != "ok"))
        return {
            "ok": all(platforms.values()) and store["state"] == "ok",
            "knowledge": self.version,
            "platforms": platforms,
            "store": store,
            "uptime_seconds": round(time.time() - self.started),
        }

    def _log_gap(self, query: Query, reply: Reply) -> None:
        """Queued, never waited for: the store's outbox writes it when it can."""
        self.store.defer(
            None,
            "the unanswered-questions log",
            log_unanswered,
            self.store.inner,
            query.text,
            reply.lang,
            query.platform,
            datetime.now(UTC),
            important=False,
        )
