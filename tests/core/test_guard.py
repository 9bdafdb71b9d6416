"""The guard in behaviour: false premises corrected, dates past the horizon, near misses declined,
acronyms and slots respected. Generic over the data where it can be (a member, the newest member,
the current office holder), so a curator's edit does not break the tests."""

from __future__ import annotations

import pytest

from bot.core.answerer import Answerer
from bot.core.i18n import format_date
from bot.core.knowledge import Knowledge
from bot.core.render import plain
from bot.core.reply import Query


def ask(answerer: Answerer, question: str) -> tuple[bool, str]:
    reply = answerer.answer(Query(question))
    return reply.matched, plain(reply)


def test_a_wrong_accession_year_is_corrected_with_the_right_date(answerer: Answerer, kb: Knowledge) -> None:
    member = next(c for c in kb.members() if c.joined.year not in (1949, 2004))
    name = answerer.countries.name(member.code, "en")
    matched, text = ask(answerer, f"{name} joined NATO in 2004, didn't it?")
    assert matched and not text.split("\n\n", 1)[1].startswith("Yes")
    assert format_date(member.joined.isoformat(), "en") in text


def test_a_wrong_newest_member_is_corrected(answerer: Answerer, kb: Knowledge) -> None:
    older = kb.members()[-3]
    newest = kb.members()[-1]
    matched, text = ask(answerer, f"{answerer.countries.name(older.code, 'en')} is the newest NATO member, right?")
    assert matched and "Not quite" in text and answerer.countries.name(newest.code, "en") in text


def test_an_attendee_who_was_not_there_is_corrected(answerer: Answerer, kb: Knowledge) -> None:
    madrid = next(s for s in kb.summits if s.attendees)
    later = next(s for s in kb.summits if s.start > madrid.start and s.attendees)
    person = next(a for a in madrid.attendees if all(a.who.en not in b.who.en for b in later.attendees))
    surname = person.who.en.split()[-1]
    matched, text = ask(answerer, f"did {surname} attend the {later.start.year} nato summit")
    assert matched and "Not quite" in text


def test_office_holders_by_year_and_the_predecessor(answerer: Answerer, kb: Knowledge) -> None:
    office = next(iter(kb.offices.values()))
    if len(office.holders) < 2:
        pytest.skip("needs two holders")
    before, now = office.holders[-2], office.holders[-1]
    _, text = ask(answerer, f"who is the current {office.name.en}")
    assert now.who.en in text
    _, text = ask(answerer, f"who was {office.name.en} before {now.who.en.split()[-1]}")
    assert before.who.en in text
    matched, text = ask(answerer, f"who was the first {office.name.en} of nato")
    assert not matched or before.who.en not in text.split("\n\n", 1)[1][:80]


@pytest.mark.parametrize("when", ["in late {y}", "in November {y}", "in the second half of {y}", "{y}년 11월에"])
def test_dates_after_the_horizon_in_its_own_year(answerer: Answerer, kb: Knowledge, when: str) -> None:
    assert kb.horizon is not None and kb.horizon.month < 11
    question = f"did south korea sign a new partnership programme with nato {when.format(y=kb.horizon.year)}"
    matched, text = ask(answerer, question)
    until = kb.horizon.isoformat()[:4]
    assert matched and (format_date(kb.horizon.isoformat(), "en") in text or f"{until}년" in text)


def test_a_typed_acronym_must_be_in_the_answer(answerer: Answerer) -> None:
    matched, _text = ask(answerer, "what did the ZQXW agreement between korea and nato say")
    assert not matched


def test_two_korean_names_glued_with_a_particle(answerer: Answerer) -> None:
    reply = answerer.answer(Query("그리스랑튀르키예 같은 날 가입했어?"))
    assert reply.matched and {"GR", "TR"} <= set(reply.ref.split(":")[-1].split("-"))


@pytest.mark.parametrize(
    "question",
    [
        "How many Korean soldiers died in Afghanistan?",
        "what time is it in Tokyo",
        "translate thank you into korean",
        "What will the weather be like in Ankara in early July?",
        "Tell me a joke about NATO and Korea",
        "헤이그 정상회의 경호 비용 얼마 들었대?",
        "사이버방위센터 채용공고 어디서 봐요?",
    ],
)
def test_more_near_misses_are_declined(answerer: Answerer, question: str) -> None:
    matched, _ = ask(answerer, question)
    assert not matched, question


def test_a_summit_with_the_wrong_year_or_city_is_corrected(answerer: Answerer, kb: Knowledge) -> None:
    past = [s for s in kb.summits if kb.horizon is None or s.start <= kb.horizon]
    first, second = past[0], past[1]
    matched, text = ask(answerer, f"the {second.start.year} summit was in {first.city.en}, right?")
    assert matched and "Not quite" in text and second.city.en in text
    matched, text = ask(answerer, f"was the {first.city.en} summit in {first.start.year - 1}?")
    assert matched and "Not quite" in text and str(first.start.year) in text


def test_right_after_a_member_is_the_next_round_only(answerer: Answerer, kb: Knowledge) -> None:
    members = kb.members()
    code = next(c.code for c in members[12:-3])
    place = answerer.facts.places[code]
    nxt = answerer.facts.places[members[place.last].code]
    _, text = ask(answerer, f"who joined nato right after {answerer.countries.name(code, 'en')}")
    text = text.split("\nSources:")[0]
    assert all(answerer.countries.name(c.code, "en") in text for c in nxt.group)
    assert answerer.countries.name(members[-1].code, "en") not in text or nxt.last == len(members)


def test_members_outside_a_continent(answerer: Answerer, kb: Knowledge) -> None:
    outside = [c for c in kb.members() if c.continent is not None and c.continent.value != "europe"]
    _, text = ask(answerer, "which nato members are not in europe")
    assert all(answerer.countries.name(c.code, "en") in text for c in outside)


def test_a_when_question_gets_no_yes_opener(answerer: Answerer) -> None:
    for question in ("when did korea open its mission to nato", "한국 나토 대표부 언제 생겼어?"):
        matched, text = ask(answerer, question)
        assert matched and not text.split("\n\n", 1)[1].startswith(("Yes", "네."))
