"""A Reply as Telegram HTML messages, and its follow-up buttons as an inline keyboard.

Every string from the knowledge base or from the user is escaped here and nowhere else; the
only markup is what this module writes. Sources become links (http and https only).
"""

from __future__ import annotations

import re
from html import escape as _escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.split import LIMIT, split_html
from bot.core import commands
from bot.core.i18n import t
from bot.core.reply import Reply, SourceRef

_HYPHENATED = re.compile(r"(?<![\w/])/([a-z]+(?:-[a-z]+)+)\b")
MAX_SOURCES = 5  # in an answer; the Sources button lists them all
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts
SEPARATOR = "|"  # callback_data is "<lang>|<action ref>": buttons answer in the message's language


def html(reply: Reply) -> str:
    """The whole reply as one HTML string (paragraphs separated by blank lines)."""
    lang = reply.lang
    blocks = [f"<b>{escape(reply.title)}</b>"] if reply.title else []
    if reply.intent == "sources" and reply.sources:
        blocks.append(_sources(reply, limit=None, header=False))  # the body: the same list, as plain text
    else:
        blocks += [escape(p) for p in reply.body.split("\n\n") if p.strip()]
        if reply.fields:
            blocks.append("\n".join(_field(f.name, f.value) for f in reply.fields))
        if reply.notes:
            blocks.append("\n".join(f"<i>{escape(n)}</i>" for n in reply.notes))
        if reply.suggestions and not reply.matched:
            lines = [f"{escape(t('suggest.title', lang))}:"] + [f"• {escape(s)}" for s in reply.suggestions]
            blocks.append("\n".join(lines))
        if reply.sources:
            blocks.append(_sources(reply, limit=MAX_SOURCES))
    if reply.updated:
        blocks.append(f"<i>{escape(t('label.updated', lang))}: {reply.updated.isoformat()}</i>")
    return "\n\n".join(blocks)


def messages(reply: Reply, limit: int = LIMIT) -> list[str]:
    """The reply as one or more messages, each within Telegram's limit, split between paragraphs."""
    return split_html(html(reply), limit)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One row of follow-up buttons; a button whose callback data would not fit is left out."""
    buttons = []
    for action in reply.actions:
        data = callback_data(reply.lang, action.ref)
        if len(data.encode("utf-8")) <= CALLBACK_LIMIT:
            buttons.append(InlineKeyboardButton(action.label, callback_data=data))
    return InlineKeyboardMarkup([buttons]) if buttons else None


def callback_data(lang: str, ref: str) -> str:
    return f"{lang}{SEPARATOR}{ref}"


def parse_callback_data(data: str | None) -> tuple[str | None, str]:
    """(language, ref); the language is None for data in another shape (e.g. a bare ref)."""
    data = data or ""
    lang, sep, ref = data.partition(SEPARATOR)
    return (lang, ref) if sep and lang in ("en", "ko") else (None, data)


def escape(text: str) -> str:
    """Text content for Telegram HTML (only <, > and & are special), with native command names."""
    return _escape(_HYPHENATED.sub(_native, text), quote=False)


def _native(match: re.Match[str]) -> str:
    """`/nato-status` → `/nato_status`: Telegram highlights only `/nato` of the hyphen form, so a tap
    on it would send the wrong command."""
    try:
        return "/" + commands.find(match[1]).telegram
    except KeyError:
        return match[0]


def _field(name: str, value: str) -> str:
    if "\n" in value:
        return f"<b>{escape(name)}</b>:\n" + "\n".join(f"• {escape(line)}" for line in value.splitlines())
    return f"<b>{escape(name)}</b>: {escape(value)}"


def _sources(reply: Reply, limit: int | None, header: bool = True) -> str:
    shown = reply.sources if limit is None else reply.sources[:limit]
    lines = [f"<b>{escape(t('label.sources', reply.lang))}</b>"] if header else []
    lines += [f"• {_link(s)}" for s in shown]
    if len(reply.sources) > len(shown):
        lines.append(escape(t("label.more", reply.lang, n=len(reply.sources) - len(shown))))
    return "\n".join(lines)


def _link(source: SourceRef) -> str:
    title = escape(source.title)
    if _scheme(source.url) in ("http", "https"):
        title = f'<a href="{_escape(source.url, quote=True)}">{title}</a>'
    return f"{title} — {escape(source.publisher)}" if source.publisher else title


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme
    except ValueError:  # e.g. "http://[": an unbalanced IPv6 bracket; shown as text, not a link
        return ""
