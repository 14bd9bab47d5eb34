"""`policykit build` end to end on the seed and the corpus fixtures: layout, validity, checksums,
reproducibility, atomic replacement, progress output.

Most tests replace the website step with a tiny stand-in page, so they test the data release without running
mkdocs; `test_real_website_and_data_are_reproducible` runs the real one.
"""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import frictionless
import pytest
from click.testing import CliRunner

import toolkit.build
from toolkit.cli import main
from toolkit.writers import csv_tables
from corpus_files import FIRST_BATCH

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


@pytest.fixture
def stub_website(monkeypatch):
    """A stand-in for the mkdocs build: one page, so we can see the data lands beside it."""
    calls = []

    def fake(context, site_dir, quiet):
        calls.append(context)
        site_dir.mkdir(parents=True)
        (site_dir / "index.html").write_text("<p>site</p>\n", encoding="utf-8")
        return True

    monkeypatch.setattr(toolkit.build, "_build_website", fake)
    return calls


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def seed_and_corpus(folder: Path) -> Path:
    """The seed with its manifest, plus the corpus files (not in the manifest: built as single versions)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "source" / "manifest.toml", folder)
    shutil.copy(REPO / "source" / "zjzbf-2024-21.txt", folder)
    for path in FIRST_BATCH:
        shutil.copy(path, folder)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time: 'untouched' means both are unchanged."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    """One build of seed + corpus, shared by the read-only tests below."""
    root = tmp_path_factory.mktemp("corpus")
    src = seed_and_corpus(root / "source")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(toolkit.build, "_build_website", lambda context, site_dir, quiet: False)
        result = run("build", "--source", str(src), "--output", str(root / "site"))
    assert result.exit_code == 0, result.stderr
    return root / "site" / "data", result


def test_build_writes_the_documented_layout(corpus_build):
    data, _ = corpus_build
    top = sorted(p.name for p in data.iterdir())
    assert top == ["01-sme-promotion-law-2017", "07-guangzhou-talent-cluster-opinion-2012", "SHA256SUMS",
                   "catalog.json", "cqlgf-2023-2", "datapackage.json", "gbf-1996-25", "gbf-2018-123",
                   "gbf-2022-35", "policykit-data.zip", "relations.csv", "schemas", "versions.csv",
                   "zjzbf-2024-21"]
    assert sorted(p.name for p in (data / "schemas").iterdir()) == [
        "catalog.schema.json", "clauses.schema.json", "datapackage.schema.json", "departments.schema.json",
        "diff.schema.json", "document.schema.json", "profile.schema.json", "rules.schema.json"]
    version = data / "zjzbf-2024-21" / "2024-06-06"
    expected = {"zjzbf-2024-21.json", "zjzbf-2024-21.akn.xml", "clauses.csv", "responsibilities.csv",
                "departments.csv", "thresholds.csv", "rules.json"}
    assert {p.name for p in version.iterdir()} == expected
    doc = json.loads((version / "zjzbf-2024-21.json").read_text(encoding="utf-8"))
    assert doc["id"] == "zjzbf-2024-21"


def test_catalog_versions_of_unlisted_files_use_the_signed_date_or_current(corpus_build):
    data, _ = corpus_build
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in catalog["documents"]}
    assert len(docs) == 7
    assert docs["zjzbf-2024-21"]["current_version"] == "2024-06-06"
    assert docs["gbf-1996-25"]["current_version"] == "1996-06-29"  # 成文日期 in Chinese numerals
    assert docs["gbf-2022-35"]["current_version"] == "current"  # this copy has no date
    (relation,) = [r for r in docs["zjzbf-2024-21"]["relations"] if r["type"] == "repeals"]
    assert relation["doc_number"] == "浙政办发〔2022〕19号" and relation["document_id"] is None
    for d in docs.values():
        for v in d["versions"]:
            for entry in v["files"].values():
                path = data / entry["url"]
                assert path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_frictionless_validate_reports_the_package_valid(corpus_build):
    data, _ = corpus_build
    # The command-line tool a developer would run, and the library, agree.
    proc = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                          cwd=data, capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["valid"] is True, proc.stdout[-3000:]
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert len(report["tasks"]) == len(package["resources"]) >= 7 * 5
    assert frictionless.validate(str(data / "datapackage.json")).valid


def test_policykit_validate_accepts_every_file_the_build_wrote(corpus_build):
    data, _ = corpus_build
    from toolkit.validate import validate_file

    kinds = {}
    for path in sorted(data.rglob("*")):
        if path.suffix in (".json", ".xml") and path.parent.name != "schemas":
            kind = validate_file(path)
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"catalog": 1, "datapackage": 1, "document": 7, "akn": 7, "rules": 7}


def test_every_csv_has_a_bom_and_round_trips(corpus_build):
    data, _ = corpus_build
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    headers = {t.name: t.header for t in csv_tables.TABLES}
    checked = 0
    for d in catalog["documents"]:
        for v in d["versions"]:
            for name, header in headers.items():
                raw = (data / v["files"][name]["url"]).read_bytes()
                assert raw.startswith(b"\xef\xbb\xbf")
                with open(data / v["files"][name]["url"], encoding="utf-8-sig", newline="") as f:
                    rows = list(csv.reader(f))
                assert rows[0] == header
                assert all(len(r) == len(header) for r in rows)
                if name == "clauses":
                    assert len(rows) - 1 == v["counts"]["clauses"]
                checked += 1
    assert checked == 7 * 4


def test_every_file_in_sha256sums_matches(corpus_build):
    data, _ = corpus_build
    lines = (data / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    on_disk = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"SHA256SUMS"}
    for path, digest in listed.items():
        assert hashlib.sha256((data / path).read_bytes()).hexdigest() == digest, path
    # The archive unpacks to the same files, with checksums that verify there too.
    with zipfile.ZipFile(data / "policykit-data.zip") as archive:
        inner = archive.read("policykit-data/SHA256SUMS").decode("ascii").splitlines()
        for line in inner:
            digest, path = line.split("  ", 1)
            assert hashlib.sha256(archive.read(f"policykit-data/{path}")).hexdigest() == digest
            assert archive.read(f"policykit-data/{path}") == (data / path).read_bytes()
    assert len(inner) == len(lines) - 1


def test_progress_is_one_line_per_document_and_warns_about_unlisted_files(corpus_build):
    _, result = corpus_build
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 7
    assert progress[0].startswith("[1/7] zjzbf-2024-21 2024-06-06，来自 ")
    assert sum("没有列在" in line for line in result.stderr.splitlines()) == 6
    assert result.stdout == ""


def test_quiet_build_prints_only_warnings(tmp_path, stub_website):
    src = seed_and_corpus(tmp_path / "source")
    result = run("build", "-q", "--source", str(src), "--output", str(tmp_path / "site"))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("警告:") for line in lines)
    assert sum("没有列在" in line for line in lines) == 6
    result = run("build", "-q", "--source", str(REPO / "source"), "--output", str(tmp_path / "site"))
    assert result.exit_code == 0 and result.stdout == ""
    # Nothing but warnings about parts of the toolkit still missing in this checkout, if any.
    assert all(line.startswith("警告: ") for line in result.stderr.splitlines())


def test_two_builds_are_byte_identical(tmp_path, stub_website):
    src = seed_and_corpus(tmp_path / "source")
    for out in ("a", "b"):
        assert run("build", "-q", "--source", str(src), "--output", str(tmp_path / out)).exit_code == 0
    a = {k: v[0] for k, v in snapshot(tmp_path / "a").items()}
    b = {k: v[0] for k, v in snapshot(tmp_path / "b").items()}
    assert a == b and len(a) > 30
    # Rebuilding in place gives the same bytes again.
    assert run("build", "-q", "--source", str(src), "--output", str(tmp_path / "a")).exit_code == 0
    assert {k: v[0] for k, v in snapshot(tmp_path / "a").items()} == a


def test_data_is_written_inside_the_built_site(tmp_path, stub_website):
    result = run("build", "-q", "--source", str(REPO / "source"), "--output", str(tmp_path / "site"))
    assert result.exit_code == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "data" / "catalog.json").is_file()
    (context,) = stub_website
    assert [d.id for d in context.release.documents] == ["zjzbf-2024-21"]
    assert {r["path"] for r in context.resources()} >= {"catalog.json", "SHA256SUMS", "policykit-data.zip"}


@pytest.mark.parametrize("name, content, where", [
    ("empty.txt", b"", "empty.txt"),
    ("binary.txt", b"line one\nline two\n\x00\x01\x02\x03binary", "binary.txt:3:"),
])
def test_a_failing_source_leaves_the_previous_output_untouched(tmp_path, stub_website, name, content, where):
    src = seed_and_corpus(tmp_path / "source")
    out = tmp_path / "site"
    assert run("build", "-q", "--source", str(src), "--output", str(out)).exit_code == 0
    before = snapshot(out)

    (src / name).write_bytes(content)
    result = run("build", "--source", str(src), "--output", str(out))
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if ": 错误: " in line]
    assert where in error and "保持原样" in error
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".build-tmp-*"))  # the temp folder is gone too


def test_a_bad_manifest_stops_the_build_naming_the_line(tmp_path, stub_website):
    src = seed_and_corpus(tmp_path / "source")
    out = tmp_path / "site"
    assert run("build", "-q", "--source", str(src), "--output", str(out)).exit_code == 0
    before = snapshot(out)
    manifest = src / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version = "2024-06-06"', 'version = "6/6"'),
                        encoding="utf-8")
    result = run("build", "--source", str(src), "--output", str(out))
    assert result.exit_code == 2
    assert f"{manifest}:9: 错误: " in result.stderr and "YYYY-MM-DD" in result.stderr
    assert snapshot(out) == before


def test_a_document_failing_validation_stops_the_build_naming_the_source(tmp_path, monkeypatch, stub_website):
    from toolkit.errors import ValidationError

    out = tmp_path / "site"
    assert run("build", "-q", "--source", str(REPO / "source"), "--output", str(out)).exit_code == 0
    before = snapshot(out)

    def reject(doc):
        raise ValidationError("does not match the document schema (1 problem(s))", doc.provenance.source_file,
                              details=["$.body[0].eid: 'x y' does not match"])

    monkeypatch.setattr(toolkit.build, "validate_document", reject)
    result = run("build", "--source", str(REPO / "source"), "--output", str(out))
    assert result.exit_code == 2
    assert f"{REPO / 'source' / 'zjzbf-2024-21.txt'}: 错误: 它的 JSON does not match" in result.stderr
    assert "$.body[0].eid" in result.stderr
    assert snapshot(out) == before


def test_a_failing_website_step_leaves_the_previous_output_untouched(tmp_path, monkeypatch, stub_website):
    out = tmp_path / "site"
    assert run("build", "-q", "--source", str(REPO / "source"), "--output", str(out)).exit_code == 0
    before = snapshot(out)

    def broken(context, site_dir, quiet):
        site_dir.mkdir(parents=True)
        (site_dir / "half.html").write_text("half", encoding="utf-8")
        raise toolkit.build.PolicykitError("website build failed: broken theme", file="mkdocs.yml")

    monkeypatch.setattr(toolkit.build, "_build_website", broken)
    result = run("build", "--source", str(REPO / "source"), "--output", str(out))
    assert result.exit_code == 2 and "broken theme" in result.stderr
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".build-tmp-*"))


def test_two_unlisted_files_with_the_same_id_are_refused(tmp_path, stub_website):
    src = tmp_path / "source"
    src.mkdir()
    text = (REPO / "source" / "zjzbf-2024-21.txt").read_bytes()
    (src / "a.txt").write_bytes(text)
    (src / "b.txt").write_bytes(text)
    result = run("build", "--source", str(src), "--output", str(tmp_path / "site"))
    assert result.exit_code == 2
    assert "zjzbf-2024-21" in result.stderr and "同一份文件的不同版本" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path, stub_website):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    result = run("build", "--source", str(REPO / "source"), "--output", str(out))
    assert result.exit_code == 2 and "不是以前的构建结果" in result.stderr
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_real_website_and_data_are_reproducible(tmp_path):
    """The actual website step: data lands in site/data after mkdocs."""
    for out in ("a", "b"):
        result = run("build", "-q", "--source", str(REPO / "source"), "--output", str(tmp_path / out))
        assert result.exit_code == 0, result.stderr
    a = {k: v[0] for k, v in snapshot(tmp_path / "a").items()}
    b = {k: v[0] for k, v in snapshot(tmp_path / "b").items()}
    assert a == b
    assert "index.html" in a and "data/catalog.json" in a and "data/policykit-data.zip" in a


def test_many_unlisted_files_give_one_summary_warning():
    from toolkit.build import unlisted_warnings
    manifest = Path("source/manifest.toml")
    few = unlisted_warnings([Path(f"source/{i}.txt") for i in range(3)], manifest)
    assert len(few) == 3 and "source/1.txt" in few[1]
    many = unlisted_warnings([Path(f"source/{i}.txt") for i in range(1000)], manifest)
    assert len(many) == 1
    assert many[0].startswith("警告: 1000 个文件没有列在 source/manifest.toml 中（source/0.txt, ")
    assert "另有 995 个" in many[0]


def test_temp_folders_of_killed_builds_are_removed_by_the_next_build(tmp_path):
    import os
    import sys
    from toolkit.build import TEMP_PREFIX, remove_stale_temp_dirs

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{TEMP_PREFIX}{dead.pid}-abc"
    running = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-def"
    for folder in (stale, running):
        (folder / "site").mkdir(parents=True)
    remove_stale_temp_dirs(tmp_path)
    assert not stale.exists()
    assert running.exists()
