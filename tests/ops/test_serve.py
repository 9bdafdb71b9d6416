"""The process around the adapters: health and metrics over HTTP, SIGHUP reload, SIGTERM stop."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
from pathlib import Path

import aiohttp

from bot import serve
from bot.config import Settings
from bot.core.reply import Query
from bot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_health_metrics_reload_and_stop(tmp_path: Path) -> None:
    knowledge = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", knowledge)
    port = free_port()
    settings = Settings(NATOBOT_KNOWLEDGE=knowledge, NATOBOT_STATE_DIR=tmp_path / "state", NATOBOT_HTTP_PORT=port)
    runtime = Runtime(knowledge)
    runtime.answer(Query("Is South Korea in NATO?", platform="telegram"))
    runtime.answer(Query("what's the weather", platform="telegram"))
    task = asyncio.create_task(serve.serve(runtime, settings, [], argparse.Namespace()))
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"{base}/healthz") as resp:
                    health = await resp.json()
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.02)
        assert health["ok"] is True and health["knowledge"] == runtime.version
        async with http.get(f"{base}/metrics") as resp:
            text = await resp.text()
        assert 'natobot_answers_total{intent="status",lang="en",platform="telegram"} 1.0' in text
        assert 'natobot_declined_total{lang="en",platform="telegram"} 1.0' in text
        assert (tmp_path / "state" / "natobot.pid").read_text() == str(os.getpid())

        runtime.health["telegram"] = lambda: False
        async with http.get(f"{base}/healthz") as resp:
            assert resp.status == 503

        # A broken edit: SIGHUP keeps the old knowledge serving.
        old = runtime.version
        faq = knowledge / "faq.yaml"
        good = faq.read_text(encoding="utf-8")
        faq.write_text(good + "\n  - id: [broken\n", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGHUP)
        await wait_for(lambda: 'outcome="failed"} 1.0' in runtime.metrics.render().decode())
        assert runtime.version == old and runtime.answer(Query("Is Japan in NATO?")).country == "JP"

        # A good edit: SIGHUP swaps it in.
        faq.write_text(
            good.replace("Who are the Indo-Pacific Four?", "Who exactly are the Indo-Pacific Four?"), encoding="utf-8"
        )
        os.kill(os.getpid(), signal.SIGHUP)
        await wait_for(lambda: runtime.version != old)
        assert runtime.answer(Query("Who exactly are the Indo-Pacific Four?")).matched

    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, 10)
    assert not (tmp_path / "state" / "natobot.pid").exists()


def test_reload_command_without_a_running_bot_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(NATOBOT_STATE_DIR=tmp_path)
    try:
        serve.signal_reload(settings)
    except RuntimeError as exc:
        assert "no running bot found" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected an error")
