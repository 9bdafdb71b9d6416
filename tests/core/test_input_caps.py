"""Input is capped before any processing (issue 15, item 2): what lies past the cap changes nothing."""

from __future__ import annotations

from bot.core.answerer import Answerer
from bot.core.gaps import normalise_gap
from bot.core.reply import Query
from bot.core.text import MAX_INPUT


def test_the_gap_log_reads_only_the_capped_text() -> None:
    head = "what is the nato budget " + "x" * (MAX_INPUT - 24)
    assert normalise_gap(head + "a" * 1_000_000) == normalise_gap(head)
    tail_address = "a" * MAX_INPUT + " write to bob@example.com"
    assert "example" not in normalise_gap(tail_address)  # never read, so never stored


def test_an_address_after_a_long_word_is_still_redacted() -> None:
    assert "<email>" in normalise_gap("x" * 150 + " bob.smith+nato@example.co.kr")
    assert "<email>" in normalise_gap("contact bob.smith+nato@example.co.kr about nato")


def test_a_megabyte_question_is_answered_from_its_first_characters(answerer: Answerer) -> None:
    reply = answerer.answer(Query("Is Korea in NATO? " + "blah " * 200_000))
    short = answerer.answer(Query(("Is Korea in NATO? " + "blah " * 200_000)[:MAX_INPUT]))
    assert reply == short
