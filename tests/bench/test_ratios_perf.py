"""bench/ratios.py: the side-by-side speed table, the cold-start table, synthetic scaling and its plot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import ratios
from bench.baselines import BM25sBaseline, build_documents
from bench.quality import load_cases, subset
from bot.core.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


def test_synthetic_knowledge_copies_every_faq_entry_under_new_ids() -> None:
    kb = load_knowledge(KNOWLEDGE)
    scaled = ratios.scaled_knowledge(kb, 3)
    assert len(scaled.faq) == 3 * len(kb.faq)
    assert len({e.id for e in scaled.faq}) == len(scaled.faq)
    assert all(q.endswith(" zq2") for q in scaled.faq[-1].questions.en)
    docs = build_documents(KNOWLEDGE)
    faq_docs = sum(1 for d in docs if d.label.startswith("faq:"))
    assert len(ratios.scaled_docs(docs, 3)) == len(docs) + 2 * faq_docs


def test_bm25s_baseline_answers_with_a_label() -> None:
    baseline = BM25sBaseline(build_documents(KNOWLEDGE))
    label, score = baseline.predict("what is article 5")
    assert label.startswith("faq:") and score > 0
    assert baseline.predict("???") == ("decline", 0.0)


def test_scaling_rows_table_and_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    cases = subset(load_cases(), 12)
    rows = ratios.scaling(cases, KNOWLEDGE, [1, 2], budget_s=0.05)
    assert [row["factor"] for row in rows] == [1, 2]
    for row in rows:
        for name in ratios.SYSTEMS:
            assert 0 <= row[name]["in_scope"] <= 1 and row[name]["p50"] > 0
    lines = ratios.scaling_lines(rows)
    assert len(lines) == 2 + 2 * len(ratios.SYSTEMS)
    path = ratios.plot(rows, tmp_path / "scaling.png")
    assert path is not None and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cold_start_table_gives_paired_ratios() -> None:
    times = {"python -c pass": [0.02, 0.03], "natobot ask (compiled cache)": [0.1, 0.12]}
    lines = ratios.cold_start_lines(times)
    assert "| `natobot ask (compiled cache)` | 110 (100–120) | 4.5 (4.0–5.0) |" in lines
