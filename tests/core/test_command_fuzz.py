"""bot.core.commands.parse fuzzed: it never raises, and every native command name round-trips.

CI runs NATOBOT_FUZZ_EXAMPLES=10000 (.ci/run); a local run uses 300.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import commands
from bot.core.commands import COMMANDS, ParsedCommand

EXAMPLES = int(os.environ.get("NATOBOT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = sorted({(c, name) for c in COMMANDS for name in (c.id, c.telegram, c.discord)}, key=lambda p: p[1])
commandish = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=3000),
    st.builds(
        lambda p, name, bot, arg: f"{p}{name}{bot}{arg}",
        st.sampled_from(["/", "!", "", " /", "//"]),
        st.one_of(st.sampled_from([n for _, n in NAMES]), st.from_regex(r"[\w-]{0,70}", fullmatch=True)),
        st.sampled_from(["", "@ThisBot", "@OtherBot", "@", "@@x", "@thisbot"]),
        st.text(max_size=80),
    ),
)


@FUZZ
@given(text=commandish)
def test_parse_never_raises_and_gives_a_command_or_none(text: str) -> None:
    parsed = commands.parse(text)
    assert parsed is None or isinstance(parsed, ParsedCommand)
    if parsed is not None:
        assert parsed.name and parsed.arg == parsed.arg.strip()
        assert parsed.command is None or parsed.command in COMMANDS
        assert parsed.bot is None or parsed.bot.strip() == parsed.bot != ""


@FUZZ
@given(
    pair=st.sampled_from(NAMES),
    prefix=st.sampled_from(["/", "!"]),
    upper=st.booleans(),
    bot=st.sampled_from(["", "@ThisBot", "@some_other_bot"]),
    arg=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)
def test_every_native_name_round_trips(pair: tuple, prefix: str, upper: bool, bot: str, arg: str) -> None:
    command, name = pair
    typed = name.upper() if upper else name
    parsed = commands.parse(f"{prefix}{typed}{bot} {arg}")
    assert parsed is not None and parsed.command == command, (name, bot, arg)
    assert parsed.bot == (bot[1:] or None)
    assert commands.find(name) == command


def test_every_command_is_found_by_its_bare_and_slash_forms() -> None:
    for command in COMMANDS:
        for name in (command.id, command.telegram, command.discord):
            parsed = commands.parse(f"/{name}")
            assert parsed is not None and parsed.command == command and parsed.arg == ""
