"""`natobot discord` as a user runs it: a rejected token, and shutting down on SIGTERM / SIGINT."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import pytest
from fake_discord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
LOG_RECORD = re.compile(r"^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d|(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b)")


async def natobot(fake: FakeDiscord, tmp_path: Path, token: str, *args: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TELEGRAM_", "NATOBOT_"))}
    env.update(
        DISCORD_TOKEN=token,
        DISCORD_API_BASE_URL=fake.api,
        NATOBOT_STATE_DIR=str(tmp_path / "state"),
        PYTHONWARNINGS="ignore",
        PYTHONPATH=str(ROOT),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "discord",
        *args,
        cwd=tmp_path,
        env=env,  # cwd: no stray .env is read
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_rejected_token_is_one_line_without_the_token(fake: FakeDiscord, tmp_path: Path) -> None:
    secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.t0ken-that-must-not-leak"
    proc = await natobot(fake, tmp_path, secret)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    text = err.decode() + out.decode()
    # Log records (when the CLI enables logging) are not the error: the error is the one other line.
    lines = [line for line in err.decode().splitlines() if line.strip() and not LOG_RECORD.match(line)]
    assert len(lines) == 1, text
    assert "rejected DISCORD_TOKEN" in lines[0] and "Reset Token" in lines[0]
    assert secret not in text and "wrong" not in text and "Traceback" not in text
    [login] = fake.find("GET", "/users/@me")
    assert login.status == 401


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_closes_the_gateway_and_exits_cleanly(fake: FakeDiscord, tmp_path: Path, sig: int) -> None:
    proc = await natobot(fake, tmp_path, fake.token, "--sync")
    try:
        conn = await fake.wait_ready(timeout=60)
        [callback] = await fake.interact(fake.slash("nato-help"), timeout=20)
        assert callback["type"] == 4
        proc.send_signal(sig)
        _out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    await fake.wait_until(lambda: conn.ws.closed, timeout=10, what="the gateway socket to close")
    # The client closed the socket with a close frame (not a dropped connection). discord.py 2.7's
    # Client.close() asks for 1000, but its own reader wins aiohttp's close race and sends 4000.
    assert conn.ws.close_code in (1000, 4000)
    assert fake.find("PUT", r"/applications/\d+/commands"), "--sync forced a sync"
