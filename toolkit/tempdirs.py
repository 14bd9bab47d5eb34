"""Temp folders named after the process that made them, so that the next run can remove those of killed runs.

A process killed with SIGKILL cannot clean up; its folders (a half-written website, the pages mkdocs was given)
would pile up. Each name carries the process id: `<prefix><pid>-<random>`. A folder whose process no longer runs
is removed by the next run; one whose process still runs (another build at the same time) is left alone.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def prefix_for(prefix: str) -> str:
    """The mkdtemp prefix for this process: `<prefix><pid>-`."""
    return f"{prefix}{os.getpid()}-"


def remove_stale(parent: Path, prefix: str) -> None:
    """Remove the `<prefix><pid>-…` folders in parent whose process no longer runs."""
    try:
        found = list(Path(parent).glob(f"{prefix}*"))
    except OSError:
        return  # an unreadable temp folder: nothing we may clean
    for path in found:
        pid = path.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or not a pid we can ask about: leave it alone
    return True
