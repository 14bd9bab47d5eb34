"""source/manifest.toml: documents, versions, relations, and the errors a mistyped manifest gets."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.sources import (UNDATED_VERSION, Relation, load_sources, safe_id, unlisted_version_key)

REPO = Path(__file__).resolve().parent.parent


def make(tmp_path: Path, manifest: str, *files: str) -> Path:
    for name in files:
        (tmp_path / name).write_text("text\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    return tmp_path


def test_the_repository_manifest_describes_the_seed():
    sources = load_sources(REPO / "source")
    (doc,) = sources.documents
    assert doc.id == "zjzbf-2024-21"
    assert [(v.file.name, v.version, v.amends) for v in doc.versions] == [("zjzbf-2024-21.txt", "2024-06-06", None)]
    assert doc.relations == [Relation("repeals", "浙政办发〔2022〕19号")]
    assert sources.unlisted == []


def test_versions_amend_the_previous_one_by_default(tmp_path):
    src = make(tmp_path, """
[[document]]
id = "a-1"
[[document.version]]
file = "v1.txt"
version = "2020-01-01"
[[document.version]]
file = "v2.txt"
version = "2021-05-01"
[[document.version]]
file = "v3.txt"
version = "2022-05-01"
amends = "2020-01-01"
""", "v1.txt", "v2.txt", "v3.txt", "other.txt")
    sources = load_sources(src)
    doc = sources.documents[0]
    assert [(v.version, v.amends) for v in doc.versions] == [
        ("2020-01-01", None), ("2021-05-01", "2020-01-01"), ("2022-05-01", "2020-01-01")]
    # A file the manifest does not list still builds, as its own document.
    assert [p.name for p in sources.unlisted] == ["other.txt"]
    assert sources.documents[1].listed is False and sources.documents[1].id is None


def test_an_unquoted_toml_date_is_accepted(tmp_path):
    src = make(tmp_path, '[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = 2020-01-01\n', "a.txt")
    assert load_sources(src).documents[0].versions[0].version == "2020-01-01"


def test_no_manifest_means_every_file_is_its_own_document(tmp_path):
    for name in ("b.txt", "a.txt", ".hidden.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    sources = load_sources(tmp_path)
    assert sources.manifest is None
    assert [d.versions[0].file.name for d in sources.documents] == ["a.txt", "b.txt"]


@pytest.mark.parametrize("body, message, line", [
    ('[[document]]\nid = "../etc"\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\n',
     "小写字母", 2),
    ('[[document]]\nid = "Big_ID"\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\n',
     "小写字母", 2),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2020-13-01"\n', "YYYY-MM-DD", 4),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "../x"\n', "YYYY-MM-DD", 4),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = 2020-01-01T10:00:00\n', "YYYY-MM-DD", 4),
    ('[[document]]\n[[document.version]]\nfile = "missing.txt"\nversion = "2020-01-01"\n', "找不到文件", 3),
    ('[[document]]\n[[document.version]]\nfile = "../a.txt"\nversion = "2020-01-01"\n', "必须在源文件夹内", 3),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2021-01-01"\n'
     '[[document.version]]\nfile = "b.txt"\nversion = "2020-01-01"\n', "从早到晚", 7),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\n'
     '[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2021-01-01"\n', "已经列出过", 3),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\namends = "2019-01-01"\n',
     "不是本文件更早的版本", 5),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\n'
     '[[document.relation]]\ntype = "cites"\ndoc_number = "x"\n', "不是 repeals、replaces 之一", 6),
    ('[[document]]\n[[document.version]]\nfile = "a.txt"\nversion = "2020-01-01"\nstatus = "x"\n',
     "[[document.version]] 中有未知的键 status", 5),
    ('[[document]]\nversion = [\n', "不是有效的 TOML", 2),
    ('[[document]]\nid = "a"\nid = "b"\n', "不是有效的 TOML", 3),
    ('[[document]]\nid = "x"\n', "至少需要一个", None),
])
def test_manifest_errors_name_the_manifest_and_line(tmp_path, body, message, line):
    src = make(tmp_path, body, "a.txt", "b.txt")
    with pytest.raises(ConfigError) as info:
        load_sources(src)
    err = info.value
    assert message in err.message
    assert err.file == str(src / "manifest.toml")
    if line is not None:
        assert err.line == line, str(err)


def test_ids_are_sanitised_for_paths():
    assert safe_id("../../etc/passwd") == "etc-passwd"
    assert safe_id("ZJ_2024 21") == "zj-2024-21"
    assert safe_id("中文") == ""


def test_unlisted_version_key_is_the_signed_date_or_current():
    assert unlisted_version_key("2024-06-06") == "2024-06-06"
    assert unlisted_version_key(None) == UNDATED_VERSION == "current"
    assert unlisted_version_key("2024-6-6") == "current"
