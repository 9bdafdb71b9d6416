"""Webhook mode: PTB's webhook server, the secret token checked on every request."""

from __future__ import annotations

import aiohttp
from fake_bot_api import FakeBotAPI
from telegram_harness import WEBHOOK_URL, free_port, logged, make_settings, running, webhook_settings

from bot.runtime import Runtime

SECRET = "s3cret-Token_for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def test_webhook_rejects_a_wrong_secret_and_processes_the_right_one(fake: FakeBotAPI, runtime: Runtime) -> None:
    port = free_port()
    settings = webhook_settings(fake, port, SECRET)
    async with running(runtime, settings, logged("is answering (webhook)")):
        [hook] = fake.of("setWebhook")
        assert hook.params["url"] == WEBHOOK_URL
        assert hook.params["secret_token"] == SECRET
        assert set(hook.params["allowed_updates"]) == {
            "message",
            "inline_query",
            "callback_query",
            "poll",
            "poll_answer",
        }
        assert fake.of("getUpdates") == []  # no polling in webhook mode

        url = f"http://127.0.0.1:{port}/tg/hook"

        def update(n: int) -> dict:
            return {"update_id": n, "message": fake.message(f"/nato_status {'korea' if n == 3 else 'japan'}")}

        async with aiohttp.ClientSession() as session:
            async with session.post(url, json=update(1), headers={HEADER: "wrong"}) as wrong:
                assert wrong.status == 403
            async with session.post(url, json=update(2)) as missing:
                assert missing.status == 403
            async with session.post(url, json=update(3), headers={HEADER: SECRET}) as right:
                assert right.status == 200
        [reply] = await fake.wait_for("sendMessage")
        assert reply.params["text"].startswith("<b>South Korea and NATO</b>")
    assert len(fake.of("sendMessage")) == 1  # the rejected updates were never processed


async def test_webhook_without_a_configured_secret_still_sets_one(fake: FakeBotAPI, runtime: Runtime) -> None:
    settings = make_settings(
        fake,
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=free_port(),
    )
    async with running(runtime, settings, logged("is answering (webhook)")):
        [hook] = fake.of("setWebhook")
        assert len(hook.params["secret_token"]) >= 32
