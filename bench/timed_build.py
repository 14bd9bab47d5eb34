"""One `policykit build`, run in this process with a timer around each of its phases; prints one JSON line.

bench/run.py starts it as a child process (so each build has its own memory peak) in a work folder, which is also
where the build cache goes (.cache/policykit/ in the working folder, as for the command line):

    python bench/timed_build.py --source S --output O [--jobs 2] [--no-cache] [--data-only]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import toolkit.build  # noqa: E402
from toolkit.build_cache import DEFAULT_DIR  # noqa: E402

PHASES = {  # function in toolkit.build -> phase name
    "_parse_all": "documents",  # read, validate, render per version (workers, cache)
    "render": "release",  # catalog, data package, checksums, ZIP
    "_build_website": "website",  # mkdocs
    "_write_data": "write",
    "_swap_into_place": "swap",
}


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _ChildrenRss:
    """Peak resident memory of this process's children (the Pagefind binary), sampled every 20 ms."""

    def __init__(self):
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        me = os.getpid()
        while not self._stop.is_set():
            total = 0
            for task in Path(f"/proc/{me}/task").iterdir():
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                for pid in children:
                    try:
                        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                            if line.startswith("VmRSS:"):
                                total += int(line.split()[1])
                    except OSError:
                        pass
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--data-only", action="store_true")
    args = parser.parse_args()

    timings: dict[str, float] = {}
    for function, phase in PHASES.items():
        original = getattr(toolkit.build, function)

        def timed(*a, _original=original, _phase=phase, **k):
            start = time.perf_counter()
            try:
                return _original(*a, **k)
            finally:
                timings[_phase] = timings.get(_phase, 0.0) + time.perf_counter() - start
        setattr(toolkit.build, function, timed)

    # The search index (Pagefind, a child process of its own): its time and the peak memory of that process.
    search_index_peak = {"kib": 0}
    if not args.data_only:
        import toolkit.site.search_index as search_index
        original_write = search_index.write

        def timed_write(*a, **k):
            sampler = _ChildrenRss()
            start = time.perf_counter()
            try:
                return original_write(*a, **k)
            finally:
                timings["search_index"] = time.perf_counter() - start
                search_index_peak["kib"] = sampler.stop()
        search_index.write = timed_write

    start = time.perf_counter()
    result = toolkit.build.build(args.source, args.output, jobs=args.jobs,
                                 cache_dir=None if args.no_cache else DEFAULT_DIR, website=not args.data_only)
    total = time.perf_counter() - start
    # mostly removing the previous output (the search index is inside the website phase)
    timings["cleanup"] = total - sum(v for k, v in timings.items() if k != "search_index")
    print(json.dumps({
        "seconds_in_process": total,
        "phases": timings,
        "documents": result.documents,
        "parsed": result.parsed,
        "reused": result.reused,
        "data_files": result.files,
        "data_bytes": result.bytes,
        "site_built": result.site_built,
        # KiB. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the parent's size.
        # CPU seconds (user + system) of this process and of its workers: unlike the wall time, hardly changed
        # by other programs competing for the cores.
        "cpu_main_s": _cpu(resource.RUSAGE_SELF),
        "cpu_workers_s": _cpu(resource.RUSAGE_CHILDREN),
        "maxrss_self_kib": _peak_rss_kib(),
        "maxrss_workers_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,  # the largest worker
        "search_index_peak_rss_kib": search_index_peak["kib"],  # the Pagefind process while it indexed
    }))


if __name__ == "__main__":
    main()
