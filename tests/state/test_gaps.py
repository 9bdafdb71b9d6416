"""The unanswered-questions log: normalised, redacted text, counted per language and platform;
`natobot gaps` prints it from the configured store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.gaps import GAP_TEXT_MAX, log_unanswered, normalise_gap
from bot.state import DB_NAME, MemoryStore, open_store
from bot.state.store import GAP_TEXT_MAX as STORE_GAP_TEXT_MAX


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("What is NATO's budget??", "what is nato's budget"),
        ("  WHAT   is\tNATO's  budget ", "what is nato's budget"),
        ("나토 예산은 얼마인가요?", "나토 예산은 얼마인가요"),
        ("@natobot who pays for nato", "@user who pays for nato"),
        ("<@123456789> ask <@!42> about it", "@user ask @user about it"),
        ("mail me at kim.minsu@example.com or +82 10-1234-5678", "mail me at <email> or <number>"),
        ("see https://example.com/a?b=c please", "see <url> please"),
        ("did nato exist in 1949?", "did nato exist in 1949"),
        ("ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "fullwidth text"),
    ],
)
def test_normalise_gap(raw: str, expected: str) -> None:
    assert normalise_gap(raw) == expected


def test_long_text_is_capped() -> None:
    assert GAP_TEXT_MAX == STORE_GAP_TEXT_MAX
    assert len(normalise_gap("why " * 200)) <= GAP_TEXT_MAX


def test_log_unanswered_counts_variants_together_and_skips_noise() -> None:
    store = MemoryStore()
    assert log_unanswered(store, "What is NATO's budget?", "en", "telegram") == "what is nato's budget"
    log_unanswered(store, "what is nato's BUDGET", "en", "telegram")
    log_unanswered(store, "what is nato's budget", "en", "discord")
    assert log_unanswered(store, "   ", "en", "telegram") is None
    assert log_unanswered(store, "🤔 ?? 123", "en", "telegram") is None
    top = store.top_gaps()
    assert [(g.text, g.platform, g.count) for g in top] == [
        ("what is nato's budget", "telegram", 2),
        ("what is nato's budget", "discord", 1),
    ]
    assert not any("telegram:" in g.text for g in top)


def test_natobot_gaps_prints_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("NATOBOT_STATE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert main(["gaps"]) == 0
    assert "No unanswered questions" in capsys.readouterr().out
    store = open_store()
    t0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    for _ in range(3):
        log_unanswered(store, "How big is NATO's budget?", "en", "telegram", now=t0)
    log_unanswered(store, "나토 예산은?", "ko", "discord", now=datetime(2025, 3, 2, 10, 0, tzinfo=UTC))
    store.close()
    assert main(["gaps", "--top", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["count", "lang", "platform", "first", "seen", "last", "seen", "text"]
    assert lines[1].split() == [
        "3",
        "en",
        "telegram",
        "2025-03-01",
        "09:30",
        "2025-03-01",
        "09:30",
        "how",
        "big",
        "is",
        "nato's",
        "budget",
    ]
    assert lines[2].split()[:3] == ["1", "ko", "discord"] and lines[2].endswith("나토 예산은")
    assert main(["gaps", "--top", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_natobot_gaps_reports_a_broken_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("NATOBOT_STATE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / DB_NAME).write_bytes(b"garbage" * 1000)
    assert main(["gaps"]) == 2
    err = capsys.readouterr().err
    assert "move the file aside" in err and "Traceback" not in err


def test_the_memory_stores_gap_log_is_bounded() -> None:
    from bot.state.store import MEMORY_GAPS_MAX, MemoryStore

    store = MemoryStore()
    store.log_gap("asked twice", "en", "console")
    store.log_gap("asked twice", "en", "console")
    for i in range(MEMORY_GAPS_MAX + 50):
        store.log_gap(f"unique question {i}", "en", "console")
    assert len(store._gaps) <= MEMORY_GAPS_MAX
    assert store.top_gaps(1)[0].text == "asked twice"  # the often-asked one is kept
