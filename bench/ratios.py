"""Ratios measured in the same run (issue 16): the project against bm25s and rank_bm25 over the same
documents and questions, `natobot ask` against `python -c pass`, and a scaling run over 1x, 10x and
100x synthetic knowledge, with a PNG plot of time per question against knowledge size.

Synthetic knowledge: copy k of every FAQ entry gets the id `<id>-syn<k>` and a made-up word `zq<k>`
added to each phrasing and answer; the baselines get the same copies of their FAQ documents. Each
copy adds postings for every common word ("nato", "나토"), which is what makes search cost grow; an
answer from a copy counts as a miss (it is another card).
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "bench" / "scaling.png"
ASK = "Is South Korea in NATO?"


def _fmt_range(values: Sequence[float], scale: float = 1.0, digits: int = 0) -> str:
    med = statistics.median(values) * scale
    return f"{med:.{digits}f} ({min(values) * scale:.{digits}f}–{max(values) * scale:.{digits}f})"


# -- cold start -------------------------------------------------------------------------------------


def _cpu_of(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """CPU seconds (user + system) of one child process, from the kernel's accounting (os.wait4)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{cmd} failed ({proc.returncode})")
    return usage.ru_utime + usage.ru_stime, out


def cold_start_cpu(runs: int = 9, cache_dir: Path | None = None) -> dict[str, list[float]]:
    """CPU of `python -c pass` and of `natobot ask` (compiled cache warm, then cache off), interleaved
    run by run so machine noise hits all alike. One discarded round first (OS file cache, compiled cache,
    and bytecode: PYTHONDONTWRITEBYTECODE is dropped, so each source is compiled once and its .pyc read
    after that, as in an installed bot)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k != "PYTHONDONTWRITEBYTECODE"}
    cached = {**env, "NATOBOT_CACHE_DIR": str(cache_dir)} if cache_dir else env
    uncached = {**env, "NATOBOT_CACHE_DIR": "off"}
    ask = [sys.executable, "-m", "bot.cli", "ask", ASK]
    cmds = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "natobot ask (compiled cache)": (ask, cached),
        "natobot ask (no cache)": (ask, uncached),
    }
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for i in range(runs + 1):
        for name, (cmd, e) in cmds.items():
            cpu, out = _cpu_of(cmd, e)
            if cmd is ask and "Korea" not in out:
                raise RuntimeError(f"natobot ask gave no answer: {out[:200]!r}")
            if i:
                times[name].append(cpu)
    return times


def cold_start_lines(times: dict[str, list[float]]) -> list[str]:
    base = times["python -c pass"]
    lines = [
        "| Process | CPU ms, median (min–max) | x `python -c pass` (median of paired ratios, min–max) |",
        "| --- | ---: | ---: |",
    ]
    for name, values in times.items():
        ratios = [v / b for v, b in zip(values, base, strict=True)]
        lines.append(f"| `{name}` | {_fmt_range(values, 1e3)} | {_fmt_range(ratios, digits=1)} |")
    return lines


# -- per-question speed against the BM25 libraries ----------------------------------------------------


def _lat(fn: Callable[[str], object], texts: Sequence[str], passes: int, budget_s: float) -> list[float]:
    """Per-call thread CPU time in µs over up to `passes` passes (at least one), after one warm pass."""
    for t in texts:
        fn(t)
    clock = time.thread_time_ns
    lat: list[float] = []
    start = time.perf_counter()
    for _ in range(passes):
        for t in texts:
            t0 = clock()
            fn(t)
            lat.append((clock() - t0) / 1e3)
        if time.perf_counter() - start > budget_s:
            break
    return sorted(lat)


def _p(lat: Sequence[float], q: float) -> float:
    return lat[max(0, min(len(lat) - 1, round(q / 100 * (len(lat) - 1))))] if lat else float("nan")


def speed_lines(answerer, docs, by_lang: dict[str, list[str]], budget_s: float) -> list[str]:
    from bench.baselines import BM25Baseline, BM25sBaseline, tokenize
    from bot.core.reply import Query
    from bot.core.text import normalize, split_korean

    bm25s_ = BM25sBaseline(docs)
    rank = BM25Baseline(docs)

    def search(text: str) -> object:
        return answerer.index.search(text, limit=8, words=split_korean(normalize(text).split()))

    systems: list[tuple[str, Callable[[str], object]]] = [
        ("NATO Status Bot: whole answer", lambda t: answerer.answer(Query(t))),
        ("NATO Status Bot: FAQ search only", search),
        ("bm25s `get_scores`", bm25s_.scores),
        ("rank_bm25 `get_scores`", lambda t: rank.bm25.get_scores(tokenize(t))),
    ]
    lines = [
        "| System | Lang | p50 µs | p99 µs | p50 x bm25s | n |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for lang, texts in by_lang.items():
        measured = [(name, _lat(fn, texts, 20, budget_s)) for name, fn in systems]
        ref = _p(measured[2][1], 50)
        for name, lat in measured:
            lines.append(
                f"| {name} | {lang} | {_p(lat, 50):.0f} | {_p(lat, 99):.0f} | {_p(lat, 50) / ref:.1f}x | {len(lat)} |"
            )
    return lines


# -- scaling ------------------------------------------------------------------------------------------


def scaled_knowledge(kb, factor: int):
    from bot.core.schema import Phrases, Text

    copies = []
    for k in range(1, factor):
        word = f"zq{k}"
        for entry in kb.faq:
            copies.append(
                entry.model_copy(
                    update={
                        "id": f"{entry.id}-syn{k}",
                        "questions": Phrases(
                            en=tuple(f"{q} {word}" for q in entry.questions.en),
                            ko=tuple(f"{q} {word}" for q in entry.questions.ko),
                        ),
                        "answer": Text(en=f"{entry.answer.en} {word}", ko=f"{entry.answer.ko} {word}"),
                    }
                )
            )
    return dataclasses.replace(kb, faq=(*kb.faq, *copies))


def scaled_docs(docs, factor: int):
    from bench.baselines import Doc

    faq = [d for d in docs if d.label.startswith("faq:")]
    return docs + [Doc(f"{d.label}-syn{k}", f"{d.text} zq{k}") for k in range(1, factor) for d in faq]


def scaling(cases, knowledge_dir: Path, factors: Sequence[int], budget_s: float) -> list[dict]:
    """Accuracy (in-scope top-1 and decline recall, on `cases`) and p50/p99 per free-text question of
    the project and both BM25 libraries at each knowledge size."""
    from bench.baselines import BM25Baseline, BM25sBaseline, build_documents
    from bench.quality import compute_metrics, reply_label
    from bot.core.answerer import Answerer
    from bot.core.knowledge import load_knowledge
    from bot.core.reply import Query

    kb = load_knowledge(knowledge_dir)
    docs = build_documents(knowledge_dir)
    free = [c.question for c in cases if not c.is_command]
    rows = []
    for factor in factors:
        t0 = time.perf_counter()
        answerer = Answerer(scaled_knowledge(kb, factor))
        build_s = time.perf_counter() - t0
        sdocs = scaled_docs(docs, factor)
        row: dict[str, object] = {"factor": factor, "faq": len(kb.faq) * factor, "docs": len(sdocs)}
        systems: list[tuple[str, Callable[[str], str], Callable[[str], object]]] = [
            ("NATO Status Bot", lambda t, a=answerer: reply_label(a.answer(Query(t))), None),
        ]
        for cls in (BM25sBaseline, BM25Baseline):
            b = cls(sdocs)
            systems.append((b.name, lambda t, b=b: b.predict(t)[0], None))
        for name, predict, _ in systems:
            predicted = [predict(c.question) for c in cases]
            metrics = compute_metrics(cases, predicted)["all"]
            lat = _lat(predict, free, 3 if factor < 100 else 1, budget_s)
            row[name] = {
                "in_scope": metrics.in_scope,
                "p50": _p(lat, 50),
                "p99": _p(lat, 99),
            }
        row["build_s"] = build_s
        rows.append(row)
        print(f"  scaling {factor}x: done", file=sys.stderr)
    return rows


SYSTEMS = ("NATO Status Bot", "BM25 (bm25s)", "BM25 (rank_bm25)")


def scaling_lines(rows: list[dict]) -> list[str]:
    base = rows[0]
    lines = [
        "| Knowledge | FAQ entries | baseline docs | System | in-scope top-1 | p50 µs | p99 µs | p50 x its 1x |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        for i, name in enumerate(SYSTEMS):
            r = row[name]
            lead = f"| {row['factor']}x | {row['faq']} | {row['docs']} |" if i == 0 else "| | | |"
            ratio = r["p50"] / base[name]["p50"]
            lines.append(
                f"{lead} {name} | {100 * r['in_scope']:.1f}% | {r['p50']:.0f} | {r['p99']:.0f} | {ratio:.1f}x |"
            )
    return lines


def plot(rows: list[dict], path: Path = PLOT) -> Path | None:
    """Time per question (p50) against knowledge size, log-log; None if matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    factors = [row["factor"] for row in rows]
    for name, style in zip(SYSTEMS, ("o-", "s--", "^:"), strict=True):
        ax.plot(factors, [row[name]["p50"] for row in rows], style, label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(factors, [f"{f}x" for f in factors])
    ax.set_xlabel(f"knowledge size (x the shipped FAQ, {rows[0]['faq']} entries)")
    ax.set_ylabel("CPU time per free-text question, p50 (µs)")
    ax.set_title("Time per question against knowledge size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def section(cases, knowledge_dir: Path, quick: bool, factors: Sequence[int], plot_to: Path | None = None) -> str:
    """The ratios block: speed per language against bm25s and rank_bm25, cold start, scaling, and the
    plot, drawn to `plot_to` (only the run that rewrites BENCHMARKS.md redraws the committed plot)."""
    import tempfile

    from bench.baselines import build_documents
    from bot.core.answerer import Answerer
    from bot.core.knowledge import load_knowledge

    budget = 0.3 if quick else 1.5
    free = [c for c in cases if not c.is_command]
    by_lang = {lang: [c.question for c in free if c.lang == lang] for lang in ("en", "ko")}
    answerer = Answerer(load_knowledge(knowledge_dir))
    docs = build_documents(knowledge_dir)
    out = [
        "**Ratios in one run** (`bench/ratios.py`; CPU time of the answering thread; same documents and questions).",
        "",
        "Per free-text question, against the BM25 libraries (the project's whole answer includes understanding",
        "and the guard; its FAQ search alone is the like-for-like row):",
        "",
        *speed_lines(answerer, docs, by_lang, budget),
    ]
    if not quick:
        with tempfile.TemporaryDirectory() as tmp:
            times = cold_start_cpu(cache_dir=Path(tmp) / "cache")
        out += ["", f"Cold start, CPU of the whole process ({len(times['python -c pass'])} interleaved runs):", ""]
        out += cold_start_lines(times)
    from bench.quality import subset

    sample = subset(cases, 120 if quick else 200)
    rows = scaling(sample, knowledge_dir, factors, budget)
    out += ["", f"Scaling with synthetic knowledge ({len(sample)} questions, an even spread of the set):", ""]
    out += scaling_lines(rows)
    path = plot(rows, plot_to) if plot_to is not None else None
    if path is not None:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        out += ["", f"![time per question against knowledge size]({shown})"]
    elif plot_to is not None:
        out += ["", "(no plot: `pip install -e '.[bench]'` for matplotlib)"]
    return "\n".join(out)
