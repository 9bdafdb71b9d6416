"""Burst benchmark: 2,000 group updates through the real PTB Application and a fake Bot API.

    python -m bench.telegram_burst [--updates 2000] [--chats 100]

The updates are queued at once on the fake server (tests/telegram/fake_bot_api.py); the bot
long-polls them, answers through the core, and each reply is timed when it reaches the fake
API. A second run with a handler that answers "ok" without the core gives the baseline of
PTB + HTTP alone. Telegram's own flood limits (30 messages/s overall, 20/min per group) are
switched off here, or the figure would only measure them; the 429-retry path stays on.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "telegram"))

from fake_bot_api import TOKEN, USER, FakeBotAPI
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters

from bot.adapters.telegram.app import ALLOWED_UPDATES, MAX_RETRIES, build_application
from bot.config import DEFAULT_KNOWLEDGE
from bot.runtime import Runtime

QUESTIONS = (
    "/nato_status@ThisBot korea",
    "/nato-status finland",
    "@ThisBot Is South Korea in NATO?",
    "@ThisBot 한국은 나토 회원국인가요?",
    "/nato_members@ThisBot",
    "@ThisBot when did sweden join nato?",
    "/nato_timeline@ThisBot japan",
    "@ThisBot what is the IP4?",
    "/nato_partners",
    "@ThisBot is ukraine in nato",
)


def no_limits() -> AIORateLimiter:
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=MAX_RETRIES)


async def _ok(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("ok")


def baseline_application(runtime: Runtime, base_url: str) -> Application:
    """The same Application (limiter, concurrency, defaults) with a handler that skips the core."""
    application = build_application(runtime, TOKEN, base_url, rate_limiter=no_limits())
    application.handlers.clear()
    application.add_handler(MessageHandler(filters.TEXT, _ok))
    return application


async def burst(application: Application, fake: FakeBotAPI, updates: int, chats: int) -> dict[str, float]:
    sent: dict[int, float] = {}  # message_id → when it was queued
    answered: dict[int, float] = {}  # message_id → when its (first) reply reached the API
    done = asyncio.Event()

    def on_call(call) -> None:  # type: ignore[no-untyped-def]
        if call.method == "sendMessage" and "reply_parameters" in call.params:
            answered.setdefault(int(call.params["reply_parameters"]["message_id"]), call.at)
            if len(answered) >= updates:
                done.set()

    fake.on_call = on_call
    async with application:
        await application.start()
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        start = time.monotonic()
        for n in range(updates):
            message = fake.message(
                QUESTIONS[n % len(QUESTIONS)],
                chat_id=-1000 - n % chats,
                chat_type="supergroup",
                user={**USER, "id": 5000 + n % 700},
            )
            sent[message["message_id"]] = time.monotonic()
            await fake.push(message=message)
        await asyncio.wait_for(done.wait(), 300)
        elapsed = max(answered.values()) - start
        await application.updater.stop()
        await application.stop()
    fake.on_call = None
    latencies = sorted((answered[m] - sent[m]) * 1000 for m in sent)
    return {
        "throughput": updates / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "seconds": elapsed,
    }


async def main(updates: int, chats: int) -> None:
    runtime = Runtime(DEFAULT_KNOWLEDGE)
    print(
        f"Telegram burst: {updates} updates over {chats} group chats, real PTB Application, "
        f"fake Bot API on 127.0.0.1 (Telegram flood limits off)"
    )
    print(f"{'':22}{'updates/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'total s':>10}   (queued → reply at the API)")
    for label, build in (
        ("natobot handlers", lambda url: build_application(runtime, TOKEN, url, no_limits())),
        ("no-op handler", lambda url: baseline_application(runtime, url)),
    ):
        fake = await FakeBotAPI().start()
        try:
            result = await burst(build(fake.base_url), fake, updates, chats)
        finally:
            await fake.stop()
        print(
            f"{label:22}{result['throughput']:>10.0f}{result['p50']:>10.1f}{result['p99']:>10.1f}"
            f"{result['seconds']:>10.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(main(options.updates, options.chats))
