"""Question families answered from the knowledge's rows: generated over every member, summit and
framework in both languages, and checked to follow a row a curator adds with no new phrasing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.answerer import Answerer
from bot.core.asking import REGIONS
from bot.core.i18n import format_date, ordinal, topic
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.render import plain
from bot.core.reply import Query
from bot.core.schema import Status

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

KB = load_knowledge(KNOWLEDGE)
MEMBERS = [c.code for c in KB.members()]
SUMMITS = [s.id for s in KB.summits if KB.horizon is None or s.start <= KB.horizon]


def ask(answerer: Answerer, question: str):  # type: ignore[no-untyped-def]
    reply = answerer.answer(Query(question))
    return reply, plain(reply)


@pytest.mark.parametrize("code", MEMBERS)
def test_every_member_when_joined_and_its_place(answerer: Answerer, kb: Knowledge, code: str) -> None:
    entry = kb.countries[code]
    place = answerer.facts.places[code]
    for lang, question in (
        ("en", f"when did {answerer.countries.name(code, 'en')} join nato"),
        ("ko", f"{answerer.countries.name(code, 'ko')}는 언제 나토에 가입했어?"),
    ):
        reply, text = ask(answerer, question)
        assert reply.matched and reply.country == code, question
        assert format_date(entry.joined.isoformat(), lang) in text, question
    for lang, question in (
        ("en", f"which number member is {answerer.countries.name(code, 'en')}"),
        ("ko", f"{answerer.countries.name(code, 'ko')}는 몇 번째 나토 회원국이야?"),
    ):
        reply, text = ask(answerer, question)
        assert reply.matched and reply.intent == "ordinal", question
        if place.first == place.last:
            assert ordinal(place.first, lang) in text
        elif place.first > 1:
            assert ordinal(place.first, lang) in text and ordinal(place.last, lang) in text
        assert reply.sources
    en, ko = answerer.countries.name(code, "en"), answerer.countries.name(code, "ko")
    others = [c for c in place.group if c.code != code]
    for lang, question in (("en", f"who joined nato together with {en}?"), ("ko", f"{ko}랑 같이 가입한 나라는?")):
        reply, text = ask(answerer, question)  # the same accession day, not the country's card alone
        assert reply.matched and all(answerer.countries.name(c.code, lang) in text for c in others), question
        assert str(len(place.group)) in text or not others, question
    for question in (
        f"how many members did nato have when {en} joined?",
        f"{ko}가 가입했을 때 나토 회원국은 몇 개국이 됐어?",
    ):
        reply, text = ask(answerer, question)  # the total then, not how many came after
        assert reply.matched and str(place.last) in text, question


@pytest.mark.parametrize("n", range(1, len(MEMBERS) + 2))
def test_every_ordinal_names_its_member_or_its_group(answerer: Answerer, n: int) -> None:
    for lang, question in (
        ("en", f"who was the {ordinal(n, 'en')} member of nato"),
        ("ko", f"나토 {n}번째 회원국 어디야"),
    ):
        reply, text = ask(answerer, question)
        assert reply.matched and reply.intent == "nth", question
        if n <= len(MEMBERS):
            place = answerer.facts.places[MEMBERS[n - 1]]
            assert all(answerer.countries.name(c.code, lang) in text for c in place.group), question
        else:
            assert str(len(MEMBERS)) in text  # "NATO has 32 members, so there is no 33rd"


@pytest.mark.parametrize("year", sorted({c.joined.year for c in KB.members()}))
def test_every_accession_year_lists_exactly_its_members(answerer: Answerer, year: int) -> None:
    joined = {c.code for c in KB.members() if c.joined.year == year}
    for lang, question in (
        ("en", f"which countries joined nato in {year}"),
        ("ko", f"{year}년에 나토에 가입한 나라는?"),
    ):
        reply, text = ask(answerer, question)
        assert reply.intent == "joined_in", question
        body = text.split("\n\n")[1] if "\n\n" in text else text
        for code in MEMBERS:
            assert (answerer.countries.name(code, lang) in body) == (code in joined) or (
                code not in joined
                and any(answerer.countries.name(code, lang) in answerer.countries.name(j, lang) for j in joined)
            ), (question, code)


@pytest.mark.parametrize("summit_id", SUMMITS)
def test_every_summit_where_and_who_represented_korea(answerer: Answerer, kb: Knowledge, summit_id: str) -> None:
    summit = next(s for s in kb.summits if s.id == summit_id)
    year = summit.start.year
    for lang, question in (
        ("en", f"where was the {year} nato summit"),
        ("ko", f"{year}년 나토 정상회의는 어디서 열렸어?"),
    ):
        reply, text = ask(answerer, question)
        assert reply.intent == "summit" and getattr(summit.city, lang) in text, question
    for attendee in summit.attendees:
        for lang, question in (
            ("en", f"who represented {answerer.countries.name(attendee.country, 'en')} at the {year} summit"),
            ("ko", f"{year}년 나토 정상회의에 {answerer.countries.name(attendee.country, 'ko')}에서는 누가 갔어?"),
        ):
            reply, text = ask(answerer, question)
            assert getattr(attendee.who, lang) in text, question
            assert reply.sources


@pytest.mark.parametrize("fw_id", sorted(KB.frameworks))
def test_every_framework_membership_both_ways(answerer: Answerer, kb: Knowledge, fw_id: str) -> None:
    fw = kb.frameworks[fw_id]
    inside = [c for c in kb.countries.values() if fw_id in c.frameworks]
    outside = [c for c in kb.countries.values() if fw_id not in c.frameworks and c.status is not Status.member][:5]
    short = (fw.short or fw.name).en
    for c in inside:
        reply, text = ask(answerer, f"is {answerer.countries.name(c.code, 'en')} in the {short}?")
        body = text.split("\n\n")[1]
        # listed but suspended (Russia, Belarus, Afghanistan): its card's own sentence, never a plain "Yes"
        assert reply.intent == "framework" and (body.startswith("Yes") or "suspend" in body), (c.code, text)
    for c in outside:
        reply, text = ask(answerer, f"is {answerer.countries.name(c.code, 'en')} in the {short}?")
        assert reply.intent == "framework" and text.split("\n\n")[1].startswith("No"), (c.code, text)
    short_ko = (fw.short or fw.name).ko
    for c in inside[:5]:
        reply, text = ask(answerer, f"{topic(answerer.countries.name(c.code, 'ko'))} {short_ko}에 참여해?")
        body = text.split("\n\n")[1]
        assert reply.intent == "framework" and (body.startswith("네") or "중단" in body), (c.code, text)
    for c in outside:
        reply, text = ask(answerer, f"{topic(answerer.countries.name(c.code, 'ko'))} {short_ko} 참여국이야?")
        assert reply.intent == "framework" and text.split("\n\n")[1].startswith("아니요"), (c.code, text)


@pytest.mark.parametrize(
    "question, wrong",
    [
        ("2023년 나토 정상회의는 어디서 열렸나요?", "앙카라"),
        ("where was the 2023 summit", "Ankara"),
        ("what year was nato created", "IP4"),
        ("나토는 몇 년도에 만들어졌어요?", "IP4"),
        ("30번째 나토 회원국 어디임", "핀란드"),
        ("what did korea do in afghanistan", "Afghanistan is not a NATO member"),  # not a status check of both
        ("how many members did nato have after montenegro joined", "3 countries joined"),
        ("how many countries joined together with poland", "NATO has 32 member countries"),
        ("what is nato's oldest partner outside europe", "members are in North America"),
        ("Which countries joined nato in 1952 and 2004?", "Spain"),  # two years, not the span between them
        ("is nato a military alliance", "Mutual Defense Treaty"),
    ],
)
def test_answers_the_question_asked_not_a_neighbour(answerer: Answerer, question: str, wrong: str) -> None:
    reply, text = ask(answerer, question)
    assert reply.matched and wrong not in text


@pytest.mark.parametrize(
    "question",
    [
        "Since Korea joined NATO in 2010, how many troops did it send to Afghanistan?",
        "Korea is the 33rd member, right?",
        "how long has Japan been a member of nato",
        "일본은 나토에 가입한 지 얼마나 됐어?",
    ],
)
def test_false_premises_are_corrected_first_never_yes(answerer: Answerer, question: str) -> None:
    _reply, text = ask(answerer, question)
    body = text.split("\n\n", 1)[1]
    assert not body.lower().startswith(("yes", "네", "예"))
    assert "not a NATO member" in body[:200] or "회원국이 아" in body[:200], body[:200]


@pytest.mark.parametrize(
    "question",
    [
        "how many soldiers does nato have in total",
        "what's the weather in Brussels",
        "나토 본부 날씨 어때?",
        "how many nuclear warheads does nato have",
        "nato internship application deadline",
        "What was South Korea's GDP in 2025?",  # the 5% card mentions GDP and a budget, not Korea's GDP
        "한국 GDP 얼마야",
        "What's Albania's GDP, now that it's hosting the 2027 summit?",  # later than the horizon, and not ours
        "한국 2027년 국방예산 얼마야?",  # an amount no source gives, later or not
        "What time zone is NATO HQ in?",
        "which country spends the most on defence in nato",  # a ranking no card states ("at least" is not "most")
        "나토에서 국방비 제일 많이 쓰는 나라",
        "how much does the us pay for nato",  # an amount: not the US status card
        "which countries border russia in nato",
        "쿠르스크에 파병된 북한군 정확히 몇 명이야?",  # a count: a card with only dates does not give one
    ],
)
def test_near_miss_out_of_scope_is_declined(answerer: Answerer, question: str) -> None:
    reply, _ = ask(answerer, question)
    assert not reply.matched


@pytest.mark.parametrize("office_id", sorted(KB.offices))
def test_every_office_names_its_holder_in_both_languages(answerer: Answerer, kb: Knowledge, office_id: str) -> None:
    office = kb.offices[office_id]
    holder = office.holders[-1]
    for lang, question in (("en", f"who is NATO's {office.name.en}?"), ("ko", f"나토 {office.name.ko} 누구야?")):
        reply, text = ask(answerer, question)
        assert reply.matched and reply.intent == "office", question
        assert getattr(holder.who, lang) in text, question
        if holder.start is None:  # seen in office, start unknown: "as of", never an invented start date
            assert format_date(holder.seen or "", lang) in text and "since" not in text.split("\n")[0]


@pytest.mark.parametrize("fw_id", sorted(f.id for f in KB.frameworks.values() if f.started))
def test_a_wrong_framework_start_year_is_corrected(answerer: Answerer, kb: Knowledge, fw_id: str) -> None:
    fw = kb.frameworks[fw_id]
    assert fw.started is not None
    wrong, real = int(fw.started[:4]) + 5, fw.started[:4]
    for question in (f"the {fw.name.en} was launched in {wrong}, right?", f"{fw.name.ko}는 {wrong}년에 출범했지?"):
        reply, text = ask(answerer, question)
        body = text.split("\n\n", 1)[1]
        assert reply.matched and real in body[:120] and str(wrong) in body[:120], question
        assert not body.lower().startswith(("yes", "네", "예")), question


@pytest.mark.parametrize("code", [c for c in MEMBERS if KB.countries[c].joined and KB.countries[c].joined.year >= 2014])
def test_who_held_an_office_when_a_member_joined(answerer: Answerer, kb: Knowledge, code: str) -> None:
    joined = kb.countries[code].joined
    assert joined is not None
    office = kb.offices["secretary-general"]
    holder = next(h for h in office.holders if h.start and h.start <= joined.isoformat() <= (h.end or "9999"))
    en, ko = answerer.countries.name(code, "en"), answerer.countries.name(code, "ko")
    for lang, question in (
        ("en", f"who was secretary general when {en} joined?"),
        ("ko", f"{ko} 가입 때 사무총장 누구였어?"),
    ):
        reply, text = ask(answerer, question)
        assert reply.intent == "office" and getattr(holder.who, lang) in text, question


@pytest.mark.parametrize(
    "question, needs",
    [
        ("Not counting the original 12, how many countries have joined NATO?", str(len(MEMBERS) - 12)),
        ("최근 가입한 3개국 순서대로 알려줘", "ko:" + MEMBERS[-3]),
        ("the three newest members of nato", "en:" + MEMBERS[-3]),
        ("NATO was created in 1945, right?", "1949"),
    ],
)
def test_counts_lists_and_founding_premises_from_the_rows(answerer: Answerer, question: str, needs: str) -> None:
    if needs[:3] in ("en:", "ko:"):  # a member's name in that language
        needs = answerer.countries.name(needs[3:], needs[:2])
    reply, text = ask(answerer, question)
    assert reply.matched and needs in text.split("\n\n", 1)[1][:400], question


@pytest.mark.parametrize(
    "question",
    [
        "When is Mark Rutte's birthday?",
        "What is Jens Stoltenberg doing these days?",
        "스톨텐베르그 요즘 뭐해?",
        "나토 사무총장 몇 살이야",
        "나토 가입 조건이 뭐야",  # 조건 is a word the knowledge uses, not a typo for 조선 (North Korea)
        "한국 나토 분담금 얼마",
    ],
)
def test_personal_and_amount_questions_are_declined(answerer: Answerer, question: str) -> None:
    reply, _ = ask(answerer, question)
    assert not reply.matched, question


@pytest.mark.parametrize(
    "question, needs",
    [
        ("Is Mongolia one of the IP4?", "Australia"),  # no, and who is
        ("North Macedonia was the 29th member, wasn't it?", "Montenegro"),  # no, and who was
        ("Did Albanese attend the 2023 summit in Vilnius?", "Yes."),
        ("헤이그 정상회의가 2024년이었나?", "2025"),  # the named summit's own year, not only 2024's city
        ("Which Secretary General hosted the 2023 summit in The Hague?", "Vilnius"),
        ("Now that NATO has 30 members, which was the last to join?", "32"),
        ("Which came into NATO first: Montenegro or North Macedonia?", "Montenegro joined NATO first"),
        ("Did Helsinki get into NATO before Stockholm did?", "Finland joined NATO first"),
        ("Norwegians: are they in NATO, and since when?", "1949"),
        ("When did NATO suspend practical cooperation with Russia?", "1 April 2014"),  # the country card says
        ("창설국 빼고 나중에 가입한 나라는 모두 몇 개국이에요?", "20"),
        ("2000년 말 기준 나토 회원국 수는?", "19"),
        ("Mark Rutte, the former Belgian prime minister, took over as SG when?", "from the Netherlands, not Belgium"),
        ("where is rutte from", "from the Netherlands"),
        ("Is Japan a partner across the globe?", "Yes"),  # the framework in the singular
        ("which PfP countries are in asia", "Kazakhstan"),
        ("Was Spain the 16th ally?", "Yes."),
        ("Where does West Germany rank in the order of accession?", "15th"),
        ("What number enlargement was 2004?", "5th"),
        ("Which round brought in Poland?", "4th"),
        ("which was the last country to join before finland", "North Macedonia"),
        ("who were the 31st and 32nd members", "Sweden"),
        ("Is Australia part of the IP4 and PfP?", "not in NATO's Partnership for Peace"),
        ("한국 주나토대표부는 2019년에 생겼지?", "2022"),
        ("what countries joined in the last 10 years", "Montenegro"),  # not only the newest
        ("which countries joined nato after the cold war", "Poland"),
        (
            "List all the NATO members that joined in the 21st century",
            "Albania",
        ),  # not the 21st member
        ("when did greece leave nato", "has not left"),
        ("how many partners does nato have", "partner countries"),
    ],
)
def test_corrections_and_confirmations_say_what_is_true(answerer: Answerer, question: str, needs: str) -> None:
    reply, text = ask(answerer, question)
    assert reply.matched and needs in text.split("\n\n", 1)[1][:200], question


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_every_region_lists_its_members_or_says_none(answerer: Answerer, region: str) -> None:
    en, ko, codes = REGIONS[region]
    members = [c for c in codes if c in answerer.facts.places]
    for lang, question in (("en", f"which of {en} are in nato?"), ("ko", f"{ko} 나토 회원국 알려줘")):
        reply, text = ask(answerer, question)
        assert reply.matched and reply.ref and reply.ref.startswith("q:region:"), question
        assert all(answerer.countries.name(c, lang) in text for c in members), question


def test_a_holder_needs_exactly_one_of_start_and_seen() -> None:
    from pydantic import ValidationError

    from bot.core.schema import Holder

    who = {"en": "A", "ko": "가"}
    assert Holder(who=who, seen="2026-02", sources=("s",)).since == "2026-02"
    for dates in ({}, {"start": "2020", "seen": "2026-02"}):
        with pytest.raises(ValidationError, match="exactly one"):
            Holder(who=who, sources=("s",), **dates)


def test_later_than_the_horizon_says_so(answerer: Answerer, kb: Knowledge) -> None:
    assert kb.horizon is not None
    until = format_date(kb.horizon.isoformat(), "en")
    newest = answerer.countries.name(MEMBERS[-1], "en")
    reply, text = ask(answerer, f"did any new country join nato in late {kb.horizon.year}?")
    assert reply.matched and until in text and newest in text  # who had joined by then
    reply, text = ask(answerer, f"what did nato say about korea in {kb.horizon.year + 1}")
    assert reply.matched and until in text
    reply, text = ask(answerer, "who will succeed the current nato secretary general")
    if kb.offices:
        assert until in text


@pytest.mark.parametrize(
    "question", ["jpan nato?", "KR nato?", "한궁 나토 회원국?", "is JPN in nato", "nato kor status"]
)
def test_codes_and_typos_anywhere(answerer: Answerer, question: str) -> None:
    reply, _ = ask(answerer, question)
    assert reply.matched and reply.country in ("JP", "KR"), question


def test_structured_buttons_rebuild_the_answer_in_the_other_language(answerer: Answerer) -> None:
    reply = answerer.answer(Query("which countries joined nato in 2004"))
    assert reply.ref and len(reply.ref.encode()) <= 64
    other = answerer.follow(f"lang:ko:{reply.ref}", "en")
    assert other.lang == "ko" and other.matched and "2004" in other.body
    sources = answerer.follow(f"sources:{reply.ref}", "en")
    assert sources.matched and sources.sources


def test_a_row_a_curator_adds_is_answered_by_every_family(tmp_path: Path) -> None:
    """A new member (Ireland, say) and a new summit: no phrasing added anywhere."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    countries = folder / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    start = text.index("  - code: IE")
    end = text.find("\n  - code:", start + 10)
    block = text[start : end if end != -1 else len(text)]
    new_block = block.replace("status: partner", "status: member\n    joined: 2026-05-01").replace(
        "frameworks: [pfp]", "frameworks: []"
    )
    countries.write_text(text.replace(block, new_block), encoding="utf-8")
    (folder / "zz-test-summit.yaml").write_text(
        "summits:\n  - id: dublin-2026\n    name: {en: NATO Summit in Dublin (2026), ko: 2026년 더블린 나토 정상회의}\n"
        "    city: {en: Dublin, ko: 더블린}\n    host: IE\n    start: 2026-05-02\n    end: 2026-05-03\n"
        "    attendees:\n      - country: KR\n        who: {en: Foreign Minister Test Person, ko: 테스트 외교장관}\n"
        f"    sources: [{KB.summits[0].sources[0]}]\n",
        encoding="utf-8",
    )
    answerer = Answerer(load_knowledge(folder))
    n = len(MEMBERS) + 1
    assert "Ireland" in plain(answerer.answer(Query(f"who was the {ordinal(n, 'en')} member of nato")))
    assert "아일랜드" in plain(answerer.answer(Query("2026년에 나토에 가입한 나라는?")))
    assert "Ireland" in plain(answerer.answer(Query("what is nato's newest member")))
    assert "Ireland" in plain(answerer.answer(Query("who joined nato after sweden")))
    assert str(n) in plain(answerer.answer(Query("how many members does nato have")))
    assert "Dublin" in plain(answerer.answer(Query("where was the 2026 nato summit")))
    assert "Test Person" in plain(answerer.answer(Query("who represented korea at the dublin summit")))
