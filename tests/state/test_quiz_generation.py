"""Quiz questions come from the knowledge base, are well-formed, and fit Telegram's quiz polls."""

from __future__ import annotations

import dataclasses
import functools
import json
import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.countries import CountryIndex
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.quiz import (
    ALL,
    BUTTON_MAX,
    EXPLANATION_MAX,
    MAX_LENGTH,
    OPTION_MAX,
    QUESTION_MAX,
    TOPICS,
    Question,
    QuizMaker,
    QuizRequest,
    clip,
    leaderboard_lines,
    parse_quiz_args,
    reveal,
)
from bot.core.schema import Status
from bot.state.store import Standing

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="session")
def names(kb: Knowledge) -> CountryIndex:
    return CountryIndex(kb)


@pytest.fixture(scope="session")
def maker(kb: Knowledge, names: CountryIndex) -> QuizMaker:
    return QuizMaker(kb, names)


def check_well_formed(q: Question, kb: Knowledge) -> None:
    assert len(q.options) == 4 and 0 <= q.correct < 4
    for lang in ("en", "ko"):
        texts = q.option_texts(lang)
        assert len({t.casefold() for t in texts}) == 4, (q.key, texts)
        assert all(0 < len(t) <= min(OPTION_MAX, BUTTON_MAX) for t in texts), (q.key, texts)
        assert 0 < len(q.text(lang)) <= QUESTION_MAX, q.key
        assert 0 < len(q.why(lang)) <= EXPLANATION_MAX, q.key
        assert "{" not in q.text(lang) + q.why(lang) + "".join(texts), q.key  # no unfilled template slot
    assert q.sources, q.key
    for s in q.sources:
        assert str(kb.sources[s.id].url) == s.url and s.url.startswith("http")
    assert Question.from_dict(json.loads(json.dumps(q.to_dict()))) == q  # survives the store


def check_true_to_knowledge(q: Question, kb: Knowledge, names: CountryIndex) -> None:
    """Re-derive the right answer from the knowledge, independently of the generator."""
    code_of = {names.name(code, "en"): code for code in names.codes()}
    kind, _, rest = q.key.partition(":")
    answer = q.answer("en")
    others = [o for i, o in enumerate(q.option_texts("en")) if i != q.correct]

    def status(name: str) -> Status | None:
        return kb.countries[code_of[name]].status if code_of[name] in kb.countries else None

    def frameworks(name: str) -> tuple[str, ...]:
        return kb.countries[code_of[name]].frameworks if code_of[name] in kb.countries else ()

    if kind == "joined":
        assert answer == str(kb.countries[rest].joined.year)  # type: ignore[union-attr]
    elif kind == "is_member":
        assert code_of[answer] == rest and status(answer) is Status.member
        assert all(status(o) is not Status.member for o in others)
    elif kind == "not_member":
        assert code_of[answer] == rest and status(answer) is not Status.member
        assert all(status(o) is Status.member for o in others)
    elif kind == "in_framework":
        fid, code = rest.split(":")
        assert code_of[answer] == code and fid in frameworks(answer)
        assert all(fid not in frameworks(o) for o in others)
    elif kind == "not_in_framework":
        fid, code = rest.split(":")
        assert code_of[answer] == code and fid not in frameworks(answer)
        assert all(fid in frameworks(o) for o in others)
    elif kind == "framework_of":
        by_name = {f.name.en: fid for fid, f in kb.frameworks.items()}
        assert by_name[answer] in kb.countries[rest].frameworks
        assert all(by_name[o] not in kb.countries[rest].frameworks for o in others)
    elif kind == "represented":
        sid, code = rest.split(":")
        summit = next(s for s in kb.summits if s.id == sid)
        assert answer == next(a.who.en for a in summit.attendees if a.country == code)
        assert all(o not in {a.who.en for a in summit.attendees if a.country == code} for o in others)
    elif kind == "host":
        assert code_of[answer] == next(s.host for s in kb.summits if s.id == rest)
    elif kind == "when":
        assert answer == rest[:4]
        assert any("korea" in e.tags for e in kb.timeline if e.date == rest.split("#")[0])
    elif kind == "what_year":
        year = rest[:4]
        korea = [e for e in kb.timeline if "korea" in e.tags]
        assert any(e.date.startswith(year) and clip(e.text.en, BUTTON_MAX) == answer for e in korea)
        for o in others:
            assert all(not e.date.startswith(year) for e in korea if clip(e.text.en, BUTTON_MAX) == o)
    else:
        raise AssertionError(f"untested question kind {kind}")


@functools.cache
def _shared() -> tuple[Knowledge, CountryIndex, QuizMaker]:
    """Built once; not fixtures, so hypothesis does not print the whole knowledge base on failure."""
    kb = load_knowledge(KNOWLEDGE)
    names = CountryIndex(kb)
    return kb, names, QuizMaker(kb, names)


@settings(max_examples=150, deadline=None)
@given(
    topic=st.sampled_from((*TOPICS, ALL)),
    length=st.integers(1, MAX_LENGTH),
    seed=st.one_of(st.integers(), st.text(max_size=20)),
)
def test_every_generated_quiz_is_well_formed(topic: str, length: int, seed: int | str) -> None:
    kb, names, maker = _shared()
    quiz = maker.generate(topic, length, seed)
    assert len(quiz) == min(length, maker.available(topic))
    assert len({q.key for q in quiz}) == len(quiz)  # no repeated question
    for q in quiz:
        assert topic == ALL or q.topic == topic
        check_well_formed(q, kb)
        check_true_to_knowledge(q, kb, names)
    assert maker.generate(topic, length, seed) == quiz  # deterministic


def test_every_fact_builds_a_valid_question(maker: QuizMaker, kb: Knowledge, names: CountryIndex) -> None:
    """Not just the sampled ones: every question the knowledge supports, with several option draws."""
    skipped = []
    for fact in maker._facts:
        for seed in range(3):
            q = fact.build(random.Random(seed))
            if q is None:
                skipped.append(fact.key)
                continue
            check_well_formed(q, kb)
            check_true_to_knowledge(q, kb, names)
    # Only a timeline event too long for a 300-character poll question may be left out.
    assert all(key.startswith("when:") for key in skipped), skipped
    assert len(set(skipped)) <= 2
    kinds = {f.key.split(":")[0] for f in maker._facts}
    assert kinds == {
        "joined",
        "is_member",
        "not_member",
        "in_framework",
        "not_in_framework",
        "framework_of",
        "represented",
        "host",
        "when",
        "what_year",
    }


def test_seeds_vary_and_topics_cover_their_subject(maker: QuizMaker) -> None:
    quizzes = {tuple(q.key for q in maker.generate("all", 5, seed)) for seed in range(10)}
    assert len(quizzes) > 5
    assert {q.key.split(":")[0] for q in maker.generate("ip4", 20, 1)} <= {
        "in_framework",
        "not_in_framework",
        "framework_of",
    }
    assert all("ip4" in q.key or q.key.startswith("framework_of") for q in maker.generate("ip4", 20, 1))
    assert all(q.key.split(":")[0] in {"when", "what_year"} for q in maker.generate("korea", 20, 1))
    assert all(q.key.split(":")[0] in {"represented", "host"} for q in maker.generate("summits", 20, 1))


def test_a_quiz_mixes_subjects_before_repeating_one(maker: QuizMaker) -> None:
    for seed in range(20):
        subjects = [q.key.split(":")[-1] for q in maker.generate("members", 10, seed)]
        assert len(set(subjects)) == len(subjects)


def test_length_is_clamped_and_topic_checked(maker: QuizMaker) -> None:
    assert len(maker.generate("all", 0, 1)) == 1
    assert len(maker.generate("all", 500, 1)) == MAX_LENGTH
    assert len(maker.generate()) == 5
    with pytest.raises(ValueError, match="unknown quiz topic"):
        maker.generate("football", 5, 1)


def test_new_knowledge_makes_new_questions(kb: Knowledge, names: CountryIndex) -> None:
    """Nothing about the facts is written in code: change the knowledge and the quiz follows."""
    ireland = kb.countries["IE"].model_copy(
        update={"status": Status.member, "joined": date(2031, 5, 1), "frameworks": ()}
    )
    changed = dataclasses.replace(kb, countries={**kb.countries, "IE": ireland})
    maker = QuizMaker(changed, names)
    keys = {q.key for seed in range(40) for q in maker.generate("members", 20, seed)}
    assert "joined:IE" in keys and "not_member:IE" not in keys
    q = next(q for seed in range(40) for q in maker.generate("members", 20, seed) if q.key == "joined:IE")
    assert q.answer("en") == "2031" and q.answer("ko") == "2031년"
    assert "2031" in q.why("en") and "2031년 5월 1일" in q.why("ko")


def test_korean_text_uses_korean_names_and_particles(maker: QuizMaker) -> None:
    q = next(q for seed in range(50) for q in maker.generate("members", 20, seed) if q.key == "joined:FI")
    assert q.text("ko") == "핀란드는 몇 년에 나토에 가입했나요?"
    assert q.text("en") == "In which year did Finland join NATO?"
    assert q.answer("en") == "2023" and q.option_texts("en") == sorted(q.option_texts("en"))
    assert q.text("fr") == q.text("en")  # unknown language falls back to English


def test_parse_quiz_args() -> None:
    assert parse_quiz_args("") == QuizRequest("all", 5)
    assert parse_quiz_args("korea 10") == QuizRequest("korea", 10)
    assert parse_quiz_args("10 IP4") == QuizRequest("ip4", 10)
    assert parse_quiz_args("한국 3") == QuizRequest("korea", 3)
    assert parse_quiz_args("정상회의") == QuizRequest("summits", 5)
    assert parse_quiz_args("partners 99") == QuizRequest("partners", 20)
    assert parse_quiz_args("football") is None


def test_reveal_and_leaderboard_text(maker: QuizMaker) -> None:
    q = maker.generate("summits", 1, 3)[0]
    text = reveal(q, "ko")
    assert text.startswith(f"정답: {q.answer('ko')}") and q.why("ko") in text and q.sources[0].url in text
    assert reveal(q, "en").startswith("Correct answer: ")
    board = [Standing("c", "u1", "Ann", 5, 5, 7, 3, 4), Standing("c", "u2", "민수", 2, 2, 2, 0, 2)]
    assert leaderboard_lines(board, "en") == [
        "1. Ann: 5 pts (5/7 correct, best streak 4) 🔥3",
        "2. 민수: 2 pts (2/2 correct, best streak 2)",
    ]
    assert leaderboard_lines(board, "ko")[1] == "2. 민수: 2점 (2문제 중 2개 정답, 최고 연속 2)"
    assert leaderboard_lines([], "ko") == ["아직 점수가 없어요. 퀴즈를 시작해 보세요!"]
