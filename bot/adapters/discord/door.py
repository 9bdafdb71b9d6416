"""Discord's side of the Runtime's door: an interaction in, as an `Inbound`; the reply out, in time.

Every interaction is acknowledged inside Discord's 3-second window: admission and the answer run
as one task and, if it has not finished after `defer_after` seconds, the interaction is deferred
first (public or ephemeral is fixed at that moment) and the answer edited in when it comes. The
store is only ever reached through the Runtime, off the event loop.

A public answer Discord will no longer take through the interaction (its 3 s window or 15-minute
token ran out while 5xx, 429s or dropped connections were retried, see `delivery`) is posted in the
interaction's channel instead, marked with the asker's name (pinging nobody); an answer for the asker
alone (ephemeral) is not made public, and is logged as lost.

Commands, views and the quiz reach this through `interaction.client` typed as `Host`, so none of
them imports the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterator
from typing import Any, Literal, Protocol, cast

import discord

from bot.adapters.discord.delivery import DROPPED, PLATFORM, expired, resend, transient
from bot.adapters.discord.render import embed, slash
from bot.adapters.discord.views import view_for
from bot.core.i18n import pick_lang, t
from bot.core.inbound import Inbound, Kind, chat_key
from bot.core.quiz import QuizEngine
from bot.core.reply import Reply
from bot.ops import platforms
from bot.ops.logging import correlation_id
from bot.runtime import Admission, Runtime, StoreUnavailable

log = logging.getLogger("natobot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
DEFER_AFTER = 2.0  # seconds: well inside Discord's 3 s, leaving room for the callback's round trip
STALE_EXAMPLE = slash("nato-status", "korea")  # the command a stale button's notice suggests
Deferred = Literal["update", "public", "ephemeral", "expired"] | None


class Host(Protocol):
    """What handlers use of the client."""

    door: Door
    quizzes: QuizEngine


def host(interaction: discord.Interaction) -> Host:
    return cast(Host, interaction.client)  # the client is always ours (NatoClient or NatoShardedClient)


def lang_keys(user_id: int, guild_id: int | None) -> tuple[str, ...]:
    """The member's own setting, then the server's."""
    user = chat_key(PLATFORM, "user", user_id)
    return (user, chat_key(PLATFORM, "guild", guild_id)) if guild_id else (user,)


def can_manage(interaction: discord.Interaction) -> bool:
    """Manage Server in a server; in a DM the settings and the leaderboard are the user's own."""
    return not interaction.guild_id or interaction.permissions.manage_guild


class Door:
    def __init__(self, runtime: Runtime, defer_after: float = DEFER_AFTER) -> None:
        self.runtime = runtime
        self.defer_after = defer_after
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        platforms.register(PLATFORM)  # API outcomes, reported by `delivery.resend`

    # -- in ----------------------------------------------------------------------------------
    def inbound(
        self,
        interaction: discord.Interaction,
        kind: Kind,
        text: str = "",
        *,
        lang: str | None = None,
        room: bool = True,
    ) -> Inbound:
        """The interaction as an `Inbound`; quizzes, leaderboards and the server's language belong to
        the server (to the channel in a DM); rate limits to the channel unless `room` is False."""
        correlation_id.set(f"dc-{interaction.id}")
        guild, channel = interaction.guild_id, interaction.channel_id
        chat = chat_key(PLATFORM, "guild", guild) if guild else chat_key(PLATFORM, "channel", channel)
        fields: dict[str, Any] = {
            "chat": chat if room else None,
            "thread": str(channel) if room and guild and channel else None,
            "user": str(interaction.user.id),
            "locale": str(interaction.locale),
            "lang": lang,
            "lang_keys": lang_keys(interaction.user.id, guild),
            "is_admin": self._admin(interaction),
        }
        if kind == "command":
            return Inbound.message(PLATFORM, text, **fields)
        return Inbound(PLATFORM, kind, text, **fields)

    @staticmethod
    def _admin(interaction: discord.Interaction) -> Any:
        async def check() -> bool:
            return can_manage(interaction)

        return check

    def quiz_chat(self, interaction: discord.Interaction) -> str:
        return self.inbound(interaction, "command").chat or ""

    async def language(self, interaction: discord.Interaction) -> str:
        """Stored setting (member's, else server's), else the client's locale, else English."""
        stored = await self.runtime.stored_lang(lang_keys(interaction.user.id, interaction.guild_id))
        return pick_lang(stored or str(interaction.locale))

    async def admit(self, interaction: discord.Interaction, inbound: Inbound) -> Admission | None:
        """The Runtime's limits; over them the member is told, ephemerally (an interaction must be
        acknowledged, so even a 'drop' gets the short notice), and None is returned."""
        admission = await self.runtime.admit(inbound)
        if admission.allowed:
            return admission
        text = admission.refusal.body if admission.refusal else t("rate.slow_down", admission.lang)
        await self.tell(interaction, text)
        return None

    # -- answering ---------------------------------------------------------------------------
    async def command(self, interaction: discord.Interaction, name: str, argument: str) -> None:
        inbound = self.inbound(interaction, "command", f"/{name} {argument.strip()}".strip())
        await self._answer(interaction, inbound)

    async def button(self, interaction: discord.Interaction, lang: str | None, ref: str) -> None:
        inbound = self.inbound(interaction, "button", ref, lang=lang)
        if lang is None:  # an id in a format this version does not write
            if await self.admit(interaction, inbound):
                await self.tell(interaction, t("button.stale", await self.language(interaction), example=STALE_EXAMPLE))
            return
        # The language button changes the message in place; the others answer with a new one.
        kind = ref.partition(":")[0]
        await self._answer(interaction, inbound, edit=kind == "lang", ephemeral=kind == "sources")

    async def _decide(self, inbound: Inbound) -> tuple[Admission, Reply | None]:
        admission = await self.runtime.admit(inbound)
        if not admission.allowed:
            return admission, None
        return admission, await self.runtime.respond(inbound, admission)

    async def _answer(
        self, interaction: discord.Interaction, inbound: Inbound, *, edit: bool = False, ephemeral: bool = False
    ) -> None:
        with self.working():
            try:
                await self._answer_now(interaction, inbound, edit=edit, ephemeral=ephemeral)
            except Exception as exc:  # noqa: BLE001 - every failure gets a friendly answer
                await self.report_error(interaction, exc)

    async def _answer_now(
        self, interaction: discord.Interaction, inbound: Inbound, *, edit: bool, ephemeral: bool
    ) -> None:
        work = asyncio.ensure_future(self._decide(inbound))
        deferred: Deferred = None
        try:
            admission, reply = await asyncio.wait_for(asyncio.shield(work), self.defer_after)
        except TimeoutError:
            try:
                if edit:  # a button that changes its own message: acknowledge with no visible change
                    deferred = "update"
                    await resend(lambda: interaction.response.defer(), "a deferral")
                else:  # "thinking…"; ephemeral or not is fixed now
                    deferred = "ephemeral" if ephemeral else "public"
                    await resend(lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True), "a deferral")
            except (discord.HTTPException, *DROPPED) as exc:
                if not (expired(exc) or transient(exc)):
                    raise
                deferred = "expired"  # the answer can only go to the channel now
            admission, reply = await work
        if reply is None:  # over the limit
            text = admission.refusal.body if admission.refusal else t("rate.slow_down", admission.lang)
            await self.send(interaction, content=text, ephemeral=True, deferred=deferred)
        elif inbound.kind == "button" and not reply.matched:  # the ref is stale: the knowledge no longer has it
            await self.send(
                interaction,
                content=t("button.stale", reply.lang, example=STALE_EXAMPLE),
                ephemeral=True,
                deferred=deferred,
            )
        else:
            await self.send(
                interaction, reply=reply, edit=edit, ephemeral=ephemeral or not reply.matched, deferred=deferred
            )

    # -- out ---------------------------------------------------------------------------------
    async def send(
        self,
        interaction: discord.Interaction,
        *,
        reply: Reply | None = None,
        content: str | None = None,
        edit: bool = False,
        ephemeral: bool = False,
        deferred: Deferred = None,
    ) -> None:
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
        if deferred != "expired":
            try:
                await self._through_interaction(
                    interaction, body, reply=reply, edit=edit, ephemeral=ephemeral, deferred=deferred
                )
                return
            except (discord.HTTPException, *DROPPED) as exc:
                if not (expired(exc) or transient(exc)):
                    raise
                log.warning("Discord: interaction %s can no longer carry its answer (%s)", interaction.id, exc)
        if ephemeral:
            log.warning("Discord: an answer for the asker alone was lost (interaction %s)", interaction.id)
            return
        await self._to_channel(interaction, body, edit=edit and reply is not None)

    async def _through_interaction(
        self,
        interaction: discord.Interaction,
        body: dict[str, Any],
        *,
        reply: Reply | None,
        edit: bool,
        ephemeral: bool,
        deferred: Deferred,
    ) -> None:
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

    async def _to_channel(self, interaction: discord.Interaction, body: dict[str, Any], *, edit: bool) -> None:
        """The answer, when the interaction can no longer carry it: the message the button belongs to
        edited, or a new message in the channel naming the asker (pinging nobody)."""
        log.warning("Discord: answering interaction %s in its channel", interaction.id)
        if edit and interaction.message is not None:
            message = interaction.message
            await resend(lambda: message.edit(**body), "an edit in the channel")
            return
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):
            raise RuntimeError(f"interaction {interaction.id} has no channel to answer in")
        out = {k: v for k, v in body.items() if v is not None}
        out.setdefault("content", interaction.user.mention)
        await resend(lambda: channel.send(**out), "an answer in the channel")

    async def tell(self, interaction: discord.Interaction, text: str) -> None:
        """A short notice for the member who acted, and nobody else."""
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def report_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """The one error frame: logged, and the member told (autocomplete has nowhere to tell): to try
        again shortly when the store failed (a quiz's first write), else that something went wrong."""
        cause = getattr(error, "original", error)  # discord.py wraps a command's exception in CommandInvokeError
        busy = isinstance(cause, StoreUnavailable)
        if busy:
            log.warning("Discord: the store failed answering interaction %s: %s", interaction.id, cause)
        else:
            log.error("Discord: error answering interaction %s", interaction.id, exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete:
            return
        try:
            lang = await self.language(interaction)
            await self.tell(interaction, self.runtime.store_busy(lang).body if busy else t("error.generic", lang))
        except (discord.HTTPException, *DROPPED):
            log.warning("Discord: could not tell the user about the error (interaction %s)", interaction.id)

    async def guarded(self, interaction: discord.Interaction, work: Awaitable[None]) -> None:
        """Run a button's work inside the error frame (discord.py only logs a button's exceptions)."""
        with self.working():
            try:
                await work
            except Exception as exc:  # noqa: BLE001 - a button's failure gets the same friendly answer
                await self.report_error(interaction, exc)

    # -- in-flight replies, drained on shutdown -----------------------------------------------
    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
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
        except TimeoutError:
            log.warning("Discord: %d replies still in flight at shutdown", self._inflight)
