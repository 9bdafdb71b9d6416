"""The benchmark (issue 7): its metrics on a hand-made example, its labelled set, and a tiny real run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.quality import (  # noqa: E402
    Case,
    apply_cutoff,
    compute_metrics,
    correct,
    is_command,
    load_cases,
    reply_label,
    subset,
    tune_cutoff,
)


def test_metrics_on_a_hand_made_example() -> None:
    cases = [
        Case("q1", "en", "status:KR"),  # answered by the curated FAQ entry: counts as correct
        Case("q2", "en", "joined:FI"),  # answered with the status card: wrong
        Case("q3", "en", "decline"),  # declined: right
        Case("q4", "ko", "members"),  # declined although in scope: wrong, and a wrong decline
        Case("q5", "ko", "decline"),  # answered although out of scope: a missed decline
        Case("q6", "ko", "faq:ip4-what-is"),  # right
    ]
    predicted = ["faq:kr-is-member", "status:FI", "decline", "decline", "faq:nato-what-is", "faq:ip4-what-is"]
    m = compute_metrics(cases, predicted)
    assert (m["en"].in_scope, m["en"].decline_precision, m["en"].decline_recall) == (0.5, 1.0, 1.0)
    assert (m["ko"].in_scope, m["ko"].decline_precision, m["ko"].decline_recall) == (0.5, 0.0, 0.0)
    assert (m["all"].in_scope, m["all"].decline_precision, m["all"].decline_recall) == (0.5, 0.5, 0.5)
    assert m["all"].overall == pytest.approx(3 / 6)


def test_equivalences_are_explicit_and_one_way_where_stated() -> None:
    assert correct("faq:jp-is-member", "status:JP")
    assert not correct("faq:jp-is-member", "status:KR")
    assert not correct("status:JP", "faq:jp-is-member")  # the FAQ label asks for the FAQ entry
    assert correct("faq:nato-member-count", "members") and correct("members", "faq:nato-member-count")
    assert not correct("decline", "status:KR")


def test_cutoff_is_tuned_to_maximise_overall_accuracy() -> None:
    cases = [
        Case("a", "en", "status:KR"),
        Case("b", "en", "decline"),
        Case("c", "en", "faq:x"),
        Case("d", "en", "decline"),
    ]
    raw = [("status:KR", 9.0), ("faq:y", 3.0), ("faq:x", 5.0), ("faq:z", 6.0)]
    cut, acc = tune_cutoff(cases, raw)
    # cut-off 5 keeps a and c and declines b (3/4); 9 also scores 3/4 (keeps a, declines b and d): lowest wins
    assert (cut, acc) == (5.0, 0.75)
    assert apply_cutoff(raw, 5.0) == ["status:KR", "decline", "faq:x", "faq:z"]


def test_reply_label_maps_the_reply_fields() -> None:
    class R:
        def __init__(self, matched, intent, country=None, ref=None):
            self.matched, self.intent, self.country, self.ref = matched, intent, country, ref

    assert reply_label(R(True, "joined", "FI", "status:FI")) == "joined:FI"
    assert reply_label(R(True, "timeline", None, "timeline:all")) == "timeline:all"
    assert reply_label(R(True, "faq:korea", "KR", "faq:kr-ipcp")) == "faq:kr-ipcp"
    assert reply_label(R(True, "members", None, "members")) == "members"
    assert reply_label(R(False, "status", "KR", "status:KR")) == "decline"
    assert is_command("/nato_status@Bot 🇰🇷") and is_command("NATO STATUS japan") and not is_command("is nato good")


def test_the_labelled_set_is_big_bilingual_and_labels_exist() -> None:
    cases = load_cases()
    assert len(cases) >= 300
    assert sum(c.lang == "ko" for c in cases) >= 0.4 * len(cases)
    assert sum(c.expected == "decline" for c in cases) >= 60
    assert len({c.question for c in cases}) == len(cases), "duplicate questions"
    faq_ids = {e["id"] for e in yaml.safe_load((ROOT / "knowledge" / "faq.yaml").read_text(encoding="utf-8"))["faq"]}
    for c in cases:
        kind, _, arg = c.expected.partition(":")
        assert kind in {"status", "joined", "timeline", "faq", "members", "partners", "help", "decline"}, c
        if kind == "faq":
            assert arg in faq_ids, c
        elif kind in ("status", "joined") or (kind == "timeline" and arg != "all"):
            assert pycountry.countries.get(alpha_2=arg) is not None, c
        assert (c.lang == "ko") == bool(re.search(r"[\u3131-\u318e\uac00-\ud7a3]", c.question)) or c.is_command, c


@pytest.mark.e2e  # `python -m bench` as a subprocess
def test_the_benchmark_command_runs_on_a_small_subset() -> None:
    assert len(subset(load_cases(), 30)) == 30
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--no-write", "--limit", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    for needle in (
        "In-scope top-1",
        "NATO Status Bot",
        "BM25 (rank_bm25) (cut-off",
        "rapidfuzz WRatio (cut-off",
        "Questions/s",
        "Project misses",
        "30 questions",
    ):
        assert needle in out, needle
    # one row per system and language, each with three percentages
    rows = [line for line in out.splitlines() if re.match(r"^\|.*\| (en|ko|all) \|", line)]
    assert len(rows) == 9
