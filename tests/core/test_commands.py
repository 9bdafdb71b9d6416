from __future__ import annotations

import pytest

from bot.core import commands


@pytest.mark.parametrize(
    "text, command_id, arg, bot",
    [
        ("/nato-status korea", "nato-status", "korea", None),
        ("/nato_status korea", "nato-status", "korea", None),
        ("/NATO_STATUS   korea  ", "nato-status", "korea", None),
        ("/nato-status@SomeBot korea", "nato-status", "korea", "SomeBot"),
        ("/nato_status@SomeBot", "nato-status", "", "SomeBot"),
        ("nato status korea", "nato-status", "korea", None),
        ("nato-status: korea", "nato-status", "korea", None),
        ("/natostatus korea", "nato-status", "korea", None),
        ("/nato-timeline", "nato-timeline", "", None),
        ("/nato_members", "nato-members", "", None),
        ("/nato-ask why is korea not in nato?", "nato-ask", "why is korea not in nato?", None),
        ("/start status_KR", "start", "status_KR", None),
        ("/lang ko", "lang", "ko", None),
        ("/help", "help", "", None),
        ("/nato-status\nkorea", "nato-status", "korea", None),
    ],
)
def test_every_spelling_parses_to_one_command(text: str, command_id: str, arg: str, bot: str | None) -> None:
    parsed = commands.parse(text)
    assert parsed is not None and parsed.command is not None
    assert (parsed.command.id, parsed.arg, parsed.bot) == (command_id, arg, bot)


def test_short_prefix_does_not_swallow_longer_command() -> None:
    parsed = commands.parse("/nato korea")
    assert parsed is not None and parsed.command is None and parsed.name == "nato"
    assert commands.parse("/nato-statuses korea").command is None


@pytest.mark.parametrize(
    "text", ["Is South Korea in NATO?", "한국은 나토 회원국인가요?", "", "   ", "natority", "nato"]
)
def test_questions_are_not_commands(text: str) -> None:
    assert commands.parse(text) is None


def test_native_names_are_valid_per_platform() -> None:
    for command in commands.for_platform("telegram"):
        assert commands.TELEGRAM_NAME.match(command.telegram), command
    for command in commands.for_platform("discord"):
        assert commands.DISCORD_NAME.match(command.discord), command
        assert 1 <= len(command.description("en")) <= 100 and 1 <= len(command.description("ko")) <= 100
    assert "nato_status" in {c.telegram for c in commands.for_platform("telegram")}
    assert "nato-status" in {c.discord for c in commands.for_platform("discord")}


def test_follow_ups_round_trip_in_both_languages(answerer) -> None:
    reply = answerer.follow("sources:timeline:KR", "en")
    assert reply.intent == "sources" and reply.ref == "sources:timeline:KR"
    lang_action = next(a for a in reply.actions if a.kind == "lang")
    korean = answerer.follow(lang_action.ref, "en")
    assert korean.lang == "ko" and korean.intent == "sources" and korean.country == "KR"
    back = next(a for a in korean.actions if a.kind == "lang")
    assert answerer.follow(back.ref, "ko").lang == "en"
