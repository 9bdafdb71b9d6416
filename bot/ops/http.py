"""The operations endpoint: /healthz for orchestrators, /metrics for Prometheus.

Served by aiohttp (already a dependency of discord.py) inside the bot's own event loop, so it
reports on the very process that answers users.
"""

from __future__ import annotations

import json
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.ops import platforms
from bot.ops.metrics import Metrics


class Monitored(Protocol):
    """What the endpoint reports on (`bot.runtime.Runtime`; ops sits below it and never imports it)."""

    @property
    def metrics(self) -> Metrics: ...

    def healthy(self) -> dict[str, object]: ...


def make_app(runtime: Monitored) -> web.Application:
    async def healthz(_: web.Request) -> web.Response:
        state = platforms.merge(runtime.healthy())  # each platform's connection and last API success
        return web.Response(status=200 if state["ok"] else 503, text=json.dumps(state), content_type="application/json")

    async def metrics(_: web.Request) -> web.Response:
        response = web.Response(body=runtime.metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


async def start(runtime: Monitored, host: str, port: int) -> web.AppRunner:
    """Start serving; the caller keeps the runner and awaits `runner.cleanup()` on shutdown."""
    runner = web.AppRunner(make_app(runtime), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
