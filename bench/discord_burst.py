"""Discord burst: 2,000 interactions through the fake gateway into the real discord.py client.

    python -m bench.discord_burst [--count 2000] [--rate 200] [--knowledge DIR]

Prints throughput and p50/p99 latency from INTERACTION_CREATE leaving the fake gateway to the
interaction callback arriving at the fake REST API, for two clients in the same run:
  * baseline: the same adapter, but the runtime hands back one prepared Reply (no core work);
  * natobot: the real runtime answering `/nato-status <country>` and `/nato-ask <question>`.
The difference is what the core (and its worker-thread hop) costs per interaction. The burst is
run twice: all 2,000 dispatched at once (latency is then mostly queueing), and paced at --rate
per second (latency as one user sees it under that load). No assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "discord"))

import discord  # noqa: E402
from discord.gateway import DiscordWebSocket  # noqa: E402
from fake_discord import FakeDiscord  # noqa: E402

from bot.adapters.discord import build_client  # noqa: E402
from bot.config import DEFAULT_KNOWLEDGE, Settings  # noqa: E402
from bot.core.reply import Query  # noqa: E402
from bot.runtime import Runtime  # noqa: E402

COUNTRIES = [
    "korea",
    "KR",
    "japan",
    "finland",
    "sweden",
    "ukraine",
    "한국",
    "일본",
    "australia",
    "germany",
    "georgia",
    "new zealand",
    "turkey",
    "france",
    "🇰🇷",
    "norway",
]
QUESTIONS = [
    "Is South Korea in NATO?",
    "한국은 나토 회원국인가요?",
    "when did finland join nato",
    "Why can't South Korea join NATO?",
    "What is the IP4?",
]


class PreparedRuntime:
    """The baseline: every answer is one Reply computed in advance."""

    def __init__(self, real: Runtime) -> None:
        self.answerer, self.store = real.answerer, real.store
        self.reply = real.answer(Query("/nato-status korea", platform="discord"))

    def answer(self, query: Query):
        return self.reply

    def follow(self, ref: str, lang: str):
        return self.reply


def interactions(fake: FakeDiscord, count: int) -> list[dict]:
    out = []
    for i in range(count):
        if i % 4 == 3:
            out.append(
                fake.slash(
                    "nato-ask", {"question": QUESTIONS[i % len(QUESTIONS)]}, locale="ko" if i % 8 == 7 else "en-US"
                )
            )
        else:
            out.append(
                fake.slash(
                    "nato-status", {"country": COUNTRIES[i % len(COUNTRIES)]}, locale="ko" if i % 5 == 0 else "en-US"
                )
            )
    return out


async def burst(fake: FakeDiscord, runtime, count: int, state: Path, rate: float = 0) -> dict[str, float]:
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.api,  # type: ignore[call-arg]
        NATOBOT_STATE_DIR=str(state),
    )
    client = build_client(runtime, settings)

    async def run() -> None:
        async with client:
            await client.start(fake.token)

    task = asyncio.create_task(run())
    try:
        await fake.wait_ready(timeout=30)
        payloads = interactions(fake, count)
        sent: dict[str, float] = {}
        start = time.perf_counter()
        for i, payload in enumerate(payloads):
            if rate:  # paced: the i-th interaction leaves at start + i/rate
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            sent[payload["id"]] = time.perf_counter()
            await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_until(
            lambda: all(p["id"] in fake.callback_times for p in payloads), timeout=300, what="every callback"
        )
        end = max(fake.callback_times[p["id"]] for p in payloads)
        latencies = sorted((fake.callback_times[p["id"]] - sent[p["id"]]) * 1000 for p in payloads)
        answered = sum(1 for p in payloads if fake.callbacks[p["id"]][0].get("type") == 4)
    finally:
        await client.close()
        await asyncio.wait_for(task, 30)
    return {
        "throughput": count / (end - start),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max": latencies[-1],
        "answered": answered,
    }


async def main(count: int, knowledge: Path, rate: float) -> None:
    logging.getLogger("discord").setLevel(logging.ERROR)
    real = Runtime(knowledge)
    original = (discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    print(
        f"Discord burst: {count} interactions through the fake gateway -> discord.py {discord.__version__} "
        "-> callback (python {0})".format(sys.version.split()[0])
    )
    print("(the fake Discord runs in the same process and event loop, so its own work is in the figures)")
    runs = [(0, "all at once"), (rate, f"paced at {rate:.0f}/s")] if rate else [(0, "all at once")]
    with tempfile.TemporaryDirectory() as tmp:
        for pace, label in runs:
            print(f"{count} interactions, {label}:")
            for name, runtime in (
                ("baseline (prepared reply, no core work)", PreparedRuntime(real)),
                ("natobot (real core)", real),
            ):
                fake = await FakeDiscord().start()
                try:
                    r = await burst(fake, runtime, count, Path(tmp) / f"{name.split()[0]}-{pace}", pace)
                finally:
                    await fake.close()
                    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = original
                    print(
                        f"  {name:42s} {r['throughput']:8.0f} interactions/s   p50 {r['p50']:7.1f} ms   "
                        f"p99 {r['p99']:7.1f} ms   max {r['max']:7.1f} ms   ({int(r['answered'])}/{count} answered)"
                    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE)
    parser.add_argument(
        "--rate", type=float, default=200.0, help="also run paced at this many interactions/s (0: the burst only)"
    )
    ns = parser.parse_args()
    asyncio.run(main(ns.count, ns.knowledge, ns.rate))
