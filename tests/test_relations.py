"""Relations between documents (toolkit/relations.py): resolved once, published in catalog.json and relations.csv."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

import status_corpus as corpus
from toolkit.build import build


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("relations")
    build(corpus.write(root / "source"), root / "site", website=False, as_of=corpus.AS_OF)
    return root / "site" / "data"


def _rows(data):
    return list(csv.DictReader(io.StringIO((data / "relations.csv").read_bytes().decode("utf-8-sig"), newline="")))


def test_relations_resolved_by_number_then_title(data):
    found = {(r["source_id"], r["type"], r["target_id"], r["resolved_by"], r["eid"]) for r in _rows(data)}
    assert found == {
        ("b", "repeals", "a", "title", "sec_2"),  # 《…关于加强乙项工作的通知》同时废止, in 二、
        ("d", "repeals", "c", "number", "sec_2"),  # 浙政办发[2018]7号同时废止 (other brackets)
        ("d", "revises", "d", "id", ""),
        ("d", "implements", "b", "number", "sec_1"),  # 根据《…》（浙政办发〔2020〕1号）
        ("e", "cites", "d", "number", "sec_1"),  # 按照浙政办发〔2023〕6号: a number alone
    }


def test_catalog_lists_relations_both_ways(data):
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    docs = {d["id"]: d for d in catalog["documents"]}
    b = [(r["type"], r["document_id"]) for r in docs["b"]["relations"]]
    assert b == [("repeals", "a"), ("implemented_by", "d")]
    (cited,) = [r for r in docs["d"]["relations"] if r["type"] == "cited_by"]
    assert (cited["document_id"], cited["eid"], cited["text"]) == ("e", "sec_1", "浙政办发〔2023〕6号")
    implements = next(r for r in docs["d"]["relations"] if r["type"] == "implements")
    assert implements["text"] == "《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号）"
    assert [r["type"] for r in docs["a"]["relations"]] == ["repealed_by"]


def test_unresolved_citations_keep_their_text(tmp_path):
    source = corpus.write(tmp_path / "source")
    path = source / "e.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("一、按照", "一、根据《国务院关于不在本数据中的意见》，按照"),
                    encoding="utf-8")
    build(source, tmp_path / "site", website=False, as_of=corpus.AS_OF)
    rows = [r for r in _rows(tmp_path / "site" / "data") if r["source_id"] == "e"]
    outside = next(r for r in rows if r["title"] == "国务院关于不在本数据中的意见")
    assert (outside["type"], outside["target_id"], outside["resolved_by"]) == ("implements", "", "")
    assert outside["text"] == "《国务院关于不在本数据中的意见》"


def test_a_rebuild_from_the_cache_gives_the_same_relations(tmp_path):
    source = corpus.write(tmp_path / "source")
    cache = tmp_path / "cache"
    first = build(source, tmp_path / "a", website=False, as_of=corpus.AS_OF, cache_dir=cache)
    second = build(source, tmp_path / "b", website=False, as_of=corpus.AS_OF, cache_dir=cache)
    assert (first.parsed, second.reused) == (6, 6)  # the second build read nothing: summaries from the cache
    for name in ("catalog.json", "relations.csv", "versions.csv"):
        assert (tmp_path / "a" / "data" / name).read_bytes() == (tmp_path / "b" / "data" / name).read_bytes()


def test_same_title_with_another_number_is_not_that_document(tmp_path):
    # 28 repeals the 2000 notice of the same title: the title matches 28 itself, the number does not.
    from corpus_files import CORPUS_DIR
    source = tmp_path / "source"
    source.mkdir()
    name = "28_mohrss-laoshebufa-2008-3-working-days-wage-notice.txt"
    (source / name).write_bytes((CORPUS_DIR / name).read_bytes())
    build(source, tmp_path / "site", website=False)
    (repeal,) = [r for r in _rows(tmp_path / "site" / "data") if r["type"] == "repeals"]
    assert (repeal["doc_number"], repeal["target_id"], repeal["resolved_by"]) == ("劳社部发〔2000〕8号", "", "")
    catalog = json.loads((tmp_path / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["documents"][0]["status"]["code"] == "in_force"  # it did not repeal itself


def test_a_repeal_in_the_manifest_and_in_the_text_is_one_relation_with_the_text_s_words(tmp_path):
    # The first document's manifest lists its repeal of 浙政办发〔2022〕19号, and its last sentence says it with the
    # title: one relation, kept as the manifest's, carrying the title and the words as written.
    repo = Path(__file__).resolve().parent.parent
    source = tmp_path / "source"
    source.mkdir()
    for name in ("manifest.toml", "zjzbf-2024-21.txt"):
        shutil.copy(repo / "source" / name, source)
    build(source, tmp_path / "site", website=False, as_of="2024-12-31")
    (row,) = [r for r in _rows(tmp_path / "site" / "data") if r["type"] == "repeals"]
    assert (row["origin"], row["doc_number"]) == ("manifest", "浙政办发〔2022〕19号")
    assert row["title"] == "浙江省人民政府办公厅关于大力培育促进“专精特新”中小企业高质量发展的若干意见"
    assert row["text"].startswith("《浙江省人民政府办公厅关于大力培育") and row["text"].endswith("（浙政办发〔2022〕19号）")
