"""`policykit validate FILE` recognises what it is given and checks it against its own schema; the release ships
those schemas (data/schemas/) and points at them."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import status_corpus as corpus
from toolkit.build import build
from toolkit.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    build(corpus.write(root / "source"), root / "site", website=False, as_of=corpus.AS_OF)
    return root / "site" / "data"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.mark.parametrize("path, kind", [
    ("d/2023-05-01/d.json", "document"),
    ("d/2023-05-01/diff-from-2023-01-10.json", "diff"),
    ("catalog.json", "catalog"),
    ("datapackage.json", "data package"),
    ("d/2023-05-01/d.akn.xml", "Akoma Ntoso XML"),
])
def test_every_output_of_the_tool_validates_as_what_it_is(data, path, kind):
    result = run("validate", data / path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{data / path}: valid {kind}"


def test_a_catalog_with_an_unknown_field_or_status_is_refused(data, tmp_path):
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    catalog["documents"][0]["status"]["code"] = "alive"
    catalog["documents"][1]["colour"] = "red"
    bad = tmp_path / "catalog.json"
    bad.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert "不符合 catalog 的 schema（2 处问题）" in result.output
    assert "$.documents[0].status.code" in result.output and "colour" in result.output


def test_a_data_package_checks_the_files_it_lists(data, tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    (copy / "a" / "2019-03-01" / "clauses.csv").write_bytes(b"changed")
    result = run("validate", copy / "datapackage.json")
    assert result.exit_code == 2
    assert "a/2019-03-01/clauses.csv 有 7 字节" in result.output


def test_json_policykit_did_not_write_is_named_so(tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    result = run("validate", other)
    assert result.exit_code == 2 and "不是 policykit 写出的文件" in result.output


def test_the_release_ships_its_json_schemas_and_points_at_them(data):
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    assert set(catalog["schemas"]) >= {"document", "diff", "catalog", "datapackage"}
    for path in catalog["schemas"].values():
        assert json.loads((data / path).read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    documents = [r for r in package["resources"] if r["path"].endswith("/d.json")]
    assert documents and all(r["jsonSchema"] == "schemas/document.schema.json" for r in documents)
