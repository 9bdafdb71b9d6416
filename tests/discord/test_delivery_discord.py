"""Delivery on Discord under real faults: an answer is not lost when the interaction can no longer
carry it (issue 15, item 5).

The real discord.py client against the fake Discord (tests/discord/fake_discord.py) made strict the
way Discord is: a first response more than `window` seconds after the interaction was created is
refused with "Unknown interaction" (10062), and the interaction's webhook (follow-ups, edits of the
original response) with "Unknown Webhook" (10015) once its token is `token_life` seconds old.

- two 5xx, or three 429s, on the interaction callback: discord.py's own retries run past the 3 s
  window; the answer is posted in the channel instead, once;
- six 5xx or seven 429s on the edit of a deferred answer (discord.py gives up after five tries):
  sent again with backoff and delivered once;
- an edit still failing when the token expires: the answer goes to the channel, once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "discord"))

from fake_discord import APP_ID, CHANNEL_ID, USER_ID, FakeDiscord, _json  # noqa: E402
from test_discord_faults import SlowRuntime  # noqa: E402

from bot.adapters.discord import build_client  # noqa: E402
from bot.adapters.discord import delivery as discord_delivery  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime import Runtime  # noqa: E402

CALLBACK = r"/interactions/\d+/[^/]+/callback"
CHANNEL_MESSAGES = rf"/channels/{CHANNEL_ID}/messages"


class StrictDiscord(FakeDiscord):
    """Discord's deadlines: the first response within `window` s, the token good for `token_life` s."""

    window = 3.0
    token_life = 900.0

    def __init__(self) -> None:
        super().__init__()
        self.created: dict[str, float] = {}  # interaction id -> when it was dispatched
        self.tokens: dict[str, str] = {}  # interaction token -> id

    async def dispatch(self, event: str, data: dict[str, Any], shard: int = 0) -> None:
        if event == "INTERACTION_CREATE":
            self.created[data["id"]] = time.perf_counter()
            self.tokens[data["token"]] = data["id"]
        await super().dispatch(event, data, shard)

    def _limited(self, rec: Any) -> Any:
        callback = _match(r"/interactions/(\d+)/[^/]+/callback", rec.path)
        late = callback and rec.at - self.created.get(callback, rec.at) > self.window
        if late and callback not in self.callbacks:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        hook = _match(rf"/webhooks/{APP_ID}/([^/]+).*", rec.path)
        if hook and hook in self.tokens:
            iid = self.tokens[hook]
            if iid not in self.callbacks or rec.at - self.created[iid] > self.token_life:
                return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        return super()._limited(rec)


def _match(pattern: str, path: str) -> str | None:
    import re

    found = re.fullmatch(pattern, path)
    return found[1] if found else None


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pauses of 50 ms doubling up to 0.2 s (the conftest's `offline` keeps the tests on 127.0.0.1)."""
    monkeypatch.setattr(discord_delivery, "BACKOFF", (0.05, 0.2), raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[StrictDiscord]:  # Discord's deadlines, instead of the conftest's lenient fake
    server = await StrictDiscord().start()
    yield server
    await server.close()


@contextlib.asynccontextmanager
async def client_on(fake: FakeDiscord, runtime: Runtime, tmp_path: Path, **options: Any) -> AsyncIterator[Any]:
    settings = Settings(
        _env_file=None,
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.api,  # type: ignore[call-arg]
        NATOBOT_STATE_DIR=str(tmp_path / "state"),
    )
    client = build_client(runtime, settings, force_sync=False, **options)

    async def run() -> None:
        async with client:
            await client.start(fake.token)

    task = asyncio.create_task(run())
    try:
        await fake.wait_ready(timeout=20)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 10)


def statuses(fake: FakeDiscord, method: str, pattern: str) -> list[int]:
    return [r.status for r in fake.find(method, pattern)]


def posted(fake: FakeDiscord) -> list[Any]:
    """The bot's messages in the channel that Discord took."""
    return [r for r in fake.find("POST", CHANNEL_MESSAGES) if r.status == 200]


async def settled(fake: FakeDiscord) -> None:
    """A later interaction is answered: anything still due from earlier has had its chance to go out."""
    payload = fake.slash("nato-help")
    [callback] = await fake.interact(payload, timeout=15)
    if callback["type"] == 5:  # deferred: wait for its answer too
        await fake.wait_until(lambda: 200 in statuses(fake, "PATCH", original(payload)), 15, "the help's edit")
    await asyncio.sleep(0.3)


# -- the first response ------------------------------------------------------------------------------


async def test_two_5xx_on_the_callback_then_the_answer_goes_to_the_channel_once(
    fake: StrictDiscord, runtime: Runtime, tmp_path: Path
) -> None:
    async with client_on(fake, runtime, tmp_path):
        fake.fail("POST", CALLBACK, status=500, code=0, times=2)
        payload = fake.slash("nato-status", {"country": "finland"})
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_until(lambda: posted(fake), 20, "the answer in the channel")
        await settled(fake)
    pattern = rf"/interactions/{payload['id']}/[^/]+/callback"
    assert statuses(fake, "POST", pattern)[:3] == [500, 500, 404]  # discord.py's retry came after 3 s
    assert payload["id"] not in fake.callbacks
    [answer] = posted(fake)
    assert "Finland" in answer.json["embeds"][0]["title"]
    assert answer.json["content"] == f"<@{USER_ID}>" and answer.json["allowed_mentions"]["parse"] == []


async def test_three_429s_on_the_callback_then_the_answer_goes_to_the_channel_once(
    fake: StrictDiscord, runtime: Runtime, tmp_path: Path
) -> None:
    async with client_on(fake, runtime, tmp_path):
        fake.rate_limit("POST", CALLBACK, retry_after=1.2, times=3)
        payload = fake.slash("nato-status", {"country": "sweden"})
        await fake.dispatch("INTERACTION_CREATE", payload)
        await fake.wait_until(lambda: posted(fake), 20, "the answer in the channel")
        await settled(fake)
    assert statuses(fake, "POST", rf"/interactions/{payload['id']}/[^/]+/callback") == [429, 429, 429, 404]
    [answer] = posted(fake)
    assert "Sweden" in answer.json["embeds"][0]["title"]


# -- a deferred answer -----------------------------------------------------------------------------


def original(payload: dict[str, Any]) -> str:
    return rf"/webhooks/{APP_ID}/{payload['token']}/messages/@original"


async def test_six_5xx_on_the_edit_of_a_deferred_answer_are_retried_and_it_arrives_once(
    fake: StrictDiscord, runtime: Runtime, tmp_path: Path
) -> None:
    async with client_on(fake, SlowRuntime(runtime, 0.3), tmp_path, defer_after=0.05):
        payload = fake.slash("nato-status", {"country": "KR"})
        fake.fail("PATCH", original(payload), status=503, code=0, times=6)  # discord.py gives up after 5 (16 s)
        [callback] = await fake.interact(payload, timeout=15)
        assert callback["type"] == 5
        await fake.wait_until(lambda: 200 in statuses(fake, "PATCH", original(payload)), 40, "the edit")
        await settled(fake)
    assert statuses(fake, "PATCH", original(payload)) == [503] * 6 + [200]
    assert posted(fake) == []


async def test_seven_429s_on_the_edit_of_a_deferred_answer_are_waited_out_and_it_arrives_once(
    fake: StrictDiscord, runtime: Runtime, tmp_path: Path
) -> None:
    async with client_on(fake, SlowRuntime(runtime, 0.3), tmp_path, defer_after=0.05):
        payload = fake.slash("nato-status", {"country": "norway"})
        fake.rate_limit("PATCH", original(payload), retry_after=0.1, times=7)  # discord.py stops after five
        [callback] = await fake.interact(payload, timeout=15)
        assert callback["type"] == 5
        await fake.wait_until(lambda: 200 in statuses(fake, "PATCH", original(payload)), 20, "the edit")
        await settled(fake)
    assert statuses(fake, "PATCH", original(payload)) == [429] * 7 + [200]
    assert posted(fake) == []


async def test_an_edit_failing_until_the_token_expires_goes_to_the_channel_once(
    fake: StrictDiscord, runtime: Runtime, tmp_path: Path
) -> None:
    fake.token_life = 1.5
    async with client_on(fake, SlowRuntime(runtime, 0.3), tmp_path, defer_after=0.05):
        payload = fake.slash("nato-status", {"country": "japan"})
        fake.fail("PATCH", original(payload), status=503, code=0, times=1000)
        [callback] = await fake.interact(payload, timeout=15)
        assert callback["type"] == 5
        await fake.wait_until(lambda: posted(fake), 20, "the answer in the channel")
        await settled(fake)
    edits = statuses(fake, "PATCH", original(payload))
    assert edits[-1] == 404 and set(edits[:-1]) == {503}  # retried until Discord said the token was gone
    [answer] = posted(fake)
    assert "Japan" in answer.json["embeds"][0]["title"]
