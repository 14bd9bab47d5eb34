"""Where the build's per-document map runs: in this process, in local worker processes, or on a Dask cluster.

The build reads, validates and renders each source document independently (build._prepare): a pure map from a
DocumentSpec to an outcome. An executor runs that map and gives the results back **in input order**, so the
output is byte-identical whichever executor ran it (tests/test_executors.py builds the same corpus with each).

    local   worker processes on this machine (`--jobs N`; 1 = in this process). The default.
    dask    a dask.distributed cluster (`--executor dask --scheduler tcp://host:8786`), or, without
            --scheduler, a LocalCluster on this machine. Workers need policykit installed and, when the
            build cache is used, the cache folder on a shared file system (docs/scale.md).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Protocol, Sequence

from .errors import ConfigError

NAMES = ("local", "dask")


class Executor(Protocol):
    workers: int

    def map(self, function: Callable, items: Sequence) -> Iterator:
        """function(item) for every item, yielded in the order of items."""

    def close(self) -> None:
        """Stop the workers; pending work is cancelled."""


class SerialExecutor:
    """Everything in this process: for one job, or work a worker process could not receive."""

    workers = 1

    def map(self, function: Callable, items: Sequence) -> Iterator:
        return map(function, items)

    def close(self) -> None:
        pass


class ProcessExecutor:
    """Forked worker processes: they inherit what the main process loaded (reader, schemas) instead of loading it.

    A worker exits when the main process dies (Linux PR_SET_PDEATHSIG): a build killed with SIGKILL leaves no
    orphaned workers behind waiting for work forever.
    """

    def __init__(self, workers: int):
        self.workers = workers
        fork = "fork" in multiprocessing.get_all_start_methods()
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent,
                                         mp_context=multiprocessing.get_context("fork" if fork else None))

    def map(self, function: Callable, items: Sequence) -> Iterator:
        chunk = max(1, min(16, len(items) // (self.workers * 4)))  # fewer round trips, still balanced
        return self._pool.map(function, items, chunksize=chunk)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _die_with_parent() -> None:
    """Ask the kernel to send this worker SIGTERM when its parent exits (Linux only; elsewhere a no-op)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl: the worker still ends when its task queue closes


class DaskExecutor:
    """A dask.distributed client: tasks are submitted in input order and gathered in that order."""

    def __init__(self, scheduler: str | None, workers: int, timeout: str = "30s"):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("--executor dask needs dask.distributed: pip install 'policykit[dask]'") from None
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout=timeout)
            else:
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
        except OSError as err:
            raise ConfigError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    def map(self, function: Callable, items: Sequence) -> Iterator:
        # pure=False: two equal specs are still two tasks (their results are put back by position).
        futures = self._client.map(function, list(items), pure=False)
        for future in futures:
            yield future.result()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make(name: str = "local", *, jobs: int = 1, scheduler: str | None = None) -> Executor:
    """The executor the command line asked for (`--executor`, `--jobs`, `--scheduler`)."""
    if name == "local":
        if scheduler:
            raise ConfigError("--scheduler is for --executor dask")
        return SerialExecutor() if jobs <= 1 else ProcessExecutor(jobs)
    if name == "dask":
        return DaskExecutor(scheduler, jobs)
    raise ConfigError(f"unknown executor {name!r}: choose one of {', '.join(NAMES)}")
