"""Atomic release: fail, interrupt or kill the build at any step, and the previous site/ (website and data) is
still complete, byte for byte; the next build works.

In-process tests inject exceptions into the writes and the swap. The kill tests run the build in a child
process that SIGKILLs itself just before its k-th change to the file system (mkdir, write, link, rename,
unlink…), for k at the start, in the middle of writing the data, and at every step of the swap. After a kill,
site/ must hold either the previous build or the new one, complete: never a mixture, never nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit.build
from toolkit.build import build
from toolkit.errors import PolicykitError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def stub_website(context, site_dir, quiet):
    """A stand-in for mkdocs: a few pages, so the site has more than data/."""
    site_dir.mkdir(parents=True)
    (site_dir / "index.html").write_text("<p>首页</p>\n", encoding="utf-8")
    for doc in context.release.documents:
        (site_dir / doc.id).mkdir()
        (site_dir / doc.id / "index.html").write_text(f"<p>{doc.id}</p>\n", encoding="utf-8")
    return True


def sources(folder: Path, variant: str) -> Path:
    """Two different source sets ("old", "new"), so we can tell which build site/ holds."""
    folder.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    if variant == "new":
        text = text.replace("夯实培育基本盘", "夯实培育基本面")
    (folder / "zjzbf-2024-21.txt").write_text(text, encoding="utf-8")
    for name in ("06_", "11_", "13_"):
        (path,) = CORPUS.glob(f"{name}*.txt")
        shutil.copy(path, folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamped(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification times: the previous build is not only equal but untouched."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A previous build of the old sources in site/, the new sources, and what a good new build gives."""
    monkeypatch.setattr(toolkit.build, "_build_website", stub_website)
    old, new = sources(tmp_path / "old", "old"), sources(tmp_path / "new", "new")
    site = tmp_path / "out" / "site"
    build(old, site)
    reference = tmp_path / "reference" / "site"
    build(new, reference)
    assert snapshot(site) != snapshot(reference)
    return {"old": old, "new": new, "site": site, "before": stamped(site), "after": snapshot(reference)}


def assert_untouched(world):
    assert stamped(world["site"]) == world["before"]
    assert not list(world["site"].parent.glob(".build-tmp-*"))


# --- exceptions ------------------------------------------------------------------------------------------

class Boom(Exception):
    pass


@pytest.mark.parametrize("exception", [Boom, KeyboardInterrupt, OSError])
@pytest.mark.parametrize("fail_at", [1, 10, "last"])
def test_a_write_failing_mid_build_leaves_the_previous_site(world, monkeypatch, exception, fail_at):
    original = Path.write_bytes
    writes = []

    def write_bytes(self, data):
        writes.append(self)
        if fail_at == "last" and self.name == "SHA256SUMS" or len(writes) == fail_at:
            raise exception("disk full")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError("no links")))
    with pytest.raises(exception):
        build(world["new"], world["site"])
    assert writes, "the failure was never injected"
    assert_untouched(world)


def test_a_failing_swap_leaves_the_previous_site(world, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(16, "Device or resource busy")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    monkeypatch.setattr(toolkit.build, "_exchange", refuse, raising=False)
    with pytest.raises(OSError):
        build(world["new"], world["site"])
    assert_untouched(world)


def test_a_failure_after_the_first_rename_puts_the_previous_site_back(world, monkeypatch):
    """Where the two-rename swap is used (no atomic exchange), a failure between the renames is undone."""
    monkeypatch.setattr(toolkit.build, "_exchange", lambda a, b: False, raising=False)
    original = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError):
        build(world["new"], world["site"])
    assert_untouched(world)


def test_the_cli_reports_an_injected_failure_in_one_line_and_keeps_the_site(world, monkeypatch):
    from click.testing import CliRunner

    from toolkit.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(toolkit.build, "_write_data", broken)
    result = CliRunner().invoke(main, ["build", "-q", "--no-cache", "--source", str(world["new"]),
                                       "--output", str(world["site"])])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if not line.startswith("警告: ")] == [
        "policykit: internal error: RuntimeError: injected (run with --debug for the traceback, and please report it)"]
    assert_untouched(world)


# --- SIGKILL -------------------------------------------------------------------------------------------------

# The child: the same build, counting (and listing) every change to the file system; it kills itself just
# before change number KILL_AT (0: never).
CHILD = r"""
import os, pathlib, signal, shutil, sys, json
sys.path.insert(0, sys.argv[4])
import toolkit.build
from tests.test_atomic import stub_website

toolkit.build._build_website = stub_website
kill_at, log = int(sys.argv[3]), []

def counted(name, func):
    def wrapper(*args, **kwargs):
        log.append(name)
        if len(log) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return func(*args, **kwargs)
    return wrapper

for name in ("mkdir", "link", "replace", "rename", "unlink", "rmdir", "symlink"):
    setattr(os, name, counted(name, getattr(os, name)))
pathlib.Path.write_bytes = counted("write", pathlib.Path.write_bytes)
pathlib.Path.write_text = counted("write", pathlib.Path.write_text)
if hasattr(toolkit.build, "_exchange"):
    toolkit.build._exchange = counted("exchange", toolkit.build._exchange)
if sys.argv[5:] == ["no-exchange"]:  # a file system without an atomic exchange: the two-rename fallback
    toolkit.build._exchange = lambda a, b: False
toolkit.build.build(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
print(json.dumps(log))
"""


def child(source: Path, site: Path, kill_at: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, str(source), str(site), str(kill_at), str(ROOT), *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def kill_points(log: list[str]) -> list[int]:
    """1-based change numbers to kill at: the first, some in the middle of the writes, and every change from
    the last write to the end (the swap and the cleanup)."""
    writes = [i for i, name in enumerate(log, 1) if name in ("write", "link")]
    swap = [i for i, name in enumerate(log, 1) if name in ("replace", "rename", "exchange")]
    assert writes and swap, log
    points = {1, writes[len(writes) // 3], writes[2 * len(writes) // 3]}
    points.update(range(writes[-1], min(len(log), swap[-1] + 3) + 1))
    return sorted(points)


def test_killing_the_build_at_any_step_leaves_a_complete_site(world, tmp_path):
    # A dry run of the same build (into a copy of site/) lists the changes it makes.
    dry_site = tmp_path / "dry" / "site"
    shutil.copytree(world["site"], dry_site)
    result = child(world["new"], dry_site, 0)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    assert snapshot(dry_site) == world["after"]

    outcomes = []
    for point in kill_points(log):
        site = tmp_path / f"kill-{point}" / "site"
        shutil.copytree(world["site"], site)
        before = snapshot(site)
        killed = child(world["new"], site, point)
        assert killed.returncode == -signal.SIGKILL, (point, log[point - 1], killed.stderr)
        assert site.is_dir(), f"site/ is missing after a kill at change {point} ({log[point - 1]})"
        now = snapshot(site)
        assert now in (before, world["after"]), f"a mixture after a kill at change {point} ({log[point - 1]})"
        outcomes.append(now == world["after"])
        # The next build works, whatever the kill left behind.
        build(world["new"], site)
        assert snapshot(site) == world["after"]
    assert not outcomes[0] and outcomes[-1], "the kill points should span before and after the swap"


def test_a_kill_between_the_two_renames_is_recovered_by_the_next_build(world, tmp_path):
    """Without an atomic exchange, a kill after the previous site/ was renamed aside leaves no site/; the next
    build puts the aside copy back first, so even a failing next build leaves the previous site."""
    dry_site = tmp_path / "dry" / "site"
    shutil.copytree(world["site"], dry_site)
    result = child(world["new"], dry_site, 0, "no-exchange")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    second_rename = [i for i, name in enumerate(log, 1) if name == "replace"][-1]

    site = world["site"]
    killed = child(world["new"], site, second_rename, "no-exchange")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not site.exists()  # the moment the fallback cannot avoid
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    with pytest.raises(PolicykitError):
        build(broken, site)
    assert stamped(site) == world["before"]
    assert not list(site.parent.glob(".build-tmp-*"))


def test_the_mkdocs_temp_folders_of_killed_builds_are_removed(tmp_path, monkeypatch):
    """/tmp/policykit-docs-<pid>-… of a killed build is removed by the next website build; a live one is kept."""
    import tempfile

    from toolkit import tempdirs
    from toolkit.site.build import DOCS_TEMP_PREFIX

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"{DOCS_TEMP_PREFIX}{int(dead.stdout)}-abc"
    live = tmp_path / f"{DOCS_TEMP_PREFIX}{os.getpid()}-def"
    for folder in (stale, live):
        (folder / "docs").mkdir(parents=True)
    tempdirs.remove_stale(tmp_path, DOCS_TEMP_PREFIX)
    assert not stale.exists() and live.exists()
    assert tempdirs.prefix_for(DOCS_TEMP_PREFIX) == f"{DOCS_TEMP_PREFIX}{os.getpid()}-"


def test_the_website_build_loads_no_jieba_and_so_no_dictionary_cache(tmp_path):
    """jieba kept a marshal cache it loads back in the shared /tmp; the site's search no longer uses jieba
    (Pagefind over our own terms, toolkit/site/search_index.py), so no such cache is read or written."""
    repo = Path(__file__).resolve().parent.parent
    code = ("import sys; from toolkit.reader import read_path; from toolkit.site import build_site; "
            f"build_site([read_path({str(repo / 'source' / 'zjzbf-2024-21.txt')!r})], None, {str(tmp_path / 'site')!r}, "
            "quiet=True, warn=lambda line: None); print('jieba' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, check=True,
                            env={**os.environ, "PYTHONPATH": str(repo)})
    assert result.stdout.strip() == "False"
