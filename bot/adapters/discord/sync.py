"""Slash commands synced by hash: only when what would be sent differs from the last sync.

Syncing runs in `setup_hook` (never in `on_ready`, which runs again on every reconnect and would
spend Discord's 200 command creates a day per guild); the hash of each scope's payload, translations
included, is kept in a small JSON file in the state directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import discord
from discord import app_commands

log = logging.getLogger("natobot.discord")
SYNC_STATE = "discord-commands.json"


async def command_hash(tree: app_commands.CommandTree, guild: discord.Object | None) -> str:
    """The hash of exactly what `tree.sync(guild=...)` would send, translations included."""
    translator = tree.translator
    payload = []
    for command in tree.get_commands(guild=guild):
        payload.append(await command.get_translated_payload(tree, translator) if translator else command.to_dict(tree))
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree,
    application_id: int | None,
    guild_ids: list[int],
    state_dir: Path,
    force: bool = False,
) -> list[str]:
    """Sync each scope (the guilds, else global) whose hash changed; returns the scopes synced."""
    path = state_dir / SYNC_STATE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(saved, dict):
            saved = {}
    except (OSError, ValueError):
        saved = {}
    synced = []
    scopes: list[discord.Object | None] = [discord.Object(g) for g in guild_ids] or [None]  # None: global
    for guild in scopes:
        key = f"{application_id}:{'global' if guild is None else f'guild:{guild.id}'}"
        digest = await command_hash(tree, guild)
        if not force and saved.get(key) == digest:
            log.info("Discord: commands unchanged for %s; not syncing (natobot discord --sync forces it)", key)
            continue
        try:
            await tree.sync(guild=guild)
        except discord.Forbidden:
            log.error(
                "Discord: not allowed to add commands to guild %s: invite the bot with the applications.commands scope",
                guild.id if guild else "-",
            )
            continue
        except discord.HTTPException as exc:
            log.error(
                "Discord: command sync for %s failed (%s %s); will retry on next start", key, exc.status, exc.text
            )
            continue
        saved[key] = digest
        synced.append(key)
        log.info("Discord: synced commands for %s", key)
    if synced:
        _write_state(path, saved)
    return synced


def _write_state(path: Path, saved: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(saved, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("Discord: cannot store the command hash in %s (%s); the next start syncs again", path, exc)
