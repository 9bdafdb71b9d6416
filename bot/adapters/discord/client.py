"""The Discord client: command tree, answering interactions, mention replies, and sync by hash.

Every interaction is acknowledged inside Discord's 3-second window: the core runs in a worker
thread and, if it has not answered after `defer_after` seconds, the interaction is deferred first
(public or ephemeral is fixed at that moment) and the answer edited in when it comes.
Commands are synced in `setup_hook` (never in `on_ready`, which runs again on every reconnect),
and only when the hash of what would be sent differs from the one stored after the last sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from bot.adapters.discord import commands as slash
from bot.adapters.discord.delivery import DROPPED, resend
from bot.adapters.discord.messages import message
from bot.adapters.discord.quiz import QUESTION_SECONDS, QuizButton, engine_for
from bot.adapters.discord.render import embed
from bot.adapters.discord.translator import KoreanTranslator
from bot.adapters.discord.views import FollowUpButton, view_for
from bot.config import Settings
from bot.core.commands import Command
from bot.core.reply import Query, Reply
from bot.ops.logging import correlation_id
from bot.ops.ratelimit import Verdict
from bot.runtime import Runtime

log = logging.getLogger("natobot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER = 2.0  # seconds: well inside Discord's 3 s, leaving room for the callback's round trip
SYNC_STATE = "discord-commands.json"
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
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError, /) -> None:
        await self.client.report_error(interaction, error)  # type: ignore[attr-defined]


class NatoMixin:
    """What the plain and the auto-sharded client share; see `build_client`."""

    tree: NatoTree
    runtime: Runtime

    def _configure(self, runtime: Runtime, *, guild_ids: Sequence[int], state_dir: Path, force_sync: bool,
                   discover_gateway: bool, sync: bool, defer_after: float,
                   quiz_seconds: float = QUESTION_SECONDS) -> None:
        self.runtime = runtime
        self.guild_ids = list(guild_ids)
        self.state_dir = Path(state_dir)
        self.force_sync = force_sync
        self.discover_gateway = discover_gateway
        self.sync_enabled = sync
        self.defer_after = defer_after
        self.tree = NatoTree(self)  # type: ignore[arg-type]
        self._choices: tuple[Any, slash.CountryChoices] | None = None
        self.synced: list[str] = []  # scopes synced by this process, for tests and logs
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.quizzes = engine_for(self, quiz_seconds)

    # -- start-up ------------------------------------------------------------------------
    async def setup_hook(self) -> None:
        if self.discover_gateway:
            # A REST base other than Discord's (a proxy or a test double) tells where its gateway is.
            _, url, _ = await self.http.get_bot_gateway()  # type: ignore[attr-defined]
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await self.tree.set_translator(KoreanTranslator())
        for command in slash.build():
            self.tree.add_command(command)
        for guild_id in self.guild_ids:
            self.tree.copy_global_to(guild=discord.Object(guild_id))
        self.add_dynamic_items(FollowUpButton, QuizButton)  # type: ignore[attr-defined]
        await self.quizzes.resume()  # questions a stopped process left open
        if self.sync_enabled:
            await self.sync_commands(force=self.force_sync)

    async def close(self) -> None:
        await self.quizzes.shutdown()  # open questions are closed by another process, or on the next start
        await super().close()  # type: ignore[misc]

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        log.info("Discord: connected as %s (%s); %d slash commands", user, getattr(user, "id", "?"),
                 len(self.tree.get_commands()))

    # -- command sync --------------------------------------------------------------------
    def _scopes(self) -> list[discord.Object | None]:
        return [discord.Object(g) for g in self.guild_ids] or [None]

    async def command_hash(self, guild: discord.Object | None) -> str:
        """The hash of exactly what `tree.sync(guild=...)` would send, translations included."""
        translator = self.tree.translator
        payload = []
        for command in self.tree.get_commands(guild=guild):
            payload.append(await command.get_translated_payload(self.tree, translator) if translator
                           else command.to_dict(self.tree))
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, force: bool = False) -> list[str]:
        path = self.state_dir / SYNC_STATE
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(saved, dict):
                saved = {}
        except (OSError, ValueError):
            saved = {}
        synced = []
        for guild in self._scopes():
            key = f"{self.application_id}:{'global' if guild is None else f'guild:{guild.id}'}"  # type: ignore[attr-defined]
            digest = await self.command_hash(guild)
            if not force and saved.get(key) == digest:
                log.info("Discord: commands unchanged for %s; not syncing (natobot discord --sync forces it)", key)
                continue
            try:
                await self.tree.sync(guild=guild)
            except discord.Forbidden:
                log.error("Discord: not allowed to add commands to guild %s: invite the bot with the "
                          "applications.commands scope", guild.id if guild else "-")
                continue
            except discord.HTTPException as exc:
                log.error("Discord: command sync for %s failed (%s %s); will retry on next start", key, exc.status, exc.text)
                continue
            saved[key] = digest
            synced.append(key)
            log.info("Discord: synced commands for %s", key)
        if synced:
            self._write_state(path, saved)
        self.synced.extend(synced)
        return synced

    @staticmethod
    def _write_state(path: Path, saved: dict[str, str]) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("Discord: cannot store the command hash in %s (%s); the next start syncs again", path, exc)

    # -- language --------------------------------------------------------------------------
    def stored_lang(self, user_id: int | None, guild_id: int | None) -> str | None:
        """The user's setting, else the server's."""
        store = self.runtime.store
        keys = ([f"discord:user:{user_id}"] if user_id else []) + ([f"discord:guild:{guild_id}"] if guild_id else [])
        for key in keys:
            lang = store.get_lang(key)
            if lang:
                return lang
        return None

    def language(self, interaction: discord.Interaction) -> str:
        """Stored setting, else the user's client locale (ko -> Korean), else English."""
        stored = self.stored_lang(interaction.user.id, interaction.guild_id)
        if stored:
            return stored
        return "ko" if str(interaction.locale).casefold().startswith("ko") else "en"

    def query(self, interaction: discord.Interaction, text: str) -> Query:
        return Query(text, lang=self.stored_lang(interaction.user.id, interaction.guild_id),
                     locale=str(interaction.locale), platform="discord")

    def country_choices(self) -> slash.CountryChoices:
        answerer = self.runtime.answerer
        if self._choices is None or self._choices[0] is not answerer:  # rebuilt after a knowledge reload
            self._choices = (answerer, slash.CountryChoices(answerer.countries, answerer.knowledge.countries))
        return self._choices[1]

    # -- in-flight replies, drained on shutdown ------------------------------------------------
    @contextlib.contextmanager
    def _working(self) -> Iterator[None]:
        self._inflight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._inflight -= 1
            if not self._inflight:
                self._idle.set()

    async def drain(self, timeout: float) -> None:
        """Wait (up to `timeout` s) for replies being computed or sent to go out."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except asyncio.TimeoutError:
            log.warning("Discord: %d replies still in flight at shutdown", self._inflight)

    async def _admitted(self, interaction: discord.Interaction) -> bool:
        """The runtime's per-user / per-channel limits; over them, the user is told (ephemerally:
        a Discord interaction must be acknowledged, so even a 'drop' gets the short notice)."""
        correlation_id.set(f"dc-{interaction.id}")
        lang = self.language(interaction)
        verdict, reply = self.runtime.admit("discord", str(interaction.user.id), str(interaction.channel_id or interaction.guild_id),
                               lang)
        if verdict is Verdict.ALLOW:
            return True
        await self._send(interaction, content=reply.body if reply else message("slow_down", lang), ephemeral=True)
        return False

    # -- answering -------------------------------------------------------------------------
    async def run_command(self, interaction: discord.Interaction, command: Command, argument: str) -> None:
        if not await self._admitted(interaction):
            return
        text = f"/{command.discord} {argument.strip()}".strip()
        query = self.query(interaction, text)
        await self._answer(interaction, lambda: self.runtime.answer(query))

    async def run_button(self, interaction: discord.Interaction, lang: str | None, ref: str) -> None:
        kind = ref.partition(":")[0]
        if not await self._admitted(interaction):
            return
        if lang is None:  # an id in a format this version does not write
            await self._send(interaction, content=message("stale", self.language(interaction)), ephemeral=True)
            return
        # The language button changes the message in place; the others answer with a new one.
        await self._answer(interaction, lambda: self.runtime.follow(ref, lang), edit=kind == "lang",
                           ephemeral=kind == "sources", button=True)

    async def _answer(self, interaction: discord.Interaction, compute: Callable[[], Reply], *,
                      edit: bool = False, ephemeral: bool = False, button: bool = False) -> None:
        with self._working():
            await self._answer_now(interaction, compute, edit=edit, ephemeral=ephemeral, button=button)

    async def _answer_now(self, interaction: discord.Interaction, compute: Callable[[], Reply], *,
                          edit: bool, ephemeral: bool, button: bool) -> None:
        try:
            work = asyncio.get_running_loop().run_in_executor(None, compute)
            deferred = None
            try:
                reply = await asyncio.wait_for(asyncio.shield(work), self.defer_after)
            except asyncio.TimeoutError:
                if edit:  # a button that changes its own message: acknowledge with no visible change
                    deferred = "update"
                    await resend(lambda: interaction.response.defer(), "a deferral")
                else:  # "thinking…"; ephemeral or not is fixed now
                    deferred = "ephemeral" if ephemeral else "public"
                    await resend(lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True), "a deferral")
                reply = await work
            if button and not reply.matched:  # the ref is stale: the knowledge no longer has it
                await self._send(interaction, content=message("stale", reply.lang), ephemeral=True, deferred=deferred)
                return
            await self._send(interaction, reply=reply, edit=edit, ephemeral=ephemeral or not reply.matched,
                             deferred=deferred)
        except Exception as exc:  # noqa: BLE001 - every failure gets a friendly answer
            await self.report_error(interaction, exc)

    async def _send(self, interaction: discord.Interaction, *, reply: Reply | None = None, content: str | None = None,
                    edit: bool = False, ephemeral: bool = False, deferred: str | None = None) -> None:
        """One message out, always with mentions that ping nobody.

        `deferred` says how the interaction was acknowledged: None (not yet), "update" (a button's
        silent acknowledgement), "public" or "ephemeral" (a "thinking…" message of that kind).
        """
        body: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if reply is not None:
            body["embed"] = embed(reply)
            view = view_for(reply)
            if view is not None or edit:
                body["view"] = view  # None on an edit removes buttons the new answer does not have
        if content is not None:
            body["content"] = content
        if deferred is None:
            if edit and reply is not None:
                await resend(lambda: interaction.response.edit_message(**body), "an answer")
            else:
                await resend(lambda: interaction.response.send_message(**body, ephemeral=ephemeral), "an answer")
        elif deferred == "update":
            if edit and reply is not None:
                await resend(lambda: interaction.edit_original_response(**body), "an edited answer")
            else:
                await resend(lambda: interaction.followup.send(**body, ephemeral=ephemeral), "a follow-up")
        elif deferred == ("ephemeral" if ephemeral else "public"):
            await resend(lambda: interaction.edit_original_response(**body), "an edited answer")
        else:  # deferred publicly, but the answer is for the asker only (an error, no match)
            await resend(lambda: interaction.delete_original_response(), "a deletion")
            await resend(lambda: interaction.followup.send(**body, ephemeral=ephemeral), "a follow-up")

    async def report_error(self, interaction: discord.Interaction, error: Exception) -> None:
        log.error("Discord: error answering interaction %s", interaction.id, exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # autocomplete has no message to show an error in
        text = message("error", self.language(interaction))
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, *DROPPED):
            log.warning("Discord: could not tell the user about the error (interaction %s)", interaction.id)

    # -- mentions (no message-content intent needed for messages that mention the bot) ------
    async def on_message(self, msg: discord.Message) -> None:
        me = self.user  # type: ignore[attr-defined]
        if me is None or msg.author.bot or me.id not in msg.raw_mentions:
            return
        query = Query(mention_question(msg.content, me.id), lang=self.stored_lang(msg.author.id, msg.guild.id if msg.guild else None),
                      platform="discord", user=str(msg.author.id), chat=str(msg.channel.id))
        correlation_id.set(f"dc-msg-{msg.id}")
        try:
            with self._working():
                await self._reply_to(msg, query)
        except discord.HTTPException as exc:
            log.warning("Discord: could not answer message %s (%s)", msg.id, exc)
        except Exception:  # noqa: BLE001
            log.exception("Discord: error answering message %s", msg.id)

    async def _reply_to(self, msg: discord.Message, query: Query) -> None:
        reply = await asyncio.get_running_loop().run_in_executor(None, self.runtime.handle, query)
        if reply is None:  # over the rate limit and already told once: ignore
            return
        body: dict[str, Any] = {"embed": embed(reply), "allowed_mentions": NO_MENTIONS, "mention_author": False}
        view = view_for(reply)
        if view is not None:
            body["view"] = view
        await resend(lambda: msg.reply(**body), "a reply")


class NatoClient(NatoMixin, discord.Client):
    pass


class NatoShardedClient(NatoMixin, discord.AutoShardedClient):
    pass


def build_client(runtime: Runtime, settings: Settings, *, force_sync: bool = False,
                 defer_after: float = DEFER_AFTER, quiz_seconds: float = QUESTION_SECONDS) -> NatoClient | NatoShardedClient:
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
        client: NatoClient | NatoShardedClient = NatoShardedClient(shard_count=count, shard_ids=shard_ids or None,
                                                                   **options)
    elif shard_ids:
        raise ConfigError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)")
    else:
        client = NatoClient(**options)
    # With the gateway split over processes, the one running shard 0 syncs the commands.
    sync = not shard_ids or 0 in shard_ids
    client._configure(runtime, guild_ids=guild_ids, state_dir=settings.state_dir, force_sync=force_sync,
                      discover_gateway=bool(settings.discord_api_base_url), sync=sync, defer_after=defer_after,
                      quiz_seconds=quiz_seconds)
    return client
