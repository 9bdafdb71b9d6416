"""The public dev set: questions as people type them, with the answer each must get.

Expectations name what the answer is (a country's status, an FAQ entry, a decline), never its
wording, so curators can improve texts without touching tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.render import plain
from bot.core.reply import Query, Reply

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "dev_questions.tsv"


def load() -> list[tuple[str, str, str]]:
    rows = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():  # comments and blank lines
            continue
        question, lang, expected = line.split("\t")
        rows.append((question, lang, expected))
    return rows


CASES = load()


def check(reply: Reply, expected: str) -> None:
    """`expected` may list equivalent answers separated by '|' (a computed answer or the curated card)."""
    if "|" in expected:
        errors = []
        for option in expected.split("|"):
            try:
                return check(reply, option)
            except AssertionError as exc:
                errors.append(exc)
        raise errors[-1]
    kind, _, arg = expected.partition(":")
    if kind == "q":  # an answer computed from the data (bot/core/structured.py), by its ref
        assert reply.matched and reply.ref == expected and reply.sources
        return
    if kind == "decline":
        assert not reply.matched and reply.country is None and not reply.sources
    elif kind == "status" and reply.ref and reply.ref.startswith("faq:") and reply.ref.endswith("-is-member"):
        # a curated "is X a member?" entry answers the same question as the status card
        assert reply.matched and reply.country == arg and reply.sources
    elif kind in ("status", "joined", "timeline"):
        assert reply.matched and reply.intent == kind
        assert reply.country == (None if arg == "all" else arg)
        assert reply.sources or (kind == "timeline" and reply.body.startswith("•") is not False)
    elif kind == "faq":
        assert reply.matched and reply.ref == f"faq:{arg}" and reply.sources
    elif kind in ("members", "partners", "help"):
        assert reply.matched and reply.intent == kind
    else:  # need_country, unknown_country, unknown_command: a helpful refusal
        assert not reply.matched and reply.intent in ("status", "unknown_command")


def test_dev_set_is_big_and_bilingual() -> None:
    assert len(CASES) >= 200
    assert sum(lang == "ko" for _, lang, _ in CASES) >= 60
    assert sum(exp == "decline" for *_, exp in CASES) >= 20


@pytest.mark.parametrize("question, lang, expected", CASES, ids=[f"{i}" for i in range(len(CASES))])
def test_dev_question(answerer, question: str, lang: str, expected: str) -> None:
    reply = answerer.answer(Query(question))
    assert reply.lang == lang, (question, reply.lang)
    try:
        check(reply, expected)
    except AssertionError:
        raise AssertionError(
            f"{question!r}: expected {expected}, got intent={reply.intent} country={reply.country} "
            f"ref={reply.ref} matched={reply.matched}"
        ) from None
    assert len(plain(reply)) <= 4096
