"""Match a free-text question to FAQ entries: TF-IDF cosine over every phrasing, best per entry.

Each phrasing is its own document (field max), so an entry with many phrasings is not
favoured for being long. Scores are cosines in [0, 1], which lets the answerer abstain below a
fixed threshold. Words the index has never seen still count in the query's norm, so a question
mostly about something else scores low instead of matching on one shared word.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.core.text import features

ANSWER_WEIGHT = 0.5  # an answer's own words count, but less than the curated phrasings


@dataclass(frozen=True)
class Entry:
    """Something a question can be matched to: an FAQ entry or a command intent."""

    key: str
    questions: tuple[str, ...]
    answers: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


class FaqIndex:
    def __init__(self, entries: list[Entry]):
        self._entries = entries
        self._entry_features: dict[str, frozenset[str]] = {}
        docs: list[tuple[int, float, Counter[str]]] = []
        for i, entry in enumerate(entries):
            for question in entry.questions:
                docs.append((i, 1.0, Counter(features(question))))
            for answer in entry.answers:
                docs.append((i, ANSWER_WEIGHT, Counter(features(answer))))
        for entry_id, _, counts in docs:
            key = entries[entry_id].key
            self._entry_features[key] = self._entry_features.get(key, frozenset()) | frozenset(counts)
        df: Counter[str] = Counter()
        for _, _, counts in docs:
            df.update(counts.keys())
        n = len(docs)
        self._idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        self._unknown_idf = math.log(n + 1) + 1.0
        self._vocabulary = frozenset(df)
        postings: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
        for doc_id, (entry_id, weight, counts) in enumerate(docs):
            vec = {f: (1.0 + math.log(c)) * self._idf[f] for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                postings[f].append((doc_id, entry_id, weight * v / norm))
        self._postings = {f: tuple(p) for f, p in postings.items()}

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def coverage(self, key: str, words: list[str]) -> float:
        """Share of `words` that the entry knows (by any feature): how much of the question it addresses."""
        if not words:
            return 1.0
        known = self._entry_features.get(key, frozenset())
        return sum(1 for w in words if any(f in known for f in features(w))) / len(words)

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        """Best entries for `text`, by cosine."""
        counts = Counter(features(text))
        if not counts:
            return []
        qvec = {f: (1.0 + math.log(c)) * self._idf.get(f, self._unknown_idf) for f, c in counts.items()}
        qnorm = math.sqrt(sum(v * v for v in qvec.values()))
        doc_scores: dict[int, float] = defaultdict(float)
        doc_entry: dict[int, int] = {}
        for f, qv in qvec.items():
            for doc_id, entry_id, dv in self._postings.get(f, ()):
                doc_scores[doc_id] += qv * dv
                doc_entry[doc_id] = entry_id
        best: dict[int, float] = {}
        for doc_id, score in doc_scores.items():
            entry_id = doc_entry[doc_id]
            if score > best.get(entry_id, 0.0):
                best[entry_id] = score
        hits = []
        for entry_id, score in best.items():
            hits.append(Hit(self._entries[entry_id], score / qnorm))
        hits.sort(key=lambda h: (-h.score, h.entry.key))
        return hits[:limit]
