"""What makes the build fast, and must never change what it builds: worker processes, the build cache, hard links
to the previous output, the ZIP writer, the compiled schema validator. No timings here (bench/ measures); these
tests check the output stays the same and that the shortcuts are taken only when they are safe."""
from __future__ import annotations

import copy
import io
import json
import pickle
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit.build
import toolkit.reader
from toolkit import validate
from toolkit.archive import PreparedFile, zip_bytes
from toolkit.build import build
from toolkit.build_cache import Cache, Entry, fingerprint
from toolkit.cli import main
from toolkit.reader import read_path
from toolkit.release import ARCHIVE_ROOT, ZIP_DATE, ZIP_FILE_MODE, _zipfile_archive, zip_archive
from corpus_files import FIRST_BATCH

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "zjzbf-2024-21.txt"
CORPUS = FIRST_BATCH


def no_website(context, site_dir, quiet):
    return False


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(REPO / "source" / "manifest.toml", folder)
    for path in [SEED, *CORPUS]:
        shutil.copy(path, folder)
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class CountingReader:
    """The real reader, counting the files it reads (module level, so worker processes can use it too)."""

    calls: list[str] = []

    def __call__(self, path):
        CountingReader.calls.append(Path(path).name)
        return read_path(path)


def test_zip_writer_matches_zipfile_byte_for_byte():
    files = {p.name: p.read_bytes() for p in CORPUS}
    files["a/b/empty.csv"] = b""
    files["a/c.json"] = "{\"标题\": 1}\n".encode()
    expected = _zipfile_archive(files)
    assert zip_archive(files) == expected
    assert zip_archive({k: PreparedFile.of(v) for k, v in files.items()}) == expected
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert archive.testzip() is None
        assert archive.read(f"{ARCHIVE_ROOT}/a/c.json") == files["a/c.json"]


def test_zip_writer_counts_past_65535_entries_with_zip64_end_records():
    used = []
    many = {f"f{i}.txt": PreparedFile.of(str(i).encode()) for i in range(70_000)}  # more than a plain ZIP counts
    data = zip_bytes(many, ZIP_DATE, ZIP_FILE_MODE, fallback=lambda e: used.append(len(e)) or b"zip64")
    assert used == []  # written here, reusing the deflated data; zipfile only for archives near 2 GB
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.infolist()) == 70_000
        assert archive.read("f69999.txt") == b"69999" and archive.testzip() is None


def test_prepared_file_is_bytes_and_keeps_its_digests_through_pickle():
    data = SEED.read_bytes()
    prepared = PreparedFile.of(data)
    assert prepared == data and hash(prepared) == hash(data)
    copy_ = pickle.loads(pickle.dumps(prepared))
    assert isinstance(copy_, PreparedFile) and copy_ == data
    assert (copy_.sha256, copy_.crc32, copy_.deflated) == (prepared.sha256, prepared.crc32, prepared.deflated)


def test_parallel_and_cached_builds_are_byte_identical_to_a_serial_build(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    cache = tmp_path / "cache"
    serial = build(sources, tmp_path / "serial", jobs=1)
    assert (serial.parsed, serial.reused) == (7, 0)
    parallel = build(sources, tmp_path / "parallel", jobs=2, cache_dir=cache)
    assert (parallel.parsed, parallel.reused) == (7, 0)
    cached = build(sources, tmp_path / "cached", jobs=2, cache_dir=cache)
    assert (cached.parsed, cached.reused) == (0, 7)
    expected = tree(tmp_path / "serial")
    assert len(expected) > 40
    assert tree(tmp_path / "parallel") == expected
    assert tree(tmp_path / "cached") == expected


def test_an_unchanged_document_is_not_parsed_again_and_a_changed_one_is(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    monkeypatch.setattr(CountingReader, "calls", [])
    cache, out = tmp_path / "cache", tmp_path / "site"
    build(sources, out, read=CountingReader(), cache_dir=cache)
    assert sorted(CountingReader.calls) == sorted(p.name for p in sources.glob("*.txt"))

    CountingReader.calls.clear()
    result = build(sources, out, read=CountingReader(), cache_dir=cache)
    assert CountingReader.calls == [] and (result.parsed, result.reused) == (0, 7)

    changed = sources / CORPUS[2].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("15万元", "16万元"), encoding="utf-8")
    result = build(sources, out, read=CountingReader(), cache_dir=cache)
    assert CountingReader.calls == [changed.name] and (result.parsed, result.reused) == (1, 6)
    rows = (out / "data" / "cqlgf-2023-2" / "2023-12-31" / "thresholds.csv").read_text(encoding="utf-8-sig")
    assert "16万元" in rows and "15万元" not in rows
    # The rebuilt output equals a build from scratch.
    build(sources, tmp_path / "fresh", jobs=1)
    assert tree(out) == tree(tmp_path / "fresh")


def test_workers_use_the_cache_too(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    cache = tmp_path / "cache"
    build(sources, tmp_path / "a", jobs=2, cache_dir=cache)
    (sources / CORPUS[0].name).write_bytes(CORPUS[0].read_bytes() + "\n".encode())
    (sources / CORPUS[1].name).write_bytes(CORPUS[1].read_bytes() + "\n".encode())
    result = build(sources, tmp_path / "b", jobs=2, cache_dir=cache)
    assert (result.parsed, result.reused) == (2, 5)


def test_the_cache_depends_on_the_functions_used_and_survives_a_damaged_entry(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    cache = tmp_path / "cache"
    assert fingerprint(read_path) != fingerprint(CountingReader())
    build(sources, tmp_path / "a", cache_dir=cache)
    monkeypatch.setattr(CountingReader, "calls", [])
    result = build(sources, tmp_path / "b", read=CountingReader(), cache_dir=cache)
    assert result.parsed == 7  # another reader: the real reader's entries are not used

    for entry in cache.rglob("*.entry"):
        entry.write_bytes(b"not an entry")
    result = build(sources, tmp_path / "c", read=CountingReader(), cache_dir=cache)
    assert result.parsed == 7
    assert tree(tmp_path / "c") == tree(tmp_path / "a")


def test_cache_put_and_get_round_trip(tmp_path):
    cache = Cache(tmp_path, "f" * 64)
    doc = read_path(SEED)
    key = cache.key(SEED.name, SEED.read_bytes())
    assert cache.get(key) is None
    cache.put(key, Entry(doc.id, doc))
    entry = cache.get(key)
    assert entry.akn is None and entry.summary == Entry(doc.id, doc).summary
    path, offset = entry._document_at  # the document is read only when asked for
    assert entry.document == doc
    # A file replaced by another build after `get` (same key, same content) is read from the start.
    assert toolkit.build_cache._load_document(path, offset - 1) == doc
    assert cache.key("other.txt", SEED.read_bytes()) != key  # the file name is part of the document (provenance)


def test_a_planted_pickle_or_a_tampered_entry_is_never_run_or_used(tmp_path, sources, monkeypatch):
    # The cache holds data only (JSON and raw bytes): whoever can write .cache/ cannot make the next build run
    # code. The stored files carry their CRC-32, so a damaged one is not published (a check against damage, not
    # a signature).
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    cache = tmp_path / "cache"
    build(sources, tmp_path / "a", cache_dir=cache)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(str(marker)))
    entries = sorted(cache.rglob("*.entry"))
    entries[0].write_bytes(payload)
    data = bytearray(entries[1].read_bytes())
    blobs = len(toolkit.build_cache.MAGIC) + 8 + int.from_bytes(data[len(toolkit.build_cache.MAGIC):][:8], "big")
    data[blobs + 10] ^= 1  # one byte of the first stored file
    entries[1].write_bytes(bytes(data))
    result = build(sources, tmp_path / "b", cache_dir=cache)
    assert not marker.exists()
    assert result.parsed == 2 and result.reused == 5
    assert tree(tmp_path / "b") == tree(tmp_path / "a")


class _Exploit:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_an_unchanged_data_rebuild_does_not_load_the_documents(tmp_path, sources, monkeypatch):
    # The catalog, the data package and the progress lines use the summary kept in each cache entry; the document
    # is loaded only when something needs it (the website, a diff), and then it is the same document.
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    lines: list[str] = []
    build(sources, tmp_path / "a", cache_dir=tmp_path / "cache", progress=lines.append)
    loads: list[int] = []
    real_load = toolkit.build_cache._load_document
    monkeypatch.setattr(toolkit.build_cache, "_load_document", lambda path, at: loads.append(at) or real_load(path, at))
    again: list[str] = []
    result = build(sources, tmp_path / "b", cache_dir=tmp_path / "cache", progress=again.append)
    assert result.reused == 7 and loads == []
    assert again == lines and tree(tmp_path / "b") == tree(tmp_path / "a")

    seen: list = []
    monkeypatch.setattr(toolkit.build, "_build_website",
                        lambda context, site_dir, quiet: seen.extend(context.release.documents) or False)
    build(sources, tmp_path / "c", cache_dir=tmp_path / "cache")
    documents = {d.id: d.current.document for d in seen}
    assert len(loads) == 7
    assert documents["zjzbf-2024-21"] == read_path_as(SEED, "zjzbf-2024-21")


def read_path_as(path: Path, doc_id: str):
    doc = read_path(path)
    doc.id = doc_id
    return doc


def test_a_file_changed_by_hand_in_the_previous_output_is_not_reused(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    out = tmp_path / "site"
    build(sources, out, cache_dir=tmp_path / "cache")
    expected = tree(out)
    target = out / "data" / "zjzbf-2024-21" / "2024-06-06" / "clauses.csv"
    data = target.read_bytes()
    target.write_bytes(data[:-3] + b"XYZ")  # same size, other bytes
    build(sources, out, cache_dir=tmp_path / "cache")
    assert tree(out) == expected


def test_errors_in_worker_processes_are_reported_in_source_order(tmp_path, sources, monkeypatch):
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    out = tmp_path / "site"
    build(sources, out, jobs=2)
    before = tree(out)
    (sources / "zz-empty.txt").write_bytes(b"")
    (sources / "aa-binary.txt").write_bytes(b"text\n\x00\x01\x02binary")
    result = CliRunner().invoke(main, ["build", "-q", "--jobs", "2", "--source", str(sources), "--output", str(out)])
    assert result.exit_code == 2
    (error,) = [line for line in result.stderr.splitlines() if ": 错误: " in line]
    assert "aa-binary.txt:2:" in error and "保持原样" in error
    assert tree(out) == before


def test_cli_options_jobs_no_cache_and_data_only(tmp_path, sources, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default cache folder is .cache/policykit in the working folder
    out = tmp_path / "site"
    args = ["build", "--data-only", "--source", str(sources), "--output", str(out)]
    first = CliRunner().invoke(main, [*args, "--jobs", "2"])
    assert first.exit_code == 0, first.stderr
    assert sorted(p.name for p in out.iterdir()) == [".policykit-build", "data"]  # no website; the marker
    assert any((tmp_path / ".cache" / "policykit").rglob("*.entry"))
    second = CliRunner().invoke(main, args)
    assert "其中 7 个自上次构建以来没有变化" in second.stderr
    third = CliRunner().invoke(main, [*args, "--no-cache", "--jobs", "1"])
    assert third.exit_code == 0 and "没有变化" not in third.stderr


def _mutations(data: dict):
    """Documents the schema must refuse, and one it must accept despite a trailing newline (Python's `$`)."""
    def unit(d):
        return (d["body"] or d["components"][0]["body"])[0]  # 06: the units are the carried 细则's
    cases = [
        ("eid with a space", lambda d: unit(d).update(eid="sec 1"), False),
        ("missing metadata", lambda d: d.pop("metadata"), False),
        ("ordinal as text", lambda d: unit(d).update(ordinal="1"), False),
        ("unknown kind", lambda d: unit(d).update(kind="clause"), False),
        ("extra property", lambda d: d.update(surprise=1), False),
        ("bad sha256", lambda d: d["provenance"].update(sha256="xyz"), False),
        ("boolean ordinal", lambda d: unit(d).update(ordinal=True), False),
        ("date with trailing newline", lambda d: d["metadata"].update(signed_date="2024-06-06\n"), None),
        ("valid as is", lambda d: None, True),
    ]
    for name, change, _ in cases:
        mutated = copy.deepcopy(data)
        change(mutated)
        yield name, mutated


@pytest.mark.parametrize("path", [SEED, *CORPUS], ids=lambda p: p.stem[:12])
def test_fast_schema_check_agrees_with_the_jsonschema_library(path):
    if validate._fast_validator() is None:
        pytest.skip("jsonschema-rs not installed")
    data = read_path(path).to_dict()
    for name, mutated in _mutations(data):
        reference = not validate.schema_errors(mutated)
        try:
            validate.validate_data(mutated, "x.json")
            accepted = True
        except validate.ValidationError:
            accepted = False
        assert accepted == reference, name
        if validate._fast_validator().is_valid(mutated):
            assert reference, f"{name}: the fast validator accepts what the library refuses"


def test_rendered_json_is_what_the_reader_gives(tmp_path, sources, monkeypatch):
    """The workers' results travel by pickle: the published JSON is still the document the reader made."""
    monkeypatch.setattr(toolkit.build, "_build_website", no_website)
    build(sources, tmp_path / "site", jobs=2)
    published = json.loads((tmp_path / "site" / "data" / "zjzbf-2024-21" / "2024-06-06" / "zjzbf-2024-21.json")
                           .read_text(encoding="utf-8"))
    assert published == json.loads(json.dumps(toolkit.reader.read_path(sources / SEED.name).to_dict(),
                                               ensure_ascii=False))
