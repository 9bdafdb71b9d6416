"""Match a free-text question to FAQ entries: TF-IDF cosine over every phrasing, best per entry.

Each phrasing is its own document (field max), so an entry with many phrasings is not
favoured for being long. Scores are cosines in [0, 1], which lets the answerer abstain below a
fixed threshold. Words the index has never seen still count in the query's norm, so a question
mostly about something else scores low instead of matching on one shared word.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.text import features, is_hangul, word_features

ANSWER_WEIGHT = 0.5  # an answer's own words count, but less than the curated phrasings
# Question scaffolding: it tells "when" from "who" a little, but must not outweigh what is asked about
# (a rare "happened" would otherwise make "What happened at Vilnius?" match "What happened at Madrid?").
FUNCTION_WORDS = (
    "what",
    "whats",
    "when",
    "where",
    "who",
    "whom",
    "why",
    "how",
    "which",
    "happen",
    "happened",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "the",
    "a",
    "an",
    "at",
    "in",
    "on",
    "of",
    "to",
    "for",
    "about",
    "tell",
    "me",
    "know",
    "can",
    "could",
    "you",
    "i",
    "it",
    "its",
    "there",
    "this",
    "that",
    "with",
    "explain",
    "describe",
    "summarize",
    "summarise",
    "overview",
    "info",
    "information",
    "details",
    "설명",
    "정리",
    "알려줘",
    "알려주세요",
    "뭐",
    "뭐야",
    "뭐예요",
    "무엇",
    "언제",
    "어디",
    "누구",
    "왜",
    "어떻게",
    "어떤",
    "있었",
    "일어났",
)
FUNCTION_WEIGHT = 0.35
KO_FUNCTION_PREFIXES = (
    "뭐",
    "무엇",
    "무슨",
    "누구",
    "언제",
    "어디",
    "어떻",
    "어떤",
    "어느",
    "왜",
    "몇",
    "거야",
    "건가",
    "것",
    "게",
    "곳",
    "적이",
    "적 ",
    "할",
    "해",
    "했",
    "하는",
    "있",
    "없",
    "되",
    "된",
    "돼",
)
# In `coverage`, a word no phrasing uses counts as this share of the rarest word's weight: it may be
# what the question is really about ("population"), or just filler the index never saw ("exactly").
UNKNOWN_WEIGHT = 0.7
STRONG_WEIGHT = 2.0


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
    coverage: float = 1.0


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
        for entry_id, weight, counts in docs:
            if weight == 1.0:  # questions only: an answer mentioning a word is not a question about it
                key = entries[entry_id].key
                self._entry_features[key] = self._entry_features.get(key, frozenset()) | frozenset(counts)
        # Rarity is measured over the phrasings only: an entity named in many answers ("Vilnius") is
        # still what tells the Vilnius question apart from the Madrid one.
        df: Counter[str] = Counter()
        for _, weight, counts in docs:
            if weight == 1.0:
                df.update(counts.keys())
        n = sum(1 for _, weight, _ in docs if weight == 1.0)
        self._idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        for word in FUNCTION_WORDS:
            for f in word_features(word):
                if f in self._idf:
                    self._idf[f] *= FUNCTION_WEIGHT
        self._unknown_idf = math.log(n + 1) + 1.0
        self._vocabulary = frozenset(f for _, _, counts in docs for f in counts)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for doc_id, (_, weight, counts) in enumerate(docs):
            vec = {f: (1.0 + math.log(c)) * self._idf.get(f, self._unknown_idf) for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                postings[f].append((doc_id, weight * v / norm))
        self._postings = {f: tuple(p) for f, p in postings.items()}
        self._doc_entry = tuple(entry_id for entry_id, _, _ in docs)

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def coverage(self, key: str, words: list[str], strong: frozenset[str] = frozenset()) -> float:
        """How much of `words` the entry's phrasings address, weighted by rarity (IDF).

        A rare word such as a city or a year decides more than a common one such as "happened", and
        an acronym the user typed in capitals (`strong`) more than any.
        """
        if not words:
            return 1.0
        known = self._entry_features.get(key, frozenset())
        total = covered = 0.0
        for word in words:  # already normalised, one word each
            feats = word_features(word)
            if not feats:
                continue
            if is_hangul(word) and word.startswith(KO_FUNCTION_PREFIXES):
                weight = FUNCTION_WEIGHT  # "누구지", "뭐하는", "거야": question scaffolding, whatever the ending
            else:
                weight = max(self._idf.get(f, self._unknown_idf * UNKNOWN_WEIGHT) for f in feats)
            if word in strong:  # an acronym or code ("IP4", "ITPP"): it names the topic
                weight *= STRONG_WEIGHT
            total += weight
            if any(f in known for f in feats):
                covered += weight
        return covered / total if total else 1.0

    def search(self, text: str, limit: int = 3, words: Iterable[str] | None = None) -> list[Hit]:
        """Best entries for `text` (or its already normalised `words`), by cosine."""
        # Only features the index knows take part in the cosine: an unknown word ("exactly") says
        # nothing about which entry fits. What a question asks beyond an entry is judged separately
        # by `coverage`, where unknown words do count.
        feats = features(text) if words is None else [f for w in words for f in word_features(w)]
        counts = Counter(f for f in feats if f in self._idf)
        if not counts:
            return []
        qvec = {f: (1.0 + math.log(c)) * self._idf[f] for f, c in counts.items()}
        qnorm = math.sqrt(sum(v * v for v in qvec.values()))
        doc_scores: dict[int, float] = {}
        get = doc_scores.get
        for f, qv in qvec.items():
            for doc_id, dv in self._postings[f]:
                doc_scores[doc_id] = get(doc_id, 0.0) + qv * dv
        best: dict[int, float] = {}
        doc_entry = self._doc_entry
        for doc_id, score in doc_scores.items():
            entry_id = doc_entry[doc_id]
            if score > best.get(entry_id, 0.0):
                best[entry_id] = score
        top = heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], self._entries[item[0]].key))
        return [Hit(self._entries[entry_id], score / qnorm) for entry_id, score in top]
