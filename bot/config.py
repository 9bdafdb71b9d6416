"""Settings from the environment and `.env`: the one place configuration is read.

Secrets are `SecretStr`, so printing the settings (or a traceback that includes them) shows
`**********` instead of a token.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    def configured_platforms(self) -> list[str]:
        return [name for name, token in (("telegram", self.telegram_token), ("discord", self.discord_token))
                if token is not None and token.get_secret_value().strip()]
