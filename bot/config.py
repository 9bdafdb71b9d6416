"""Settings from the environment and `.env`: the one place configuration is read.

Secrets are `SecretStr`, so printing the settings (or a traceback that includes them) shows
`**********` instead of a token.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.ops.ratelimit import Rule

DEFAULT_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    knowledge_dir: Path = Field(DEFAULT_KNOWLEDGE, validation_alias="NATOBOT_KNOWLEDGE")
    log_level: str = Field("INFO", validation_alias="NATOBOT_LOG_LEVEL")

    telegram_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_TOKEN")
    telegram_api_base_url: str | None = Field(None, validation_alias="TELEGRAM_API_BASE_URL")
    telegram_webhook_url: str | None = Field(None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_listen: str = Field("0.0.0.0", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(8443, ge=1, le=65535, validation_alias="TELEGRAM_WEBHOOK_PORT")
    telegram_webhook_secret: SecretStr | None = Field(None, validation_alias="TELEGRAM_WEBHOOK_SECRET")

    discord_token: SecretStr | None = Field(None, validation_alias="DISCORD_TOKEN")
    discord_guild_ids: str = Field("", validation_alias="DISCORD_GUILD_IDS")
    discord_api_base_url: str | None = Field(None, validation_alias="DISCORD_API_BASE_URL")
    discord_shard_count: int | None = Field(None, ge=1, validation_alias="DISCORD_SHARD_COUNT")
    discord_shard_ids: str = Field("", validation_alias="DISCORD_SHARD_IDS")

    state_dir: Path = Field(Path(".natobot"), validation_alias="NATOBOT_STATE_DIR")
    redis_url: SecretStr | None = Field(None, validation_alias="REDIS_URL")

    log_json: bool = Field(False, validation_alias="NATOBOT_LOG_JSON")
    http_host: str = Field("127.0.0.1", validation_alias="NATOBOT_HTTP_HOST")
    http_port: int = Field(0, ge=0, le=65535, validation_alias="NATOBOT_HTTP_PORT")
    owner_ids: str = Field("", validation_alias="OWNER_IDS")
    rate_user: str = Field("6/30", validation_alias="NATOBOT_RATE_USER")
    rate_chat: str = Field("30/60", validation_alias="NATOBOT_RATE_CHAT")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return value.upper()

    @field_validator("rate_user", "rate_chat")
    @classmethod
    def _rate(cls, value: str) -> str:
        Rule.parse(value)
        return value

    @field_validator("owner_ids", "discord_guild_ids", "discord_shard_ids")
    @classmethod
    def _id_list(cls, value: str) -> str:
        for item in filter(None, (v.strip() for v in value.split(","))):
            if not re.fullmatch(r"(?:[a-z]+:)?-?\d+", item):
                raise ValueError(f"expected comma-separated numeric ids (optionally platform:id), got {item!r}")
        return value

    def owners(self) -> list[str]:
        return [v.strip() for v in self.owner_ids.split(",") if v.strip()]

    def secrets(self) -> list[str]:
        """Every secret value, for the log redaction filter."""
        values = [self.telegram_token, self.discord_token, self.telegram_webhook_secret, self.redis_url]
        return [v.get_secret_value() for v in values if v is not None]

    def redacted(self) -> dict[str, object]:
        """The effective configuration by environment variable name, secrets shown as set/unset only."""
        out: dict[str, object] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "*** (set)" if value.get_secret_value() else "(empty)"
            out[str(field.validation_alias or name).upper()] = "(unset)" if value is None else str(value)
        return out

    def configured_platforms(self) -> list[str]:
        return [
            name
            for name, token in (("telegram", self.telegram_token), ("discord", self.discord_token))
            if token is not None and token.get_secret_value().strip()
        ]
