"""End to end: follow-up buttons (callback queries) and inline mode, against the fake Bot API."""

from __future__ import annotations

from fake_bot_api import USER
from telegram_harness import Harness, buttons

from bot.adapters.telegram.handlers import STALE_EXAMPLE
from bot.adapters.telegram.render import messages
from bot.core.i18n import t


async def test_every_button_fits_in_callback_data(bot: Harness) -> None:
    for question in ("/nato_status korea", "/nato_timeline korea", "한국은 나토 회원국인가요?", "/nato_members"):
        reply = await bot.ask(question)
        assert all(len(data.encode()) <= 64 for data in buttons(reply).values())


async def test_language_button_edits_the_answer_in_place(bot: Harness) -> None:
    reply = await bot.ask("/nato_status korea")
    answer = await bot.press(reply, buttons(reply)["한국어"])
    assert "text" not in answer  # a silent acknowledgement: the spinner stops
    [edit] = await bot.fake.wait_for("editMessageText")
    assert int(edit.params["chat_id"]) == 1001
    assert edit.params["text"].startswith("<b>한국과 나토</b>")
    assert edit.params["parse_mode"] == "HTML"
    assert "English" in buttons(edit.params)
    assert len(bot.sent(1001)) == 1  # no new message


async def test_timeline_button_sends_the_timeline_in_the_answers_language(bot: Harness) -> None:
    reply = await bot.ask("한국은 나토 회원국인가요?")
    await bot.press(reply, buttons(reply)["연표"])
    timeline = (await bot.replies(1001, count=2))[1].params
    assert timeline["text"].startswith("<b>한국과 나토: 연표</b>")


async def test_long_follow_up_is_split_with_buttons_under_the_last_part(bot: Harness) -> None:
    reply = await bot.ask("/nato_timeline korea")
    data = buttons(reply)["Sources"]
    expected = messages(bot.runtime.follow(data.partition("|")[2], "en"))
    await bot.press(reply, data)
    parts = [c.params for c in (await bot.replies(1001, count=1 + len(expected)))[1:]]
    assert [p["text"] for p in parts] == expected and len(parts) >= 2
    assert all(len(p["text"].encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert parts[0]["text"].startswith("<b>Sources: South Korea and NATO: timeline</b>")
    assert all("reply_markup" not in p for p in parts[:-1]) and "reply_markup" in parts[-1]
    assert sum(p["text"].count("<a href=") for p in parts) > 20  # every source, each a link


async def test_stale_button_is_answered_politely_and_changes_nothing(bot: Harness) -> None:
    reply = await bot.ask("/nato_status korea")
    for data in ("en|status:ZZ", "ko|nonsense", "garbage-from-an-old-version"):
        answer = await bot.press(reply, data)
        assert answer["text"] in {t("button.stale", lang, example=STALE_EXAMPLE) for lang in ("en", "ko")}
        assert "/nato_status korea" in answer["text"]  # the Telegram spelling of the command
    assert bot.fake.of("editMessageText") == [] and len(bot.sent(1001)) == 1


async def test_inline_query_offers_status_and_timeline_cards(bot: Harness) -> None:
    await bot.fake.push(inline_query={"id": "iq1", "from": USER, "query": "korea", "offset": ""})
    [call] = await bot.fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    assert [r["type"] for r in results] == ["article", "article"]
    assert [r["title"] for r in results] == ["South Korea and NATO", "South Korea and NATO: timeline"]
    assert len({r["id"] for r in results}) == 2 and all(len(r["id"]) <= 64 for r in results)
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert content["message_text"].startswith("<b>South Korea and NATO")
        assert len(content["message_text"].encode("utf-16-le")) // 2 <= 4096


async def test_inline_query_in_korean_and_unanswerable_ones(bot: Harness) -> None:
    await bot.fake.push(inline_query={"id": "iq2", "from": USER, "query": "한국", "offset": ""})
    await bot.fake.push(inline_query={"id": "iq3", "from": USER, "query": "", "offset": ""})
    await bot.fake.push(inline_query={"id": "iq4", "from": USER, "query": "<b>qwzx</b>", "offset": ""})
    calls = {
        c.params["inline_query_id"]: c.params["results"] for c in await bot.fake.wait_for("answerInlineQuery", count=3)
    }
    assert calls["iq2"][0]["title"] == "한국과 나토"
    assert calls["iq3"] == [] and calls["iq4"] == []
