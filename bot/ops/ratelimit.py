"""Per-user and per-chat message limits, so one member (or one busy chat) cannot flood the bot.

A sliding window per key. When a key goes over its limit the caller gets one polite refusal,
then silence until the window clears: answering every extra message would itself be a flood.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: tell the user once
    DROP = "drop"  # still over the limit and already told: say nothing


@dataclass(frozen=True)
class Rule:
    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Rule:
        """'5/10' -> 5 messages per 10 seconds; '30/60s'; '0/1' disables."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*", text)
        if not match or float(match[2]) <= 0:
            raise ValueError(f"expected COUNT/SECONDS such as 5/10, got {text!r}")
        return cls(int(match[1]), float(match[2]))


class RateLimiter:
    def __init__(
        self, per_user: Rule, per_chat: Rule, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ):
        self.rules = {"user": per_user, "chat": per_chat}
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._warned: dict[str, float] = {}
        self._next_sweep = 0.0

    def check(self, user: str | None, chat: str | None) -> tuple[Verdict, float]:
        """The verdict for one incoming message, and seconds until the caller may ask again."""
        now = self.clock()
        wait = 0.0
        for kind, key in (("user", user), ("chat", chat)):
            rule = self.rules[kind]
            if key is None or rule.count <= 0:
                continue
            hits = self._hits.setdefault(f"{kind}:{key}", deque())
            while hits and now - hits[0] >= rule.seconds:
                hits.popleft()
            if len(hits) >= rule.count:
                wait = max(wait, rule.seconds - (now - hits[0]))
        if wait > 0:
            warn_key = f"user:{user}" if user else f"chat:{chat}"
            if self._warned.get(warn_key, -1.0) >= now:
                return Verdict.DROP, wait
            self._warned[warn_key] = now + wait
            return Verdict.WARN, wait
        for kind, key in (("user", user), ("chat", chat)):
            if key is not None and self.rules[kind].count > 0:
                self._hits[f"{kind}:{key}"].append(now)
        if len(self._hits) > self.max_keys:
            self._forget(now)
        return Verdict.ALLOW, 0.0

    def _forget(self, now: float) -> None:
        """Drop idle keys, at most once per window, and the oldest keys if that is not enough: a check
        stays O(1) (amortised) however many distinct users have written."""
        longest = max(rule.seconds for rule in self.rules.values())
        if now >= self._next_sweep:
            self._next_sweep = now + longest
            for key in [k for k, hits in self._hits.items() if not hits or now - hits[-1] >= longest]:
                del self._hits[key]
            for key in [k for k, until in self._warned.items() if until < now]:
                del self._warned[key]
        excess = len(self._hits) - int(self.max_keys * 0.9)
        if excess > 0 and len(self._hits) > self.max_keys:  # a flood of new keys: forget the oldest first
            for key in list(self._hits)[:excess]:
                del self._hits[key]
