"""Caches are bounded by count and by word size (issue 15, item 6): a flood of unique long messages
cannot grow the process without end. RSS itself is measured by a benchmark, not asserted here."""

from __future__ import annotations

from bot.core import asking, cues, text


def test_word_caches_have_a_small_fixed_size() -> None:
    for cached in (
        text._korean_stems_cached,
        text._stem_cached,
        text._word_features_cached,
        cues._kind,
        asking._cues_of,
    ):
        assert cached.cache_info().maxsize is not None and cached.cache_info().maxsize <= 4096


def test_long_words_are_computed_not_cached() -> None:
    long_word = "가" * (text.CACHED_WORD + 1)
    before = text._word_features_cached.cache_info().currsize
    assert text.word_features(long_word) == text._word_features_cached.__wrapped__(long_word)
    assert text._word_features_cached.cache_info().currsize == before
