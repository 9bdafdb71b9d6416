"""The understanding bench: its grading on hand-made answers, the frozen held-out set, a tiny real run."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.understanding import DEV, HELDOUT, HELDOUT_SHA256, Case, evaluate, grade, load  # noqa: E402


def test_grading_separates_right_declined_and_wrong() -> None:
    where = Case("where was the 2023 summit", "en", "answer", "summit", "Vilnius|빌뉴스 ; !Ankara")
    assert grade(where, True, "The 2023 summit was held in Vilnius.") == "correct"
    assert grade(where, True, "The 2026 summit is in Ankara; 2023 was Vilnius.") == "wrong"  # names the other one
    assert grade(where, True, "NATO has 32 members.") == "wrong"
    assert grade(where, False, "I'm not sure") == "declined"
    oos = Case("how many soldiers does nato have", "en", "decline", "oos", "-")
    assert grade(oos, False, "") == "correct" and grade(oos, True, "NATO has 32 members") == "wrong"
    premise = Case("since korea joined nato in 2010…", "en", "premise", "premise", "not a NATO member|not a member")
    assert grade(premise, True, "Yes. South Korea is not a member") == "wrong"  # never "Yes" to a false premise
    assert grade(premise, True, "A correction first: South Korea is not a NATO member.") == "correct"


def test_held_out_set_is_frozen_and_big_enough() -> None:
    assert hashlib.sha256(HELDOUT.read_bytes()).hexdigest() == HELDOUT_SHA256, "the held-out set is frozen"
    cases = load(HELDOUT)
    assert len(cases) >= 300
    assert sum(c.lang == "ko" for c in cases) >= 0.4 * len(cases)
    assert sum(c.kind in ("premise", "future", "decline") for c in cases) >= 0.1 * len(cases)
    dev = {c.question for c in load(DEV)}
    assert not dev & {c.question for c in cases}, "dev and held-out sets are disjoint"


def test_a_small_real_run_counts_every_question_once() -> None:
    from bench.understanding import systems

    cases = load(DEV)[:25]
    bot = systems(ROOT / "knowledge")["NATO Status Bot"]
    tallies, misses = evaluate(cases, bot)
    assert tallies["all"].total == len(cases)
    assert tallies["en"].total + tallies["ko"].total == len(cases)
    assert len(misses) == tallies["all"].declined + tallies["all"].wrong
