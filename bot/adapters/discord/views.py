"""Follow-up buttons that keep working after a restart.

Each button's custom id is ``natobot:<lang>:<ref>`` where `ref` is the core's `Action.ref`
(``timeline:KR``, ``sources:status:KR``, ``lang:ko:status:KR``): everything needed to answer the
click is in the id, so one `DynamicItem` registered at startup serves buttons on messages sent by
any earlier process. The template accepts any ``natobot:`` id, so an id from an older format, or a
ref the current knowledge no longer knows, gets a polite ephemeral answer instead of Discord's
"This interaction failed".
"""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

import discord

from bot.core.reply import Reply

PREFIX = "natobot:"
MAX_CUSTOM_ID = 100  # Discord's limit
LANGS = ("en", "ko")
STYLES = {"lang": discord.ButtonStyle.primary}


class _Answers(Protocol):
    async def button(self, interaction: discord.Interaction, lang: str | None, ref: str) -> None: ...


class _Host(Protocol):
    """What a click needs of the client (its `door.Door`), named here so this module imports neither."""

    door: _Answers


def custom_id(lang: str, ref: str) -> str:
    return f"{PREFIX}{lang}:{ref}"


def parse(custom: str) -> tuple[str | None, str]:
    """(lang, ref) from a custom id; lang is None for ids without one (an older format)."""
    rest = custom[len(PREFIX) :] if custom.startswith(PREFIX) else custom
    lang, sep, ref = rest.partition(":")
    if sep and lang in LANGS:
        return lang, ref
    return None, rest


class FollowUpButton(discord.ui.DynamicItem[discord.ui.Button], template=re.escape(PREFIX) + r"(?P<rest>.*)"):
    def __init__(self, lang: str | None, ref: str, label: str = "…", kind: str = "") -> None:
        self.lang, self.ref, self.kind = lang, ref, kind
        super().__init__(
            discord.ui.Button(
                label=label[:80] or "…",
                style=STYLES.get(kind, discord.ButtonStyle.secondary),
                custom_id=custom_id(lang, ref) if lang else PREFIX + ref,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FollowUpButton:
        lang, ref = parse(PREFIX + match["rest"])
        return cls(lang, ref, getattr(item, "label", None) or "…", ref.partition(":")[0])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = cast(_Host, interaction.client)
        await client.door.button(interaction, self.lang, self.ref)


def view_for(reply: Reply) -> discord.ui.View | None:
    """The follow-up buttons of a reply (None when it has none); ids that would not fit are skipped."""
    view = discord.ui.View(timeout=None)
    for action in reply.actions[:25]:
        if len(custom_id(reply.lang, action.ref)) > MAX_CUSTOM_ID:
            continue
        view.add_item(FollowUpButton(reply.lang, action.ref, action.label, action.kind))
    return view if view.children else None
