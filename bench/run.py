"""`make bench`: how fast policykit is and how its cost grows with the corpus. Prints a table and writes JSON.

    python bench/run.py                          # everything; N = 1, 100, 1000 (tens of minutes on 2 cores)
    python bench/run.py --quick                  # N = 1, 100; a few minutes
    python bench/run.py --sizes 1,100,1000 --site-sizes 1,100 --output bench/results-mine.json
    python bench/run.py --report bench/results.json     # the tables of a saved run, as Markdown

Measured (docs/benchmarks.md explains each and keeps the latest results):
  1. parse + extract throughput (read_bytes: decode, clean, structure, responsibilities, thresholds), in process,
     median of repeated runs, on the seed, the real corpus and the synthetic corpus;
  2. validation cost per document: JSON Schema, Akoma Ntoso writing and XSD validation;
  3. the open-data build (`policykit build --data-only`) of N synthetic documents (bench/corpus.py), each build a
     child process: cold (empty cache), serial cold, unchanged rebuild, rebuild after changing one file; wall time,
     phase times, peak RSS;
  4. the website build for N documents (with the time and peak memory of its search index), and the payload a
     browser downloads on the search page before its first result (Pagefind, bench/search_payload.py).
Nothing here asserts a time; the numbers are for people. Work folders are temporary; source/ is never touched.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import search_payload  # noqa: E402

TARGETS = {
    "parse_chars_per_s": 1_000_000,
    "cold_build_1000_s": 15.0,  # open data only
    "one_change_rebuild_1000_s": 1.0,  # open data only
    "peak_rss_mb": 300,
    # issue 17, the whole site (website + data) at 1,000 documents:
    "full_cold_build_1000_s": 30.0,
    "full_peak_rss_all_mb": 600,
    "site_size_1000_mb": 150,
    "full_over_bare_mkdocs": 1.1,
    "full_one_change_1000_s": 5.0,
    "search_bytes_per_query": 300_000,
}
SEARCH_TARGET_BYTES = 300_000
REFERENCE_POINTS = {  # from the issue, for the table
    "bluebell (pure Python), chars/s": 150_000,
    "bluebell (Rust extension), chars/s": 2_600_000,
    "mkdocs-material + jieba, 100 pages, s": 6.0,
    "lunr index per 400,000 Chinese chars, bytes": 4_000_000,
}
# Words, a phrase found in few clauses, and an amount (the synthetic corpus changes numbers, so the amount is one
# the copies keep: the seed's 1000万元 becomes other amounts in some of them).
QUERIES = ["专精特新", "研发费用", "博士创新站", "1000万元"]


# ---------------------------------------------------------------------------------------------- the machine

def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    if not commit:  # run from an exported tree (git archive), which has no .git
        commit = os.environ.get("POLICYKIT_COMMIT", "unknown")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "platform": platform.platform(), "commit": commit + ("+changes" if dirty else ""),
            "load_average_at_start": os.getloadavg()}


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


# --------------------------------------------------------------------------------- 1, 2: in-process timings

def _median_seconds(function, repeat: int) -> tuple[float, list[float]]:
    function()  # warm: imports, regex compilation, registry loading
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs


def parse_throughput(label: str, paths: list[Path], repeat: int) -> dict:
    from toolkit.reader import read_bytes
    from toolkit.readers.decode import decode

    inputs = [(p.read_bytes(), p.name) for p in paths]
    chars = sum(len(decode(data, name).text) for data, name in inputs)
    median, runs = _median_seconds(lambda: [read_bytes(data, name) for data, name in inputs], repeat)
    return {"input": label, "documents": len(paths), "chars": chars, "repeat": repeat, "median_s": median,
            "chars_per_s": chars / median, "min_s": min(runs), "max_s": max(runs)}


def validation_costs(paths: list[Path], repeat: int) -> dict:
    from toolkit import validate
    from toolkit.reader import read_path
    from toolkit.validate import validate_akn
    from toolkit.writers.akn import to_akn_string
    from toolkit.writers.json_writer import to_json

    docs = [read_path(p) for p in paths]
    akns = [to_akn_string(d) for d in docs]
    dicts = [d.to_dict() for d in docs]
    steps = {
        "json_schema_check": lambda: [validate.validate_document(d) for d in docs],
        "json_schema_check_jsonschema_library": lambda: [validate.schema_errors(x) for x in dicts],
        "json_write": lambda: [to_json(d) for d in docs],
        "akn_write": lambda: [to_akn_string(d) for d in docs],
        "akn_xsd_validation": lambda: [validate_akn(a, name="bench") for a in akns],
    }
    out = {"documents": len(docs), "repeat": repeat}
    for name, function in steps.items():
        median, _ = _median_seconds(function, repeat)
        out[f"{name}_ms_per_doc"] = median / len(docs) * 1000
    return out


# ---------------------------------------------------------------------------- 3, 4: builds in child processes

class _TreeRss:
    """Samples the resident memory of a process and all its descendants (every 20 ms); keeps the peak sum."""

    def __init__(self, pid: int, limit_kib: int | None = None):
        self.pid, self.peak_kib = pid, 0
        self.limit_kib, self.over_limit = limit_kib, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        pids, todo = [], [pid]
        while todo:
            current = todo.pop()
            pids.append(current)
            try:
                for task in Path(f"/proc/{current}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return pids

    def _run(self):
        while not self._stop.is_set():
            total = 0
            for pid in self._tree(self.pid):
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_kib = max(self.peak_kib, total)
            if self.limit_kib and total > self.limit_kib and not self.over_limit:
                # Past the limit the machine (24 GiB, shared) would start swapping or kill something else: stop
                # the whole tree and report it, instead of risking the machine.
                self.over_limit = True
                for pid in reversed(self._tree(self.pid)):
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


# No benchmark build may use more than this (all its processes): past it the build is stopped and reported.
MEMORY_LIMIT_MIB = 14 * 1024


def timed_build(workdir: Path, source: Path, output: Path, *, jobs: int = 2, cache: bool = True,
                website: bool = False, timeout: float | None = None) -> dict:
    command = [sys.executable, str(BENCH / "timed_build.py"), "--source", str(source), "--output", str(output),
               "--jobs", str(jobs)]
    if not cache:
        command.append("--no-cache")
    if not website:
        command.append("--data-only")
    load = os.getloadavg()[0]  # other work on the machine slows the build: kept with the result
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _TreeRss(process.pid, MEMORY_LIMIT_MIB * 1024)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        sampler.stop()
        return {"timeout_s": timeout}
    wall = time.perf_counter() - start
    peak = sampler.stop()
    if sampler.over_limit:
        return {"memory_limit_mib": MEMORY_LIMIT_MIB, "stopped_after_s": wall}
    if process.returncode != 0:
        raise RuntimeError(f"build failed ({process.returncode}): {stderr[-3000:]}")
    report = json.loads(stdout.strip().splitlines()[-1])
    report.update(wall_s=wall, jobs=jobs, load_1min_before=load, peak_rss_total_mib=peak / 1024,
                  peak_rss_main_mib=report.pop("maxrss_self_kib") / 1024,
                  peak_rss_largest_worker_mib=report.pop("maxrss_workers_kib") / 1024)
    return report


def _median_report(reports: list[dict]) -> dict:
    """The run with the median wall time, plus every run's wall time."""
    ordered = sorted(reports, key=lambda r: r["wall_s"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["wall_s_runs"] = [round(r["wall_s"], 3) for r in reports]
    return chosen


def _change_one_file(source: Path, run: int) -> Path:
    """Change the amounts in the first synthetic document (a copy of the seed), differently on every run."""
    path = sorted(source.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    changed = corpus._change_amounts(text, random.Random(f"change:{run}"))
    if changed == text:
        changed = text + "\n" * (run + 1)
    path.write_text(changed, encoding="utf-8")
    return path


def open_data_builds(n: int, root: Path, repeat: int, full: bool = True) -> dict:
    """full=False (the huge N): cold, unchanged and one-change builds only, once each."""
    work = root / f"data-{n}"
    source = work / "source"
    corpus.generate(n, source)
    out = {"n": n}

    def fresh_cache():
        shutil.rmtree(work / ".cache", ignore_errors=True)
        shutil.rmtree(work / "site", ignore_errors=True)

    runs = []
    for _ in range(repeat):
        fresh_cache()
        runs.append(timed_build(work, source, work / "site", jobs=2))
    out["cold_parallel"] = _median_report(runs)
    if full:
        fresh_cache()
        out["cold_parallel_no_cache"] = _median_report([timed_build(work, source, work / "site", jobs=2,
                                                                    cache=False)])
        runs = []
        for _ in range(max(1, repeat // 2)):
            fresh_cache()
            runs.append(timed_build(work, source, work / "site", jobs=1, cache=False))
        out["cold_serial"] = _median_report(runs)
        fresh_cache()
        timed_build(work, source, work / "site", jobs=2)  # fills the cache and makes a previous output
    out["unchanged_rebuild"] = _median_report([timed_build(work, source, work / "site") for _ in range(repeat)])
    runs = []
    for run in range(repeat):
        _change_one_file(source, run)
        runs.append(timed_build(work, source, work / "site"))
    out["one_change_rebuild"] = _median_report(runs)
    return out


def site_build(n: int, root: Path, timeout: float) -> dict:
    """The full build (website + data) of N documents from an empty cache, then the same after one file changed,
    then the search payloads."""
    work = root / f"site-{n}"
    source = work / "source"
    corpus.generate(n, source)
    report = timed_build(work, source, work / "site", jobs=2, website=True, timeout=timeout)
    out = {"n": n, "build": report}
    if "timeout_s" in report or "memory_limit_mib" in report:
        shutil.rmtree(work, ignore_errors=True)
        return out
    _change_one_file(source, 0)
    out["one_change"] = timed_build(work, source, work / "site", jobs=2, website=True, timeout=timeout)
    site = work / "site"
    html = list(site.rglob("*.html"))
    out["pages"] = len(html)
    out["site_bytes"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    out["html_bytes"] = sum(p.stat().st_size for p in html)
    out["chars"] = sum(len(p.read_text(encoding="utf-8")) for p in source.glob("*.txt"))
    out["search"] = search_payload.measure(site, QUERIES)
    shutil.rmtree(work, ignore_errors=True)  # a 1,000-document site is large
    return out


# ------------------------------------------------------------------------------------------------ the table

def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}"
    return f"{text}{unit}"


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "MISSED")


def tables(results: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) for every section; used for the terminal and for Markdown."""
    out = []
    rows = [[r["input"], _fmt(r["documents"]), _fmt(r["chars"]), _fmt(r["median_s"] * 1000, " ms"),
             _fmt(round(r["chars_per_s"])), _verdict(r["chars_per_s"] >= TARGETS["parse_chars_per_s"])]
            for r in results.get("parse", [])]
    out.append(("1. Parse + extract throughput (in process, median)",
                ["input", "docs", "chars", "median time", "chars/s", "≥ 1,000,000 chars/s"], rows))

    v = results.get("validation")
    if v:
        rows = [[name.replace("_ms_per_doc", "").replace("_", " "), _fmt(value, " ms")]
                for name, value in v.items() if name.endswith("_ms_per_doc")]
        out.append((f"2. Validation cost per document (mean over the {v['documents']} real documents, median of "
                    f"{v['repeat']} runs)", ["step", "per document"], rows))

    rows = []
    for b in results.get("open_data", []):
        for kind in ("cold_parallel", "cold_parallel_no_cache", "cold_serial", "unchanged_rebuild",
                     "one_change_rebuild"):
            if kind not in b:
                continue  # the huge N measures fewer builds
            r = b[kind]
            phases = r["phases"]
            target = None
            if b["n"] == 1000 and kind == "cold_parallel":
                target = r["wall_s"] <= TARGETS["cold_build_1000_s"]
            if b["n"] == 1000 and kind == "one_change_rebuild":
                target = r["wall_s"] <= TARGETS["one_change_rebuild_1000_s"]
            cpu = r.get("cpu_main_s", 0) + r.get("cpu_workers_s", 0)
            rows.append([_fmt(b["n"]), kind.replace("_", " "), _fmt(r["jobs"]), _fmt(r["wall_s"], " s"),
                         _fmt(cpu, " s"), _fmt(r.get("load_1min_before")),
                         f"{r['parsed']}/{r['reused']}",
                         _fmt(phases.get("documents"), " s"), _fmt(phases.get("release"), " s"),
                         _fmt(phases.get("write", 0) + phases.get("cleanup", 0), " s"),
                         _fmt(r["peak_rss_main_mib"], " MiB"), _fmt(r["peak_rss_total_mib"], " MiB"),
                         _verdict(target),
                         _verdict(r["peak_rss_total_mib"] <= TARGETS["peak_rss_mb"]) if b["n"] == 1000 else "—"])
    out.append(("3. Open-data build (`policykit build --data-only`), child process, median wall time",
                ["N", "build", "jobs", "wall", "CPU", "load before", "parsed/reused", "documents", "release",
                 "write+cleanup",
                 "peak RSS main", "peak RSS all processes", "time target", "≤ 300 MB"], rows))

    rows, search_rows = [], []
    for s in results.get("site", []):
        b = s["build"]
        if "timeout_s" in b:
            rows.append([_fmt(s["n"]), f"not finished in {b['timeout_s']:.0f} s", "", "", "", ""])
            continue
        if "memory_limit_mib" in b:
            rows.append([_fmt(s["n"]), f"stopped after {b['stopped_after_s']:.0f} s: over {b['memory_limit_mib']:,} MiB",
                         "", "", "", ""])
            continue
        mkdocs = b.get("website_parts", {}).get("mkdocs")
        change = s.get("one_change", {})
        rows.append([_fmt(s["n"]), _fmt(b["wall_s"], " s"), _fmt(mkdocs, " s"),
                     _fmt(b["wall_s"] / mkdocs if mkdocs else None), _fmt(change.get("wall_s"), " s"),
                     _fmt(b["phases"].get("website"), " s"),
                     _fmt(b["phases"].get("search_index"), " s"),
                     _fmt(b.get("search_index_peak_rss_kib", 0) / 1024 or None, " MiB"),
                     _fmt(s["pages"]), _fmt(s["site_bytes"] / 1e6, " MB"),
                     _fmt(s["search"]["static"]["index_bytes"] / 1e6, " MB"), _fmt(b["peak_rss_total_mib"], " MiB")])
        search = s["search"]
        for q in search.get("site", []):
            search_rows.append([_fmt(s["n"]), _fmt(s["chars"]), q["query"], q["status"],
                                _fmt(q["search_requests"]), _fmt(q["search_bytes"] / 1000, " kB"),
                                _verdict(q["search_bytes"] <= SEARCH_TARGET_BYTES),
                                _fmt(q.get("then_bytes", 0) / 1000 or None, " kB"),
                                _fmt(q["bytes"] / 1000, " kB"), _fmt(q["gzip_bytes"] / 1000, " kB"),
                                _fmt(q["seconds_to_first_result"], " s")])
        if "skipped" in search:
            search_rows.append([_fmt(s["n"]), _fmt(s["chars"]), "—", search["skipped"], "", "", "", "", "", "", ""])
    out.append(("4a. Website build (full `policykit build`, empty cache; then one file changed)",
                ["N", "wall", "bare mkdocs", "wall ÷ mkdocs", "one change", "website step", "search index",
                 "Pagefind peak RSS", "HTML pages", "site size",
                 "search index size", "peak RSS all processes"], rows))
    out.append(("4b. Search page: bytes before the first result (Chromium, 127.0.0.1, fresh browser per query)",
                ["N", "source chars", "query", "answer", "search requests", "search bytes", "≤ 300 KB",
                 "next query on the page", "page + search bytes", "gzip", "time to first result"], search_rows))
    out.append(("5. Growth: each phase at N over the same phase at N/10 (10 = linear)",
                ["N", "build", "phase", "at N/10", "at N", "ratio"], growth_rows(results)))
    return out


def growth_rows(results: dict) -> list[list[str]]:
    """Cost at the largest N over cost at N/10 for every phase: ~10 is linear, far above 10 is super-linear."""
    rows = []
    builds = {b["n"]: b for b in results.get("open_data", [])}
    for big in sorted(builds):
        small = builds.get(big // 10)
        if small is None or big < 100:
            continue
        for kind in ("cold_parallel", "cold_serial", "unchanged_rebuild"):
            if kind not in small or kind not in builds[big]:
                continue
            a, b = small[kind], builds[big][kind]
            for phase in sorted(set(a["phases"]) | set(b["phases"])):
                before, after = a["phases"].get(phase), b["phases"].get(phase)
                ratio = after / before if before and after and before > 0.005 else None
                rows.append([f"{big // 10:,} → {big:,}", kind.replace("_", " "), phase, _fmt(before, " s"),
                             _fmt(after, " s"), _fmt(ratio)])
            rows.append([f"{big // 10:,} → {big:,}", kind.replace("_", " "), "wall", _fmt(a["wall_s"], " s"),
                         _fmt(b["wall_s"], " s"), _fmt(b["wall_s"] / a["wall_s"])])
    return rows


def print_tables(results: dict) -> None:
    for title, header, rows in tables(results):
        print(f"\n{title}")
        widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)] if rows else []
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        for row in rows:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def markdown(results: dict) -> str:
    lines = []
    for title, header, rows in tables(results):
        lines += [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


# -------------------------------------------------------------------------------------------------- the run

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1, 100 only")
    parser.add_argument("--sizes", default="1,100,1000", help="N for the open-data builds")
    parser.add_argument("--site-sizes", default="1,100,1000", help="N for the website builds")
    parser.add_argument("--huge-sizes", default="10000",
                        help="N for one cold and one unchanged open-data build and one website build (no repeats)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build measurement (median)")
    parser.add_argument("--site-timeout", type=float, default=3600, help="seconds allowed for one website build")
    parser.add_argument("--output", type=Path, default=BENCH / "results.json")
    parser.add_argument("--report", type=Path, help="print the tables of a saved run as Markdown and stop")
    args = parser.parse_args()
    if args.report:
        print(markdown(json.loads(args.report.read_text(encoding="utf-8"))))
        return
    sizes = [int(n) for n in args.sizes.split(",") if n]
    site_sizes = [int(n) for n in args.site_sizes.split(",") if n]
    huge = [int(n) for n in args.huge_sizes.split(",") if n]
    if args.quick:
        sizes = [n for n in sizes if n <= 100]
        site_sizes = [n for n in site_sizes if n <= 100]
        huge = []

    results: dict = {"date": datetime.date.today().isoformat(), "machine": machine(), "targets": TARGETS,
                     "reference_points": REFERENCE_POINTS}
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    def save() -> None:  # after each section: a long run stopped half-way keeps what it measured
        args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="policykit-bench-") as tmp:
        root = Path(tmp)
        real = [REPO / "source" / "zjzbf-2024-21.txt", *corpus.TEMPLATES[1:]]
        synthetic = corpus.generate(100, root / "synthetic")
        say("1. parse throughput")
        results["parse"] = [parse_throughput("seed", real[:1], 31),
                            parse_throughput("seed + 6 corpus documents", real, 31),
                            parse_throughput("synthetic, 100 documents", synthetic[:100], 7)]
        say("2. validation cost")
        results["validation"] = validation_costs(real, 11)
        results["open_data"] = []
        for n in sizes:
            say(f"3. open-data builds, N = {n}")
            results["open_data"].append(open_data_builds(n, root, args.repeat))
            save()
        for n in huge:
            say(f"3. open-data builds, N = {n} (one run each)")
            results["open_data"].append(open_data_builds(n, root, 1, full=False))
            save()
        results["site"] = []
        for n in site_sizes + huge:
            say(f"4. website build and search payload, N = {n}")
            results["site"].append(site_build(n, root, args.site_timeout))
            save()
    results["machine"]["load_average_at_end"] = os.getloadavg()
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_tables(results)
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
