"""Answer quality and speed: the project's answerer against BM25 and rapidfuzz baselines (issue 7).

    .venv/bin/python -m bench                # full run; rewrites the results block of BENCHMARKS.md
    .venv/bin/python -m bench --quick --no-write --limit 40   # a fast smoke run
    .venv/bin/python -m bench --profile      # also profile the answerer with pyinstrument

Labels (bench/data/questions.tsv): ``question<TAB>lang<TAB>expected`` with expected one of
``status:CC``, ``joined:CC``, ``timeline:CC``, ``timeline:all``, ``faq:<id>``, ``members``,
``partners``, ``help``, ``decline``. A system "declines" when it abstains (Reply.matched False).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SET = Path(__file__).resolve().parent / "data" / "questions.tsv"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
DEV_SET = ROOT / "tests" / "data" / "dev_questions.tsv"
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
LANGS = ("en", "ko", "all")

# --- the scorer's equivalences, stated once ----------------------------------------------------
# An FAQ entry whose answer opens by stating one country's NATO membership status answers
# "is <country> in NATO?" as well as that country's status card does.
STATUS_FAQ = {
    "KR": "faq:kr-is-member",
    "JP": "faq:jp-is-member",
    "AU": "faq:au-is-member",
    "NZ": "faq:nz-is-member",
    "KP": "faq:nk-nato-relationship",  # opens "No. North Korea is neither a NATO member nor a partner"
    "UA": "faq:members-ukraine-application",  # opens "Ukraine is an aspirant country, not a member."
}
EQUIVALENT: dict[str, frozenset[str]] = {f"status:{cc}": frozenset({ref}) for cc, ref in STATUS_FAQ.items()}
# The member list states the count and the member-count entry lists all 32 members: either answers both.
EQUIVALENT["members"] = frozenset({"faq:nato-member-count", "q:count"})
EQUIVALENT["faq:nato-member-count"] = frozenset({"members", "q:count"})
# Answers computed from the data (bot/core/structured.py, refs "q:...") that say what a curated card
# says: the summit cards and a summit's computed answer, a partner's summit attendance and its list
# of summits, a framework's explainer and its computed member list, the founders.
EQUIVALENT["faq:nato-founding-members"] = frozenset({"q:founders", "q:founded"})
EQUIVALENT["faq:members-finland-sweden"] = frozenset({"q:joinedmany:FI-SE", "q:joined:2023:2024", "q:newest"})
EQUIVALENT["faq:nato-secretary-general"] = frozenset({"q:office:secretary-general"})
EQUIVALENT["faq:kr-hague-2025-representation"] = frozenset({"q:summit:the-hague-2025:KR"})
for _code, _prefix in (
    ("KR", "kr-summits-attended"),
    ("JP", "jp-summit-attendance"),
    ("AU", "au-summit-attendance"),
    ("NZ", "nz-summit-attendance"),
):
    EQUIVALENT[f"faq:{_prefix}"] = frozenset({f"q:summits:{_code}"})
for _summit in ("madrid-2022", "vilnius-2023", "washington-2024", "the-hague-2025", "ankara-2026"):
    _faq = f"faq:summit-{_summit.replace('the-hague', 'hague')}"
    EQUIVALENT[_faq] = frozenset({f"q:summit:{_summit}"})
for _fw, _faq in (
    ("pfp", "partners-pfp"),
    ("md", "partners-mediterranean-dialogue"),
    ("ici", "partners-istanbul-initiative"),
    ("global", "partners-across-the-globe"),
    ("ip4", "ip4-what-is"),
):
    EQUIVALENT[f"faq:{_faq}"] = frozenset({f"q:fwlist:{_fw}"})

TARGETS = {
    "in_scope": 0.97,
    "decline": 0.95,
    "margin": 0.10,
    "free_qps": 5000,
    "command_qps": 20000,
    "cold_start_s": 0.5,
    "rss_mb": 100,
}

_COMMAND = re.compile(r"^\s*(?:[/!]|nato[-_ ]?(?:status|timeline|members|partners|ask|help)\b)", re.I)


@dataclass(frozen=True)
class Case:
    question: str
    lang: str
    expected: str

    @property
    def is_command(self) -> bool:
        return is_command(self.question)


def is_command(text: str) -> bool:
    """Command text as chat users type it: '/x', '!x', or a bare 'nato status ...'."""
    return bool(_COMMAND.match(text))


def load_cases(path: Path = DEFAULT_SET) -> list[Case]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("en", "ko"):
            raise ValueError(f"{path}:{number}: expected question<TAB>en|ko<TAB>label, got {line!r}")
        cases.append(Case(*parts))
    return cases


def subset(cases: Sequence[Case], limit: int | None) -> list[Case]:
    """A deterministic spread of `limit` cases (every k-th), so a small run still mixes kinds."""
    if not limit or limit >= len(cases):
        return list(cases)
    step = len(cases) / limit
    return [cases[int(i * step)] for i in range(limit)]


# --- scoring ------------------------------------------------------------------------------------
def reply_label(reply) -> str:
    """The label a project Reply stands for, in the set's vocabulary."""
    if not reply.matched:
        return "decline"
    intent = reply.intent or ""
    if intent in ("status", "joined", "timeline"):
        return f"{intent}:{reply.country or 'all'}"
    if reply.ref and reply.ref.startswith(("faq:", "q:")):
        return reply.ref
    return intent


def correct(predicted: str, expected: str) -> bool:
    return predicted == expected or predicted in EQUIVALENT.get(expected, ())


@dataclass
class Metrics:
    n_in: int = 0
    n_in_correct: int = 0
    n_decline_expected: int = 0
    n_declined: int = 0
    n_declined_correctly: int = 0

    @property
    def in_scope(self) -> float:
        return self.n_in_correct / self.n_in if self.n_in else float("nan")

    @property
    def decline_precision(self) -> float:
        return self.n_declined_correctly / self.n_declined if self.n_declined else float("nan")

    @property
    def decline_recall(self) -> float:
        return self.n_declined_correctly / self.n_decline_expected if self.n_decline_expected else float("nan")

    @property
    def overall(self) -> float:
        n = self.n_in + self.n_decline_expected
        return (self.n_in_correct + self.n_declined_correctly) / n if n else float("nan")


def compute_metrics(cases: Sequence[Case], predicted: Sequence[str]) -> dict[str, Metrics]:
    """Per language and overall. In scope: expected is not 'decline'; top-1 correct per `correct`
    (a wrong decline of an in-scope question counts as a miss). Decline precision: of the questions
    a system declined, the share that should be declined; recall: of those that should be, the share
    it declined."""
    out = {lang: Metrics() for lang in LANGS}
    for case, pred in zip(cases, predicted, strict=True):
        for key in (case.lang, "all"):
            m = out[key]
            if case.expected == "decline":
                m.n_decline_expected += 1
            else:
                m.n_in += 1
                m.n_in_correct += correct(pred, case.expected)
            if pred == "decline":
                m.n_declined += 1
                m.n_declined_correctly += case.expected == "decline"
    return out


def tune_cutoff(cases: Sequence[Case], raw: Sequence[tuple[str, float]]) -> tuple[float, float]:
    """The abstention cut-off that maximises overall accuracy on these very cases (answers with
    score >= cut-off are kept). Tuned on the test set, so it flatters the baseline. Returns
    (cut-off, accuracy); ties go to the lowest cut-off."""
    candidates = sorted({score for _, score in raw} | {float("-inf"), float("inf")})
    best = (float("-inf"), -1.0)
    for cut in candidates:
        acc = compute_metrics(cases, apply_cutoff(raw, cut))["all"].overall
        if acc > best[1]:
            best = (cut, acc)
    return best


def apply_cutoff(raw: Sequence[tuple[str, float]], cut: float) -> list[str]:
    return [label if score >= cut else "decline" for label, score in raw]


# --- speed --------------------------------------------------------------------------------------
def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return "not pinned (no sched_setaffinity)"


@dataclass
class Speed:
    n: int = 0
    p50_us: float = float("nan")
    p99_us: float = float("nan")
    qps: float = float("nan")
    first_pass_qps: float = float("nan")  # each question's first time through this system


WARM_UP = [
    "Is Belgium in NATO?",
    "벨기에는 나토 회원국이야?",
    "/nato-status belgium",
    "what is article 5",
    "나토 본부는 어디야?",
    "how is the weather",
    "/nato-timeline",
    "/nato_members",
]


def measure(fn: Callable[[str], object], texts: Sequence[str], budget_s: float, max_passes: int = 50) -> Speed:
    """Warm up on WARM_UP (questions not in the set), time one first pass over `texts` (each seen
    for the first time by `fn`), then whole passes until `budget_s` is spent: per-call latency
    p50/p99 and throughput (calls / their summed time) of those steady-state passes.

    Time is the answering thread's CPU time, not wall time: on a shared machine other processes'
    load would otherwise be counted as ours (and differently for each system in the same run)."""
    if not texts:
        return Speed()
    for t in WARM_UP:
        fn(t)
    clock = time.thread_time_ns
    first = 0
    for t in texts:
        t0 = clock()
        fn(t)
        first += clock() - t0
    lat: list[float] = []
    start = time.perf_counter()
    passes = 0
    while passes < max_passes and (passes == 0 or time.perf_counter() - start < budget_s):
        for t in texts:
            t0 = clock()
            fn(t)
            lat.append(clock() - t0)
        passes += 1
    lat_sorted = sorted(lat)
    return Speed(
        len(lat),
        _pct(lat_sorted, 50) / 1e3,
        _pct(lat_sorted, 99) / 1e3,
        len(lat) / (sum(lat) / 1e9),
        len(texts) / (first / 1e9),
    )


def _pct(sorted_values: Sequence[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def natobot_cmd() -> list[str]:
    script = Path(sys.executable).parent / "natobot"
    return (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
    )


def cold_start(runs: int = 7) -> tuple[float, list[float]]:
    """Process start to first answer of `natobot ask` (the process exits after answering), wall
    clock around the subprocess; one discarded run first to warm the OS file cache."""
    cmd = [*natobot_cmd(), "ask", "Is South Korea in NATO?"]
    times = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0 or "Korea" not in proc.stdout:
            raise RuntimeError(f"natobot ask failed ({proc.returncode}): {proc.stderr[-500:]}")
        if i:
            times.append(elapsed)
    return statistics.median(times), times


CHAT_INPUT = [
    "Is South Korea in NATO?",
    "한국은 나토 회원국이야?",
    "/nato-status finland",
    "/nato-members",
    "/nato-partners",
    "/nato-timeline korea",
    "when did sweden join nato",
    "what is the ip4",
    "나토 5조가 뭐야?",
    "is peru in nato",
    "what's the capital of france",
    "/help",
]


def console_peak_rss_mb() -> float:
    """Peak RSS of `natobot chat` fed a dozen questions on stdin (os.wait4 rusage of that child)."""
    proc = subprocess.Popen(
        [*natobot_cmd(), "chat"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdin.write(("\n".join(CHAT_INPUT) + "\n").encode())
    proc.stdin.close()
    proc.stdout.read()
    proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"natobot chat exited with {proc.returncode}")
    factor = 1024 if sys.platform != "darwin" else 1  # ru_maxrss: KiB on Linux, bytes on macOS
    return usage.ru_maxrss * factor / 1e6


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover
        model = platform.processor() or model
    return f"{os.cpu_count()} CPUs (nproc), {model}, Python {platform.python_version()} ({platform.system()})"


# --- independence check -------------------------------------------------------------------------
def near_duplicates(cases: Sequence[Case], knowledge_dir: Path, threshold: float = 90) -> list[tuple[str, str, float]]:
    """Questions (commands excepted: their syntax is fixed) within `threshold` fuzz.ratio of a
    knowledge-base phrasing or a dev-set question: evidence the set was written independently."""
    import yaml
    from rapidfuzz import fuzz, process, utils

    faq = yaml.safe_load((Path(knowledge_dir) / "faq.yaml").read_text(encoding="utf-8"))["faq"]
    pool = [q for e in faq for lang in ("en", "ko") for q in e["questions"].get(lang) or ()]
    if DEV_SET.exists():
        pool += [
            line.split("\t")[0]
            for line in DEV_SET.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    try:  # the answerer's own built-in phrasings for list intents, if it still has them
        from bot.core import answerer

        pool += [p for phrases in getattr(answerer, "_INTENT_PHRASES", {}).values() for p in phrases]
    except ImportError:  # pragma: no cover
        pass
    out = []
    for case in cases:
        if case.is_command:
            continue
        hit = process.extractOne(case.question, pool, scorer=fuzz.ratio, processor=utils.default_process)
        if hit and hit[1] >= threshold:
            out.append((case.question, hit[0], hit[1]))
    return out


# --- running ------------------------------------------------------------------------------------
@dataclass
class SystemResult:
    name: str
    predicted: list[str]
    metrics: dict[str, Metrics]
    free: Speed
    commands: Speed
    cutoff: float | None = None
    extra: dict[str, object] = field(default_factory=dict)


def run(
    cases: Sequence[Case], knowledge_dir: Path, budget_s: float, quick: bool, profile: bool
) -> tuple[list[SystemResult], dict]:
    from bench.baselines import BM25Baseline, FuzzBaseline, build_documents
    from bot.core.reply import Query
    from bot.runtime import Runtime

    info: dict[str, object] = {"pin": pin_one_core()}
    free = [c.question for c in cases if not c.is_command]
    cmds = [c.question for c in cases if c.is_command]

    t0 = time.perf_counter()
    runtime = Runtime(knowledge_dir)
    info["load_s"] = time.perf_counter() - t0
    answer = runtime.answer

    def project(text: str) -> str:
        return reply_label(answer(Query(text)))

    speed_free = measure(lambda t: answer(Query(t)), free, budget_s)
    speed_cmds = measure(lambda t: answer(Query(t)), cmds, budget_s)
    predicted = [project(c.question) for c in cases]
    results = [SystemResult("NATO Status Bot", predicted, compute_metrics(cases, predicted), speed_free, speed_cmds)]
    if profile:
        info["profile"] = profile_answerer(answer, free)

    docs = build_documents(knowledge_dir)
    info["documents"] = len(docs)
    for baseline in (BM25Baseline(docs), FuzzBaseline(docs)):
        raw = [baseline.predict(c.question) for c in cases]
        cut, _ = tune_cutoff(cases, raw)
        pred = apply_cutoff(raw, cut)
        predict = baseline.predict

        def answered(text: str, predict=predict, cut=cut) -> str:
            label, score = predict(text)
            return label if score >= cut else "decline"

        results.append(
            SystemResult(
                baseline.name,
                pred,
                compute_metrics(cases, pred),
                measure(answered, free, budget_s / 3, max_passes=5),
                measure(answered, cmds, budget_s / 3, max_passes=5),
                cutoff=cut,
            )
        )
    if not quick:
        info["cold_start_s"], info["cold_start_runs"] = cold_start()
        info["rss_mb"] = console_peak_rss_mb()
    return results, info


def profile_answerer(answer: Callable, texts: Sequence[str]) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed (.venv/bin/pip install pyinstrument)"
    from bot.core.reply import Query

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(5):
        for t in texts:
            answer(Query(t))
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


# --- reporting ----------------------------------------------------------------------------------
def pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}%"


def quality_table(results: Sequence[SystemResult]) -> list[str]:
    rows = [
        "| System | Lang | In-scope top-1 | Decline precision | Decline recall | n (in / decline) |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for lang in LANGS:
            m = r.metrics[lang]
            name = r.name + (f" (cut-off {r.cutoff:.3g})" if r.cutoff is not None and lang == "en" else "")
            rows.append(
                f"| {name if lang == 'en' else ''} | {lang} | {pct(m.in_scope)} | {pct(m.decline_precision)} "
                f"| {pct(m.decline_recall)} | {m.n_in} / {m.n_decline_expected} |"
            )
    return rows


def speed_table(results: Sequence[SystemResult]) -> list[str]:
    rows = [
        "| System | Kind | p50 | p99 | Questions/s (one core) | first pass q/s | timed calls |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        for kind, s in (("free text", r.free), ("commands", r.commands)):
            rows.append(
                f"| {r.name if kind == 'free text' else ''} | {kind} | {s.p50_us:.0f} µs | {s.p99_us:.0f} µs "
                f"| {s.qps:,.0f} | {s.first_pass_qps:,.0f} | {s.n:,} |"
            )
    return rows


def target_lines(results: Sequence[SystemResult], info: dict) -> list[str]:
    project, baselines = results[0], results[1:]
    lines = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "**MISSED**"

    for lang in ("en", "ko"):
        m = project.metrics[lang]
        best_in = max(b.metrics[lang].in_scope for b in baselines)
        best_dec = max(b.metrics[lang].decline_recall for b in baselines)
        lines.append(
            f"- {lang}: in-scope top-1 {pct(m.in_scope)} (target ≥ 97%): {verdict(m.in_scope >= TARGETS['in_scope'])}; "
            f"correct declines (recall) {pct(m.decline_recall)}, precision {pct(m.decline_precision)} "
            f"(target ≥ 95%): {verdict(min(m.decline_recall, m.decline_precision) >= TARGETS['decline'])}"
        )
        lines.append(
            f"- {lang}: margin over the better baseline: in-scope +{100 * (m.in_scope - best_in):.1f} points, "
            f"declines +{100 * (m.decline_recall - best_dec):.1f} points (target ≥ 10): "
            f"{verdict(m.in_scope - best_in >= TARGETS['margin'] and m.decline_recall - best_dec >= TARGETS['margin'])}"
        )
    lines.append(
        f"- free text {project.free.qps:,.0f} q/s (target ≥ 5,000): "
        f"{verdict(project.free.qps >= TARGETS['free_qps'])}; "
        f"commands {project.commands.qps:,.0f} q/s (target ≥ 20,000): "
        f"{verdict(project.commands.qps >= TARGETS['command_qps'])}"
    )
    if "cold_start_s" in info:
        lines.append(
            f"- cold start of `natobot ask` {info['cold_start_s']:.3f} s, median of {len(info['cold_start_runs'])} "
            f"(target ≤ 0.5 s): {verdict(info['cold_start_s'] <= TARGETS['cold_start_s'])}"
        )
        lines.append(
            f"- console bot peak RSS {info['rss_mb']:.1f} MB (target ≤ 100 MB): "
            f"{verdict(info['rss_mb'] <= TARGETS['rss_mb'])}"
        )
    return lines


def report(cases: Sequence[Case], results: Sequence[SystemResult], info: dict, command: str) -> str:
    n_ko = sum(c.lang == "ko" for c in cases)
    n_dec = sum(c.expected == "decline" for c in cases)
    n_cmd = sum(c.is_command for c in cases)
    unreachable = sum(
        c.expected.split(":")[0] in ("joined",) or (c.expected.startswith("timeline:") and c.expected != "timeline:all")
        for c in cases
    )
    lines = [
        f"Command: `{command}`  ",
        f"Machine: {machine()}; timing in process, single thread, {info['pin']}.  ",
        f"Set: {len(cases)} questions ({len(cases) - n_ko} en, {n_ko} ko; "
        f"{len(cases) - n_dec} in scope, {n_dec} to decline; "
        f"{n_cmd} commands, {len(cases) - n_cmd} free text). Baseline documents: {info['documents']}.",
        "",
        "**Answer quality** (baselines' cut-offs tuned on this same set to maximise their own overall accuracy):",
        "",
        *quality_table(results),
        "",
        f"Baselines have no document for `joined:CC` or `timeline:CC` ({unreachable} in-scope labels); "
        "excluding those, their in-scope top-1 is "
        + ", ".join(f"{r.name} {pct(_reachable_accuracy(cases, r.predicted))}" for r in results[1:])
        + ".",
        "",
        "**Speed** (after a warm-up on other questions; p50/p99 and q/s over repeated passes; "
        "first pass = each question's first time):",
        "",
        *speed_table(results),
        "",
    ]
    if "cold_start_s" in info:
        runs = ", ".join(f"{t:.3f}" for t in info["cold_start_runs"])
        lines += [
            f'**Project only:** `natobot ask "Is South Korea in NATO?"` cold start (process start to answer) '
            f"median {info['cold_start_s']:.3f} s over {len(info['cold_start_runs'])} runs ({runs} s); "
            f"`natobot chat` fed {len(CHAT_INPUT)} questions: peak RSS {info['rss_mb']:.1f} MB; "
            f"in-process knowledge load {info['load_s']:.3f} s.",
            "",
        ]
    lines += ["**Targets:**", "", *target_lines(results, info)]
    return "\n".join(lines)


def _reachable_accuracy(cases: Sequence[Case], predicted: Sequence[str]) -> float:
    pairs = [
        (c, p)
        for c, p in zip(cases, predicted, strict=True)
        if c.expected != "decline"
        and not c.expected.startswith("joined:")
        and not (c.expected.startswith("timeline:") and c.expected != "timeline:all")
    ]
    return sum(correct(p, c.expected) for c, p in pairs) / len(pairs) if pairs else float("nan")


def misses(cases: Sequence[Case], predicted: Sequence[str]) -> list[str]:
    return [
        f"  [{c.lang}] {c.question!r}: expected {c.expected}, got {p}"
        for c, p in zip(cases, predicted, strict=True)
        if not correct(p, c.expected)
    ]


def write_benchmarks(block: str, path: Path = BENCHMARKS_MD) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the labelled TSV")
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--limit", type=int, help="run on an even spread of N questions")
    parser.add_argument("--quick", action="store_true", help="short timing, no cold start or RSS")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite BENCHMARKS.md")
    parser.add_argument("--profile", action="store_true", help="profile the answerer (pyinstrument)")
    parser.add_argument(
        "--scale",
        default=None,
        metavar="1,10,100",
        help="knowledge sizes of the scaling run (default 1,10,100; 1,10 with --quick; none with --limit; "
        "'none' skips the ratios)",
    )
    args = parser.parse_args(argv)

    cases = subset(load_cases(args.set), args.limit)
    command = "python -m bench" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    dups = near_duplicates(cases, args.knowledge)
    results, info = run(
        cases, args.knowledge, budget_s=0.3 if args.quick else 2.0, quick=args.quick, profile=args.profile
    )
    block = report(cases, results, info, command)
    scale = args.scale or ("none" if args.limit else "1,10" if args.quick else "1,10,100")  # --limit: a smoke run
    if scale != "none":
        from bench.ratios import PLOT, section

        factors = [int(f) for f in scale.split(",")]
        writes = not args.no_write and not args.limit
        block += "\n\n" + section(
            cases, args.knowledge, quick=args.quick, factors=factors, plot_to=PLOT if writes else None
        )
    print(block)
    print(
        f"\nIndependence: {len(dups)} free-text questions within fuzz.ratio 90 of a knowledge-base, "
        "answerer or dev-set phrasing."
    )
    for q, hit, score in dups:
        print(f"  {q!r} ~ {hit!r} ({score:.0f})")
    project_misses = misses(cases, results[0].predicted)
    print(f"\nProject misses ({len(project_misses)}):")
    print("\n".join(project_misses) or "  none")
    if "profile" in info:
        print("\nProfile of the answerer over the free-text questions (5 passes):\n" + str(info["profile"]))
    if not args.no_write and not args.limit:
        write_benchmarks(block)
        print(f"\nWrote the results block of {BENCHMARKS_MD.relative_to(ROOT)}.")
    return 0
