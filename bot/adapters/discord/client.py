"""The Discord client: start-up (the command tree, dynamic buttons, quiz resume, sync by hash), and
messages that mention the bot. The rest lives by job, as in discord.py's examples:

- `door`: interactions in and replies out, inside the 3-second window (the Runtime's door);
- `commands` (answers), `quiz` (quizzes and leaderboards), `language` (`/nato-lang`): the commands;
- `views`: follow-up buttons; `sync`: command sync by hash; `render`, `messages`: what is shown.

None of them imports this module; the tree's one `on_error` is the error frame of every command.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.adapters.discord import commands as slash
from bot.adapters.discord.delivery import resend
from bot.adapters.discord.door import DEFER_AFTER, NO_MENTIONS, PLATFORM, Door, lang_keys
from bot.adapters.discord.quiz import QUESTION_SECONDS, QuizButton, engine_for
from bot.adapters.discord.render import embed
from bot.adapters.discord.sync import sync_commands
from bot.adapters.discord.translator import KoreanTranslator
from bot.adapters.discord.views import FollowUpButton, view_for
from bot.config import Settings
from bot.core.inbound import Inbound, chat_key
from bot.ops.logging import correlation_id
from bot.runtime import Runtime

log = logging.getLogger("natobot.discord")
_API_VERSION = re.compile(r"/api/v\d+/?$")


def mention_question(content: str, bot_id: int) -> str:
    """The question in a message that mentions the bot: the text without the bot's mentions (each
    replaced by a space, so no new mention can be spelled from the pieces), or help if nothing is left."""
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip() or "/nato-help"


class ConfigError(Exception):
    """A Discord setting that cannot work; shown to the user as one line."""


def intents() -> discord.Intents:
    """No privileged intent: slash commands need none, and messages that mention the bot carry
    their content without the message-content intent."""
    out = discord.Intents.none()
    out.guilds = True
    out.guild_messages = True
    out.dm_messages = True
    return out


def api_base(url: str) -> str:
    """DISCORD_API_BASE_URL with or without the /api/vN suffix -> discord.py's Route.BASE."""
    url = url.rstrip("/")
    return url if _API_VERSION.search(url + "/") else f"{url}/api/v10"


def id_list(text: str, setting: str) -> list[int]:
    try:
        return [int(part) for part in re.split(r"[,\s]+", text.strip()) if part]
    except ValueError:
        raise ConfigError(f"{setting} must be a comma-separated list of numbers, got {text!r}") from None


class NatoTree(app_commands.CommandTree):
    """The tree's one error frame: every command's failure is logged and the member told."""

    door: Door

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await self.door.report_error(interaction, error)


if TYPE_CHECKING:  # the mixin is only ever mixed into discord.Client (or its auto-sharded subclass)
    _ClientBase = discord.Client
else:
    _ClientBase = object


class NatoMixin(_ClientBase):
    """What the plain and the auto-sharded client share; see `build_client`."""

    def _configure(
        self,
        runtime: Runtime,
        *,
        guild_ids: Sequence[int],
        state_dir: Path,
        force_sync: bool,
        discover_gateway: bool,
        sync: bool,
        defer_after: float,
        quiz_seconds: float = QUESTION_SECONDS,
    ) -> None:
        self.runtime = runtime
        self.guild_ids = list(guild_ids)
        self.state_dir = Path(state_dir)
        self.force_sync = force_sync
        self.discover_gateway = discover_gateway
        self.sync_enabled = sync
        self.door = Door(runtime, defer_after)
        self.tree = NatoTree(self)
        self.tree.door = self.door
        self.synced: list[str] = []  # scopes synced by this process, for tests and logs
        self.quizzes = engine_for(runtime, self, quiz_seconds)

    async def setup_hook(self) -> None:
        if self.discover_gateway:
            # A REST base other than Discord's (a proxy or a test double) tells where its gateway is.
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await self.tree.set_translator(KoreanTranslator())
        for command in slash.build(self.door, self.quizzes):
            self.tree.add_command(command)
        for guild_id in self.guild_ids:
            self.tree.copy_global_to(guild=discord.Object(guild_id))
        self.add_dynamic_items(FollowUpButton, QuizButton)
        await self.quizzes.resume()  # questions a stopped process left open
        if self.sync_enabled:
            self.synced += await sync_commands(
                self.tree,
                self.application_id,
                self.guild_ids,
                self.state_dir,
                force=self.force_sync,
            )

    async def close(self) -> None:
        await self.quizzes.shutdown()  # open questions are closed by another process, or on the next start
        await super().close()

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "Discord: connected as %s (%s); %d slash commands",
            user,
            getattr(user, "id", "?"),
            len(self.tree.get_commands()),
        )

    async def drain(self, timeout: float) -> None:
        await self.door.drain(timeout)

    # -- mentions (no message-content intent needed for messages that mention the bot) ------
    async def on_message(self, msg: discord.Message) -> None:
        me = self.user
        if me is None or msg.author.bot or me.id not in msg.raw_mentions:
            return
        correlation_id.set(f"dc-msg-{msg.id}")
        guild = msg.guild.id if msg.guild else None
        chat = chat_key(PLATFORM, "guild", guild) if guild else chat_key(PLATFORM, "channel", msg.channel.id)
        permissions = getattr(msg.author, "guild_permissions", None)

        async def is_admin() -> bool:
            return guild is None or bool(permissions and permissions.manage_guild)

        inbound = Inbound.message(
            PLATFORM,
            mention_question(msg.content, me.id),
            chat=chat,
            thread=str(msg.channel.id) if guild else None,
            user=str(msg.author.id),
            lang_keys=lang_keys(msg.author.id, guild),
            is_admin=is_admin,
        )
        try:
            with self.door.working():
                reply = await self.runtime.receive(inbound)
                if reply is None:  # over the rate limit and already told once: ignore
                    return
                body: dict[str, Any] = {"embed": embed(reply), "allowed_mentions": NO_MENTIONS, "mention_author": False}
                view = view_for(reply)
                if view is not None:
                    body["view"] = view
                await resend(lambda: msg.reply(**body), "a reply")
        except discord.HTTPException as exc:
            log.warning("Discord: could not answer message %s (%s)", msg.id, exc)
        except Exception:
            log.exception("Discord: error answering message %s", msg.id)


class NatoClient(NatoMixin, discord.Client):
    pass


class NatoShardedClient(NatoMixin, discord.AutoShardedClient):
    pass


def build_client(
    runtime: Runtime,
    settings: Settings,
    *,
    force_sync: bool = False,
    defer_after: float = DEFER_AFTER,
    quiz_seconds: float = QUESTION_SECONDS,
) -> NatoClient | NatoShardedClient:
    """The configured client; raises ConfigError for settings that cannot work."""
    guild_ids = id_list(settings.discord_guild_ids, "DISCORD_GUILD_IDS")
    shard_ids = id_list(settings.discord_shard_ids, "DISCORD_SHARD_IDS")
    options: dict[str, Any] = {"intents": intents(), "allowed_mentions": NO_MENTIONS}
    if settings.discord_api_base_url:
        discord.http.Route.BASE = api_base(settings.discord_api_base_url)
    if settings.discord_shard_count:
        count = settings.discord_shard_count
        if any(not 0 <= i < count for i in shard_ids):
            raise ConfigError(f"DISCORD_SHARD_IDS must be between 0 and {count - 1} (DISCORD_SHARD_COUNT={count})")
        if shard_ids:  # else discord.py runs them all
            options["shard_ids"] = shard_ids
        client: NatoClient | NatoShardedClient = NatoShardedClient(shard_count=count, **options)
    elif shard_ids:
        raise ConfigError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)")
    else:
        client = NatoClient(**options)
    # With the gateway split over processes, the one running shard 0 syncs the commands.
    sync = not shard_ids or 0 in shard_ids
    client._configure(
        runtime,
        guild_ids=guild_ids,
        state_dir=settings.state_dir,
        force_sync=force_sync,
        discover_gateway=bool(settings.discord_api_base_url),
        sync=sync,
        defer_after=defer_after,
        quiz_seconds=quiz_seconds,
    )
    return client
