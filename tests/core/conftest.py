from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answerer import Answerer
from bot.core.knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="session")
def answerer(kb: Knowledge) -> Answerer:
    return Answerer(kb)
