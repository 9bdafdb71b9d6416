"""Does the bot answer the question asked? Graded on what the answer says, not on which card it is.

    .venv/bin/python -m bench.understanding                      # dev set (tests/data/dev_frames.tsv)
    .venv/bin/python -m bench.understanding --heldout            # the frozen held-out set: report only
    .venv/bin/python -m bench.understanding --misses             # dev set, with every miss printed
    .venv/bin/python -m bench.understanding --dev2 --misses      # the second dev set (written later, same way)
    .venv/bin/python -m bench.understanding --write              # both sets, into BENCHMARKS.md

Sets (written from the fact sheets by a session that never read knowledge/): one question a line,
``question<TAB>lang<TAB>kind<TAB>family<TAB>checks``; kind is answer, premise, future or decline;
checks are case-insensitive substring groups (" ; " = and, "|" = or, a leading "!" = none of).

Every answer falls in one of three outcomes:
- correct: a decline for `decline`; otherwise an answer whose text passes the checks (and, for a
  premise, does not open with "Yes");
- declined: the bot said it does not know a question it should answer;
- answered-wrong: it answered, and the answer states something else (fails the checks, or answers
  an out-of-scope question). This is the metric that matters most.

The held-out set is never used to tune: `--heldout` prints the figures, never the questions it missed.
The baselines (BM25 and rapidfuzz over the same documents, see bench/baselines.py) answer with the
card of the label they retrieve, rendered by the bot, and are graded the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev_frames.tsv"
DEV2 = ROOT / "tests" / "data" / "dev2_frames.tsv"  # a second dev set, written later the same way
HELDOUT = ROOT / "bench" / "data" / "heldout.tsv"
# The held-out set is frozen: a change to it is a new set, and must be said so.
HELDOUT_SHA256 = "5e3575bce9ea2f1294e87671c1fe672178e238f294825ce1abf4060ec9bd5cb9"
KINDS = ("answer", "premise", "future", "decline")
_YES = re.compile(r"^\s*(yes|yeah|네|예)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Case:
    question: str
    lang: str
    kind: str
    family: str
    checks: str

    def passes(self, text: str) -> bool:
        low = text.casefold()
        for group in self.checks.split(" ; "):
            group = group.strip()
            if not group or group == "-":
                continue
            negative = group.startswith("!")
            options = [o.strip().casefold() for o in group.lstrip("!").split("|") if o.strip()]
            hit = any(o in low for o in options)
            if hit == negative:
                return False
        return True


def load(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 5 or parts[1] not in ("en", "ko") or parts[2] not in KINDS:
            raise ValueError(f"{path}:{number}: expected question<TAB>en|ko<TAB>kind<TAB>family<TAB>checks")
        cases.append(Case(*parts))
    return cases


def grade(case: Case, matched: bool, text: str) -> str:
    """'correct', 'declined' or 'wrong'."""
    if case.kind == "decline":
        return "wrong" if matched else "correct"
    if not matched:
        return "declined"
    if case.kind == "premise" and _YES.match(text):
        return "wrong"
    return "correct" if case.passes(text) else "wrong"


def answer_text(reply) -> str:  # type: ignore[no-untyped-def]
    """What a user reads, without the source list (titles of sources would match any check)."""
    from bot.core.render import plain

    text = plain(reply)
    return text.split("\nSources:")[0].split("\n출처:")[0]


@dataclass
class Tally:
    correct: int = 0
    declined: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        return self.correct + self.declined + self.wrong

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def row(self, name: str) -> str:
        n = max(self.total, 1)
        return (
            f"| {name} | {self.total} | {self.correct / n:.1%} | {self.declined / n:.1%} | **{self.wrong / n:.1%}** |"
        )


def evaluate(cases: Sequence[Case], answer: Callable[[str], tuple[bool, str]]) -> tuple[dict[str, Tally], list[str]]:
    tallies = {k: Tally() for k in ("en", "ko", "all", *KINDS)}
    misses = []
    for case in cases:
        matched, text = answer(case.question)
        outcome = grade(case, matched, text)
        for key in (case.lang, "all", case.kind, f"{case.lang} · {case.family}"):
            tallies.setdefault(key, Tally()).add(outcome)
        if outcome != "correct":
            misses.append(
                f"[{outcome}] {case.kind}/{case.family} {case.question!r}\n    checks: {case.checks}\n"
                f"    got: {text[:300]!r}"
            )
    return tallies, misses


def systems(knowledge: Path) -> dict[str, Callable[[str], tuple[bool, str]]]:
    from bench.baselines import BM25Baseline, FuzzBaseline, build_documents
    from bot.core.answerer import Answerer
    from bot.core.knowledge import load_knowledge
    from bot.core.reply import Query

    answerer = Answerer(load_knowledge(knowledge))

    def bot(question: str) -> tuple[bool, str]:
        reply = answerer.answer(Query(question))
        return reply.matched, answer_text(reply)

    out = {"NATO Status Bot": bot}
    docs = build_documents(knowledge)
    for baseline in (BM25Baseline(docs), FuzzBaseline(docs)):

        def answered(question: str, baseline=baseline) -> tuple[bool, str]:
            label, score = baseline.predict(question)
            lang = "ko" if re.search(r"[\uac00-\ud7a3]", question) else "en"
            reply = answerer.follow(label, lang) if score > 0 and label != "decline" else None
            if reply is None or not reply.matched:
                return False, ""
            return True, answer_text(reply)

        out[baseline.name] = answered
    return out


def report(cases: Sequence[Case], name_of_set: str, knowledge: Path, show_misses: bool, families: bool = False) -> str:
    lines = [
        f"### {name_of_set} ({len(cases)} questions)",
        "",
        "| system / slice | n | correct | declined (answerable) | answered-wrong |",
        "|---|---:|---:|---:|---:|",
    ]
    all_misses: list[str] = []
    for name, answer in systems(knowledge).items():
        tallies, misses = evaluate(cases, answer)
        keys = ("en", "ko", "all", *KINDS) if name == "NATO Status Bot" else ("en", "ko", "all")
        lines += [tallies[k].row(f"{name} · {k}") for k in keys]
        if name == "NATO Status Bot":
            all_misses = misses
            if families:  # figures per language and family: where to look, without the questions
                lines += [tallies[k].row(f"{name} · {k}") for k in sorted(tallies) if " · " in k]
    if show_misses:
        lines += ["", *all_misses]
    return "\n".join(lines)


BEGIN, END = "<!-- understanding:begin -->", "<!-- understanding:end -->"


def write_block(block: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace (or append) the understanding section of BENCHMARKS.md."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Understanding: does it answer the question asked?\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--heldout", action="store_true", help="the frozen held-out set (figures only)")
    parser.add_argument("--misses", action="store_true", help="print every miss (dev sets only)")
    parser.add_argument("--dev2", action="store_true", help="the second dev set (tests/data/dev2_frames.tsv)")
    parser.add_argument("--families", action="store_true", help="figures per language and question family too")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--write", action="store_true", help="both sets' figures into BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.write:
        block = "\n\n".join(
            report(load(p), name, args.knowledge, False)
            for p, name in ((DEV, "dev set"), (DEV2, "dev set 2"), (HELDOUT, "held-out set"))
        )
        command = "`python -m bench.understanding --write`"
        write_block(f"Command: {command}\n\n{block}")
        print(block)
        return 0
    path = HELDOUT if args.heldout else DEV2 if args.dev2 else DEV
    name = "held-out set" if args.heldout else "dev set 2" if args.dev2 else "dev set"
    if args.heldout:
        digest = hashlib.sha256(HELDOUT.read_bytes()).hexdigest()
        if digest != HELDOUT_SHA256:
            print(f"warning: {HELDOUT.name} changed since it was frozen ({digest[:12]})", file=sys.stderr)
    print(report(load(path), name, args.knowledge, args.misses and not args.heldout, args.families))
    return 0


if __name__ == "__main__":
    sys.exit(main())
