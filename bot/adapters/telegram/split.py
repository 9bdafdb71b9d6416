"""Split Telegram HTML into messages that each fit, never cutting inside a tag or an entity.

Telegram counts a message's length after parsing the markup; we budget the markup too, in UTF-16
code units, so every part is safe whatever Telegram's exact rule. Cuts prefer a paragraph
boundary, then a line, then a space; a tag still open at a cut is closed at the end of the part
and opened again at the start of the next, so every part is well-formed on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LIMIT = 4096
_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|[^<&]+|[<&]")
_ENTITY = re.compile(r"&#?\w+;")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^<>]*>")
_PREFERRED = ("\n\n", "\n", " ")
_EMPTY = re.compile(r"<([a-zA-Z][\w-]*)\b[^<>]*></\1>")  # an element that shows nothing, e.g. <a href="…"></a>


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_html(html: str, limit: int = LIMIT) -> list[str]:
    """Parts of `html`, each at most `limit` UTF-16 units, with balanced tags; blank parts dropped."""
    parts: list[str] = []
    rest = html.strip()
    while _EMPTY.search(rest):  # they would only take room, and a part with only them cannot be cut
        rest = _EMPTY.sub("", rest)
    while utf16_len(rest) > limit:
        cut, stack = _best_cut(rest, limit)
        head, tail = rest[:cut].rstrip(), rest[cut:].lstrip()
        parts.append(head + "".join(f"</{name}>" for name, _ in reversed(stack)))
        rest = "".join(opening for _, opening in stack) + tail
    parts.append(rest)
    return [p for p in parts if _visible(p).strip()]


def _best_cut(html: str, limit: int) -> tuple[int, list[tuple[str, str]]]:
    """The index to cut at and the tags open there: the last paragraph break in the second half
    of the budget, else the last line break there, else the last space, else as late as fits."""
    best: dict[str, _Cut] = {}
    stack: list[tuple[str, str]] = []  # (name, opening tag) of the tags open so far
    used = 0  # UTF-16 units before the current token
    seen_text = False  # a cut must leave some visible text in the part, or we would never progress
    for token in _TOKEN.finditer(html):
        start, text = token.start(), token.group()
        room = limit - used - sum(len(name) + 3 for name, _ in stack)
        if room < 0:
            break
        if seen_text:
            _remember(best, html, start, stack, used)
        tag = _TAG.fullmatch(text)
        if tag:
            used += utf16_len(text)
            if tag[1]:
                if stack and stack[-1][0] == tag[2].lower():
                    stack.pop()
            else:
                stack.append((tag[2].lower(), text))
            continue
        fit = _fitting(text, room)
        for kind in _PREFERRED:
            at = text.rfind(kind, 0, fit + len(kind))
            if at > 0 or (at == 0 and seen_text):
                _remember(best, html, start + at, stack, used + utf16_len(text[:at]))
        if fit < len(text):
            if fit > 0:
                _remember(best, html, start + fit, stack, used + utf16_len(text[:fit]))
            break
        used += utf16_len(text)
        seen_text = True
    for kind in _PREFERRED:
        if kind in best and best[kind].units >= limit // 2:
            return best[kind].index, best[kind].stack
    for kind in (*_PREFERRED, ""):
        if kind in best:
            return best[kind].index, best[kind].stack
    raise ValueError(f"cannot split HTML within {limit} units: markup too long")


@dataclass(frozen=True)
class _Cut:
    index: int
    stack: list[tuple[str, str]]
    units: int


def _remember(best: dict[str, _Cut], html: str, index: int, stack: list[tuple[str, str]], units: int) -> None:
    following = html[index : index + 2]
    kind = next((k for k in _PREFERRED if following.startswith(k)), "")
    if kind not in best or best[kind].index <= index:
        best[kind] = _Cut(index, list(stack), units)


def _fitting(text: str, room: int) -> int:
    """How many characters of a plain run fit in `room` UTF-16 units (an entity: all or none)."""
    if _ENTITY.fullmatch(text):
        return len(text) if len(text) <= room else 0
    count = units = 0
    for char in text:
        units += 2 if ord(char) > 0xFFFF else 1
        if units > room:
            break
        count += 1
    return count


def _visible(html: str) -> str:
    return re.sub(r"<[^<>]*>", "", html)
