"""Where the per-document map runs must never change what it builds: local processes and a Dask cluster give
the same files as one process; workers do not outlive a killed build."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import toolkit.build
from test_build_speed import no_website, sources, tree  # noqa: F401 (sources is a fixture)
from toolkit import executors
from toolkit.build import build
from toolkit.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "zjzbf-2024-21.txt"


def square(x):
    return x * x


@pytest.mark.parametrize("name, jobs", [("local", 1), ("local", 2)])
def test_local_executors_keep_input_order(name, jobs):
    pool = executors.make(name, jobs=jobs)
    try:
        assert list(pool.map(square, list(range(50)))) == [x * x for x in range(50)]
    finally:
        pool.close()


def test_unknown_executor_and_a_scheduler_without_dask_are_clear_errors():
    with pytest.raises(ConfigError, match="unknown executor"):
        executors.make("spark")
    with pytest.raises(ConfigError, match="--scheduler is for --executor dask"):
        executors.make("local", scheduler="tcp://127.0.0.1:8786")


@pytest.mark.slow
def test_dask_local_cluster_builds_the_same_files_as_one_process(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    serial = build(sources, tmp_path / "serial", jobs=1)
    dask = build(sources, tmp_path / "dask", jobs=2, executor="dask", cache_dir=tmp_path / "cache")
    assert (dask.parsed, dask.reused) == (serial.parsed, 0)
    assert tree(tmp_path / "dask") == tree(tmp_path / "serial")
    # The entries the Dask workers stored are read back by the next build, on any executor.
    again = build(sources, tmp_path / "again", jobs=2, cache_dir=tmp_path / "cache")
    assert (again.parsed, again.reused) == (0, serial.versions)
    assert tree(tmp_path / "again") == tree(tmp_path / "serial")


def test_dask_scheduler_that_cannot_be_reached_is_a_clear_error(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    with socket_closed_port() as port:
        with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
            executors.DaskExecutor(f"tcp://127.0.0.1:{port}", 1, timeout="2s")


class socket_closed_port:
    """A loopback port nobody listens on (bound, then closed)."""

    def __enter__(self) -> int:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc):
        return False


CHILD = """
import sys, time
from pathlib import Path
import toolkit.build, toolkit.reader

def slow_read(path):
    time.sleep(0.5)  # long enough that the workers are busy when the main process is killed
    return toolkit.reader.read_path(path)

toolkit.build._build_website = lambda context, site_dir, quiet: False
toolkit.build.build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, read=slow_read)
"""


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_exit_when_the_build_is_killed(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    for i in range(40):  # unlisted copies: enough work that both workers are still busy
        shutil.copy(SEED, folder / f"copy-{i:02}.txt")
    # The workers are forked from a child that defines slow_read in __main__: run it as a script file.
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, str(script), str(folder), str(tmp_path / "site")], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: list[int] = []
        for _ in range(200):  # up to 20 s for the pool to start
            workers = [w for w in _children(child.pid) if _alive(w)]
            if len(workers) >= 2:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the build never started its workers"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    for _ in range(300):  # up to 30 s for the kernel's SIGTERM to end them
        if not any(_alive(w) for w in workers):
            break
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived the killed build"

