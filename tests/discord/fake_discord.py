"""A fake Discord on 127.0.0.1 for driving the real discord.py client: gateway and REST.

Gateway (websocket at /gateway): HELLO with a heartbeat interval, IDENTIFY -> READY (session id,
resume_gateway_url, shard), heartbeat ACKs, RESUME -> RESUMED, dispatching events with sequence
numbers, and closing the socket with any code (4000 is resumable) or dropping it with no close frame
at all. Like Discord, it keeps each session's events: a RESUME replays those after the client's
sequence number, and events dispatched while a shard is disconnected wait for its RESUME. Plain text
frames: discord.py asks for zlib-stream but accepts uncompressed JSON text.

REST (under /api/v10): the routes the client uses at login (users/@me, oauth2/applications/@me,
gateway/bot), application commands (global and guild, GET and PUT), interaction callbacks,
webhook follow-ups and @original edits, channel messages (posted ones are kept in `messages` and
can be edited with PATCH). Every request is recorded; a route can
be made to answer 429 with a retry_after, or an error status, a given number of times, to drop the
connection without an answer (before or after carrying the request out), or to hold its answer until
released. With `acknowledge_once`, a second callback for one interaction is refused (400, code
40060) as Discord refuses it. Bot routes check the token (401 otherwise), as Discord does.

Used by the tests and by bench/discord_burst.py.
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

from aiohttp import WSMsgType, web

TOKEN = "fake-token.NATO.bot"
APP_ID = 900000000000000001
BOT_ID = 900000000000000001
GUILD_ID = 900000000000000100
CHANNEL_ID = 900000000000000200
USER_ID = 900000000000000300
TIMESTAMP = "2026-01-01T00:00:00.000000+00:00"

BOT_USER = {
    "id": str(BOT_ID),
    "username": "natobot",
    "discriminator": "0",
    "global_name": "NATO Status Bot",
    "avatar": None,
    "bot": True,
    "flags": 0,
    "verified": True,
    "mfa_enabled": False,
}


def user(user_id: int = USER_ID, name: str = "asker") -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name, "avatar": None}


@dataclass
class Request:
    method: str
    path: str  # after /api/v10
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0  # stays 0 when the connection was dropped without an answer
    at: float = field(default_factory=time.perf_counter)


@dataclass
class GatewayOp:
    connection: int
    op: int
    d: Any
    at: float = field(default_factory=time.perf_counter)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON exactly as Discord labels it: discord.py parses a body only when the content type is
    `application/json` with no charset parameter."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


class _Unauthorised(Exception):
    pass


class Connection:
    def __init__(self, number: int, ws: web.WebSocketResponse):
        self.number = number
        self.ws = ws
        self.shard: list[int] | None = None
        self.session: str | None = None
        self.transport: Any = None  # the TCP transport under the websocket, to drop it


class FakeDiscord:
    heartbeat_interval_ms = 41_250

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.requests: list[Request] = []
        self.ops: list[GatewayOp] = []
        self.callbacks: dict[str, list[dict[str, Any]]] = {}  # interaction id -> callback bodies
        self.callback_times: dict[str, float] = {}  # interaction id -> when the first callback arrived
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" / guild id -> registered commands
        self.messages: dict[str, dict[str, Any]] = {}  # message id -> the bot's channel message, as edited
        self.connections: list[Connection] = []
        self.by_shard: dict[int, Connection] = {}
        self.sessions: dict[str, int] = {}  # session id -> last sequence sent
        self._rate_limits: list[list[Any]] = []  # [method, regex, retry_after, remaining]
        self._faults: list[list[Any]] = []  # [method, regex, status, code, remaining]
        self._drops: list[list[Any]] = []  # [method, regex, after, remaining]
        self._stalls: list[list[Any]] = []  # [method, regex, release event, remaining]
        self.history: dict[str, list[tuple[int, str]]] = {}  # session id -> (sequence, frame) sent or queued
        self.shard_sessions: dict[int, str] = {}  # shard -> its latest session id
        self.acknowledge_once = False  # refuse a second callback for an interaction, as Discord does
        self._ids = itertools.count(1_000_000_000_000_000_000)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def snowflake(self) -> int:
        return next(self._ids)

    # -- waiting ---------------------------------------------------------------------------
    def _touch(self) -> None:
        self._changed.set()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> Any:
        """Wait for `predicate()` to be truthy (re-checked whenever the fake records something)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_callback(self, interaction: dict[str, Any], count: int = 1, timeout: float = 10.0) -> list[dict]:
        iid = interaction["id"]
        return await self.wait_until(
            lambda: len(self.callbacks.get(iid, ())) >= count and self.callbacks[iid],
            timeout,
            f"callback for interaction {iid}",
        )

    async def wait_ready(self, shard: int = 0, timeout: float = 15.0) -> Connection:
        return await self.wait_until(
            lambda: self.by_shard.get(shard) if self.by_shard.get(shard) and self.by_shard[shard].session else None,
            timeout,
            f"READY on shard {shard}",
        )

    def find(self, method: str, pattern: str) -> list[Request]:
        regex = re.compile(pattern)
        return [r for r in self.requests if r.method == method and regex.fullmatch(r.path)]

    def gateway_ops(self, op: int) -> list[GatewayOp]:
        return [o for o in self.ops if o.op == op]

    # -- fault injection --------------------------------------------------------------------
    def rate_limit(self, method: str, pattern: str, retry_after: float = 0.3, times: int = 1) -> None:
        """The next `times` requests matching answer 429 with `retry_after` seconds."""
        self._rate_limits.append([method, re.compile(pattern), retry_after, times])

    def fail(self, method: str, pattern: str, status: int = 400, code: int = 50035, times: int = 1) -> None:
        """The next `times` requests matching answer `status` with a Discord error body."""
        self._faults.append([method, re.compile(pattern), status, code, times])

    def drop(self, method: str, pattern: str, times: int = 1, after: bool = False) -> None:
        """The next `times` requests matching lose their connection with no answer at all: as soon as
        they arrive, or (`after`) once the fake has carried them out (a callback is then recorded)."""
        self._drops.append([method, re.compile(pattern), after, times])

    def stall(self, method: str, pattern: str, times: int = 1) -> asyncio.Event:
        """The next `times` requests matching wait for the returned event before being answered."""
        release = asyncio.Event()
        self._stalls.append([method, re.compile(pattern), release, times])
        return release

    def drop_gateway(self, shard: int = 0) -> Connection:
        """Cut the shard's socket with no close frame, as a network failure does."""
        conn = self.by_shard[shard]
        conn.transport.abort()
        return conn

    async def close_gateway(self, code: int = 4000, shard: int = 0) -> None:
        """Close the shard's socket as Discord does on a transient problem (4000 is resumable)."""
        conn = self.by_shard[shard]
        await conn.ws.close(code=code, message=b"fake close")

    # -- gateway -----------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None, autoping=True, max_msg_size=0)
        await ws.prepare(request)
        conn = Connection(len(self.connections), ws)
        conn.transport = request.transport
        self.connections.append(conn)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op, d = payload.get("op"), payload.get("d")
            self.ops.append(GatewayOp(conn.number, op, d))
            if op == 1:
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                await self._identify(conn, d)
            elif op == 6:
                await self._resume(conn, d)
            self._touch()
        if conn.shard and self.by_shard.get(conn.shard[0]) is conn:
            del self.by_shard[conn.shard[0]]  # a new connection must IDENTIFY or RESUME first
        self._touch()
        return ws

    async def _identify(self, conn: Connection, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        conn.shard = d.get("shard") or [0, 1]
        conn.session = f"session-{self.snowflake()}"
        self.sessions[conn.session] = 0
        self.by_shard[conn.shard[0]] = conn
        self.shard_sessions[conn.shard[0]] = conn.session
        ready = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "session_id": conn.session,
            "resume_gateway_url": self.gateway_url,
            "shard": conn.shard,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        await self._send(conn, "READY", ready)

    async def _resume(self, conn: Connection, d: dict[str, Any]) -> None:
        session = d.get("session_id")
        if d.get("token") != self.token or session not in self.sessions:
            await conn.ws.send_json({"op": 9, "d": False, "s": None, "t": None})
            return
        old = next((c for c in self.connections if c.session == session and c is not conn), None)
        conn.session = session
        conn.shard = old.shard if old else [0, 1]
        for sequence, frame in self.history.get(session, ()):  # what the client missed, in order
            if sequence > int(d.get("seq") or 0):
                await conn.ws.send_str(frame)
        self.by_shard[conn.shard[0]] = conn
        await self._send(conn, "RESUMED", {})

    def _frame(self, session: str, event: str, data: dict[str, Any]) -> str:
        self.sessions[session] += 1
        frame = json.dumps({"op": 0, "t": event, "s": self.sessions[session], "d": data})
        self.history.setdefault(session, []).append((self.sessions[session], frame))
        return frame

    async def _send(self, conn: Connection, event: str, data: dict[str, Any]) -> None:
        assert conn.session is not None
        frame = self._frame(conn.session, event, data)
        with contextlib.suppress(ConnectionError):  # the socket is gone: the event waits in the history for a RESUME
            await conn.ws.send_str(frame)

    async def dispatch(self, event: str, data: dict[str, Any], shard: int = 0) -> None:
        """Send an event to the shard; while it is disconnected, keep it for its RESUME."""
        conn = self.by_shard.get(shard)
        if conn is None and shard in self.shard_sessions:
            self._frame(self.shard_sessions[shard], event, data)
            self._touch()
            return
        await self._send(self.by_shard[shard], event, data)

    # -- payload builders ----------------------------------------------------------------------
    def _interaction(
        self,
        kind: int,
        data: dict[str, Any] | None,
        *,
        locale: str = "en-US",
        user_id: int = USER_ID,
        guild_id: int | None = GUILD_ID,
        user_name: str = "asker",
        permissions: int = 0,
        **extra: Any,
    ) -> dict[str, Any]:
        """`permissions`: the member's resolved permission bits (0x20 is Manage Server)."""
        iid = self.snowflake()
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"itoken-{iid}",
            "version": 1,
            "locale": locale,
            "app_permissions": "0",
            "entitlements": [],
            "context": 0 if guild_id else 1,
            "attachment_size_limit": 8_388_608,
            "channel_id": str(CHANNEL_ID),
            "channel": {
                "id": str(CHANNEL_ID),
                "type": 0,
                "name": "study",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
        }
        if data is not None:
            payload["data"] = data
        if guild_id:
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "en-US"
            payload["channel"]["guild_id"] = str(guild_id)
            payload["member"] = {
                "user": user(user_id, user_name),
                "roles": [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(permissions),
            }
            payload["authorizing_integration_owners"] = {"0": str(guild_id)}
        else:
            payload["user"] = user(user_id, user_name)
            del payload["channel"]
        payload.update(extra)
        return payload

    def slash(self, name: str, options: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """Option types follow the values: str 3 (string), bool 5 (boolean), int 4 (integer)."""
        kinds = {bool: 5, int: 4}
        data = {
            "id": str(self.command_id(name, kw.get("guild_id", GUILD_ID))),
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": kinds.get(type(v), 3), "value": v} for k, v in (options or {}).items()],
        }
        return self._interaction(2, data, **kw)

    def autocomplete(self, name: str, option: str, typed: str, **kw: Any) -> dict[str, Any]:
        data = {
            "id": str(self.command_id(name, kw.get("guild_id", GUILD_ID))),
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
        }
        return self._interaction(4, data, **kw)

    def click(self, custom_id: str, message: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        msg = message or self.message(
            components=[{"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": custom_id}]}]
        )
        return self._interaction(3, {"custom_id": custom_id, "component_type": 2}, message=msg, **kw)

    def message(
        self,
        content: str = "",
        *,
        author: dict[str, Any] | None = None,
        mentions: list[dict] | None = None,
        embeds: list[dict] | None = None,
        components: list[dict] | None = None,
        guild_id: int | None = GUILD_ID,
    ) -> dict[str, Any]:
        out = {
            "id": str(self.snowflake()),
            "channel_id": str(CHANNEL_ID),
            "author": author or BOT_USER,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions or [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": components or [],
        }
        if guild_id:
            out["guild_id"] = str(guild_id)
        return out

    def command_id(self, name: str, guild_id: int | None) -> int:
        for scope in (str(guild_id), "global"):
            for cmd in self.commands.get(scope, ()):
                if cmd["name"] == name:
                    return int(cmd["id"])
        return 1

    async def interact(
        self, payload: dict[str, Any], count: int = 1, timeout: float = 10.0, shard: int = 0
    ) -> list[dict[str, Any]]:
        """Dispatch an INTERACTION_CREATE and wait for its callback(s)."""
        await self.dispatch("INTERACTION_CREATE", payload, shard)
        return await self.wait_callback(payload, count, timeout)

    # -- REST --------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        try:
            body = json.loads(raw) if raw and request.content_type == "application/json" else None
        except ValueError:
            body = None
        rec = Request(request.method, path, dict(request.query), body, dict(request.headers))
        self.requests.append(rec)
        self._touch()
        release = self._take(self._stalls, rec)
        if release is not None:
            await release.wait()
        drop = self._take(self._drops, rec)
        if drop is False:  # dropped on arrival: nothing was done
            return self._abort(request)
        try:
            response = self._limited(rec) or self._route(rec)
        except _Unauthorised:
            response = _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if drop is True:  # carried out, but the answer never leaves
            return self._abort(request)
        rec.status = response.status
        self._touch()
        return response

    @staticmethod
    def _take(rules: list[list[Any]], rec: Request) -> Any:
        """The payload of the first rule [method, regex, payload, remaining] matching `rec`, used up once."""
        for rule in rules:
            if rule[3] > 0 and rule[0] == rec.method and rule[1].fullmatch(rec.path):
                rule[3] -= 1
                return rule[2]
        return None

    def _abort(self, request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.abort()  # no status line: the client sees the connection go
        self._touch()
        return web.Response(status=500)  # never reaches the client

    def _limited(self, rec: Request) -> web.Response | None:
        for limit in self._rate_limits:
            method, regex, retry_after, remaining = limit
            if remaining > 0 and rec.method == method and regex.fullmatch(rec.path):
                limit[3] -= 1
                headers = {
                    "Retry-After": str(retry_after),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": str(retry_after),
                    "X-RateLimit-Bucket": "fake",
                    "X-RateLimit-Scope": "user",
                    "Via": "1.1 google",
                }  # as Discord's API sends; a 429 without it is Cloudflare's
                return _json(
                    {"message": "You are being rate limited.", "retry_after": retry_after, "global": False, "code": 0},
                    status=429,
                    headers=headers,
                )
        for fault in self._faults:
            method, regex, status, code, remaining = fault
            if remaining > 0 and rec.method == method and regex.fullmatch(rec.path):
                fault[4] -= 1
                return _json({"message": "Invalid Form Body", "code": code, "errors": {}}, status=status)
        return None

    def _authorised(self, rec: Request) -> None:
        if rec.headers.get("Authorization") != f"Bot {self.token}":
            raise _Unauthorised

    def _route(self, rec: Request) -> web.StreamResponse:
        m, p = rec.method, rec.path
        if p == "/gateway/bot" and m == "GET":
            self._authorised(rec)
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
                }
            )
        if p == "/users/@me" and m == "GET":
            self._authorised(rec)
            return _json(BOT_USER)
        if p == "/oauth2/applications/@me" and m == "GET":
            self._authorised(rec)
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "NATO Status Bot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "00",
                    "owner": user(USER_ID, "owner"),
                    "team": None,
                    "flags": 0,
                    "rpc_origins": [],
                    "interactions_endpoint_url": None,
                }
            )
        match = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", p)
        if match:
            self._authorised(rec)
            scope = match[2] or "global"
            if m == "PUT":
                self.commands[scope] = [self._registered(c, match[2]) for c in rec.json or []]
            return _json(self.commands.get(scope, []))
        match = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", p)
        if match and m == "POST":
            return self._callback(match[1], rec)
        match = re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/@original)?", p)
        if match:
            if m == "DELETE":
                return web.Response(status=204)
            return _json(self._message_from(rec.json or {}))
        if re.fullmatch(r"/channels/\d+/messages", p) and m == "POST":
            self._authorised(rec)
            posted = self._message_from(rec.json or {})
            self.messages[posted["id"]] = posted
            return _json(posted)
        match = re.fullmatch(r"/channels/\d+/messages/(\d+)", p)
        if match and m == "PATCH":
            self._authorised(rec)
            if match[1] not in self.messages:
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            edited = self.messages[match[1]]
            for key in ("content", "embeds", "components"):
                if rec.json and key in rec.json:
                    edited[key] = rec.json[key]
            edited["edited_timestamp"] = TIMESTAMP
            return _json(edited)
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _registered(self, command: dict[str, Any], guild: str | None) -> dict[str, Any]:
        out = dict(command, id=str(self.snowflake()), application_id=str(APP_ID), version=str(self.snowflake()))
        if guild:
            out["guild_id"] = guild
        return out

    def _callback(self, interaction_id: str, rec: Request) -> web.Response:
        body = rec.json or {}
        if self.acknowledge_once and interaction_id in self.callbacks:
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
        self.callbacks.setdefault(interaction_id, []).append(body)
        self.callback_times.setdefault(interaction_id, rec.at)
        kind = body.get("type")
        flags = (body.get("data") or {}).get("flags", 0) or 0
        return _json(
            {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_id": str(self.snowflake()),
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(flags & 64),
                },
                "resource": {"type": kind},
            }
        )

    def _message_from(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.message(body.get("content") or "", embeds=body.get("embeds"), components=body.get("components"))
