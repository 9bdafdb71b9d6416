"""The one canonical command table, and parsing of command text as users type it.

Telegram allows only [a-z0-9_] in command names and Discord prefers hyphens, so each command
has one id and a native name per platform. Parsing folds '-', '_' and spaces together, so
`/nato-status`, `/nato_status`, `/NATO_Status@SomeBot` and `nato status` are one command,
and `/nato` can never swallow `/nato-status`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.i18n import t
from bot.core.text import clean


@dataclass(frozen=True)
class Command:
    id: str  # canonical, hyphenated: the Discord name
    arg: str  # "" (none), "country", "country?" (optional), "question", "lang"
    platforms: tuple[str, ...] = ("discord", "telegram", "console")

    @property
    def discord(self) -> str:
        return self.id

    @property
    def telegram(self) -> str:
        return self.id.replace("-", "_")

    def description(self, lang: str) -> str:
        """The one-line description: the catalogue entry "command.<id>"."""
        return t(f"command.{self.id}", lang)


COMMANDS: tuple[Command, ...] = (
    Command("nato-status", "country"),
    Command("nato-timeline", "country?"),
    Command("nato-members", ""),
    Command("nato-partners", ""),
    Command("nato-ask", "question"),
    Command("nato-quiz", "quiz?", ("discord", "telegram")),
    Command("nato-leaderboard", "reset?", ("discord", "telegram")),
    Command("nato-lang", "lang", ("discord",)),
    Command("nato-help", ""),
    Command("help", "", ("telegram", "console")),
    Command("start", "payload?", ("telegram",)),
    Command("lang", "lang", ("telegram", "console")),
    # Owner-only, never shown in menus or help: handled by the Runtime, not the answerer.
    Command("reload", "", ("admin",)),
    Command("stats", "", ("admin",)),
)
ADMIN = frozenset(c.id for c in COMMANDS if "admin" in c.platforms)

_BY_KEY: dict[str, Command] = {re.sub(r"[-_ ]", "", c.id): c for c in COMMANDS}
TELEGRAM_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
DISCORD_NAME = re.compile(r"^[-_\w]{1,32}$")

# "/nato-status@SomeBot korea", "nato status korea", "/NATO_STATUS   korea"
_SLASH = re.compile(r"^[/!](?P<name>[\w-]{1,64})(?:@(?P<bot>\w{1,64}))?(?:\s+(?P<arg>.*))?$", re.S)
_BARE = re.compile(
    r"^(?P<name>nato[-_ ]?(?:status|timeline|members|partners|ask|help))\b[\s:]*(?P<arg>.*)$", re.S | re.I
)


@dataclass(frozen=True)
class ParsedCommand:
    command: Command | None  # None: slash text that names no command of ours
    name: str  # as typed, without slash or bot suffix
    arg: str
    bot: str | None  # "@SomeBot" suffix, without '@'


def find(command_id: str) -> Command:
    return _BY_KEY[re.sub(r"[-_ ]", "", command_id)]


def for_platform(platform: str) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if platform in c.platforms)


def parse(text: str) -> ParsedCommand | None:
    """Recognise command text; None when the text is not a command at all (a question)."""
    text = clean(text)
    match = _SLASH.match(text)
    if match:
        name = match["name"]
        return ParsedCommand(
            _BY_KEY.get(re.sub(r"[-_]", "", name.casefold())), name, (match["arg"] or "").strip(), match["bot"]
        )
    match = _BARE.match(text)
    if match:
        key = re.sub(r"[-_ ]", "", match["name"].casefold())
        return ParsedCommand(_BY_KEY.get(key), match["name"], match["arg"].strip(), None)
    return None
