"""Helpers for the Telegram tests: settings for the fake server, the bot as a task, and a Harness."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fake_bot_api import BOT_ID, BOT_USERNAME, TOKEN, USER, Call, FakeBotAPI

from bot.adapters.telegram import serve
from bot.config import Settings
from bot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
_query_ids = itertools.count(1)


def buttons(reply: dict[str, Any]) -> dict[str, str]:
    """label → callback_data of a sent message's inline keyboard."""
    return {b["text"]: b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row}


def make_settings(fake: FakeBotAPI, **values: Any) -> Settings:
    values = {"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url, **values}
    return Settings(_env_file=None, **values)


WEBHOOK_URL = "https://bot.example.org/tg/hook"


def webhook_settings(fake: FakeBotAPI, port: int, secret: str) -> Settings:
    """Settings for a webhook worker listening on 127.0.0.1:`port`."""
    return make_settings(
        fake,
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=port,
        TELEGRAM_WEBHOOK_SECRET=secret,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Harness:
    """The running bot and its fake server, with helpers to talk to it as a user would."""

    def __init__(self, fake: FakeBotAPI, runtime: Runtime):
        self.fake = fake
        self.runtime = runtime

    async def say(self, text: str, chat_id: int = 1001, **kwargs: Any) -> dict[str, Any]:
        chat_type = kwargs.pop("chat_type", "private" if chat_id > 0 else "supergroup")
        return await self.fake.send_text(text, chat_id=chat_id, chat_type=chat_type, **kwargs)

    async def replies(self, chat_id: int, count: int = 1) -> list[Call]:
        return await self.fake.wait_for("sendMessage", lambda p: int(p["chat_id"]) == chat_id, count=count)

    async def ask(self, text: str, chat_id: int = 1001, **kwargs: Any) -> dict[str, Any]:
        """Say `text` and return the params of the bot's (first) reply to it."""
        before = len(self.sent(chat_id))
        await self.say(text, chat_id, **kwargs)
        return (await self.replies(chat_id, before + 1))[before].params

    def polls(self, chat_id: int) -> list[Call]:
        return [c for c in self.fake.of("sendPoll") if int(c.params["chat_id"]) == chat_id]

    async def poll(self, chat_id: int, number: int) -> Call:
        """The `number`-th poll (1-based) the bot sent to the chat, once it has been sent."""
        calls = await self.fake.wait_for("sendPoll", lambda p: int(p["chat_id"]) == chat_id, count=number)
        await self.fake.until(lambda: calls[number - 1].done)
        return calls[number - 1]

    def sent(self, chat_id: int) -> list[Call]:
        return [c for c in self.fake.of("sendMessage") if int(c.params["chat_id"]) == chat_id]

    def bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        """A message object for one of the bot's own replies (to reply to it, or press its buttons)."""
        chat_id = int(params["chat_id"])
        return {
            "message_id": 9000 + len(self.fake.calls),
            "date": 0,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "NATO Status", "username": BOT_USERNAME},
            "text": params["text"],
            **({"reply_markup": params["reply_markup"]} if "reply_markup" in params else {}),
        }

    async def press(self, reply: dict[str, Any], data: str, query_id: str | None = None) -> dict[str, Any]:
        """Press a button under one of the bot's messages; returns the answerCallbackQuery params."""
        query_id = query_id or f"cb{next(_query_ids)}"
        await self.fake.push(
            callback_query={
                "id": query_id,
                "from": USER,
                "chat_instance": "ci",
                "data": data,
                "message": self.bot_message(reply),
            }
        )
        [answer] = await self.fake.wait_for("answerCallbackQuery", lambda p: p["callback_query_id"] == query_id)
        return answer.params


async def eventually(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait until `condition()` holds (for state the fake server cannot see, e.g. the store)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def logged(text: str, logger: str = "bot.adapters.telegram") -> None:
    """Return once a record containing `text` is logged (e.g. the adapter's "is answering" line)."""
    seen = asyncio.Event()

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if text in record.getMessage():
                seen.set()

    log, handler = logging.getLogger(logger), Watch()
    level = log.level
    log.setLevel(logging.INFO)
    log.addHandler(handler)
    try:
        await seen.wait()
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


@contextlib.asynccontextmanager
async def running(runtime: Runtime, settings: Settings, started: Any) -> AsyncIterator[asyncio.Task]:
    """`serve` as a task until the block ends; `started` is awaited to know it is up."""
    task = asyncio.create_task(serve(runtime, settings))
    waiter = asyncio.ensure_future(started)
    done, _ = await asyncio.wait({task, waiter}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
    if waiter not in done:
        waiter.cancel()
        task.cancel()
        raise AssertionError(f"the bot did not start: {task.exception() if task.done() else 'timeout'}")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 15)
