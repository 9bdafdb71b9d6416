"""Starting and stopping: a rejected token, the token kept out of output, graceful SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
from fake_bot_api import TOKEN, FakeBotAPI
from telegram_harness import KNOWLEDGE, ROOT, make_settings

from bot.adapters.telegram import serve
from bot.adapters.telegram.app import api_urls
from bot.ops.logging import REDACTED, protect
from bot.runtime import Runtime

BAD_TOKEN = "987654:REJECTED-token-abcdefghijklmnop"


async def natobot(fake: FakeBotAPI, tmp_path: Path, token: str, log_level: str = "INFO") -> asyncio.subprocess.Process:
    """`natobot telegram` in a child process, configured only by environment, talking to the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "NATOBOT_"))}
    env.update(
        TELEGRAM_TOKEN=token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        NATOBOT_KNOWLEDGE=str(KNOWLEDGE),
        NATOBOT_LOG_LEVEL=log_level,
        PYTHONPATH=str(ROOT),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "telegram",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_rejected_token_is_one_line_without_the_token(
    fake: FakeBotAPI, runtime: Runtime, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SystemExit) as exited:
        await serve(runtime, make_settings(fake, TELEGRAM_TOKEN=BAD_TOKEN))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TELEGRAM_TOKEN" in err and "BotFather" in err
    assert "REJECTED" not in err and "REJECTED" not in caplog.text
    assert [c.status for c in fake.calls] == [401]


async def test_cli_reports_a_rejected_token_without_traceback(fake: FakeBotAPI, tmp_path: Path) -> None:
    process = await natobot(fake, tmp_path, BAD_TOKEN)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2, err
    text = err.decode()
    assert text.startswith("natobot: Telegram rejected TELEGRAM_TOKEN") and text.count("\n") == 1
    assert "Traceback" not in text and "REJECTED" not in text and out == b""


async def test_sigterm_lets_the_reply_in_flight_finish(fake: FakeBotAPI, tmp_path: Path) -> None:
    process = await natobot(fake, tmp_path, TOKEN, log_level="DEBUG")
    try:
        await fake.wait_for("getUpdates", timeout=60)
        release = fake.hold("sendMessage")
        await fake.send_text("/nato_status korea")
        [reply] = await fake.wait_for("sendMessage")
        process.send_signal(signal.SIGTERM)
        # shutting down: polling stops with a last getUpdates (timeout 0) that confirms the offset
        await fake.wait_for("getUpdates", lambda p: str(p.get("timeout")) == "0")
        assert process.returncode is None and not reply.done
        release.set()
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, err
    assert reply.done
    log = err.decode()
    assert "Traceback" not in log
    assert TOKEN not in log and TOKEN.partition(":")[2] not in log  # DEBUG logging on, still no token


def test_log_records_never_carry_the_token(caplog: pytest.LogCaptureFixture) -> None:
    secret = "555:log-secret-abcdefghijkl"
    protect(secret)
    logger = logging.getLogger("telegram.ext.test")
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{secret}/getMe failed")
    except RuntimeError:
        logger.exception("request to %s failed", f"/bot{secret}/getMe")
    assert secret not in caplog.text and "log-secret" not in caplog.text
    assert REDACTED in caplog.text
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


@pytest.mark.parametrize("given", ["http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot"])
def test_api_base_url_accepts_the_server_root_or_its_bot_url(given: str) -> None:
    assert api_urls(given) == ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")
