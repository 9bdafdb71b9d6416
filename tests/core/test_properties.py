"""No input crashes the core; every answer fits a chat message and does not parrot the input."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.render import plain
from bot.core.reply import Query

LIMIT = 4096
# CI runs the core fuzz with NATOBOT_FUZZ_EXAMPLES=10000 (.ci/run); a quick local run uses fewer.
EXAMPLES = int(os.environ.get("NATOBOT_FUZZ_EXAMPLES", "300"))
hostile = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=12000),
    st.builds(
        lambda name, junk: f"/{name} {junk}",
        st.sampled_from(["nato-status", "nato_status", "nato-timeline", "nato-ask", "start", "lang", "x"]),
        st.text(max_size=3000),
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00\x01\x02",
            "<script>alert(1)</script>",
            "@everyone",
            "@here <@123>",
            "/nato-status @everyone",
            "a" * 10000,
            "한" * 5000,
            "🇰🇷" * 500,
            "\u202e\u2066evil",
        ]
    ),
)


def longest_common_run(a: str, b: str, floor: int = 60) -> bool:
    """True when some run of `floor` characters of `a` (the input) appears in `b` (the answer)."""
    for start in range(0, max(0, len(a) - floor) + 1, 17):
        chunk = a[start : start + floor]
        if len(chunk) == floor and chunk.strip() and chunk in b:
            return True
    return False


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=hostile, lang=st.sampled_from([None, "en", "ko"]), locale=st.sampled_from([None, "ko", "en-US", "xx"]))
def test_any_input_gives_a_bounded_reply(answerer, text: str, lang: str | None, locale: str | None) -> None:
    reply = answerer.answer(Query(text, lang=lang, locale=locale))
    rendered = plain(reply)
    assert reply.lang in ("en", "ko")
    assert 0 < len(rendered) <= LIMIT
    assert len(rendered.encode("utf-16-le")) // 2 <= LIMIT
    assert not longest_common_run(text, rendered)
    for action in reply.actions:
        assert len(action.ref.encode()) <= 60 and answerer.follow(action.ref, reply.lang).title


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ref=st.text(max_size=80), lang=st.sampled_from(["en", "ko", "zz"]))
def test_stale_or_forged_button_refs_never_crash(answerer, ref: str, lang: str) -> None:
    reply = answerer.follow(ref, lang)
    assert len(plain(reply)) <= LIMIT


def test_every_country_and_every_answer_kind_fits(answerer) -> None:
    for code in answerer.countries.codes():
        for lang in ("en", "ko"):
            for ref in (f"status:{code}", f"timeline:{code}", f"sources:status:{code}"):
                reply = answerer.follow(ref, lang)
                assert len(plain(reply)) <= LIMIT, (ref, lang)
    for entry in answerer.knowledge.faq:
        for lang in ("en", "ko"):
            assert len(plain(answerer.follow(f"faq:{entry.id}", lang))) <= LIMIT
    for ref in ("members", "partners", "help", "timeline:all", "sources:members", "sources:timeline:all"):
        for lang in ("en", "ko"):
            assert len(plain(answerer.follow(ref, lang))) <= LIMIT
