"""Per-platform health: is each platform connected, and when did its API last answer?

Adapters register a `Platform` when they start and report every API call's outcome to it; the
/healthz endpoint (`bot.ops.http`) reads `merge`, which adds each registered platform to the state
the Runtime reports and turns the whole state unhealthy when a platform is down: not connected, or
its API calls have failed without a single success for longer than `GRACE` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

GRACE = 60.0  # seconds of nothing but failed API calls before a platform counts as down


class Platform:
    """One platform's record. `connected` says whether its connection is up (a gateway socket, a
    running updater); API outcomes come in through `succeeded` and `failed`."""

    def __init__(self, name: str, connected: Callable[[], bool] | None = None) -> None:
        self.name = name
        self.connected = connected or (lambda: True)
        self.last_ok: float | None = None  # time.monotonic() of the last successful API call
        self.failing_since: float | None = None  # first failure since the last success

    def succeeded(self) -> None:
        self.last_ok = time.monotonic()
        self.failing_since = None

    def failed(self) -> None:
        if self.failing_since is None:
            self.failing_since = time.monotonic()

    def status(self) -> dict[str, Any]:
        now = time.monotonic()
        failing = None if self.failing_since is None else now - self.failing_since
        connected = bool(self.connected()) and (failing is None or failing < GRACE)
        return {
            "connected": connected,
            "last_ok_age_seconds": None if self.last_ok is None else round(now - self.last_ok, 1),
            "failing_seconds": None if failing is None else round(failing, 1),
        }


_registered: dict[str, Platform] = {}


def register(name: str, connected: Callable[[], bool] | None = None) -> Platform:
    """The record for `name`, replacing any earlier one (a restarted adapter starts afresh)."""
    _registered[name] = record = Platform(name, connected)
    return record


def unregister(record: Platform) -> None:
    if _registered.get(record.name) is record:
        del _registered[record.name]


def get(name: str) -> Platform:
    """The record for `name`, registered on first use (reports from an adapter that never registered)."""
    return _registered.get(name) or register(name)


def merge(state: dict[str, Any]) -> dict[str, Any]:
    """`state` (the Runtime's health) with every registered platform in `state["platforms"]`, and
    `state["ok"]` false when one is down. A platform the Runtime already reports as a bool (its
    connection check) is merged: connected only when both say so."""
    reported = state.get("platforms")
    platforms: dict[str, Any] = dict(reported) if isinstance(reported, dict) else {}
    for name, record in _registered.items():
        status = record.status()
        earlier = platforms.get(name)
        if isinstance(earlier, bool):
            status["connected"] = status["connected"] and earlier
        platforms[name] = status
    down = [name for name, value in platforms.items() if not (value["connected"] if isinstance(value, dict) else value)]
    return {**state, "platforms": platforms, "ok": bool(state.get("ok", True)) and not down}
