"""End to end: the real PTB Application, long polling a fake Bot API, answering chat messages."""

from __future__ import annotations

import re

import pytest
from fake_bot_api import USER
from telegram_harness import Harness

GROUP = -100200
KOREAN_USER = {"id": 2002, "is_bot": False, "first_name": "지민", "language_code": "ko"}


async def test_private_question_gets_html_answer_with_source_links(bot: Harness) -> None:
    reply = await bot.ask("Is South Korea in NATO?")
    assert reply["parse_mode"] == "HTML"
    assert reply["link_preview_options"] == {"is_disabled": True}
    assert reply["text"].startswith("<b>South Korea and NATO</b>")
    assert "not a NATO member" in reply["text"]
    assert '<a href="https://www.nato.int/' in reply["text"]
    assert "reply_parameters" not in reply  # private chats are not quoted


async def test_group_command_for_this_bot_is_answered_as_a_reply(bot: Harness) -> None:
    said = await bot.say("/nato_status@ThisBot korea", GROUP)
    reply = (await bot.replies(GROUP))[0].params
    assert "South Korea and NATO" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == said["message_id"]


async def test_group_ignores_other_bots_commands_and_chatter(bot: Harness) -> None:
    await bot.say("/nato_status@OtherBot korea", GROUP)
    await bot.say("/start@OtherBot", GROUP)
    await bot.say("/weather seoul", GROUP)  # a bare command we do not have: another bot's
    await bot.say("is korea in nato? anyone?", GROUP)  # chatter: neither a command, a reply nor a mention
    await bot.say("/nato_members", GROUP)  # updates of one chat are handled in order: this one comes last
    replies = await bot.replies(GROUP)
    assert len(bot.sent(GROUP)) == 1
    assert "32 members" in replies[0].params["text"]


async def test_group_mention_is_answered_without_the_mention(bot: Harness) -> None:
    reply = await bot.ask("@ThisBot when did finland join nato?", GROUP)
    assert "Finland" in reply["text"]
    assert "2023" in reply["text"]


async def test_group_reply_to_the_bot_is_answered(bot: Harness) -> None:
    first = await bot.ask("/nato_status@ThisBot japan", GROUP)
    reply = await bot.ask("and finland?", GROUP, reply_to=bot.bot_message(first))
    assert "Finland" in reply["text"]


@pytest.mark.parametrize("text", ["/nato-status korea", "/NATO-Status korea", "/nato-status@ThisBot korea"])
async def test_hyphen_form_is_answered(bot: Harness, text: str) -> None:
    reply = await bot.ask(text, GROUP)
    assert reply["text"].startswith("<b>South Korea and NATO</b>")


async def test_korean_question_is_answered_in_korean(bot: Harness) -> None:
    reply = await bot.ask("한국은 나토 회원국인가요?")
    assert reply["text"].startswith("<b>한국과 나토</b>")
    labels = [b["text"] for b in reply["reply_markup"]["inline_keyboard"][0]]
    assert labels == ["연표", "출처", "English"]


async def test_user_language_code_decides_when_the_text_does_not(bot: Harness) -> None:
    reply = await bot.ask("/nato_status KR", chat_id=2002, user=KOREAN_USER)
    assert reply["text"].startswith("<b>한국과 나토</b>")


async def test_lang_choice_is_remembered_per_chat(bot: Harness) -> None:
    refused = await bot.ask("/lang ko", GROUP)  # a plain member cannot change the group's language
    assert refused["text"] == "이 대화방의 언어는 관리자만 바꿀 수 있어요."
    assert bot.runtime.store.get_lang(f"telegram:{GROUP}") is None
    bot.fake.members[(GROUP, USER["id"])] = "administrator"
    confirmation = await bot.ask("/lang ko", GROUP)
    assert "한국어로" in confirmation["text"]
    assert bot.runtime.store.get_lang(f"telegram:{GROUP}") == "ko"
    reply = await bot.ask("/nato_status@ThisBot finland", GROUP)
    assert reply["text"].startswith("<b>핀란드")
    other_chat = await bot.ask("/nato_status finland", GROUP - 1)
    assert other_chat["text"].startswith("<b>Finland and NATO</b>")


async def test_lang_then_question_in_one_batch_keeps_their_order(bot: Harness) -> None:
    await bot.say("/lang ko", 3003)
    await bot.say("/nato_status finland", 3003)
    replies = await bot.replies(3003, count=2)
    assert replies[1].params["text"].startswith("<b>핀란드")


async def test_deep_link_start_payload_opens_on_the_answer(bot: Harness) -> None:
    reply = await bot.ask("/start status_KR")
    assert reply["text"].startswith("<b>South Korea and NATO</b>")
    plain_start = await bot.ask("/start")
    assert "/nato_status" in plain_start["text"]
    assert "/nato-" not in plain_start["text"]  # Telegram would highlight only "/nato" of a hyphen form


async def test_html_injection_is_rendered_as_text(bot: Harness) -> None:
    attack = '/nato_status <b>x</b> <a href="javascript:alert(1)">y</a> @everyone'
    text = (await bot.ask(attack))["text"]
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert '<a href="javascript' not in text and "<b>x</b>" not in text
    assert "&lt;a href=" in text
    tags = set(re.findall(r"</?([a-z]+)", text))
    assert tags <= {"b", "i", "a"}


async def test_set_my_commands_registers_valid_names_in_english_and_korean(bot: Harness) -> None:
    calls = bot.fake.of("setMyCommands")
    by_lang = {c.params.get("language_code"): c.params["commands"] for c in calls}
    assert set(by_lang) == {None, "ko"}
    names = [c["command"] for c in by_lang[None]]
    assert {"start", "help", "nato_status", "nato_timeline", "nato_members", "nato_partners", "lang"} <= set(names)
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", n) for n in names)
    assert [c["command"] for c in by_lang["ko"]] == names
    assert any("나토" in c["description"] for c in by_lang["ko"])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's own limiter reads retry_after
async def test_flood_429_is_waited_out_and_delivered_once(bot: Harness) -> None:
    bot.fake.fail_once("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    reply = await bot.ask("/nato_status finland", 4004)
    attempts = [c for c in bot.fake.of("sendMessage", ok_only=False) if int(c.params["chat_id"]) == 4004]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert "Finland" in reply["text"]
    await bot.ask("/nato_members", 4004)  # later traffic flows again, and nothing was sent twice
    assert sum("Finland and NATO" in c.params["text"] for c in bot.sent(4004)) == 1


async def test_a_slow_chat_blocks_no_other_chat(bot: Harness) -> None:
    release = bot.fake.hold("sendMessage", lambda p: int(p["chat_id"]) == 5005)
    await bot.say("/nato_status korea", 5005)
    [stuck] = await bot.fake.wait_for("sendMessage", lambda p: int(p["chat_id"]) == 5005)
    reply = await bot.ask("/nato_status japan", 6006)
    assert "Japan" in reply["text"]
    assert not stuck.done
    release.set()
    await bot.fake.until(lambda: stuck.done)
