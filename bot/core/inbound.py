"""The adapter contract: every platform event enters the bot as one `Inbound`, through `Runtime`.

An adapter has three duties and no others:

1. **Translate in.** Turn a platform event into an `Inbound` (`Inbound.message` for typed text,
   the constructor for buttons, inline queries and autocomplete). The adapter alone knows its
   platform, so it decides here, once, whether the event is *addressed* to the bot (a DM, a mention,
   a reply to the bot, a command for this bot and not another) and builds the chat key with
   `chat_key`. Everything the core needs travels in the `Inbound`; nothing platform-typed does.
2. **Hand it to the door.** `await runtime.receive(inbound)` (or `admit` then `respond`, when the
   platform must acknowledge something in between, as Discord does). The Runtime admits it (rate
   limits, on every kind), resolves the language once, keeps store calls off the event loop with
   timeouts, runs the owner commands and the answerer, and stores a chat's language change.
3. **Render out.** Show the `Reply` (or `None`: say nothing) in the platform's own format and limits.

Adding Slack or Matrix is a new package under `bot/adapters/` doing those three things, plus one
line in `bot.serve.ADAPTERS`; the core and the Runtime do not change. Its chat keys are
``chat_key("slack", team, channel)``; its users are its own ids (they are only used for limits and
owner checks, prefixed with the platform); `is_admin` answers whether the sender may change the
chat's shared settings, asked only when needed (on some platforms it costs a request).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.core import commands
from bot.core.commands import ParsedCommand

Kind = Literal["message", "command", "button", "inline", "autocomplete"]
TYPED: frozenset[Kind] = frozenset({"inline", "autocomplete"})  # sent per keystroke: limited in their own bucket


def chat_key(platform: str, *scope: object) -> str:
    """The one way chats (and settings) are keyed in the store, the limiter and the quiz engine:
    ``telegram:-100123``, ``discord:guild:42``, ``discord:user:7``. Stored data depends on it, so it
    never changes shape."""
    return ":".join((platform, *(str(part) for part in scope)))


async def nobody() -> bool:
    """The default `is_admin`: an adapter that cannot tell grants nothing."""
    return False


@dataclass(frozen=True)
class Inbound:
    """One platform event, platform details stripped.

    `chat` is the chat key (what quizzes, leaderboards and a chat's language belong to); `thread` a
    channel or forum topic inside it (a separate rate-limit bucket); `lang_keys` the store keys of
    the language settings that apply, most specific first (the last is the chat's own, where a
    `/lang` change is stored). `lang` is a language the event itself carries (a button made in it).
    For a button `text` is the button's ref; for a message, `command` is its parse (done once, here).
    """

    platform: str
    kind: Kind
    text: str
    chat: str | None = None
    thread: str | None = None
    user: str | None = None
    locale: str | None = None
    addressed: bool = True
    lang: str | None = None
    lang_keys: tuple[str, ...] = ()
    command: ParsedCommand | None = None
    is_admin: Callable[[], Awaitable[bool]] = field(default=nobody, compare=False, repr=False)

    @classmethod
    def message(cls, platform: str, text: str, **fields: Any) -> Inbound:
        """Typed text: parsed here, once, as a command or a question."""
        parsed = commands.parse(text)
        return cls(platform, "command" if parsed else "message", text, command=parsed, **fields)

    @property
    def command_id(self) -> str | None:
        return self.command.command.id if self.command and self.command.command else None

    @property
    def room(self) -> str | None:
        """The per-chat rate-limit bucket: the chat, or the thread in it."""
        if self.thread is not None and self.chat is not None:
            return f"{self.chat}/{self.thread}"
        return self.chat
