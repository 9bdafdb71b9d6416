"""A fake Telegram Bot API server on 127.0.0.1 for driving the real PTB Application offline.

It speaks the wire protocol PTB uses (`POST /bot<token>/<method>`, form or JSON parameters,
`{"ok": ..., "result": ...}` answers), records every call, serves injected updates through a
long-polling `getUpdates` that honours `offset` and `timeout`, and can inject faults (a 429
with retry_after, a 5xx, a 401 for an unknown token), drop the connection without answering,
or hold a method's answer until released (past the client's read timeout: a timeout).
Used by the tests and by `bench/telegram_burst.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-never-real-abcdefghij"
BOT_ID = 123456
BOT_USERNAME = "ThisBot"
USER = {"id": 1001, "is_bot": False, "first_name": "Min", "username": "min", "language_code": "en"}
JSON_FIELDS = {
    "reply_markup",
    "results",
    "commands",
    "link_preview_options",
    "reply_parameters",
    "allowed_updates",
    "entities",
    "button",
    "scope",
    "options",
    "explanation_entities",
    "question_entities",
    "correct_option_ids",
}
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "NATO Status", "username": BOT_USERNAME}
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str
    at: float = field(default_factory=time.monotonic)
    status: int = 200  # 0: the connection was dropped without an answer
    done: bool = False  # the answer has been sent
    result: Any = None  # what a successful call returned (e.g. sendPoll's message, with the poll id)


class BadRequest(Exception):
    """A 400 answer, as Telegram gives for parameters it refuses."""


@dataclass
class Fault:
    method: str
    status: int
    description: str
    retry_after: int | None = None
    when: Callable[[dict[str, Any]], bool] = lambda params: True


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's own parser would attach: a leading bot_command and @mentions.

    Like Telegram, `/nato-status` yields the command `/nato` (hyphens end a command name).
    """
    found = []
    command = _COMMAND.match(text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16(command.group())})
    for mention in _MENTION.finditer(text):
        found.append({"type": "mention", "offset": utf16(text[: mention.start()]), "length": utf16(mention.group())})
    return found


class FakeBotAPI:
    def __init__(self, tokens: tuple[str, ...] = (TOKEN,)):
        self.tokens = set(tokens)
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._faults: list[Fault] = []
        self._holds: list[tuple[str, Callable[[dict[str, Any]], bool], asyncio.Event]] = []
        self._drops: list[tuple[str, Callable[[dict[str, Any]], bool]]] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        self.on_call: Callable[[Call], None] | None = None  # the benchmark's timing hook
        self.polls: dict[str, dict[str, Any]] = {}  # poll id -> the Poll object as last sent
        self.members: dict[tuple[int, int], str] = {}  # (chat id, user id) -> status; default "member"
        self._poll_ids = itertools.count(1)
        self._poll_messages: dict[str, tuple[int, int]] = {}

    # -- lifecycle ---------------------------------------------------------------------
    async def start(self) -> FakeBotAPI:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        for _, _, release in self._holds:
            release.set()
        async with self._changed:
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- injecting -----------------------------------------------------------------------
    async def push(self, **update: Any) -> int:
        """Queue one update (a dict with e.g. `message=...`); returns its update_id."""
        update_id = next(self._update_ids)
        async with self._changed:
            self._updates.append({"update_id": update_id, **update})
            self._changed.notify_all()
        return update_id

    def message(
        self,
        text: str,
        chat_id: int = 1001,
        chat_type: str = "private",
        user: dict | None = None,
        reply_to: dict | None = None,
    ) -> dict[str, Any]:
        """A `message` object as Telegram would send it, entities included."""
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Study group"
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user or USER,
            "text": text,
        }
        found = entities(text)
        if found:
            msg["entities"] = found
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        return msg

    async def send_text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        msg = self.message(text, **kwargs)
        await self.push(message=msg)
        return msg

    def vote(self, poll_id: str, user: dict[str, Any], option: int) -> dict[str, Any]:
        """A `poll_answer` object: a member's vote in a (non-anonymous) poll."""
        persistent = self.polls[poll_id]["options"][option]["persistent_id"] if poll_id in self.polls else f"x.{option}"
        return {"poll_id": poll_id, "user": user, "option_ids": [option], "option_persistent_ids": [persistent]}

    async def answer_poll(self, poll_id: str, user: dict[str, Any], option: int) -> int:
        """A member votes: the `poll_answer` update Telegram sends the bot."""
        return await self.push(poll_answer=self.vote(poll_id, user, option))

    async def close_poll(self, poll_id: str) -> int:
        """The poll's open_period elapses: Telegram closes it and sends the bot a `poll` update."""
        self.polls[poll_id]["is_closed"] = True
        return await self.push(poll=dict(self.polls[poll_id]))

    def fail_once(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        when: Callable[[dict[str, Any]], bool] = lambda params: True,
    ) -> None:
        self._faults.append(Fault(method, status, description, retry_after, when))

    def hold(self, method: str, when: Callable[[dict[str, Any]], bool] = lambda params: True) -> asyncio.Event:
        """Delay the answer to matching calls until the returned event is set."""
        release = asyncio.Event()
        self._holds.append((method, when, release))
        return release

    def stall(
        self, method: str, times: int = 1, when: Callable[[dict[str, Any]], bool] = lambda params: True
    ) -> asyncio.Event:
        """Hold only the next `times` matching calls (see `hold`) until the returned event is set."""
        left = [times]

        def next_ones(params: dict[str, Any]) -> bool:
            if left[0] > 0 and when(params):
                left[0] -= 1
                return True
            return False

        return self.hold(method, next_ones)

    def drop(self, method: str, times: int = 1, when: Callable[[dict[str, Any]], bool] = lambda params: True) -> None:
        """The next `times` matching calls lose their connection once the request has arrived, before
        the method runs: the client gets no answer at all (its call is recorded with status 0)."""
        self._drops.extend([(method, when)] * times)

    # -- observing -----------------------------------------------------------------------
    @property
    def pending(self) -> list[int]:
        """The update ids the bot has not confirmed yet (by a getUpdates with a higher offset)."""
        return [u["update_id"] for u in self._updates]

    def of(self, method: str, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    async def wait_for(
        self,
        method: str,
        when: Callable[[dict[str, Any]], bool] = lambda params: True,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[Call]:
        """Wait until `count` successful calls of `method` match `when`; returns them."""

        def matching() -> list[Call]:
            return [c for c in self.of(method) if when(c.params)]

        await self.until(lambda: len(matching()) >= count, timeout)
        return matching()

    async def until(self, condition: Callable[[], bool], timeout: float = 15.0) -> None:
        """Wait until `condition()` holds; it is checked again after every call and every answer."""

        async def wait() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(wait(), timeout)

    # -- serving -----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        call = Call(method, await _params(request), token)
        if self._dropping(call):
            call.status, call.done = 0, True
            await self._record(call)
            assert request.transport is not None
            request.transport.abort()  # no status line, no close handshake: the socket just goes
            return web.Response(status=500)  # never reaches the client
        response = self._refusal(call)
        await self._record(call)  # on arrival: a held or long-polling call is visible at once
        if response is None:
            for held_method, when, release in self._holds:
                if held_method == method and when(call.params):
                    await release.wait()
            try:
                result = call.result = await getattr(self, f"_api_{method}")(call.params)
                response = web.json_response({"ok": True, "result": result})
            except BadRequest as refused:
                call.status = 400
                response = _error(400, f"Bad Request: {refused}")
        call.done = True
        async with self._changed:
            self._changed.notify_all()
        return response

    def _dropping(self, call: Call) -> bool:
        for drop in self._drops:
            if drop[0] == call.method and drop[1](call.params):
                self._drops.remove(drop)
                return True
        return False

    def _refusal(self, call: Call) -> web.Response | None:
        """The error answer for this call, if any: bad token, an injected fault, an unknown method."""
        if call.token not in self.tokens:
            call.status = 401
            return _error(401, "Unauthorized")
        for fault in self._faults:
            if fault.method == call.method and fault.when(call.params):
                self._faults.remove(fault)
                call.status = fault.status
                return _error(fault.status, fault.description, fault.retry_after)
        if not hasattr(self, f"_api_{call.method}"):
            call.status = 404
            return _error(404, "Not Found: method not found")
        return None

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        if self.on_call:
            self.on_call(call)

    async def _api_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "NATO Status",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _api_getUpdates(self, params: dict) -> list:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed: forget them
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), timeout
                    )
            return self._updates[:limit]

    async def _api_sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_editMessageText(self, params: dict) -> dict | bool:
        if "inline_message_id" in params:
            return True
        return {**(await self._api_sendMessage(params)), "message_id": int(params["message_id"])}

    async def _api_sendPoll(self, params: dict) -> dict:
        """Checks the limits Telegram enforces on quiz polls, and remembers the poll."""
        question = str(params.get("question", ""))
        options = [o["text"] if isinstance(o, dict) else str(o) for o in params.get("options", [])]
        kind = params.get("type", "regular")
        explanation = params.get("explanation")
        if not 1 <= utf16(question) <= 300:
            raise BadRequest("poll question length must be 1-300")
        if not 2 <= len(options) <= 10 or not all(1 <= utf16(o) <= 100 for o in options):
            raise BadRequest("poll options must be 2-10, each 1-100 characters")
        if len(set(options)) != len(options):
            raise BadRequest("poll options must be different")
        correct = params.get("correct_option_ids")  # Bot API 9.6; before it, one correct_option_id
        correct = (
            [int(c) for c in correct]
            if correct is not None
            else ([int(params["correct_option_id"])] if "correct_option_id" in params else [])
        )
        if kind == "quiz" and (not correct or not all(0 <= c < len(options) for c in correct)):
            raise BadRequest("wrong quiz correct option id")
        if explanation is not None and utf16(str(explanation)) > 200:
            raise BadRequest("explanation is too long")
        if "open_period" in params and not 5 <= int(params["open_period"]) <= 600:
            raise BadRequest("open_period must be 5-600")
        number = next(self._poll_ids)
        poll = {
            "id": f"{self.port}{number:04d}",
            "question": question,
            "options": [{"persistent_id": f"{number}.{n}", "text": o, "voter_count": 0} for n, o in enumerate(options)],
            "total_voter_count": 0,
            "allows_revoting": False,
            "members_only": False,
            "is_closed": _flag(params.get("is_closed")),
            "is_anonymous": _flag(params.get("is_anonymous", True)),
            "type": kind,
            "allows_multiple_answers": False,
        }
        if kind == "quiz":
            poll["correct_option_ids"] = correct
        if explanation is not None:
            poll["explanation"] = str(explanation)
        if "open_period" in params:
            poll["open_period"] = int(params["open_period"])
        self.polls[poll["id"]] = poll
        message = await self._api_sendMessage(params)
        self._poll_messages[poll["id"]] = (int(params["chat_id"]), message["message_id"])
        del message["text"]
        return {**message, "poll": poll}

    async def _api_stopPoll(self, params: dict) -> dict:
        key = (int(params["chat_id"]), int(params["message_id"]))
        poll_id = next((p for p, where in self._poll_messages.items() if where == key), None)
        if poll_id is None or self.polls[poll_id]["is_closed"]:
            raise BadRequest("poll has already been closed")
        await self.close_poll(poll_id)
        return self.polls[poll_id]

    async def _api_getChatMember(self, params: dict) -> dict:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member")
        user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if status == "administrator":
            rights = (
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            )
            return {"status": status, "user": user, **{r: r == "can_manage_chat" for r in rights}}
        return {"status": status, "user": user, **({"is_anonymous": False} if status == "creator" else {})}

    async def _api_setWebhook(self, params: dict) -> bool:
        self.webhook = params
        return True

    async def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = {}
        return True

    async def _api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    async def _true(self, params: dict) -> bool:
        return True

    _api_answerInlineQuery = _api_answerCallbackQuery = _api_setMyCommands = _api_deleteMyCommands = _true
    _api_close = _api_logOut = _true


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = dict(await request.post()) if request.can_read_body else dict(request.query)
    return {k: json.loads(v) if k in JSON_FIELDS and isinstance(v, str) else v for k, v in form.items()}


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
