"""Invisible characters inside a word are removed, not turned into spaces (issue 15, item 7)."""

from __future__ import annotations

import pytest

from bot.core.answerer import Answerer
from bot.core.reply import Query
from bot.core.text import clean

INVISIBLE = [
    "\u200b",
    "\u00ad",
    "\u200d",
    "\u200c",
    "\u200e",
    "\u200f",
    "\x00",
    "\x07",
    "\u2060",
    "\u2061",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u180e",
    "\u206a",
]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_a_word_with_an_invisible_character_is_still_the_word(answerer: Answerer, char: str) -> None:
    for question, code in (
        (f"Is Ko{char}rea in NATO?", "KR"),
        (f"한{char}국은 나토 회원국인가요?", "KR"),
        (f"when did fin{char}land join nato", "FI"),
    ):
        reply = answerer.answer(Query(question))
        assert reply.matched and reply.country == code, (question, reply.intent)


def test_line_breaks_and_tabs_still_separate_words() -> None:
    assert clean("Is\nKorea\tin\u2028NATO") == "Is Korea in NATO"
