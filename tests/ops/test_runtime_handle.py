from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.inbound import Inbound
from bot.core.reply import Query, Reply
from bot.ops.ratelimit import RateLimiter, Rule
from bot.runtime import Runtime

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def handle(runtime: Runtime, query: Query) -> Reply | None:
    """A message through the Runtime's door, as an adapter hands it over."""
    inbound = Inbound.message(
        query.platform, query.text, user=query.user, chat=f"{query.platform}:{query.chat}" if query.chat else None
    )
    return asyncio.run(runtime.receive(inbound))


def test_owner_commands_are_refused_to_others_and_work_for_owners() -> None:
    runtime = Runtime(KNOWLEDGE, owners=["telegram:42", "7"])
    refused = handle(runtime, Query("/reload", platform="telegram", user="99"))
    assert refused is not None and not refused.matched and "owners" in refused.body
    assert handle(runtime, Query("/reload", platform="telegram", user="42")).matched
    assert handle(runtime, Query("/stats", platform="discord", user="7")).body.startswith("knowledge ")
    assert not handle(runtime, Query("/stats", platform="discord", user="42")).matched  # 42 is a Telegram owner only


def test_admin_commands_are_not_advertised() -> None:
    runtime = Runtime(KNOWLEDGE)
    help_text = runtime.answer(Query("/help", platform="telegram")).body
    assert "/reload" not in help_text and "/stats" not in help_text


def test_rate_limit_answers_once_then_goes_quiet() -> None:
    runtime = Runtime(KNOWLEDGE, limiter=RateLimiter(Rule(2, 60), Rule(0, 1)))

    def ask() -> Reply | None:
        return handle(runtime, Query("Is Japan in NATO?", platform="telegram", user="5", chat="c"))

    assert ask().country == "JP" and ask().country == "JP"
    warned = ask()
    assert warned is not None and warned.intent == "rate_limited" and "try again" in warned.body
    assert ask() is None
    assert handle(runtime, Query("Is Japan in NATO?", platform="telegram", user="6", chat="c")).country == "JP"
    assert 'natobot_rate_limited_total{platform="telegram"} 2.0' in runtime.metrics.render().decode()
