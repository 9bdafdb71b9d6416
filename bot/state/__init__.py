"""State that outlives one message: chat settings, quizzes, leaderboards, the unanswered log.

`open_store` picks the backend from configuration: Redis when REDIS_URL is set (several bot
processes share one state), otherwise an SQLite file in NATOBOT_STATE_DIR (one machine).
Backends are imported lazily so `natobot ask` never pays for them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bot.state.store import (
    AnswerRecord,
    AnswerResult,
    Gap,
    MemoryStore,
    Outcome,
    QuizState,
    Standing,
    Store,
    StoreError,
)

__all__ = [
    "DB_NAME",
    "AnswerRecord",
    "AnswerResult",
    "Gap",
    "MemoryStore",
    "Outcome",
    "QuizState",
    "Standing",
    "Store",
    "StoreError",
    "open_store",
]

DB_NAME = "natobot.sqlite3"


def open_store(target: Any = None) -> Store:
    """Open the configured store.

    `target` may be a Settings object (uses its `redis_url` if it has one, else $REDIS_URL, else
    `state_dir`/natobot.sqlite3), a URL string (``redis://``, ``rediss://``, ``unix://``,
    ``sqlite:///path``, ``memory://``), a filesystem path to an SQLite file, or None (the
    environment: $REDIS_URL, else $NATOBOT_STATE_DIR or ``.natobot``).
    """
    if target is None or not isinstance(target, (str, Path)):
        url = (getattr(target, "redis_url", None) if target is not None else None) or os.environ.get("REDIS_URL")
        if url:
            return open_store(str(getattr(url, "get_secret_value", lambda: url)()))
        state_dir = getattr(target, "state_dir", None) or os.environ.get("NATOBOT_STATE_DIR") or ".natobot"
        return open_store(Path(state_dir) / DB_NAME)
    text = str(target)
    if text.startswith(("redis://", "rediss://", "unix://")):
        from bot.state.redis import RedisStore

        return RedisStore(text)
    if text.startswith("memory:"):
        return MemoryStore()
    from bot.state.sqlite import SQLiteStore

    if text.startswith("sqlite://"):
        text = text.removeprefix("sqlite://")
        text = text[1:] if text.startswith("//") else text  # sqlite:///abs/path -> /abs/path
    return SQLiteStore(text)
