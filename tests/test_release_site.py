"""One release model read by data and site: over a corpus with a revision, a repeal by number, a repeal by title,
an expiry, a future 施行日期 and citations, catalog.json, versions.csv, the pages, their JSON-LD and the feed say the
same thing (tests/status_corpus.py)."""
from __future__ import annotations

import csv
import io
import json
import re

import lxml.html
import pytest

import status_corpus as corpus
from toolkit.build import build


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("release-site")
    build(corpus.write(root / "source"), root / "site", as_of=corpus.AS_OF)
    return root / "site"


def _page(site, path):
    return lxml.html.fromstring((site / path / "index.html").read_bytes())


def _json_ld(html) -> dict:
    return json.loads(html.xpath('//script[@type="application/ld+json"]')[0].text)


def _catalog(site) -> dict:
    return json.loads((site / "data" / "catalog.json").read_text(encoding="utf-8"))


def test_page_json_ld_catalog_csv_and_feed_agree_on_every_status(site):
    catalog = _catalog(site)
    rows = {(r["doc_id"], r["version"]): r for r in csv.DictReader(
        io.StringIO((site / "data" / "versions.csv").read_bytes().decode("utf-8-sig"), newline=""))}
    feed = lxml.etree.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summaries = {e.findtext("a:id", namespaces=ns): e.findtext("a:summary", namespaces=ns)
                 for e in feed.findall("a:entry", ns)}
    seen = 0
    for d in catalog["documents"]:
        for v in d["versions"]:
            status = v["status"]
            assert (status["code"], status["since"], status["by"]) == corpus.EXPECTED[(d["id"], v["version"])]
            current = v["version"] == d["current_version"]
            html = _page(site, f"{d['id']}/" if current else f"{d['id']}/{v['version']}/")
            badge = html.xpath('//*[@id="metadata"]//*[contains(@class,"pk-status")]')[0]
            assert (badge.text, badge.get("data-status")) == (status["label"], status["code"])
            force = _json_ld(html)["legislationLegalForce"]
            assert force == ("https://schema.org/InForce" if status["code"] == "in_force"
                             else "https://schema.org/NotInForce")
            assert rows[(d["id"], v["version"])]["status_label"] == status["label"]
            summary = next(s for k, s in summaries.items() if k.endswith(f"/{d['id']}/{v['version']}/"))
            assert f"效力状态 {status['label']}" in summary
            seen += 1
    assert seen == len(corpus.EXPECTED)
    home = _page(site, "")
    listed = {a.get("href").strip("./"): tr.xpath("td")[4].text_content()
              for tr in home.xpath('//*[@id="documents"]//tbody/tr') for a in tr.xpath("td[1]/a")}
    assert listed == {d["id"]: d["status"]["label"] for d in catalog["documents"]}


def test_a_superseded_version_never_says_in_force(site):
    html = _page(site, "d/2023-01-10")
    assert html.xpath('//*[@id="metadata"]//*[contains(@class,"pk-status")]')[0].text == "历史版本"
    assert "现行有效" not in html.get_element_by_id("metadata").text_content()


def test_a_cited_document_is_a_link(site):
    html = _page(site, "d")
    (link,) = html.xpath('//*[@id="sec_1"]/following::a[contains(@class,"pk-cite")][1]')
    assert link.text_content() == "《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号）"
    assert link.get("href") == "../b/"
    e = _page(site, "e")
    assert [a.get("href") for a in e.xpath('//a[contains(@class,"pk-cite")]')] == ["../d/"]


def test_pages_list_what_they_cite_and_what_cites_them_with_the_clause(site):
    b = _page(site, "b")
    cited_by = b.xpath('//*[@id="cited-by"]/following-sibling::ul[1]/li')
    assert [li.text_content() for li in cited_by] == [
        "依据本文 《浙江省人民政府办公厅关于丁项工作的通知》（浙政办发〔2023〕6号）（见一）"]
    assert [a.get("href") for a in cited_by[0].xpath("a")] == ["../d/", "../d/#sec_1"]
    cites = b.xpath('//*[@id="cites"]/following-sibling::ul[1]/li')
    assert [li.text_content() for li in cites] == [
        "废止 《浙江省人民政府办公厅关于加强乙项工作的通知》（浙政办发〔2019〕5号）（见二）"]
    a = _page(site, "a")
    assert [li.text_content() for li in a.xpath('//*[@id="cited-by"]/following-sibling::ul[1]/li')] == [
        "废止本文 《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号）（见二）"]


def test_json_ld_names_repealed_and_cited_documents_by_url(site):
    catalog = _catalog(site)
    d = _json_ld(_page(site, "d"))
    assert [x.get("@id", "").rsplit("/", 2)[-2] for x in d["legislationChanges"]] == ["c"]
    assert [x["@id"].rsplit("/", 2)[-2] for x in d["citation"]] == ["b"]
    relations = next(x for x in catalog["documents"] if x["id"] == "d")["relations"]
    assert {(r["type"], r["document_id"]) for r in relations} >= {("repeals", "c"), ("implements", "b")}


def test_catalog_urls_are_the_pages(site):
    for d in _catalog(site)["documents"]:
        assert re.fullmatch(r"\.\./[a-z0-9-]+/", d["url"])
        assert (site / "data" / d["url"] / "index.html").resolve().is_file()
        for v in d["versions"]:
            assert (site / "data" / v["url"] / "index.html").resolve().is_file()


def test_each_revision_is_compared_once_for_data_and_site(tmp_path, monkeypatch):
    import toolkit.release
    import toolkit.site.revisions

    calls = []
    real = toolkit.release.compare

    def counted(*args, **kwargs):
        calls.append(kwargs.get("new_version"))
        return real(*args, **kwargs)

    monkeypatch.setattr(toolkit.release, "compare", counted)
    monkeypatch.setattr(toolkit.site.revisions, "diff", counted)
    build(corpus.write(tmp_path / "source"), tmp_path / "site", as_of=corpus.AS_OF)
    assert calls == ["2023-05-01"]  # d's revision: diff JSON and 修订对照 page share it
    assert (tmp_path / "site" / "d" / "2023-05-01" / "changes" / "index.html").is_file()


def test_publisher_settings_come_from_their_mkdocs_yml(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: 某市政策文件库\nsite_url: https://zc.example.gov.cn/\ntheme:\n  name: readthedocs\n",
                      encoding="utf-8")
    build(corpus.write(tmp_path / "source"), tmp_path / "site", as_of=corpus.AS_OF, site_config=config)
    feed = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>某市政策文件库：文件发布</title>" in feed and "https://zc.example.gov.cn/d/" in feed
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "某市政策文件库" in html and "md-header" in html  # their name; the toolkit's theme, not theirs


def test_an_inherit_line_in_a_copied_mkdocs_yml_is_not_followed(tmp_path):
    # The project's own mkdocs.yml points plain mkdocs at the template (INHERIT); a publisher who copies it
    # elsewhere still builds: only the publisher keys are read.
    config = tmp_path / "mkdocs.yml"
    config.write_text("INHERIT: toolkit/site/mkdocs.yml\nsite_name: 某县政策文件库\n", encoding="utf-8")
    build(corpus.write(tmp_path / "source"), tmp_path / "site", as_of=corpus.AS_OF, site_config=config)
    assert "某县政策文件库" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_the_card_says_since_when_and_by_which_document(site):
    def note(path):
        return _page(site, path).xpath('//*[@class="pk-status-note"]')[0].text_content()

    assert note("a") == "（自2020年2月1日起被《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号）废止）"
    assert _page(site, "a").xpath('//*[@class="pk-status-note"]/a')[0].get("href") == "../b/"
    assert note("b") == "（有效期已届满，自2022年2月1日起失效）"
    assert note("e") == "（自2024年1月1日起施行）"
    assert note("d/2023-01-10") == "（自2023年5月1日起由2023年5月1日版本取代）"
    assert not _page(site, "d").xpath('//*[@class="pk-status-note"]')  # 现行有效 needs no note


def test_a_checked_status_names_who_checked_it_and_links_the_source(tmp_path):
    source = corpus.write(tmp_path / "source")
    manifest = source / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'id = "c"\n', 'id = "c"\n[document.status]\ncode = "expired"\nsince = 2021-01-01\nchecked_by = "王五"\n'
        'checked_on = 2023-05-30\nurl = "https://www.zj.gov.cn/c.html"\n'), encoding="utf-8")
    build(source, tmp_path / "site", as_of=corpus.AS_OF)
    html = _page(tmp_path / "site", "c")
    badge = html.xpath('//*[@id="metadata"]//*[contains(@class,"pk-status ")]')[0]
    assert badge.text == "已失效"
    note = html.xpath('//*[@class="pk-status-note"]')[0]
    assert note.text_content() == "（有效期已届满，自2021年1月1日起失效；经王五于2023年5月30日核对，官方来源）"
    assert note.xpath("a")[0].get("href") == "https://www.zj.gov.cn/c.html"
    assert _json_ld(html)["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_the_calculator_uses_the_period_the_catalog_publishes(site):
    """The 政策计算器's documents carry the period in force of their current version exactly as catalog.json and
    versions.csv publish it: computed once, by the release model."""
    catalog = _catalog(site)
    published = {d["id"]: next(v for v in d["versions"] if v["version"] == d["current_version"])["period"]
                 for d in catalog["documents"]}
    rows = {(r["doc_id"], r["version"]): r for r in csv.DictReader(
        io.StringIO((site / "data" / "versions.csv").read_bytes().decode("utf-8-sig"), newline=""))}
    for d in catalog["documents"]:
        for v in d["versions"]:
            row = rows[(d["id"], v["version"])]
            assert (row["in_force_from"] or None, row["in_force_until"] or None, row["in_force_end"] or None) == \
                (v["period"]["from"], v["period"]["until"], v["period"]["end"])
    page = json.loads((site / "calculator" / "rules.json").read_text(encoding="utf-8"))
    assert {d["id"]: d["period"] for d in page["documents"]} == published
    # The corpus's ends: a revision, a repeal by title, a repeal by number, an expiry.
    versions = {(d["id"], v["version"]): v["period"] for d in catalog["documents"] for v in d["versions"]}
    assert versions[("d", "2023-01-10")] == {"from": "2023-02-01", "until": "2023-05-01", "end": "superseded"}
    assert versions[("a", "2019-03-01")] == {"from": "2019-03-01", "until": "2020-02-01", "end": "repealed"}
    assert versions[("c", "2018-05-01")] == {"from": "2018-05-01", "until": "2023-02-01", "end": "repealed"}
    assert versions[("b", "2020-01-01")] == {"from": "2020-02-01", "until": "2022-02-01", "end": "expired"}
    assert versions[("e", "2023-05-20")] == {"from": "2024-01-01", "until": None, "end": None}
