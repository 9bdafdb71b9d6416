"""The command-line contract of DESIGN.md, run as a user would run it (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # every test here runs `python -m bot.cli` as a subprocess

ROOT = Path(__file__).resolve().parents[2]


def natobot(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )


def test_ask_plain_text_answers_with_a_source() -> None:
    out = natobot("ask", "Is South Korea in NATO?")
    assert out.returncode == 0, out.stderr
    assert "not a NATO member" in out.stdout or "not a member" in out.stdout
    assert "https://" in out.stdout


def test_ask_korean_answers_in_korean() -> None:
    out = natobot("ask", "--json", "한국은 나토 회원국인가요?")
    data = json.loads(out.stdout)
    assert data["lang"] == "ko" and data["country"] == "KR" and data["matched"] is True
    assert "회원국" in data["answer"] and data["sources"] and all(s["url"].startswith("http") for s in data["sources"])


def test_json_has_the_contract_fields() -> None:
    data = json.loads(natobot("ask", "--json", "/nato-status@SomeBot finland").stdout)
    assert {"answer", "lang", "matched", "country", "intent", "sources"} <= data.keys()
    assert (data["country"], data["intent"], data["matched"], data["lang"]) == ("FI", "status", True, "en")
    assert all(set(s) >= {"title", "url"} for s in data["sources"])


def test_out_of_scope_is_declined() -> None:
    data = json.loads(natobot("ask", "--json", "What's the best pizza topping?").stdout)
    assert data["matched"] is False and data["country"] is None and data["sources"] == []


def test_batch_keeps_order_handles_unicode_newlines_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps("Is Sweden in NATO?"),
        json.dumps("한국은\n나토 회원국인가요?", ensure_ascii=False),
        "not json",
        json.dumps({"q": "object, not string"}),
        "",
        json.dumps("/nato_status 🇯🇵", ensure_ascii=False),
    ]
    out = natobot("ask", "--json", "--batch", "-", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(results) == 5
    assert results[0]["country"] == "SE" and results[0]["status"] == "member"
    assert results[1]["lang"] == "ko" and results[1]["country"] == "KR"
    assert "error" in results[2] and results[2]["line"] == 3 and results[2]["matched"] is False
    assert "error" in results[3] and results[3]["line"] == 4
    assert results[4]["country"] == "JP"
    path = tmp_path / "q.jsonl"
    path.write_text(lines[0] + "\n", encoding="utf-8")
    again = natobot("ask", "--json", "--batch", str(path))
    assert json.loads(again.stdout)["country"] == "SE"


def test_missing_batch_file_and_missing_question_are_one_line_errors() -> None:
    out = natobot("ask", "--batch", "/nonexistent/file.jsonl")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "cannot read" in out.stderr
    out = natobot("ask")
    assert out.returncode == 2 and "needs a QUESTION" in out.stderr and "Traceback" not in out.stderr


def test_check_reports_broken_file_with_line(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    for path in (ROOT / "knowledge").glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    faq = folder / "faq.yaml"
    lines = faq.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("updated:"))
    lines[target] = lines[target].split(":")[0] + ": 2026-02-30"
    faq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = natobot("--knowledge", str(folder), "check")
    assert out.returncode == 1
    assert f"faq.yaml:{target + 1}:" in out.stderr and "updated" in out.stderr
    ask = natobot("ask", "Is Peru in NATO?", env={"NATOBOT_KNOWLEDGE": str(folder)})
    assert ask.returncode == 2 and f"faq.yaml:{target + 1}:" in ask.stderr and "Traceback" not in ask.stderr


def test_check_passes_on_shipped_knowledge() -> None:
    out = natobot("check")
    assert out.returncode == 0 and out.stdout.startswith("OK:")


def test_ask_imports_no_platform_library() -> None:
    code = (
        "import sys; from bot.cli import main; main(['ask', 'is korea in nato']);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('discord', 'telegram', 'aiohttp', 'httpx', 'redis')];"
        "print('BAD', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip().endswith("BAD []"), out.stdout


@pytest.mark.parametrize("platform", ["telegram", "discord"])
def test_platform_without_token_says_what_to_do(platform: str) -> None:
    out = natobot(platform, env={"HOME": "/nonexistent"})
    assert out.returncode == 2 and f"{platform.upper()}_TOKEN is not set" in out.stderr
    assert out.stderr.count("\n") == 1


def test_help_reads_well() -> None:
    out = natobot("--help")
    assert out.returncode == 0
    for word in ("ask", "chat", "check", "run", "telegram", "discord"):
        assert word in out.stdout


def test_one_bad_batch_line_never_ends_the_batch(tmp_path: Path) -> None:
    """Deep nesting, a 5,000-digit number, a lone surrogate, invalid UTF-8: each gets its own line."""
    path = tmp_path / "batch.jsonl"
    path.write_bytes(
        b'"is korea in nato"\n'
        + b"[" * 100_000
        + b"]" * 100_000
        + b"\n"
        + b"1" * 5000
        + b"\n"
        + b'"\\ud800 korea nato"\n'
        + b"\xff\xfe bad\n"
        + b'"finland"\n'
    )
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "--batch", str(path)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]
    assert len(lines) == 6
    assert [("error" in obj) for obj in lines] == [False, True, True, False, True, False]
    assert lines[3]["country"] == "KR" and lines[5]["country"] == "FI"


def test_ask_into_a_closed_pipe_exits_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "--batch", "-"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.close()  # the reader is gone, like `| head -0`
    _, err = proc.communicate(b'"is korea in nato"\n' * 5000, timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err
