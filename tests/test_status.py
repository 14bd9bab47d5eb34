"""Legal status (toolkit/status.py) in the release: computed once, the same in catalog.json and versions.csv;
the validity reader (readers/validity.py); the manifest override."""
from __future__ import annotations

import csv
import io
import json

import pytest

from toolkit.build import build
from toolkit.errors import ConfigError
from toolkit.reader import read_bytes

import status_corpus as corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("status")
    source = corpus.write(root / "source")
    build(source, root / "site", website=False, as_of=corpus.AS_OF)
    return root / "site" / "data"


def _versions_csv(data_dir) -> dict[tuple[str, str], dict]:
    rows = csv.DictReader(io.StringIO((data_dir / "versions.csv").read_bytes().decode("utf-8-sig"), newline=""))
    return {(r["doc_id"], r["version"]): r for r in rows}


def test_every_status_as_of_the_build_date(built):
    catalog = json.loads((built / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["as_of"] == corpus.AS_OF
    found = {(d["id"], v["version"]): (v["status"]["code"], v["status"]["since"], v["status"]["by"])
             for d in catalog["documents"] for v in d["versions"]}
    assert found == corpus.EXPECTED


def test_catalog_and_versions_csv_agree(built):
    catalog = json.loads((built / "catalog.json").read_text(encoding="utf-8"))
    rows = _versions_csv(built)
    labels = {"in_force": "现行有效", "not_yet_in_force": "尚未施行", "repealed": "已废止", "expired": "已失效",
              "superseded": "历史版本"}
    for d in catalog["documents"]:
        assert d["status"] == d["versions"][-1]["status"]
        for v in d["versions"]:
            row, status = rows[(d["id"], v["version"])], v["status"]
            assert (row["status"], row["status_label"], row["status_since"], row["status_by"]) == (
                status["code"], status["label"], status["since"], status["by"] or "")
            assert status["label"] == labels[status["code"]]
            assert row["current"] == ("true" if v["version"] == d["current_version"] else "false")


def test_repeal_names_the_repealing_document_and_number(built):
    catalog = json.loads((built / "catalog.json").read_text(encoding="utf-8"))
    c = next(d for d in catalog["documents"] if d["id"] == "c")
    assert c["status"]["by_doc_number"] == "浙政办发〔2023〕2号"  # the first version of d repealed it
    a = next(d for d in catalog["documents"] if d["id"] == "a")
    assert a["status"]["by_doc_number"] == "浙政办发〔2020〕1号" and "同时废止" in a["status"]["basis"]


def test_default_as_of_is_the_newest_version_date(tmp_path):
    source = corpus.write(tmp_path / "source")
    build(source, tmp_path / "site", website=False)
    catalog = json.loads((tmp_path / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["as_of"] == "2023-05-20"
    e = next(d for d in catalog["documents"] if d["id"] == "e")
    assert e["status"]["code"] == "not_yet_in_force"


def test_a_later_date_changes_the_status_and_nothing_else_changes_it(tmp_path):
    source = corpus.write(tmp_path / "source")
    build(source, tmp_path / "a", website=False, as_of="2024-01-01")
    build(source, tmp_path / "b", website=False, as_of="2024-01-01")
    a, b = (tmp_path / x / "data" / "catalog.json" for x in "ab")
    assert a.read_bytes() == b.read_bytes()
    catalog = json.loads(a.read_text(encoding="utf-8"))
    e = next(d for d in catalog["documents"] if d["id"] == "e")
    assert (e["status"]["code"], e["status"]["since"]) == ("in_force", "2024-01-01")


def test_a_revision_not_yet_in_force_leaves_the_old_version_in_force(tmp_path):
    source = corpus.write(tmp_path / "source")
    text = (source / "d-v2.txt").read_text(encoding="utf-8").replace("本通知自印发之日起施行", "本通知自2023年9月1日起施行")
    (source / "d-v2.txt").write_text(text, encoding="utf-8")
    build(source, tmp_path / "site", website=False, as_of=corpus.AS_OF)
    catalog = json.loads((tmp_path / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    d = next(x for x in catalog["documents"] if x["id"] == "d")
    assert [v["status"]["code"] for v in d["versions"]] == ["in_force", "not_yet_in_force"]


def test_manifest_override_records_who_checked_it(tmp_path):
    extra = """
[[document]]
id = "f"
[[document.version]]
file = "f.txt"
version = "2021-01-01"
[document.status]
code = "repealed"
since = 2022-06-30
by_doc_number = "浙政办发〔2022〕30号"
checked_by = "省政府办公厅 王五"
checked_on = 2023-05-30
url = "https://www.zj.gov.cn/art/2022/6/30/art_1229017138_1.html"
"""
    source = corpus.write(tmp_path / "source", extra)
    (source / "f.txt").write_text(corpus.text("浙政办发〔2021〕1号", "浙江省人民政府办公厅关于己项工作的通知",
                                              ["一、做好己项工作。"], "2021年1月1日"), encoding="utf-8")
    build(source, tmp_path / "site", website=False, as_of=corpus.AS_OF)
    data = tmp_path / "site" / "data"
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    f = next(x for x in catalog["documents"] if x["id"] == "f")["status"]
    assert (f["code"], f["label"], f["source"], f["since"]) == ("repealed", "已废止", "manifest", "2022-06-30")
    assert (f["checked_by"], f["checked_on"]) == ("省政府办公厅 王五", "2023-05-30")
    assert f["url"].startswith("https://www.zj.gov.cn/")
    row = _versions_csv(data)[("f", "2021-01-01")]
    assert (row["status_source"], row["status_checked_by"]) == ("manifest", "省政府办公厅 王五")


@pytest.mark.parametrize("status, message", [
    ('code = "repealed"\nchecked_by = "x"\nchecked_on = 2023-01-01\n', "缺少 `url`"),
    ('code = "gone"\nchecked_by = "x"\nchecked_on = 2023-01-01\nurl = "https://a.b/"\n', "不是 "),
    ('code = "superseded"\nchecked_by = "x"\nchecked_on = 2023-01-01\nurl = "https://a.b/"\n', "不是 "),
    ('code = "expired"\nchecked_by = "x"\nurl = "https://a.b/"\n', "`checked_on`"),
    ('code = "expired"\nchecked_by = "x"\nchecked_on = 2023-01-01\nurl = "www.a.b"\n', "官方来源的网址"),
    ('code = "expired"\nchecked_by = "x"\nchecked_on = 2023-01-01\nurl = "https://a.b/"\nwho = 1\n', "[document.status] 中有未知的键 who"),
])
def test_manifest_status_errors_say_what_is_wrong(tmp_path, status, message):
    source = corpus.write(tmp_path / "source", "")
    manifest = source / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "[document.status]\n" + status, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        build(source, tmp_path / "site", website=False)
    assert message in err.value.message and err.value.file == str(manifest)


# --- the validity reader ------------------------------------------------------------------------------------

def _meta(body: list[str], signed: str = "2020年1月1日"):
    doc = read_bytes(corpus.text("浙政办发〔2020〕1号", "浙江省人民政府办公厅关于某项工作的通知", body, signed).encode(),
                     "x.txt")
    return doc.metadata, doc.warnings


@pytest.mark.parametrize("sentence, valid_from, valid_until", [
    ("本通知自2020年2月1日起施行，有效期2年。", "2020-02-01", "2022-01-31"),
    ("本通知自印发之日起施行，有效期五年。", "2020-01-01", "2024-12-31"),
    ("本通知自2020年3月1日起施行，暂定三年。", "2020-03-01", "2023-02-28"),
    ("本通知有效期至2025年12月31日。", "2020-01-01", "2025-12-31"),
    ("本政策有效期为2016年1月1日至2018年12月31日。", "2016-01-01", "2018-12-31"),
    ("特制定本意见，政策期限为2016年至2018年。", "2016-01-01", "2018-12-31"),
    ("本通知自2020年2月1日起施行，有效期6个月。", "2020-02-01", "2020-07-31"),
    # Shapes rules.py read on its own before it used this reader (one reader of validity periods).
    ("本若干措施有效期至2025年12月31日。", "2020-01-01", "2025-12-31"),
    ("自2020年2月1日施行，有效期2年。", "2020-02-01", "2022-01-31"),
])
def test_validity_periods(sentence, valid_from, valid_until):
    meta, _ = _meta(["一、做好工作。", "二、" + sentence])
    assert (meta.valid_from, meta.valid_until) == (valid_from, valid_until)
    assert sentence.rstrip("。") in meta.validity_text


def test_a_certificate_validity_is_not_the_documents():
    meta, _ = _meta(["一、认定的企业资格有效期为3年，期满重新认定。", "二、本通知自印发之日起施行。"])
    assert (meta.valid_from, meta.valid_until, meta.validity_text) == (None, None, None)


def test_a_period_without_a_start_is_left_empty_with_a_warning():
    doc = read_bytes("关于某项工作的通知\n一、做好工作。\n二、本办法暂定三年。\n".encode(), "x.txt")
    assert doc.metadata.valid_until is None and doc.metadata.validity_text == "二、本办法暂定三年。" or \
        doc.metadata.validity_text.endswith("本办法暂定三年。")
    (warning,) = [w for w in doc.warnings if w.code == "validity-no-start"]
    assert warning.line == 3 and "暂定三年" in warning.message


# --- stable URLs: a document first built without a manifest entry, then listed ------------------------------

def test_listing_an_unlisted_document_keeps_its_urls(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "b.txt").write_text(corpus.FILES["b.txt"], encoding="utf-8")
    build(source, tmp_path / "first", website=True)
    first = json.loads((tmp_path / "first" / "data" / "catalog.json").read_text(encoding="utf-8"))
    (doc,) = first["documents"]
    assert (doc["id"], doc["current_version"]) == ("zjzbf-2020-1", "2020-01-01")  # from 发文字号 and 成文日期
    # The publisher lists it later, leaving the id to the text (as docs/manifest.md advises).
    (source / "manifest.toml").write_text('[[document]]\n[[document.version]]\nfile = "b.txt"\n'
                                          'version = "2020-01-01"\n', encoding="utf-8")
    build(source, tmp_path / "second", website=True)
    second = json.loads((tmp_path / "second" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert [(d["id"], d["url"], [v["url"] for v in d["versions"]]) for d in second["documents"]] == \
        [(d["id"], d["url"], [v["url"] for v in d["versions"]]) for d in first["documents"]]
    for path in ("zjzbf-2020-1/index.html", "zjzbf-2020-1/2020-01-01/index.html",
                 "data/zjzbf-2020-1/2020-01-01/zjzbf-2020-1.json"):
        assert (tmp_path / "first" / path).is_file() and (tmp_path / "second" / path).is_file(), path


def test_a_new_id_redirects_from_the_former_one(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "b.txt").write_text(corpus.FILES["b.txt"], encoding="utf-8")
    (source / "manifest.toml").write_text('[[document]]\nid = "jia-industry"\nformer_ids = ["zjzbf-2020-1"]\n'
                                          '[[document.version]]\nfile = "b.txt"\nversion = "2020-01-01"\n',
                                          encoding="utf-8")
    build(source, tmp_path / "site", website=True)
    import lxml.html
    for old, new in [("zjzbf-2020-1/", "../jia-industry/"), ("zjzbf-2020-1/2020-01-01/", "../../jia-industry/2020-01-01/")]:
        html = lxml.html.fromstring((tmp_path / "site" / old / "index.html").read_bytes())
        refresh = html.xpath('//meta[@http-equiv="refresh"]')[0].get("content")
        assert refresh == f"0; url={new}"
        assert (tmp_path / "site" / old / new / "index.html").resolve().is_file()
        assert "location.hash" in html.xpath("//script")[0].text  # a clause anchor follows the redirect
    catalog = json.loads((tmp_path / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    assert catalog["documents"][0]["former_ids"] == ["zjzbf-2020-1"]


def test_a_former_id_cannot_be_a_published_id(tmp_path):
    source = corpus.write(tmp_path / "source")
    manifest = source / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('id = "e"\n', 'id = "e"\nformer_ids = ["a"]\n'),
                        encoding="utf-8")
    with pytest.raises(ConfigError, match="旧 id 'a'"):
        build(source, tmp_path / "site", website=False)


def test_check_reports_a_period_without_a_start(tmp_path):
    from toolkit.check import check_path

    path = tmp_path / "x.txt"
    path.write_text("关于某项工作的通知\n一、做好工作。\n二、本办法暂定三年。\n", encoding="utf-8")
    report = check_path(path)
    (finding,) = [f for f in report.findings if f.code == "validity-no-start"]
    assert (finding.severity, finding.line) == ("warning", 3)


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024-1-1"])
def test_as_of_must_be_a_real_date(tmp_path, value):
    from click.testing import CliRunner

    from toolkit.cli import main

    source = corpus.write(tmp_path / "source")
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--output", str(tmp_path / "site"),
                                       "--as-of", value, "--data-only", "--no-cache"])
    assert result.exit_code == 2 and "is not a date written YYYY-MM-DD (or `today`)" in result.output
    assert not (tmp_path / "site").exists()


def test_as_of_today_is_recorded(tmp_path):
    import datetime

    from click.testing import CliRunner

    from toolkit.cli import main

    source = corpus.write(tmp_path / "source")
    result = CliRunner().invoke(main, ["build", "-q", "--source", str(source), "--output", str(tmp_path / "site"),
                                       "--as-of", "today", "--data-only", "--no-cache"])
    assert result.exit_code == 0, result.output
    catalog = json.loads((tmp_path / "site" / "data" / "catalog.json").read_text(encoding="utf-8"))
    today = {datetime.date.today().isoformat(), datetime.datetime.now(datetime.timezone.utc).date().isoformat()}
    assert catalog["as_of"] in today
    assert next(d for d in catalog["documents"] if d["id"] == "e")["status"]["code"] == "in_force"
