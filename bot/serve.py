"""Run the platform adapters in one event loop, with the process-wide duties around them.

Signals are handled here and only here: SIGTERM/SIGINT cancel every adapter (each drains its
in-flight replies on cancellation), SIGHUP reloads the knowledge. Two adapters installing their
own SIGTERM handlers would silently replace each other's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import signal
import sqlite3
from pathlib import Path

from bot.config import Settings
from bot.ops.logging import setup_logging
from bot.runtime import Runtime
from bot.state.journal import Journal

ADAPTERS = {"telegram": "bot.adapters.telegram", "discord": "bot.adapters.discord"}
JOURNALLED = frozenset({"telegram"})  # adapters that take the update journal (`journal=`)
log = logging.getLogger("natobot")


def pid_file(settings: Settings) -> Path:
    return settings.state_dir / "natobot.pid"


async def serve(runtime: Runtime, settings: Settings, platforms: list[str], args: argparse.Namespace) -> None:
    """Run `platforms` until a signal or until one of them fails; re-raise that failure."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.run_in_executor(None, runtime.try_reload))

    http = None
    if settings.http_port:
        from bot.ops import http as ops_http

        http = await ops_http.start(runtime, settings.http_host, settings.http_port)
        log.info("health and metrics on http://%s:%d/healthz and /metrics", settings.http_host, settings.http_port)

    pid = pid_file(settings)
    try:
        pid.parent.mkdir(parents=True, exist_ok=True)
        pid.write_text(str(os.getpid()))
    except OSError as exc:
        log.warning("cannot write %s (natobot reload will not find this process): %s", pid, exc)

    journal = open_journal(settings) if JOURNALLED.intersection(platforms) else None
    tasks = [
        asyncio.create_task(
            importlib.import_module(ADAPTERS[p]).serve(
                runtime, settings, args, **({"journal": journal} if p in JOURNALLED else {})
            ),
            name=p,
        )
        for p in platforms
    ]
    stopper = asyncio.create_task(stop.wait(), name="signal")
    try:
        done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
        failed = [t for t in done if t is not stopper and not t.cancelled() and t.exception() is not None]
        if stop.is_set():
            log.info("shutting down: finishing in-flight replies")
    finally:
        for task in (*tasks, stopper):
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        if http is not None:
            await http.cleanup()
        await runtime.aclose()  # writes still waiting for the store get a last chance, or are counted as lost
        if journal is not None:
            journal.close()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        try:
            if pid.read_text() == str(os.getpid()):
                pid.unlink()
        except OSError:
            pass
    for task, result in zip(tasks, results, strict=True):
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            log.debug("%s stopped with %r", task.get_name(), result)
    error = failed[0].exception() if failed else None
    if error is not None:
        raise error


def open_journal(settings: Settings) -> Journal | None:
    """The update journal in the state directory: updates received but not yet answered survive a
    crash. None (each adapter keeps one in memory, logged) when the directory cannot hold it."""
    try:
        return Journal.in_dir(settings.state_dir)
    except (OSError, sqlite3.Error) as exc:
        log.error(
            "cannot open the update journal in %s (%s): replies in flight are lost on a crash", settings.state_dir, exc
        )
        return None


def run(runtime: Runtime, settings: Settings, platforms: list[str], args: argparse.Namespace) -> None:
    setup_logging(settings.log_level, settings.log_json, settings.secrets())
    asyncio.run(serve(runtime, settings, platforms, args))


def signal_reload(settings: Settings) -> str:
    """`natobot reload`: ask the running bot (found by its pid file) to reload its knowledge."""
    pid = pid_file(settings)
    try:
        target = int(pid.read_text().strip())
        os.kill(target, signal.SIGHUP)
    except (OSError, ValueError) as exc:
        raise RuntimeError(
            f"no running bot found through {pid} ({exc}); is it running with the same NATOBOT_STATE_DIR?"
        ) from None
    return f"asked process {target} to reload its knowledge (see its log for the outcome)"
