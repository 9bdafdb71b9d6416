from __future__ import annotations

import io
import json
import logging

import pytest

from bot.config import Settings
from bot.ops.logging import correlation_id, setup_logging

TOKEN = "123456:AAFakeTokenThatMustNeverBeLogged"


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_tokens_are_redacted_from_messages_args_and_tracebacks() -> None:
    out = io.StringIO()
    setup_logging("DEBUG", json=False, secrets=[TOKEN], stream=out)
    log = logging.getLogger("test")
    log.info("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"bad token {TOKEN}")
    except RuntimeError:
        log.exception("failed")
    text = out.getvalue()
    assert TOKEN not in text and text.count("<redacted>") >= 2 and "RuntimeError" in text


def test_json_lines_carry_the_correlation_id() -> None:
    out = io.StringIO()
    setup_logging("INFO", json=True, secrets=[TOKEN], stream=out)
    token = correlation_id.set("tg-42")
    try:
        logging.getLogger("test").info("answered %s", "korea")
    finally:
        correlation_id.reset(token)
    record = json.loads(out.getvalue().strip())
    assert record["correlation_id"] == "tg-42" and record["message"] == "answered korea" and record["level"] == "INFO"


def test_config_is_redacted_and_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("OWNER_IDS", "42,discord:7")
    settings = Settings()
    shown = settings.redacted()
    assert shown["TELEGRAM_TOKEN"] == "*** (set)" and TOKEN not in str(shown)
    assert settings.owners() == ["42", "discord:7"]
    assert settings.secrets() == [TOKEN]
    monkeypatch.setenv("NATOBOT_LOG_LEVEL", "LOUD")
    with pytest.raises(Exception, match="NATOBOT_LOG_LEVEL"):
        Settings()
