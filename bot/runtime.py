"""The running bot's shared core: the current Answerer, swappable on knowledge reload.

Adapters hold the Runtime, never an Answerer, so a reload reaches every platform at once and a
failed reload leaves the old knowledge serving. Every answer passes through `answer` here, which
is where metrics are counted, so no adapter can forget to.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.core import commands
from bot.core.answerer import Answerer
from bot.core.gaps import log_unanswered
from bot.core.knowledge import KnowledgeError, load_knowledge
from bot.core.quiz import QuizMaker
from bot.core.reply import Query, Reply
from bot.ops.metrics import Metrics
from bot.ops.ratelimit import RateLimiter, Rule, Verdict
from bot.state import MemoryStore, Store

log = logging.getLogger("natobot.runtime")

ADMIN_ONLY = {
    "en": "Only the bot's owners can do that.",
    "ko": "봇 관리자만 할 수 있는 명령입니다.",
}
RATE_LIMITED = {
    "en": "You're asking faster than I can keep up with in this chat. Please try again in {seconds} seconds.",
    "ko": "질문이 너무 빨리 들어오고 있어요. {seconds}초 뒤에 다시 물어봐 주세요.",
}


class Runtime:
    def __init__(self, knowledge_dir: Path, store: Store | None = None, limiter: RateLimiter | None = None,
                 metrics: Metrics | None = None, owners: Iterable[str] = ()):
        self.knowledge_dir = Path(knowledge_dir)
        self.answerer = Answerer(load_knowledge(self.knowledge_dir))
        self.store: Store = store if store is not None else MemoryStore()
        self.limiter = limiter or RateLimiter(Rule(0, 1), Rule(0, 1))  # no limits unless configured
        self.metrics = metrics or Metrics()
        self.health: dict[str, Callable[[], bool]] = {}  # platform -> "is it connected?"
        self.started = time.time()
        self.owners = frozenset(o.strip() for o in owners if o.strip())  # "123" or "telegram:123"
        self._quiz_maker: tuple[Answerer, QuizMaker] | None = None

    def is_owner(self, platform: str, user: str | None) -> bool:
        return user is not None and (str(user) in self.owners or f"{platform}:{user}" in self.owners)

    def handle(self, query: Query) -> Reply | None:
        """What adapters call for a message: limits, owner commands, then the answer.

        None means "say nothing" (a user still over the rate limit after being told once).
        """
        lang = query.lang or query.locale or "en"
        verdict, refusal = self.admit(query.platform, query.user, query.chat, lang)
        if verdict is Verdict.DROP:
            return None
        if refusal is not None:
            return refusal
        parsed = commands.parse(query.text)
        if parsed is not None and parsed.command is not None and parsed.command.id in commands.ADMIN:
            return self._admin(parsed.command.id, query)
        return self.answer(query)

    def _admin(self, name: str, query: Query) -> Reply:
        lang = "ko" if (query.lang or query.locale or "").startswith("ko") else "en"
        if not self.is_owner(query.platform, query.user):
            return Reply(title="", body=ADMIN_ONLY[lang], lang=lang, intent="admin", matched=False)
        if name == "reload":
            ok, text = self.try_reload()
            return Reply(title="", body=text, lang=lang, intent="admin", matched=ok)
        kb = self.answerer.knowledge
        lines = [f"knowledge {kb.version} (updated {kb.updated}), {len(kb.countries)} countries, {len(kb.faq)} FAQ",
                 f"uptime {round(time.time() - self.started)} s"]
        for metric in self.metrics.registry.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total") and sample.value:
                    labels = ",".join(f"{k}={v}" for k, v in sample.labels.items())
                    lines.append(f"{sample.name}{{{labels}}} {int(sample.value)}")
        return Reply(title="", body="\n".join(lines[:40]), lang=lang, intent="admin", matched=True)

    @property
    def version(self) -> str:
        return self.answerer.knowledge.version

    def answer(self, query: Query) -> Reply:
        start = time.perf_counter()
        reply = self.answerer.answer(query)
        self.metrics.observe(reply, query.platform, time.perf_counter() - start)
        if not reply.matched and reply.intent in ("unknown", "out_of_scope"):
            self._log_gap(query, reply)
        return reply

    def quiz_maker(self) -> QuizMaker:
        """The quiz questions the knowledge now served supports: made once per knowledge version (a reload
        makes new ones), shared by every platform's quiz engine."""
        answerer = self.answerer
        if self._quiz_maker is None or self._quiz_maker[0] is not answerer:
            self._quiz_maker = (answerer, QuizMaker(answerer.knowledge, answerer.countries))
        return self._quiz_maker[1]

    def follow(self, ref: str, lang: str) -> Reply:
        return self.answerer.follow(ref, lang)

    def admit(self, platform: str, user: str | None, chat: str | None, lang: str = "en") -> tuple[Verdict, Reply | None]:
        """Apply the per-user/per-chat limits: ALLOW, WARN (with the polite reply to send) or DROP."""
        verdict, wait = self.limiter.check(f"{platform}:{user}" if user else None, f"{platform}:{chat}" if chat else None)
        if verdict is Verdict.ALLOW:
            return verdict, None
        self.metrics.rate_limited.labels(platform).inc()
        if verdict is Verdict.DROP:
            return verdict, None
        lang = "ko" if lang == "ko" else "en"
        text = RATE_LIMITED[lang].format(seconds=max(1, round(wait)))
        return verdict, Reply(title="", body=text, lang=lang, intent="rate_limited", matched=False)

    def reload(self) -> str:
        """Load and swap in the knowledge folder again; raises KnowledgeError and keeps the old one."""
        try:
            answerer = Answerer(load_knowledge(self.knowledge_dir))
        except KnowledgeError:
            self.metrics.reloads.labels("failed").inc()
            raise
        self.answerer = answerer
        self.metrics.reloads.labels("ok").inc()
        return answerer.knowledge.version

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
        platforms = {name: bool(check()) for name, check in self.health.items()}
        return {
            "ok": all(platforms.values()),
            "knowledge": self.version,
            "platforms": platforms,
            "uptime_seconds": round(time.time() - self.started),
        }

    def _log_gap(self, query: Query, reply: Reply) -> None:
        try:
            log_unanswered(self.store, query.text, reply.lang, query.platform)
        except Exception:  # a broken store must never cost the user an answer
            log.exception("could not log an unanswered question")
