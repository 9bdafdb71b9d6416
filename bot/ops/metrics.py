"""Prometheus metrics: what was answered, what was declined, how fast, and what failed.

One registry per process (not the library's global default), so tests can build a fresh one.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from bot.core.reply import Reply

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.answers = Counter(
            "natobot_answers",
            "Replies sent, by intent, language and platform",
            ["intent", "lang", "platform"],
            registry=self.registry,
        )
        self.declined = Counter(
            "natobot_declined", "Questions the bot declined to answer", ["lang", "platform"], registry=self.registry
        )
        self.latency = Histogram(
            "natobot_answer_seconds",
            "Time to build a reply in the core",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "natobot_platform_errors", "Errors talking to a platform", ["platform", "kind"], registry=self.registry
        )
        self.retries = Counter(
            "natobot_platform_retries",
            "Requests retried after a platform refusal or failure",
            ["platform"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "natobot_rate_limited",
            "Messages refused by the per-user/per-chat limits",
            ["platform"],
            registry=self.registry,
        )
        self.reloads = Counter(
            "natobot_knowledge_reloads", "Knowledge reloads by outcome", ["outcome"], registry=self.registry
        )

    def observe(self, reply: Reply, platform: str, seconds: float) -> None:
        intent = reply.intent.split(":")[0]  # faq:<topic> would make the label set unbounded per topic
        self.answers.labels(intent, reply.lang, platform).inc()
        if not reply.matched:
            self.declined.labels(reply.lang, platform).inc()
        self.latency.labels(platform).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
