"""The FAQ index skips the postings of near-universal words ("nato", "나토") yet scores exactly as a walk
over every posting does: same entries, same order, the same floating-point scores."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from pathlib import Path

import pytest

from bot.core import retrieval
from bot.core.answerer import Answerer
from bot.core.knowledge import load_knowledge
from bot.core.retrieval import Entry, FaqIndex
from bot.core.text import normalize, split_korean, word_features

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev_frames.tsv"


def walk_every_posting(index: FaqIndex, words: list[str], limit: int) -> list[tuple[str, float]]:
    """The scoring before issue 16: every posting of every known query feature, in query order."""
    feats = [f for w in words for f in word_features(w)]
    counts = Counter(f for f in feats if f in index._idf)
    if not counts:
        return []
    qvec = {f: (1.0 + math.log(c)) * index._idf[f] for f, c in counts.items()}
    qnorm = math.sqrt(sum(v * v for v in qvec.values()))
    fid = {f: i for i, f in enumerate(index._features)}
    scores: dict[int, float] = {}
    for f, qv in qvec.items():
        doc_ids, weights = index._postings[fid[f]]
        for d, w in zip(doc_ids, weights, strict=True):
            scores[d] = scores.get(d, 0.0) + qv * w
    best: dict[int, float] = {}
    for d, score in scores.items():
        e = index._doc_entry[d]
        if score > best.get(e, 0.0):
            best[e] = score
    top = heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], index._entries[item[0]].key))
    return [(index._entries[e].key, score / qnorm) for e, score in top]


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return Answerer(load_knowledge(ROOT / "knowledge")).index


def _questions() -> list[str]:
    lines = DEV.read_text(encoding="utf-8").splitlines()[1:]
    extra = ["nato", "나토", "the nato", "nato 나토 the", "is korea in the nato summit", "나토 한국 정상회의 파트너"]
    return [line.split("\t")[0] for line in lines if line.strip()] + extra


def test_the_index_skips_near_universal_postings(index: FaqIndex) -> None:
    assert index._universal, "the shipped knowledge has near-universal features ('nato', '나토')"
    near = {index._features[fid] for fid in index._universal}
    assert {"nato", "나토"} <= near


@pytest.mark.parametrize("limit", [1, 3, 8, 30])
def test_scores_are_exactly_a_full_walk(index: FaqIndex, limit: int) -> None:
    for question in _questions():
        words = split_korean(normalize(question).split())
        got = [(h.entry.key, h.score) for h in index.search(question, limit=limit, words=words)]
        assert got == walk_every_posting(index, words, limit), question


def test_several_near_universal_words_in_one_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small index where most words are near-universal exercises the bound on entries."""
    monkeypatch.setattr(retrieval, "UNIVERSAL_MIN", 0)
    monkeypatch.setattr(retrieval, "UNIVERSAL_SHARE", 0.15)
    entries = [
        Entry(f"e{i}", (f"what is nato {w}", f"nato and the {w} summit", f"the {w} of nato"), (f"nato {w} answer",))
        for i, w in enumerate(["korea", "japan", "summit", "partner", "member", "korea japan", "the the nato"])
    ]
    small = FaqIndex(entries)
    assert len(small._universal) >= 3
    for question in ["nato", "the nato summit", "what is the nato summit", "korea nato", "japan the", "member"]:
        words = normalize(question).split()
        for limit in (1, 2, 5):
            got = [(h.entry.key, h.score) for h in small.search(question, limit=limit, words=words)]
            assert got == walk_every_posting(small, words, limit), (question, limit)


def test_coverage_weights_are_remembered_not_changed(index: FaqIndex) -> None:
    words = normalize("who represented korea at the vilnius summit exactly").split()
    first = index.coverage("faq:kr-is-member", words, frozenset({"korea"}))
    assert index.coverage("faq:kr-is-member", words, frozenset({"korea"})) == first
    assert "vilnius" in index._weights
