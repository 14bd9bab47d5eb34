"""The package installs anywhere: build the wheel, install it into a fresh virtual environment outside the
checkout, and run parse, validate and build on a copy of source/ in a temp folder (no PYTHONPATH, no repo files).

Slow (a venv and the dependencies from the package index or pip's cache): marked `slow`, run by `make test`."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(args, cwd, env):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_wheel_installed_in_a_fresh_venv_parses_validates_and_builds(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    source_copy = tmp_path / "checkout"
    # Build from a copy so the checkout gets no build/ or egg-info, whatever setuptools leaves behind.
    top_level = {".venv", "site", ".cache", ".git", ".pytest_cache", ".hypothesis", "build"}  # not toolkit/site

    def ignore(folder, names):
        skip = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
        return skip | (top_level & set(names) if Path(folder) == REPO else set())

    shutil.copytree(REPO, source_copy, ignore=ignore)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source_copy], tmp_path, env)
    (wheel,) = dist.glob("policykit-*.whl")
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    _run([target / "bin" / "python", "-m", "pip", "install", "-q", wheel], tmp_path, env)

    work = tmp_path / "work"  # a publisher's folder: sources only
    shutil.copytree(REPO / "source", work / "source")
    policykit = target / "bin" / "policykit"
    probe = _run([target / "bin" / "python", "-c", "import toolkit; print(toolkit.__file__)"], work, env)
    assert str(target) in probe.stdout  # the installed copy, not the checkout
    _run([policykit, "parse", "source/zjzbf-2024-21.txt", "-o", "doc.json"], work, env)
    assert _run([policykit, "validate", "doc.json"], work, env).stdout.strip() == "doc.json: valid document"
    _run([policykit, "build", "-q", "--source", "source", "--output", "site"], work, env)
    data = work / "site" / "data"
    result = _run([policykit, "validate", data / "catalog.json", data / "datapackage.json",
                   data / "zjzbf-2024-21" / "2024-06-06" / "zjzbf-2024-21.akn.xml"], work, env)
    assert result.stdout.count(": valid ") == 3
    assert (work / "site" / "index.html").is_file() and (work / "site" / "zjzbf-2024-21" / "index.html").is_file()
    assert (data / "schemas" / "document.schema.json").read_bytes() == \
        (REPO / "toolkit" / "schemas" / "document.schema.json").read_bytes()
