"""Plain-text rendering of a Reply: the console, `natobot ask` and the JSON `answer` field.

Chat platforms render Replies their own way (HTML, embeds); this is the reference rendering
and the one that must always fit a chat message: it never exceeds `LIMIT` characters.
"""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.reply import Reply

LIMIT = 4000  # under Telegram's 4,096 with room to spare
MAX_SOURCES = 5


def plain(reply: Reply, limit: int = LIMIT) -> str:
    lang = reply.lang
    parts = [reply.title, reply.body]
    if reply.fields:
        parts.append("\n".join(_field(f.name, f.value) for f in reply.fields))
    if reply.notes:
        parts.append("\n".join(reply.notes))
    if reply.suggestions and not reply.matched:
        parts.append(f"{t('suggest.title', lang)}:\n" + "\n".join(f"• {s}" for s in reply.suggestions))
    tail = sources_block(reply)
    text = "\n\n".join(p for p in parts if p)
    if len(text) + len(tail) + 2 > limit:
        text = text[: max(0, limit - len(tail) - 3)].rstrip() + "…"
    return f"{text}\n\n{tail}" if tail else text


def sources_block(reply: Reply) -> str:
    if not reply.sources:
        return ""
    lang = reply.lang
    shown = reply.sources[:MAX_SOURCES]
    lines = [f"{t('label.sources', lang)}:"]
    lines += [f"• {s.title} ({s.publisher}) {s.url}" if s.publisher else f"• {s.title} {s.url}" for s in shown]
    if len(reply.sources) > MAX_SOURCES:
        lines.append(t("label.more", lang, n=len(reply.sources) - MAX_SOURCES))
    if reply.updated:
        lines.append(f"{t('label.updated', lang)}: {reply.updated.isoformat()}")
    return "\n".join(lines)


def _field(name: str, value: str) -> str:
    if "\n" in value:
        return f"{name}:\n" + "\n".join(f"  {line}" for line in value.splitlines())
    return f"{name}: {value}"
