"""Match a free-text question to FAQ entries: TF-IDF cosine over every phrasing, best per entry.

Each phrasing is its own document (field max), so an entry with many phrasings is not
favoured for being long. Scores are cosines in [0, 1], which lets the answerer abstain below a
fixed threshold. Words the index has never seen still count in the query's norm, so a question
mostly about something else scores low instead of matching on one shared word.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.core.text import CACHED_WORD, features, is_hangul, word_features

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


# A feature in more than this share of the documents ("nato", "나토", "the") is near-universal: its
# postings are not walked for every question. Scores stay exactly what a full walk gives (see `search`).
UNIVERSAL_SHARE = 0.2
UNIVERSAL_MIN = 64  # below this many postings a walk is cheap anyway (small test indexes walk everything)
_WEIGHT_MEMO = 50_000  # words whose coverage weight is remembered (bounded: one entry per distinct word)


def fingerprint(entries: list[Entry]) -> str:
    """What the index is built from, so compiled index data is only ever used for the same entries."""
    doc = json.dumps([[e.key, e.questions, e.answers] for e in entries], ensure_ascii=False)
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()


_compiled: dict[str, dict[str, Any]] = {}


def use_compiled(data: dict[str, Any] | None) -> None:
    """Let a `FaqIndex` built from the same entries take `data` (from `FaqIndex.to_data`) instead of
    building its postings (`bot.core.compiled` registers what it read from the knowledge cache); None
    forgets it."""
    _compiled.clear()
    if data is not None:
        _compiled[str(data["fingerprint"])] = data


class FaqIndex:
    """Postings by integer feature id: for each feature, the ids of the documents that have it and its
    weights there; each document belongs to one entry, and an entry's documents are consecutive."""

    def __init__(self, entries: list[Entry]):
        self._entries = entries
        self._fingerprint = fingerprint(entries)
        data = _compiled.get(self._fingerprint)
        if data is not None:
            self._load(data)
        else:
            self._build(entries)
        self._prepare()

    def _build(self, entries: list[Entry]) -> None:
        docs: list[tuple[int, float, Counter[str]]] = []
        for i, entry in enumerate(entries):
            for question in entry.questions:
                docs.append((i, 1.0, Counter(features(question))))
            for answer in entry.answers:
                docs.append((i, ANSWER_WEIGHT, Counter(features(answer))))
        entry_features: dict[str, frozenset[str]] = {}
        for entry_id, weight, counts in docs:
            if weight == 1.0:  # questions only: an answer mentioning a word is not a question about it
                key = entries[entry_id].key
                entry_features[key] = entry_features.get(key, frozenset()) | frozenset(counts)
        # Rarity is measured over the phrasings only: an entity named in many answers ("Vilnius") is
        # still what tells the Vilnius question apart from the Madrid one.
        df: Counter[str] = Counter()
        for _, weight, counts in docs:
            if weight == 1.0:
                df.update(counts.keys())
        n = sum(1 for _, weight, _ in docs if weight == 1.0)
        idf = {f: math.log((n + 1) / (d + 1)) + 1.0 for f, d in df.items()}
        for word in FUNCTION_WORDS:
            for f in word_features(word):
                if f in idf:
                    idf[f] *= FUNCTION_WEIGHT
        unknown_idf = math.log(n + 1) + 1.0
        fids: dict[str, int] = {}
        postings: list[tuple[list[int], list[float]]] = []
        for doc_id, (_, weight, counts) in enumerate(docs):
            vec = {f: (1.0 + math.log(c)) * idf.get(f, unknown_idf) for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                fid = fids.get(f)
                if fid is None:
                    fid = fids[f] = len(postings)
                    postings.append(([], []))
                postings[fid][0].append(doc_id)
                postings[fid][1].append(weight * v / norm)
        self._features = list(fids)
        self._idf = idf
        self._unknown_idf = unknown_idf
        self._postings = [(tuple(d), tuple(w)) for d, w in postings]
        self._doc_entry = tuple(entry_id for entry_id, _, _ in docs)
        self._entry_features = entry_features

    def to_data(self) -> dict[str, Any]:
        """Plain data (lists, numbers, strings) that `use_compiled` turns back into this index."""
        fids = {f: i for i, f in enumerate(self._features)}
        return {
            "fingerprint": self._fingerprint,
            "features": self._features,
            "idf": [self._idf.get(f) for f in self._features],
            "unknown_idf": self._unknown_idf,
            "postings": [[list(d), list(w)] for d, w in self._postings],
            "doc_entry": list(self._doc_entry),
            "entry_features": {k: sorted(fids[f] for f in v) for k, v in self._entry_features.items()},
        }

    def _load(self, data: dict[str, Any]) -> None:
        features_ = [str(f) for f in data["features"]]
        self._features = features_
        self._idf = {f: float(v) for f, v in zip(features_, data["idf"], strict=True) if v is not None}
        self._unknown_idf = float(data["unknown_idf"])
        self._postings = [(tuple(map(int, d)), tuple(map(float, w))) for d, w in data["postings"]]
        self._doc_entry = tuple(map(int, data["doc_entry"]))
        self._entry_features = {str(k): frozenset(features_[i] for i in v) for k, v in data["entry_features"].items()}
        ndocs = len(self._doc_entry)
        if (
            len(self._postings) != len(features_)
            or len(self._idf) > len(features_)
            or any(not 0 <= e < len(self._entries) for e in self._doc_entry)
            or any(len(d) != len(w) or (d and not (min(d) >= 0 and max(d) < ndocs)) for d, w in self._postings)
        ):
            raise ValueError("compiled index data does not fit its entries")

    def _prepare(self) -> None:
        """Lookup tables derived from the postings (cheap; never stored)."""
        self._vocabulary = frozenset(self._features)
        idf = self._idf
        self._query_ids = {f: (i, idf[f]) for i, f in enumerate(self._features) if f in idf}
        ndocs = len(self._doc_entry)
        self._entry_start = [0] * (len(self._entries) + 1)
        for entry_id in self._doc_entry:
            self._entry_start[entry_id + 1] += 1
        for i in range(len(self._entries)):
            self._entry_start[i + 1] += self._entry_start[i]
        order = sorted(range(len(self._entries)), key=lambda i: self._entries[i].key)
        self._rank = [0] * len(self._entries)
        for position, entry_id in enumerate(order):
            self._rank[entry_id] = position
        # Near-universal features: a dense weight per document, the best weight per entry, and the
        # entries ranked by it.
        cap = max(UNIVERSAL_MIN, UNIVERSAL_SHARE * ndocs)
        self._universal: dict[int, tuple[array[float], dict[int, float], list[tuple[int, float]]]] = {}
        doc_entry = self._doc_entry
        for fid, (doc_ids, weights) in enumerate(self._postings):
            if len(doc_ids) <= cap:
                continue
            dense = array("d", bytes(8 * ndocs))
            best: dict[int, float] = {}
            for d, w in zip(doc_ids, weights, strict=True):
                dense[d] = w
                e = doc_entry[d]
                if w > best.get(e, 0.0):
                    best[e] = w
            ranked = sorted(best.items(), key=lambda item: (-item[1], self._rank[item[0]]))
            self._universal[fid] = (dense, best, ranked)
        self._weights: dict[str, tuple[tuple[str, ...], float] | None] = {}

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._vocabulary

    def _word_weight(self, word: str) -> tuple[tuple[str, ...], float] | None:
        """A normalised word's features and its weight in `coverage` (None: no features), remembered."""
        memo = self._weights
        if word in memo:
            return memo[word]
        feats = word_features(word)
        found: tuple[tuple[str, ...], float] | None = None
        if feats:
            if is_hangul(word) and word.startswith(KO_FUNCTION_PREFIXES):
                weight = FUNCTION_WEIGHT  # "누구지", "뭐하는", "거야": question scaffolding, whatever the ending
            else:
                weight = max(self._idf.get(f, self._unknown_idf * UNKNOWN_WEIGHT) for f in feats)
            found = (feats, weight)
        if len(memo) < _WEIGHT_MEMO and len(word) <= CACHED_WORD:
            memo[word] = found
        return found

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
            found = self._word_weight(word)
            if found is None:
                continue
            feats, weight = found
            if word in strong:  # an acronym or code ("IP4", "ITPP"): it names the topic
                weight *= STRONG_WEIGHT
            total += weight
            if any(f in known for f in feats):
                covered += weight
        return covered / total if total else 1.0

    def search(self, text: str, limit: int = 3, words: Iterable[str] | None = None) -> list[Hit]:
        """Best entries for `text` (or its already normalised `words`), by cosine.

        Near-universal features are not walked: the documents reached through the other features are
        scored in full, each entry's best document through near-universal features alone is bounded
        from above by its best weights, and only entries whose bound could reach the top `limit` are
        scored. Every score is the same sum, in the same order, as a walk over every posting gives.
        """
        if limit <= 0:
            return []
        # Only features the index knows take part in the cosine: an unknown word ("exactly") says
        # nothing about which entry fits. What a question asks beyond an entry is judged separately
        # by `coverage`, where unknown words do count.
        feats = features(text) if words is None else [f for w in words for f in word_features(w)]
        query_ids = self._query_ids
        counts: dict[int, int] = {}
        idf: dict[int, float] = {}
        for f in feats:
            known = query_ids.get(f)
            if known is not None:
                fid = known[0]
                counts[fid] = counts.get(fid, 0) + 1
                idf[fid] = known[1]
        if not counts:
            return []
        qvec = [(fid, (1.0 + math.log(c)) * idf[fid]) for fid, c in counts.items()]
        qnorm = math.sqrt(sum(qv * qv for _, qv in qvec))
        universal = self._universal
        postings = self._postings
        scores: dict[int, float] = {}  # document -> score
        get = scores.get
        near = [(fid, qv) for fid, qv in qvec if fid in universal]
        reached: set[int] = set()
        if near:
            for fid, _ in qvec:
                if fid not in universal:
                    reached.update(postings[fid][0])
        for fid, qv in qvec:
            if fid in universal:  # only the documents reached otherwise; the rest are bounded below
                doc_ids, weights = postings[fid]
                if len(reached) < len(doc_ids):
                    dense = universal[fid][0]
                    for d in reached:
                        scores[d] = get(d, 0.0) + qv * dense[d]
                else:
                    for d, w in zip(doc_ids, weights, strict=True):
                        if d in reached:
                            scores[d] = get(d, 0.0) + qv * w
            else:
                doc_ids, weights = postings[fid]
                for d, w in zip(doc_ids, weights, strict=True):
                    scores[d] = get(d, 0.0) + qv * w
        best: dict[int, float] = {}  # entry -> its best document's score
        doc_entry = self._doc_entry
        for d, score in scores.items():
            e = doc_entry[d]
            if score > best.get(e, 0.0):
                best[e] = score
        if near:
            self._near_only(near, reached, best, limit)
        top = list(best)
        if len(top) > limit:
            floor = heapq.nlargest(limit, best.values())[-1]
            top = [e for e in top if best[e] >= floor]
        top.sort(key=self._rank.__getitem__)
        top.sort(key=best.__getitem__, reverse=True)  # stable: equal scores stay in key order
        return [Hit(self._entries[e], best[e] / qnorm) for e in top[:limit]]

    def _near_only(self, near: list[tuple[int, float]], reached: set[int], best: dict[int, float], limit: int) -> None:
        """Raise `best` by the documents that share only near-universal features with the question.

        A reached document was scored in full, and its score is at least any one of its terms, so an
        entry's best document through near-universal features alone can be taken over all its documents.
        """
        floor = heapq.nlargest(limit, best.values())[-1] if len(best) >= limit else 0.0
        universal = self._universal
        if len(near) == 1:  # the usual case ("nato"): the best such document is the one with the best weight
            fid, qv = near[0]
            for e, top in universal[fid][2]:
                score = qv * top
                if score < floor:
                    break
                if score > best.get(e, 0.0):
                    best[e] = score
            return
        bound: dict[int, float] = {}  # each term at its entry's best weight: no document sums to more
        for fid, qv in near:
            for e, top in universal[fid][1].items():
                bound[e] = bound.get(e, 0.0) + qv * top
        dense = [(universal[fid][0], qv) for fid, qv in near]
        start = self._entry_start
        for e, most in bound.items():
            if most < floor or most <= best.get(e, 0.0):
                continue
            for d in range(start[e], start[e + 1]):
                if d in reached:
                    continue
                score = 0.0
                for weights, qv in dense:
                    score = score + qv * weights[d]
                if score > best.get(e, 0.0):
                    best[e] = score
