"""The running bot's shared core: the current Answerer, swappable on knowledge reload.

Adapters hold the Runtime, never an Answerer, so a reload reaches every platform at once and a
failed reload leaves the old knowledge serving.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.answerer import Answerer
from bot.core.knowledge import load_knowledge
from bot.core.reply import Query, Reply
from bot.state import MemoryStore, Store


class Runtime:
    def __init__(self, knowledge_dir: Path, store: Store | None = None):
        self.knowledge_dir = Path(knowledge_dir)
        self.answerer = Answerer(load_knowledge(self.knowledge_dir))
        self.store: Store = store if store is not None else MemoryStore()

    def answer(self, query: Query) -> Reply:
        return self.answerer.answer(query)

    def follow(self, ref: str, lang: str) -> Reply:
        return self.answerer.follow(ref, lang)

    def reload(self) -> str:
        """Load and swap in the knowledge folder again; raises KnowledgeError and keeps the old one."""
        answerer = Answerer(load_knowledge(self.knowledge_dir))
        self.answerer = answerer
        return answerer.knowledge.version
