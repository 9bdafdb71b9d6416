"""`natobot`: ask, chat, check, and run the platform adapters.

Platform libraries are imported only by the subcommands that need them, so `natobot ask`
starts fast and works on a machine with no token at all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from bot.core.knowledge import KnowledgeError, load_knowledge
from bot.core.render import plain
from bot.core.reply import Query, Reply

if TYPE_CHECKING:  # imported where used: `natobot ask` needs no settings framework and no Runtime
    from bot.config import Settings
    from bot.runtime import Runtime

ADAPTERS = ("telegram", "discord")
TOKEN_HELP = {
    "telegram": "TELEGRAM_TOKEN is not set. Create a bot with @BotFather, then put TELEGRAM_TOKEN=<token> "
    "in the environment or in a .env file.",
    "discord": "DISCORD_TOKEN is not set. Create an application at https://discord.com/developers/applications, "
    "add a bot, then put DISCORD_TOKEN=<token> in the environment or in a .env file.",
}


class UsageError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def to_json(reply: Reply) -> dict[str, object]:
    return {
        "answer": plain(reply),
        "lang": reply.lang,
        "matched": reply.matched,
        "country": reply.country,
        "intent": reply.intent,
        "status": reply.status,
        "title": reply.title,
        "sources": [{"title": s.title, "url": s.url} for s in reply.sources],
        "ref": reply.ref,
    }


def _settings(args: argparse.Namespace) -> Settings:
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise UsageError(f"bad configuration: {problems}") from None
    if args.knowledge:
        settings = settings.model_copy(update={"knowledge_dir": Path(args.knowledge)})
    return settings


def _runtime(settings: Settings, persistent: bool = True) -> Runtime:  # imported lazily to keep `check` light
    """The bot's core; `persistent` opens the configured store (SQLite or Redis), else state is in memory.

    `natobot ask` stays in memory: a one-shot question should leave no files behind.
    """
    from bot.ops.ratelimit import RateLimiter, Rule
    from bot.runtime import Runtime
    from bot.state import StoreError, open_store

    limiter = RateLimiter(Rule.parse(settings.rate_user), Rule.parse(settings.rate_chat))
    try:
        store = open_store(settings) if persistent else None
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    return Runtime(settings.knowledge_dir, store=store, limiter=limiter, owners=settings.owners())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _batch_lines(stream: BinaryIO) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, question, error) for each non-blank line of a JSON-lines batch.

    One bad line never ends the batch: invalid UTF-8, JSON nested too deep, a number too long to
    convert, each gets an error object in its place. Lone surrogates ("\\ud800") become U+FFFD.
    """
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield number, None, f"line {number}: not valid UTF-8 (byte {exc.start})"
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"line {number}: not valid JSON ({exc.msg})"
            continue
        except (RecursionError, ValueError):  # 100k nested brackets; a 5,000-digit number
            yield number, None, f"line {number}: JSON too deeply nested or a number too long"
            continue
        if isinstance(value, str):
            value = _SURROGATE.sub("\ufffd", value)
        if not isinstance(value, str):
            yield number, None, f"line {number}: expected a JSON string, got {type(value).__name__}"
            continue
        yield number, value, None


def _ask_knowledge_dir(args: argparse.Namespace) -> Path:
    """The knowledge folder as `Settings` reads it (--knowledge, then NATOBOT_KNOWLEDGE from the environment,
    then from `.env`, then the default) without loading the settings framework: all `ask` needs."""
    if args.knowledge:
        return Path(args.knowledge)
    for name, value in os.environ.items():
        if name.lower() == "natobot_knowledge":
            return Path(value)
    if os.path.isfile(".env"):
        from dotenv import dotenv_values

        for name, found in dotenv_values(".env", encoding="utf-8").items():
            if name.lower() == "natobot_knowledge" and found is not None:
                return Path(found)
    return Path(__file__).resolve().parent.parent / "knowledge"  # = bot.config.DEFAULT_KNOWLEDGE


class _Asker:
    """What `natobot ask` needs of a Runtime: the answerer, from the compiled knowledge cache
    (`bot.core.compiled`; $NATOBOT_CACHE_DIR, default $XDG_CACHE_HOME/natobot). Nothing is stored:
    a one-shot question leaves no state behind, so neither the store nor the metrics are loaded."""

    def __init__(self, knowledge_dir: Path) -> None:
        from bot.core import compiled

        self.answerer = compiled.answerer(knowledge_dir, compiled.default_cache_dir(os.environ))

    def answer(self, query: Query) -> Reply:
        return self.answerer.answer(query)


def cmd_ask(args: argparse.Namespace) -> int:
    runtime = _Asker(_ask_knowledge_dir(args))

    def query(text: str) -> Query:
        return Query(text, lang=args.lang, platform="console")

    if args.batch:
        if args.question:
            raise UsageError("give either a QUESTION or --batch FILE, not both")
        stream = sys.stdin.buffer if args.batch == "-" else _open(args.batch)
        out = sys.stdout
        for number, question, error in _batch_lines(stream):
            if error is not None:
                obj: dict[str, object] = {"error": error, "line": number, "matched": False}
            else:
                obj = to_json(runtime.answer(query(question or "")))
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()
        return 0
    if args.question is None:
        raise UsageError('natobot ask needs a QUESTION, for example: natobot ask "Is South Korea in NATO?"')
    reply = runtime.answer(query(_SURROGATE.sub("\ufffd", args.question)))
    if args.json:
        print(json.dumps(to_json(reply), ensure_ascii=False))
    else:
        print(plain(reply))
    return 0


def _open(path: str) -> BinaryIO:
    try:
        return open(path, "rb")  # decoded line by line, so one bad line is one error
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def cmd_check(args: argparse.Namespace) -> int:
    if args.months < 1:
        raise UsageError("--months must be 1 or more")
    settings = _settings(args)
    try:
        kb = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"natobot check: {len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    from bot.core.answerer import Answerer
    from bot.core.curation import stale, weak_only

    Answerer(kb)  # builds the indexes too, so check proves the bot would start
    warnings = weak_only(kb, settings.knowledge_dir)
    for finding in warnings:
        print(f"warning: {finding}")
    print(
        f"OK: {settings.knowledge_dir} — {len(kb.countries)} countries, {len(kb.faq)} FAQ entries, "
        f"{len(kb.timeline)} timeline events, {len(kb.summits)} summits, {len(kb.frameworks)} frameworks, "
        f"{len(kb.sources)} sources (version {kb.version}, updated {kb.updated}, horizon {kb.horizon})"
        + (f"; {len(warnings)} warning(s)" if warnings else "")
    )
    if args.stale:
        findings = stale(kb, settings.knowledge_dir, months=args.months)
        print(
            f"\nStale (checked or updated more than {args.months} months ago, or announced and now past): "
            f"{len(findings) or 'nothing'}"
        )
        for finding in findings:
            print(f"  {finding}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.adapters.console import chat

    settings = _settings(args)
    return chat(_runtime(settings), lang=args.lang)


def _require_token(settings: Settings, platform: str) -> None:
    if platform not in settings.configured_platforms():
        raise UsageError(TOKEN_HELP[platform])


def cmd_platform(args: argparse.Namespace) -> int:
    settings = _settings(args)
    platforms = [args.command] if args.command in ADAPTERS else settings.configured_platforms()
    if args.command == "run" and not platforms:
        print(
            "No TELEGRAM_TOKEN or DISCORD_TOKEN is set: starting the console bot. "
            "(See README.md to connect Telegram or Discord.)",
            file=sys.stderr,
        )
        return cmd_chat(args)
    for platform in platforms:
        _require_token(settings, platform)
    from bot import serve

    serve.run(_runtime(settings), settings, platforms, args)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings(args)
    for name, value in settings.redacted().items():
        print(f"{name}={value}")
    return 0


def cmd_reload(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        load_knowledge(settings.knowledge_dir)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("natobot reload: not sent; the running bot keeps its current knowledge", file=sys.stderr)
        return 1
    from bot import serve

    try:
        print(serve.signal_reload(settings))
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    """The most-asked questions the bot declined, from the configured store (REDIS_URL or NATOBOT_STATE_DIR)."""
    from bot.state import StoreError, open_store

    try:
        store = open_store(_settings(args))
        gaps = store.top_gaps(args.top)
        store.close()
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if not gaps:
        print("No unanswered questions logged yet.")
        return 0
    print(f"{'count':>5}  {'lang':<4}  {'platform':<9}  {'first seen':<16}  {'last seen':<16}  text")
    for g in gaps:
        print(
            f"{g.count:>5}  {g.lang:<4}  {g.platform:<9}  {g.first_seen:%Y-%m-%d %H:%M}  "
            f"{g.last_seen:%Y-%m-%d %H:%M}  {g.text}"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="natobot",
        description="NATO Status Bot: sourced answers about NATO membership and partnerships, "
        "in English or Korean (e.g. is South Korea in NATO? No: it is a partner).",
        epilog='Examples:\n  natobot ask "Is South Korea in NATO?"\n  natobot ask "한국은 나토 회원국인가요?"\n'
        '  natobot ask --json "/nato-status finland"\n  natobot chat\n  natobot check',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--knowledge", metavar="DIR", help="knowledge folder (default: $NATOBOT_KNOWLEDGE or ./knowledge)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser(
        "ask",
        help="answer one question (or a batch) and exit",
        description="Answer a question exactly as a chat user would get it.",
    )
    ask.add_argument(
        "question", nargs="?", metavar="QUESTION", help='a question or a command, e.g. "/nato-status korea"'
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", metavar="FILE", help="JSON-lines file of questions ('-' for stdin); prints JSON lines")
    ask.add_argument("--lang", choices=("en", "ko"), help="answer in this language regardless of the question's")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (Ctrl-D to quit)")
    chat.add_argument("--lang", choices=("en", "ko"), help="answer in this language")
    chat.set_defaults(func=cmd_chat)

    check = sub.add_parser(
        "check",
        help="validate the knowledge files; report problems as file:line",
        description="Errors (exit 1) stop the bot from starting; warnings (claims resting only on "
        "weak sources) and the --stale listing are tasks for a curator (exit 0).",
    )
    check.add_argument(
        "--stale",
        action="store_true",
        help="also list sources and entries not checked for a while, and announced events now past",
    )
    check.add_argument(
        "--months", type=int, default=12, metavar="N", help="what counts as old for --stale (default 12)"
    )
    check.set_defaults(func=cmd_check)
    gaps = sub.add_parser(
        "gaps",
        help="list the most-asked questions the bot could not answer",
        description="The unanswered-questions log (no user ids), most asked first.",
    )
    gaps.add_argument("--top", type=int, default=20, metavar="N", help="how many to show (default 20)")
    gaps.set_defaults(func=cmd_gaps)
    sub.add_parser("config", help="print the effective configuration (secrets redacted)").set_defaults(func=cmd_config)
    sub.add_parser("reload", help="validate the knowledge, then make the running bot reload it (SIGHUP)").set_defaults(
        func=cmd_reload
    )

    run = sub.add_parser("run", help="run every platform whose token is set (the console chat when none is)")
    run.add_argument("--lang", choices=("en", "ko"), help="console answer language")
    run.add_argument("--sync", action="store_true", help="force a Discord command sync")
    run.set_defaults(func=cmd_platform)
    sub.add_parser("telegram", help="run the Telegram bot (TELEGRAM_TOKEN)").set_defaults(func=cmd_platform)
    discord = sub.add_parser("discord", help="run the Discord bot (DISCORD_TOKEN)")
    discord.add_argument("--sync", action="store_true", help="sync slash commands even if unchanged")
    discord.set_defaults(func=cmd_platform)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"natobot: {exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        print(f"natobot: the bot cannot start: {exc}\nFix the files above, then run `natobot check`.", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `natobot ask ... | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
