"""Curators' checks: weak-only claims and stale entries, reported as file:line, on test knowledge folders."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.core.curation import months_before, stale, weak_only
from bot.core.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"


def natobot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


SOURCES = """\
sources:
  - id: nato-page
    title: A NATO page
    publisher: NATO
    url: https://www.nato.int/cps/en/natohq/topics_1.htm
    kind: official
    checked: 2026-11-24
  - id: blog-post
    title: A blog post
    publisher: a blog
    url: https://blog.example/post
    kind: weak
    checked: 2024-01-15
"""
TEMPLATE = """\
templates:
  - id: non-member
    text: {en: "{name} is not a member.", ko: "{name_topic} 회원국이 아닙니다."}
    sources: [nato-page]
    updated: 2026-11-24
"""
COUNTRIES = """\
countries:
  - code: FI
    status: member
    joined: 2023-04-04
    summary: {en: Finland is a member., ko: 핀란드는 회원국입니다.}
    sources: [nato-page, blog-post]
    updated: 2026-11-24
  - code: SE
    status: member
    joined: 2024-03-07
    summary: {en: Sweden is a member., ko: 스웨덴은 회원국입니다.}
    sources: [blog-post]
    updated: 2025-01-10
"""
SUMMITS = """\
summits:
  - id: past-2026
    name: {en: Past summit, ko: 지난 정상회의}
    city: {en: Ankara, ko: 앙카라}
    host: TR
    start: 2026-07-07
    end: 2026-07-08
    sources: [nato-page]
  - id: future-2027
    name: {en: Future summit, ko: 다음 정상회의}
    city: {en: Tirana, ko: 티라나}
    host: AL
    start: 2027-07-01
    end: 2027-07-02
    sources: [nato-page]
  - id: known-2025
    name: {en: Known summit, ko: 알려진 정상회의}
    city: {en: The Hague, ko: 헤이그}
    host: NL
    start: 2025-06-24
    end: 2025-06-25
    sources: [nato-page]
"""
HORIZON = "horizon:\n  date: 2026-06-24\n  sources: [nato-page]\n"
TIMELINE = """\
timeline:
  - date: '2026-07'
    text: {en: Something announced for July 2026., ko: 2026년 7월 예정.}
    sources: [blog-post]
"""


def folder(tmp_path: Path) -> Path:
    files = {
        "sources": SOURCES,
        "templates": TEMPLATE,
        "countries": COUNTRIES,
        "summits": SUMMITS,
        "horizon": HORIZON,
        "timeline": TIMELINE,
    }
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def lines(findings: list) -> list[str]:
    return [f"{Path(f.file).name}:{f.line}: {f.message}" for f in findings]


def test_weak_only_entries_are_reported_with_their_line(tmp_path: Path) -> None:
    kb = load_knowledge(folder(tmp_path))
    found = lines(weak_only(kb, tmp_path))
    # Finland cites an official source beside the blog: fine. Sweden and the timeline event cite the blog only.
    assert len(found) == 2
    assert found[0].startswith("countries.yaml:8: countries SE rests only on weak sources (blog-post)")
    assert found[1].startswith("timeline.yaml:2: timeline 2026-07 rests only on weak sources (blog-post)")


def test_the_shipped_knowledge_has_no_weak_only_claims() -> None:
    kb = load_knowledge(KNOWLEDGE)
    assert weak_only(kb, KNOWLEDGE) == []
    assert all(source.kind is not None and source.checked is not None for source in kb.sources.values())


def test_stale_lists_old_checks_old_updates_and_announced_events_now_past(tmp_path: Path) -> None:
    kb = load_knowledge(folder(tmp_path))
    found = lines(stale(kb, tmp_path, months=12, today=date(2026, 12, 4)))
    assert any(f.startswith("sources.yaml:8: source blog-post was last checked on 2024-01-15") for f in found)
    assert any(f.startswith("countries.yaml:8: countries SE was last updated on 2025-01-10") for f in found)
    assert any(f.startswith("summits.yaml:2: summit past-2026 is still 'announced'") for f in found)
    assert any(f.startswith("timeline.yaml:2: timeline event of 2026-07 is still 'announced'") for f in found)
    text = "\n".join(found)
    assert "nato-page" not in text and "countries FI" not in text  # checked and updated recently
    assert "future-2027" not in text  # announced, but its date has not come yet
    assert "known-2025" not in text  # before the horizon: its outcome is known


def test_stale_respects_months_and_today(tmp_path: Path) -> None:
    kb = load_knowledge(folder(tmp_path))
    # Before the Ankara-like summit happened, nothing is "announced and past"; with 36 months nothing is old.
    assert lines(stale(kb, tmp_path, months=36, today=date(2026, 7, 1))) == []
    # A month-only event counts as past only once its whole month is over.
    july = lines(stale(kb, tmp_path, months=36, today=date(2026, 7, 20)))
    assert any("summit past-2026" in f for f in july) and not any("timeline event" in f for f in july)
    # Two years on, the horizon itself is old and the 2027 summit has passed too.
    later = "\n".join(lines(stale(kb, tmp_path, months=12, today=date(2028, 1, 1))))
    assert "the horizon (2026-06-24) is more than 12 months old" in later and "summit future-2027" in later


def test_months_before_clamps_to_the_end_of_the_month() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 12, 4), 12) == date(2025, 12, 4)
    assert months_before(date(2026, 1, 15), 2) == date(2025, 11, 15)


@pytest.mark.e2e  # `natobot check` as a subprocess
def test_natobot_check_warns_and_lists_stale_entries(tmp_path: Path) -> None:
    out = natobot("--knowledge", str(folder(tmp_path)), "check", "--stale", "--months", "6")
    assert out.returncode == 0, out.stderr
    assert "warning: " in out.stdout and "countries.yaml:8: countries SE rests only on weak sources" in out.stdout
    assert "2 warning(s)" in out.stdout
    assert "summits.yaml:2: summit past-2026 is still 'announced'" in out.stdout
    assert natobot("--knowledge", str(tmp_path), "check", "--stale", "--months", "0").returncode != 0


@pytest.mark.e2e
def test_natobot_check_on_the_shipped_knowledge_has_no_warnings() -> None:
    out = natobot("check")
    assert out.returncode == 0, out.stderr
    assert "warning" not in out.stdout and "OK:" in out.stdout
