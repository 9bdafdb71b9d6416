"""The console chat: the bot in a terminal, no token needed.

It behaves like a private chat: every line is a question, `/lang ko` switches the answer
language for the session, and follow-ups (timeline, sources) are offered as typed shortcuts.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TextIO

from bot.core.commands import find
from bot.core.i18n import t
from bot.core.render import plain
from bot.core.reply import Action, Query, Reply
from bot.runtime import Runtime

HISTORY = Path(os.environ.get("NATOBOT_HISTORY", Path.home() / ".natobot_history"))


def _setup_history() -> None:
    try:
        import readline

        readline.set_history_length(1000)
        if HISTORY.exists():
            readline.read_history_file(HISTORY)
        import atexit

        atexit.register(lambda: _save_history(readline))
    except (ImportError, OSError):
        pass  # no readline (or unreadable history): the chat still works, without history


def _save_history(readline: ModuleType) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY)


NO_INPUT = 2  # the exit status when there is no terminal and nothing to read: a setup error, not a clean end
NO_INPUT_HELP = (
    "natobot: the console chat has no input: standard input is not a terminal and is already closed. "
    "Set TELEGRAM_TOKEN or DISCORD_TOKEN to run the bot on a platform, or give the console a terminal "
    "(docker run -it ..., docker compose run bot chat)."
)


def _follow_hint(reply: Reply) -> str:
    """Buttons become words to type: the action labels in the reply's language."""
    if not reply.actions:
        return ""
    options = " · ".join(f'"{a.label}"' for a in reply.actions)
    return f"({t('console.more', reply.lang, options=options)})"


def _action_for(line: str, last: Reply | None) -> Action | None:
    if last is None:
        return None
    typed = line.strip().casefold()
    return next((a for a in last.actions if a.label.casefold() == typed), None)


def chat(runtime: Runtime, lang: str | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the read-answer loop until end of input; returns the process exit code.

    Piped questions (`echo "Is Korea in NATO?" | natobot chat`) are answered and end with 0. Input that
    is not a terminal and ends before the first line (a container with no token and no terminal, whose
    stdin is /dev/null) is a setup error, not a chat: it says so on stderr and returns `NO_INPUT`, so a
    supervisor does not restart a bot that would only read end-of-file again.
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        _setup_history()
    chat_lang = lang
    last: Reply | None = None
    read_any = False
    print(t("console.banner", chat_lang or "en", help=f"/{find('help').id}"), file=stdout)
    while True:
        try:
            line = input("> ") if interactive else stdin.readline()
        except (EOFError, KeyboardInterrupt):
            print(file=stdout)
            return 0
        if not interactive and not line:
            if not read_any and not stdin.isatty():
                print(NO_INPUT_HELP, file=sys.stderr)
                return NO_INPUT
            return 0
        read_any = True
        line = line.strip()
        if not line:
            continue
        if line.casefold() in ("/quit", "/exit", "quit", "exit"):
            return 0
        action = _action_for(line, last)
        if action is not None and last is not None:
            reply = runtime.follow(action.ref, last.lang)
        else:
            reply = runtime.answer(Query(line, lang=chat_lang, platform="console"))
        if reply.intent == "lang" and reply.matched:
            chat_lang = reply.lang
        print(f"\n{plain(reply)}", file=stdout)
        hint = _follow_hint(reply)
        if hint:
            print(f"{hint}", file=stdout)
        print(file=stdout)
        stdout.flush()
        last = reply


def main() -> int:  # pragma: no cover - convenience entry point
    from bot.config import Settings

    return chat(Runtime(Settings().knowledge_dir))
