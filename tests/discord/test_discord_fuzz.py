"""The Discord adapter's parsing fuzzed: the question in a message that mentions the bot, country
autocomplete on any input (at most 25 valid choices, quickly), and the country argument, which the
core validates again whatever the user typed instead of a suggestion.

CI runs NATOBOT_FUZZ_EXAMPLES=10000 (.ci/run); a local run uses 300.
"""

from __future__ import annotations

import os

import pytest
from fake_discord import BOT_ID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.discord.client import mention_question
from bot.adapters.discord.commands import MAX_ARGUMENT, MAX_CHOICES
from bot.adapters.discord.render import embed
from bot.core.autocomplete import CountryChoices
from bot.core.reply import Query

EXAMPLES = int(os.environ.get("NATOBOT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
mentions = st.sampled_from([f"<@{BOT_ID}>", f"<@!{BOT_ID}>", "<@123>", "@everyone", "<@", ">", f"{BOT_ID}", "<@!"])
content = st.lists(st.one_of(mentions, st.text(max_size=30)), max_size=12).map("".join)
typed = st.one_of(
    st.text(max_size=MAX_ARGUMENT + 20),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6000),
    st.sampled_from(["", " ", "k", "korea", "한국", "United", "%", "\u202e", "a" * 200]),
)


@pytest.fixture(scope="module")
def choices(shared_runtime) -> CountryChoices:
    return CountryChoices(shared_runtime.answerer.countries, shared_runtime.answerer.knowledge.countries)


@FUZZ
@given(text=content)
def test_mention_question_never_keeps_a_mention_of_the_bot(text: str) -> None:
    asked = mention_question(text, BOT_ID)
    assert asked and asked == asked.strip()
    assert f"<@{BOT_ID}>" not in asked and f"<@!{BOT_ID}>" not in asked


@FUZZ
@given(text=typed, lang=st.sampled_from(["en", "ko", "xx"]))
def test_autocomplete_gives_at_most_25_valid_choices(choices: CountryChoices, text: str, lang: str) -> None:
    # Its speed is a benchmark's business (shared machines make timed assertions flaky), not a test's.
    offered = choices.search(text, lang)
    assert len(offered) <= MAX_CHOICES
    codes = set(choices.countries.codes())
    assert all(c.value in codes and 1 <= len(c.name) <= 100 for c in offered)
    assert len({c.value for c in offered}) == len(offered)


@FUZZ
@given(text=typed, command=st.sampled_from(["nato-status", "nato-timeline"]), lang=st.sampled_from([None, "ko"]))
def test_any_country_argument_is_validated_again_by_the_core(
    shared_runtime, text: str, command: str, lang: str | None
) -> None:
    """What the user submits need not be a suggestion: the adapter's query is answered (or politely
    not) for a known country only, and the embed always fits."""
    argument = text.strip()[:MAX_ARGUMENT]
    reply = shared_runtime.answer(Query(f"/{command} {argument}".strip(), lang=lang, platform="discord"))
    assert reply.country is None or reply.country in shared_runtime.answerer.countries.codes()
    assert len(embed(reply)) <= 6000


def test_every_suggestion_resolves_to_that_country(shared_runtime, choices: CountryChoices) -> None:
    for code in choices.countries.codes():
        reply = shared_runtime.answer(Query(f"/nato-status {code}", platform="discord"))
        assert reply.matched and reply.country == code, code
