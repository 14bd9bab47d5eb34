"""One `policykit build`, run in this process with a timer around each of its phases; prints one JSON line.

bench/run.py starts it as a child process (so each build has its own memory peak) in a work folder, which is also
where the build cache goes (.cache/policykit/ in the working folder, as for the command line):

    python bench/timed_build.py --source S --output O [--jobs 2] [--no-cache] [--data-only]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
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

    start = time.perf_counter()
    result = toolkit.build.build(args.source, args.output, jobs=args.jobs,
                                 cache_dir=None if args.no_cache else DEFAULT_DIR, website=not args.data_only)
    total = time.perf_counter() - start
    timings["cleanup"] = total - sum(timings.values())  # mostly removing the previous output
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
    }))


if __name__ == "__main__":
    main()
