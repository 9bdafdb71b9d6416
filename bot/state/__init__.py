"""State that outlives one message: per-chat settings (and, later, quizzes and scores)."""

from bot.state.store import MemoryStore, Store

__all__ = ["MemoryStore", "Store"]
