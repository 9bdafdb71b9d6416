"""The one canonical command table, and parsing of command text as users type it.

Telegram allows only [a-z0-9_] in command names and Discord prefers hyphens, so each command
has one id and a native name per platform. Parsing folds '-', '_' and spaces together, so
`/nato-status`, `/nato_status`, `/NATO_Status@SomeBot` and `nato status` are one command,
and `/nato` can never swallow `/nato-status`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import clean


@dataclass(frozen=True)
class Command:
    id: str  # canonical, hyphenated: the Discord name
    arg: str  # "" (none), "country", "country?" (optional), "question", "lang"
    en: str  # one-line description
    ko: str
    platforms: tuple[str, ...] = ("discord", "telegram", "console")

    @property
    def discord(self) -> str:
        return self.id

    @property
    def telegram(self) -> str:
        return self.id.replace("-", "_")

    def description(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


COMMANDS: tuple[Command, ...] = (
    Command(
        "nato-status",
        "country",
        "Is a country in NATO? Status, dates and sources",
        "어떤 나라가 나토 회원국인지: 지위, 날짜, 출처",
    ),
    Command(
        "nato-timeline",
        "country?",
        "Key dates: NATO's, or a country's with NATO",
        "주요 연표: 나토 전체 또는 특정 국가와 나토",
    ),
    Command("nato-members", "", "The 32 member countries and when they joined", "32개 회원국과 가입 날짜"),
    Command("nato-partners", "", "NATO's partners, by partnership framework", "협력 틀별 나토 파트너 국가"),
    Command(
        "nato-ask", "question", "Ask a question about NATO in English or Korean", "나토에 관해 영어나 한국어로 질문하기"
    ),
    Command(
        "nato-quiz",
        "quiz?",
        "Start a quiz for this chat: [topic] [length]",
        "이 대화방에서 퀴즈 시작: [주제] [문항 수]",
        ("discord", "telegram"),
    ),
    Command(
        "nato-leaderboard",
        "reset?",
        "This chat's quiz leaderboard (admins: reset)",
        "이 대화방의 퀴즈 순위 (관리자: reset)",
        ("discord", "telegram"),
    ),
    Command(
        "nato-lang",
        "lang",
        "Answer language for this server or you: en or ko",
        "이 서버 또는 나의 답변 언어: en 또는 ko",
        ("discord",),
    ),
    Command("nato-help", "", "What this bot can answer, with examples", "이 봇이 답할 수 있는 것과 예시"),
    Command(
        "help", "", "What this bot can answer, with examples", "이 봇이 답할 수 있는 것과 예시", ("telegram", "console")
    ),
    Command("start", "payload?", "Start the bot", "봇 시작하기", ("telegram",)),
    Command(
        "lang",
        "lang",
        "Answer language for this chat: en or ko",
        "이 대화의 답변 언어: en 또는 ko",
        ("telegram", "console"),
    ),
    # Owner-only, never shown in menus or help: handled by the Runtime, not the answerer.
    Command("reload", "", "Reload the knowledge files", "지식 파일 다시 읽기", ("admin",)),
    Command("stats", "", "Bot statistics", "봇 통계", ("admin",)),
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
