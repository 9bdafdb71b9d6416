"""Reply -> discord.Embed, always within Discord's limits.

The core writes plain text, so every string it gives is escaped here (markdown, and mentions
defused with a zero-width space): a country argument or a question echoed back can never format,
link or ping. The only markdown in an embed is what this module adds (source links, bullets).

Discord's limits (developers/resources/message, "Embed Limits"): title 256, description 4096,
25 fields of name 256 / value 1024, footer 2048, and 6000 characters across the whole embed.
Lengths are budgeted in UTF-16 code units, which is never less than the code-point count, so an
embed that fits by this measure fits however Discord counts; a cut never splits a surrogate pair.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import discord

from bot.core.commands import find
from bot.core.i18n import t
from bot.core.reply import Reply

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
TOTAL = 6000
MAX_SOURCES = 8
MIN_DESCRIPTION = 600  # kept for the body when fields crowd the 6,000 total
ELLIPSIS = "…"
BLANK = "\u200b"  # Discord refuses empty field names and values


def slash(command_id: str, arg: str = "") -> str:
    """A command as a Discord user types it, in code style: "`/nato-status korea`" (a catalogue value)."""
    return f"`/{' '.join(filter(None, (find(command_id).discord, arg)))}`"


COLOURS = {
    "member": 0x1F5AA6,  # NATO blue
    "partner": 0x2E9D6B,
    "aspirant": 0xE3A21A,
    "non_member": 0x8C96A0,
}
COLOUR_ANSWER = 0x5865F2  # an answer not about one country (members list, FAQ, help)
COLOUR_UNKNOWN = 0xB9BBBE  # the bot abstained

_MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{15,21})", re.I)
_BACKSLASHES = re.compile(r"\\+$")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, ending in '…' when cut (at a space if one is near)."""
    if utf16_len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    budget = limit - 1  # the ellipsis is one unit
    cut = text[:budget]
    while utf16_len(cut) > budget:  # astral characters count twice: drop whole characters
        cut = cut[: -max(1, (utf16_len(cut) - budget) // 2)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) * 0.8:
        cut = cut[:space]
    # A cut right after an escaping backslash would escape the ellipsis; a cut inside "@\u200b"
    # leaves a bare "@" at the end, which pings nobody.
    cut = _BACKSLASHES.sub("", cut.rstrip())
    return cut + ELLIPSIS


def safe(text: str) -> str:
    """Plain text -> Discord markdown that shows exactly that text and mentions nobody."""
    text = discord.utils.escape_markdown(text)
    return _MENTION.sub("@\u200b\\1", text)


def link(title: str, url: str) -> str:
    """A markdown link, or the escaped title and URL side by side when the URL cannot be a link."""
    label = safe(title or url).replace("[", "\\[").replace("]", "\\]")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[": an unbalanced IPv6 bracket
        return f"{label} ({safe(url)})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{label} ({safe(url)})"
    # '@' is encoded too, so not even a link target spells a mention
    return f"[{label}]({quote(url, safe=':/?#[]!$&*+,;=%~-._')})"


def colour(reply: Reply) -> int:
    if not reply.matched:
        return COLOUR_UNKNOWN
    return COLOURS.get(reply.status or "", COLOUR_ANSWER)


def _sources_value(reply: Reply) -> str:
    lines: list[str] = []
    used = 0
    shown = 0
    for source in reply.sources[:MAX_SOURCES]:
        line = "• " + link(source.title, source.url)
        if source.publisher:
            line += f" — {safe(source.publisher)}"
        size = utf16_len(line) + 1
        if used + size > FIELD_VALUE - 40:  # leave room for the "… and N more" line
            break
        lines.append(line)
        used += size
        shown += 1
    if shown < len(reply.sources):
        lines.append(safe(t("label.more", reply.lang, n=len(reply.sources) - shown)))
    return "\n".join(lines)


def _description(reply: Reply) -> str:
    parts = [safe(reply.body)] if reply.body else []
    if reply.notes:
        parts.append("\n".join(f"*{safe(note)}*" for note in reply.notes))
    if reply.suggestions and not reply.matched:
        parts.append(
            f"**{safe(t('suggest.title', reply.lang))}**\n" + "\n".join(f"• {safe(s)}" for s in reply.suggestions)
        )
    return "\n\n".join(parts)


def footer(reply: Reply) -> str:
    if reply.updated:
        return f"NATO Status Bot · {t('label.updated', reply.lang)} {reply.updated.isoformat()}"
    return "NATO Status Bot"


def embed(reply: Reply) -> discord.Embed:
    """The embed for a Reply; every limit holds whatever the Reply contains."""
    title = clip(safe(reply.title), TITLE) or BLANK
    foot = clip(footer(reply), FOOTER)
    raw_fields = [(safe(f.name), safe(f.value)) for f in reply.fields]
    if reply.sources:
        raw_fields.append((safe(t("label.sources", reply.lang)), _sources_value(reply)))
    description = _description(reply)

    used = utf16_len(title) + utf16_len(foot)
    reserve = min(utf16_len(description), MIN_DESCRIPTION)
    fields: list[tuple[str, str]] = []
    for name, value in raw_fields[:FIELDS]:
        name = clip(name, FIELD_NAME) or BLANK
        value = clip(value, FIELD_VALUE) or BLANK
        room = TOTAL - reserve - used - utf16_len(name)
        if room < 1:
            break
        if utf16_len(value) > room:
            if room < 40:  # not worth a stub: stop here, the description gets the room
                break
            value = clip(value, room)
        fields.append((name, value))
        used += utf16_len(name) + utf16_len(value)
    description = clip(description, min(DESCRIPTION, TOTAL - used))

    out = discord.Embed(title=title, description=description or None, colour=colour(reply))
    for name, value in fields:
        out.add_field(name=name, value=value, inline=False)
    out.set_footer(text=foot)
    return out


def size(e: discord.Embed) -> int:
    """The embed's length as Discord totals it, in UTF-16 units."""
    total = utf16_len(e.title or "") + utf16_len(e.description or "") + utf16_len(e.footer.text or "")
    total += utf16_len(e.author.name or "")
    for f in e.fields:
        total += utf16_len(f.name or "") + utf16_len(f.value or "")
    return total
