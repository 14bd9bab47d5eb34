"""The website generator (toolkit/site): pages, anchors, search index, JSON-LD, feed, escaping, links.

Builds real sites with mkdocs (no browser): the seed, the six corpus documents, and hand-built documents for
what the reader never produces (hostile ASCII text, a repealed document). tests/browser/ drives Chromium.
"""
from __future__ import annotations

import copy
import gzip
import hashlib
import json
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from toolkit.errors import PolicykitError
from toolkit.reader import read_path
from toolkit.chinese import search_tokens
from toolkit.site import SiteDocument, SiteVersion, build_site
from toolkit.site.search_index import index_term
from corpus_files import EVERY

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "zjzbf-2024-21.txt"
CORPUS = EVERY

HOSTILE = ('<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> {{ config.site_name }} '
           '{% include "x" %} *强调* # 标题 [a](b) `code` |表| &amp; __init__ \\ ~~删~~ ==高亮== :smile: $x$')


def release_for(docs) -> dict:
    """A small release descriptor like the build's: one JSON file per document."""
    resources = []
    for d in docs:
        data = json.dumps(d.to_dict(), ensure_ascii=False).encode()
        resources.append({"name": d.id, "path": f"{d.id}/{d.id}.json", "format": "json", "bytes": len(data),
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "document": d.id})
    return {"resources": resources}


def page(site: Path, url: str):
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


@pytest.fixture(scope="module")
def seed_doc():
    return read_path(SEED)


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory, seed_doc):
    out = tmp_path_factory.mktemp("seed") / "site"
    # As of a day after 施行日期 2024-07-06 (the default, its 成文日期, would make it 尚未施行).
    summary = build_site([seed_doc], release_for([seed_doc]), out, quiet=True, as_of="2024-12-31")
    return out, summary


def test_every_unit_is_a_heading_whose_id_is_its_eid(seed_site, seed_doc):
    site, _ = seed_site
    html = page(site, "zjzbf-2024-21")
    for unit in seed_doc.units():
        (el,) = html.xpath(f'//*[@id="{unit.eid}"]')
        assert el.tag in {"h2", "h3", "h4", "h5", "h6"}, unit.eid
        assert el.text_content().startswith(unit.num)
    heading = html.get_element_by_id("sec_2__para_1")
    assert heading.text_content().rstrip("¶") == "（一）鼓励开展研发攻关"
    # No id is made up by a slugifier (#_2, #_1-1): every id in the text is an eid or one of ours.
    ids = [e.get("id") for e in html.xpath('//*[@class="pk-text"]//*[@id]')]
    eids = {u.eid for u in seed_doc.units()}
    assert all(i in eids or i.split("__thr_")[0] in eids or i in {"postamble", "conclusions"} for i in ids), ids


def test_metadata_card_in_chinese(seed_site):
    site, _ = seed_site
    card = page(site, "zjzbf-2024-21").get_element_by_id("metadata")
    rows = dict(zip([dt.text_content() for dt in card.iter("dt")], [dd.text_content() for dd in card.iter("dd")]))
    assert rows["发文字号"] == "浙政办发〔2024〕21号"
    assert rows["发文机关"] == "浙江省人民政府办公厅"
    assert rows["成文日期"] == "2024年6月6日"
    assert rows["印发日期"] == "2024年6月7日"
    assert rows["施行日期"] == "2024年7月6日"
    assert rows["状态"] == "现行有效"
    assert "浙政办发〔2022〕19号" in rows["废止文件"]
    assert rows["开放数据"] == "JSON（文档模型）"


def test_department_chips_mark_the_lead_and_link_to_department_pages(seed_site, seed_doc):
    site, _ = seed_site
    html = page(site, "zjzbf-2024-21")
    heading = html.get_element_by_id("sec_2__para_1")
    chips = heading.getnext().xpath('.//a[contains(@class,"pk-chip")]')
    assert [c.text for c in chips] == ["省科技厅", "省经信厅", "省财政厅", "省税务局"]
    assert "pk-chip--lead" in chips[0].get("class") and chips[0].text_content() == "省科技厅牵头"
    assert all("pk-chip--lead" not in c.get("class") for c in chips[1:])
    assert chips[0].get("href") == "../departments/zj-kjt/"
    kjt = page(site, "departments/zj-kjt")
    lead_links = [a.get("href") for a in kjt.get_element_by_id("lead").getparent().xpath(".//ul/li/a")]
    assert "../../zjzbf-2024-21/#sec_2__para_1" in lead_links
    assert kjt.get_element_by_id("title").text_content() == "浙江省科学技术厅"


def test_thresholds_highlighted_in_text_and_tabled(seed_site, seed_doc):
    site, _ = seed_site
    marks = page(site, "zjzbf-2024-21").xpath('//mark[@class="pk-threshold"]')
    expected = [t for u in seed_doc.units() for t in u.thresholds]
    assert [m.text_content() for m in marks] == [t.source_text for t in expected]
    assert marks[0].get("id") == "sec_2__para_1__thr_1"
    rows = page(site, "thresholds").xpath("//table//tbody/tr")
    assert len(rows) == len(expected)
    first = [td.text_content() for td in rows[0]]
    assert first[:8] == ["条件", "研发费用占营业收入比重", "不低于（≥）", "3", "%", "3%以上", "且（全部满足），第1组", "—"]
    money = next(r for r in rows if r[5].text_content() == "超过1000万元")
    assert [td.text_content() for td in money][:7] == [
        "条件", "基础研究研发费用投入", "高于（>）", "10,000,000", "元（人民币）", "超过1000万元", "或（满足其一），第2组"]
    assert money[8].find("a").get("href") == "../zjzbf-2024-21/#sec_2__para_1"
    kinds = [r[0].text_content() for r in rows]
    assert kinds == ["条件", "条件", "条件", "待遇", "目标"]  # the 80% subsidy and the 100亿元 fund are no conditions
    # The meaning is visible text, not a tooltip: under the clause and in the rules section of the table page.
    rules = page(site, "zjzbf-2024-21").xpath('//ul[@class="pk-rules"]/li')
    assert rules[0].text_content() == ("条件：（研发费用占营业收入比重 不低于（≥） 3% 且 研发费用年增长 不低于（≥） 20%） "
                                       "或 基础研究研发费用投入 高于（>） 10,000,000 元")
    assert not page(site, "zjzbf-2024-21").xpath('//mark[@title]')
    section = page(site, "thresholds").xpath('//ul[@class="pk-rules"]/li')
    assert [li.text_content() for li in section][:1] == [rules[0].text_content()]


def search_records(site: Path) -> dict[str, dict]:
    """The records of the built Pagefind index (each fragment is gzip: 'pagefind_dcd' then JSON), by URL."""
    out = {}
    for f in sorted((site / "pagefind" / "fragment").iterdir()):
        raw = gzip.decompress(f.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        data = json.loads(raw[len(b"pagefind_dcd"):])
        out[data["url"]] = data
    return out


def test_search_index_has_one_record_per_clause(seed_site, seed_doc):
    site, summary = seed_site
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["und"]  # our terms, not segmented again by Pagefind
    records = search_records(site)
    assert summary.search_entries == len(records) == entry["languages"]["und"]["page_count"]
    for unit in seed_doc.units():
        assert f"zjzbf-2024-21/#{unit.eid}" in records
    clause = records["zjzbf-2024-21/#sec_2__para_1"]
    assert clause["meta"]["title"] == "二（一）鼓励开展研发攻关"
    assert clause["meta"]["doc"] == "《浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见》（浙政办发〔2024〕21号）"
    assert clause["meta"]["text"] == seed_doc.unit("sec_2__para_1").text
    terms = clause["content"].split()
    assert index_term("研发") in terms and index_term("费用") in terms and "1000" in terms
    document = records["zjzbf-2024-21/"]
    assert document["meta"]["kind"] == "document"
    assert "2024年21号" in document["meta"]["x"].split()
    assert "浙政办发[2024]21号" in document["meta"]["x"].split()
    assert records["departments/zj-kjt/"]["meta"]["title"] == "浙江省科学技术厅"
    assert not any(p.name.startswith("pagefind-ui") for p in (site / "pagefind").iterdir())


def test_index_terms_are_words_pagefind_keeps_whole():
    assert index_term("2024") == "2024"
    assert index_term("省科") == "zh0ni90o29"  # 省 = U+7701 = 30465 = base 36 0ni9, 科 = 0o29
    assert all(re.fullmatch("[0-9a-z]+", index_term(t)) for t in search_tokens("𠀀〇省贸促会 ABC１２３"))
    assert len({index_term(t) for t in search_tokens("省科技厅省科学技术厅")}) == 8



def test_json_ld_legislation(seed_site):
    site, _ = seed_site
    (script,) = page(site, "zjzbf-2024-21").xpath('//script[@type="application/ld+json"]')
    data = json.loads(script.text)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "浙政办发〔2024〕21号"
    assert data["legislationDate"] == "2024-06-06"
    assert data["legislationLegalForce"] == "https://schema.org/InForce"
    assert data["legislationJurisdiction"] == "CN-ZJ"
    assert data["legislationType"] == "意见"
    assert data["legislationPassedBy"] == [{"@type": "GovernmentOrganization", "name": "浙江省人民政府办公厅"}]
    assert "浙江省科学技术厅" in [o["name"] for o in data["legislationResponsible"]]
    assert data["encoding"] == [{"@type": "LegislationObject", "encodingFormat": "application/json",
                                 "contentUrl": "https://policykit.example.org/data/zjzbf-2024-21/zjzbf-2024-21.json"}]


def test_feed_sitemap_and_reproducible_bytes(seed_site, seed_doc, tmp_path):
    site, _ = seed_site
    feed = ET.parse(site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.findall("a:entry", ns)
    assert entry.find("a:updated", ns).text == "2024-06-06T00:00:00Z"
    assert entry.find("a:link", ns).get("href") == "https://policykit.example.org/zjzbf-2024-21/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://policykit.example.org/zjzbf-2024-21/</loc>" in sitemap
    assert "<lastmod>2024-06-06</lastmod>" in sitemap
    again = tmp_path / "again"
    build_site([seed_doc], release_for([seed_doc]), again, quiet=True, as_of="2024-12-31")
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel


def _check_links(site: Path) -> int:
    """Every internal link of every page points at a file that exists, and at an id that exists there."""
    checked = 0
    for html_file in site.rglob("*.html"):
        if html_file.name == "404.html":
            continue  # served for any missing path, so mkdocs writes its links from the site root
        tree = lxml.html.fromstring(html_file.read_bytes())
        for a in tree.xpath("//a[@href]"):
            href = a.get("href")
            if href.startswith(("http:", "https:", "mailto:", "javascript:")) or href.startswith("data/"):
                continue
            parts = urllib.parse.urlsplit(href)
            target = (html_file.parent / urllib.parse.unquote(parts.path)).resolve() if parts.path else html_file
            if target.is_dir():
                target = target / "index.html"
            if "/data/" in str(target):
                continue  # the data release is written by the build, after the site
            assert target.is_file(), f"{html_file.relative_to(site)}: broken link {href}"
            if parts.fragment and target.suffix == ".html":
                ids = lxml.html.fromstring(target.read_bytes()).xpath("//@id")
                assert urllib.parse.unquote(parts.fragment) in ids, f"{html_file.relative_to(site)}: {href}"
            checked += 1
    return checked


def test_every_internal_link_resolves(seed_site):
    site, _ = seed_site
    assert _check_links(site) > 100


def test_corpus_documents_build_with_working_links(tmp_path):
    docs = [read_path(p) for p in CORPUS] + [read_path(SEED)]
    out = tmp_path / "site"
    summary = build_site(docs, release_for(docs), out, quiet=True)
    assert summary.pages > len(docs)
    for d in docs:
        html = page(out, d.id)
        for unit in d.units():
            assert len(html.xpath(f'//*[@id="{unit.eid}"]')) == 1, (d.id, unit.eid)
    law = next(d for d in docs if any(u.kind == "article" for u in d.units()))
    assert page(out, law.id).xpath('//*[@id="chp_1__art_1"] | //*[@id="art_1"]')
    _check_links(out)


def hostile_doc(seed_doc):
    doc = copy.deepcopy(seed_doc)
    doc.metadata.title = "标题<b>加粗</b>{{ x }}"
    unit = doc.unit("sec_1__para_1")
    unit.heading = "标题里的<i>斜体</i>"
    unit.text = HOSTILE
    return doc


def test_source_text_is_data_never_markup(tmp_path, seed_doc):
    doc = hostile_doc(seed_doc)
    out = tmp_path / "site"
    build_site([doc], release_for([doc]), out, quiet=True)
    raw = (out / "zjzbf-2024-21" / "index.html").read_text(encoding="utf-8")
    assert "<script>window" not in raw and "<img src=x" not in raw and "<b>加粗" not in raw
    html = lxml.html.fromstring(raw)
    heading = html.get_element_by_id("sec_1__para_1")
    paragraph = heading.getnext().getnext()
    assert paragraph.text_content() == HOSTILE
    assert list(paragraph) == []  # plain text: no element was made from the source
    assert heading.text_content().rstrip("¶") == "（一）标题里的<i>斜体</i>"
    assert html.get_element_by_id("title").text_content() == "标题<b>加粗</b>{{ x }}"
    assert html.find(".//title").text.startswith("标题<b>加粗</b>{{ x }}")
    nav_titles = [a.text_content().strip() for a in html.xpath('//nav//a')]
    assert "浙政办发〔2024〕21号" in nav_titles
    # The search index holds the text as written: the search page only ever puts it into text nodes.
    entry = next(e for url, e in search_records(out).items() if url.endswith("#sec_1__para_1"))
    assert entry["meta"]["text"] == HOSTILE


def test_repealed_document_is_marked_and_linked(tmp_path, seed_doc):
    old = copy.deepcopy(seed_doc)
    old.id = "zjzbf-2022-19"
    old.metadata.doc_number = "浙政办发[2022]19号"  # other bracket style: still the same document
    old.metadata.signed_date = "2022-03-01"
    old.metadata.repeals = []
    docs = [old, seed_doc]
    out = tmp_path / "site"
    build_site(docs, release_for(docs), out, quiet=True, as_of="2024-07-06")  # the day the seed repeals it
    html = page(out, "zjzbf-2022-19")
    assert html.xpath('//*[@class="pk-status pk-status--repealed"]')[0].text == "已废止"
    data = json.loads(html.xpath('//script[@type="application/ld+json"]')[0].text)
    assert data["legislationLegalForce"] == "https://schema.org/NotInForce"
    repeals = page(out, "zjzbf-2024-21").xpath('//dt[text()="废止文件"]/following-sibling::dd[1]/a')
    assert repeals[0].get("href") == "../zjzbf-2022-19/"
    home = page(out, "")
    assert [r.xpath("td")[4].text_content() for r in home.xpath('//*[@id="documents"]//tbody/tr')] == [
        "现行有效", "已废止"]


def test_older_versions_get_their_own_page_outside_search(tmp_path, seed_doc):
    old = copy.deepcopy(seed_doc)
    old.unit("sec_2__para_1").text = "旧版本的文字。"
    doc = SiteDocument(id="zjzbf-2024-21", versions=[SiteVersion("2024-01-01", "2024-01-01", old),
                                                   SiteVersion("2024-06-06", "2024-06-06", seed_doc)])
    def res(path, fmt):
        return {"path": path, "format": fmt, "bytes": 1, "sha256": "c" * 64, "document": "zjzbf-2024-21"}
    release = [res("zjzbf-2024-21/2024-01-01/zjzbf-2024-21.json", "json"),
               res("zjzbf-2024-21/2024-06-06/zjzbf-2024-21.json", "json"),
               res("zjzbf-2024-21/2024-06-06/zjzbf-2024-21.akn.xml", "xml"),
               res("zjzbf-2024-21/2024-06-06/diff-from-2024-01-01.json", "json")]
    out = tmp_path / "site"
    build_site([doc], release, out, quiet=True)
    assert page(out, "zjzbf-2024-21/2024-01-01").get_element_by_id("sec_2__para_1") is not None
    current = page(out, "zjzbf-2024-21")
    data = json.loads(current.xpath('//script[@type="application/ld+json"]')[0].text)
    assert [e["contentUrl"].split("/data/")[1] for e in data["encoding"]] == [
        "zjzbf-2024-21/2024-06-06/zjzbf-2024-21.json", "zjzbf-2024-21/2024-06-06/zjzbf-2024-21.akn.xml"]
    assert [a.text for a in current.xpath('//*[@id="metadata"]//a[@type]')] == [
        "JSON（文档模型）", "Akoma Ntoso XML", "diff-from-2024-01-01.json"]
    versions = current.xpath('//dt[text()="版本"]/following-sibling::dd[1]')[0]  # the switcher: revisions.py
    assert [li.text_content() for li in versions.iter("li")] == ["2024年6月6日（现行） 修订对照", "2024年1月1日"]
    assert versions.xpath(".//li[2]/a")[0].get("href") == "2024-01-01/"
    assert not any("2024-01-01" in url for url in search_records(out))
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2 and "https://policykit.example.org/zjzbf-2024-21/2024-01-01/" in feed
    _check_links(out)


def test_downloads_page_lists_size_checksum_and_fields(tmp_path, seed_doc):
    files = [
        {"name": "a.clauses", "path": "zjzbf-2024-21/2024-06-06/clauses.csv", "format": "csv", "bytes": 12345,
         "hash": "sha256:" + "a" * 64, "title": "条款表",
         "schema": {"fields": [{"name": "eid", "type": "string", "title": "条款编号", "description": "锚点"}]}},
        {"name": "zip", "path": "policykit-data.zip", "format": "zip", "bytes": 10, "hash": "sha256:" + "b" * 64},
    ]
    out = tmp_path / "site"
    build_site([seed_doc], files, out, quiet=True)
    html = page(out, "downloads")
    rows = html.xpath('//div[@id="files"]//tbody/tr')
    # The corpus files only: a document's own files are on its page (the page must not grow with the corpus).
    assert [r.xpath(".//a")[0].get("href") for r in rows] == ["../data/policykit-data.zip"]
    assert "10 字节" in rows[0].xpath("td")[2].text_content()
    assert rows[0].xpath(".//code")[0].text == "b" * 64
    card = page(out, "zjzbf-2024-21")
    assert "../data/zjzbf-2024-21/2024-06-06/clauses.csv" in [a.get("href") for a in card.xpath("//dd//a")]
    # Each kind of table is described once, from any version's file.
    fields = html.get_element_by_id("fields-clauses-csv").getnext()
    assert [td.text_content() for td in fields.xpath(".//tbody/tr/td")] == ["eid", "string", "条款编号", "锚点"]


def test_bad_release_and_ids_are_clear_errors(tmp_path, seed_doc):
    with pytest.raises(PolicykitError, match="sha256"):
        build_site([seed_doc], [{"path": "x.json", "bytes": 1}], tmp_path / "a", quiet=True)
    with pytest.raises(PolicykitError, match="path"):
        build_site([seed_doc], [{"path": "../x.json", "bytes": 1, "sha256": "a" * 64}], tmp_path / "b", quiet=True)
    bad = copy.deepcopy(seed_doc)
    bad.id = "../evil"
    with pytest.raises(PolicykitError, match="document id"):
        build_site([bad], None, tmp_path / "c", quiet=True)
    weird = copy.deepcopy(seed_doc)
    weird.body[0].eid = 'x" onmouseover="alert(1)'
    with pytest.raises(PolicykitError, match="anchor"):
        build_site([weird], None, tmp_path / "d", quiet=True)


def test_refuses_to_build_without_pagefind(monkeypatch, tmp_path, seed_doc):
    monkeypatch.setitem(sys.modules, "pagefind.service", None)  # importing it now raises ImportError
    with pytest.raises(PolicykitError, match="Pagefind"):
        build_site([seed_doc], None, tmp_path / "site", quiet=True)
    assert not (tmp_path / "site").exists()


def test_policykit_serve_builds_then_serves(tmp_path):
    import shutil
    import subprocess
    import urllib.request

    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, src)
    site = tmp_path / "site"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "policykit"), "serve", "--source", str(src), "--site", str(site),
                             "--port", "0"], stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if "的预览地址：" in line:
                break
        url = lines[-1].split("的预览地址：")[1].split("（")[0]
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "zjzbf-2024-21/") as response:
            assert response.status == 200
            assert 'id="sec_2__para_1"' in response.read().decode("utf-8")
        assert (site / "data" / "catalog.json").is_file()  # it ran the real build, data included
    finally:
        proc.terminate()
        proc.wait()


def test_large_corpus_gets_one_documents_page_instead_of_a_menu_entry_each(tmp_path, monkeypatch):
    import toolkit.site.build as site_build
    monkeypatch.setattr(site_build, "NAV_DOCUMENT_LIMIT", 3)
    docs = [read_path(p) for p in CORPUS] + [read_path(SEED)]
    out = tmp_path / "site"
    build_site(docs, release_for(docs), out, quiet=True)
    listing = page(out, "documents")
    linked = {a.get("href") for a in listing.xpath('//*[@id="pk-docs"]//a')}
    assert linked == {f"../{d.id}/" for d in docs}
    # the menu of an ordinary page no longer links every document
    home_links = {a.get("href") for a in page(out, "").xpath("//nav//a")}
    assert "documents/" in home_links
    assert not any(f"{d.id}/" in home_links for d in docs)
    _check_links(out)


# --- the policy library: list pages, Chinese everywhere, site_url (issue 14) -----------------------------------

def test_document_list_is_paginated_with_one_facet_index(tmp_path, seed_doc, monkeypatch):
    from toolkit.site import catalog, library

    docs = []
    for n in range(7):
        d = copy.deepcopy(seed_doc)
        d.id = f"zjzbf-2024-{n + 1}"
        d.metadata.doc_number = f"浙政办发〔2024〕{n + 1}号"
        d.metadata.doc_type = "通知" if n % 2 else "意见"
        d.metadata.repeals = []
        docs.append(d)
    site_docs = catalog.catalog(docs)
    monkeypatch.setattr(library, "PAGE_SIZE", 3)
    pages = library.pages(site_docs)
    assert list(pages) == ["documents/index.md", "documents/page/2/index.md", "documents/page/3/index.md"]
    second = lxml.html.fromstring(pages["documents/page/2/index.md"].split("---", 2)[2])
    assert len(second.xpath('//*[@id="pk-docs"]/li')) == 3
    assert [a.get("href") for a in second.xpath('//nav[@class="pk-pager"]/a')] == ["../../", "../3/"]
    assert second.xpath('//form[@id="pk-facets"]')[0].get("data-index") == "../../index.json"
    index = json.loads(library.index_json(site_docs))
    assert set(index["facets"]) == {"issuer", "year", "type", "status", "topic"}
    assert sorted(index["facets"]["type"]) == ["意见", "通知"]
    assert index["facets"]["topic"] == ["未注明"]  # no 主题分类 in these texts: said, not guessed
    row = index["documents"][0]
    assert row[0] == site_docs[0].id and index["facets"]["type"][row[6]["type"][0]] == site_docs[0].doc.metadata.doc_type


def test_site_url_placeholder_warns_in_chinese(tmp_path):
    from toolkit.site.build import site_url_warnings

    config = Path("mkdocs.yml")
    (line,) = site_url_warnings("https://policykit.example.org/", config)
    assert line.startswith("警告：") and "site_url" in line and "mkdocs.yml" in line
    assert site_url_warnings("http://localhost:8000/", config)
    assert site_url_warnings("", config)
    assert site_url_warnings("https://www.zj.gov.cn/zcwj/", config) == []


def test_placeholder_build_warns(tmp_path, seed_doc):
    lines = []
    build_site([seed_doc], release_for([seed_doc]), tmp_path / "site", quiet=True, warn=lines.append)
    assert len(lines) == 1 and "policykit.example.org" in lines[0]


def test_download_labels_say_what_each_file_is():
    from toolkit.site.labels import file_format

    assert file_format("catalog.json", "json") == "JSON（文件目录）"
    assert file_format("SHA256SUMS", "txt") == "SHA-256 校验值（文本）"
    assert file_format("datapackage.json", "json").startswith("JSON（数据包")
    assert file_format("schemas/clauses.schema.json", "json") == "JSON Schema（表格字段定义）"
    assert file_format("d/2024-06-06/d.json", "json") == "JSON（文档模型）"
    assert file_format("d/2024-06-06/d.akn.xml", "xml") == "Akoma Ntoso XML"


def test_document_page_keeps_the_source_punctuation_and_says_how_to_cite(seed_site):
    site, _ = seed_site
    html = page(site, "zjzbf-2024-21")
    assert html.xpath('//p[@class="pk-addressees"]')[0].text_content() == "各市、县（市、区）人民政府，省政府直属各单位："
    assert "（此件公开发布）" in [p.text_content() for p in html.xpath('//p[@class="pk-signature"]')]
    cite = html.get_element_by_id("cite").getnext().getnext().text_content()
    assert cite == ("浙江省人民政府办公厅．《浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见》"
                    "（浙政办发〔2024〕21号），2024-06-06．https://policykit.example.org/zjzbf-2024-21/")
    assert "https://policykit.example.org/zjzbf-2024-21/#sec_1" in html.xpath('//code[@class="pk-url"]')[0].text
    # 目录: the phone menu in the page, and the theme's sidebar built by toc_hook from the clause headings
    assert html.xpath('//details[@id="toc"]//a[@href="#sec_2__para_1"]')[0].text == "（一）鼓励开展研发攻关"
    sidebar = html.xpath('//nav[contains(@class, "md-nav--secondary")]//a[@href="#sec_2__para_1"]')
    assert sidebar and "（一）鼓励开展研发攻关" in sidebar[0].text_content()
    # threshold meanings in words under the clause, not in a tooltip (no hover on a phone)
    rules = html.xpath('//h3[@id="sec_2__para_1"]/following-sibling::ul[@class="pk-rules"][1]')
    assert rules and "3%" in rules[0].text_content()
    footer = html.xpath('//div[@class="md-copyright"]')[0].text_content()
    assert "CC0" in footer and "Made with" not in footer
    assert "本节链接" in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in (site / "404.html").read_text(encoding="utf-8")


def test_index_number_and_official_source_are_shown_when_known(tmp_path, seed_doc):
    doc = copy.deepcopy(seed_doc)
    doc.metadata.index_number = "002482410/2024-00012"  # a field the reader of web pages fills
    doc.metadata.source_url = "https://www.zj.gov.cn/art/2024/6/7/art_1229019364_2521234.html"
    out = tmp_path / "site"
    build_site([doc], release_for([doc]), out, quiet=True, warn=lambda line: None)
    card = page(out, "zjzbf-2024-21").get_element_by_id("metadata")
    rows = dict(zip([dt.text_content() for dt in card.iter("dt")], list(card.iter("dd"))))
    assert rows["索引号"].text_content() == "002482410/2024-00012"
    assert rows["官方来源"].find("a").get("href") == doc.metadata.source_url


def test_a_failing_search_indexer_is_a_clear_error(tmp_path, seed_doc, monkeypatch):
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: Path("/bin/false"))
    with pytest.raises(PolicykitError, match="search index could not be written: pagefind stopped"):
        build_site([seed_doc], release_for([seed_doc]), tmp_path / "site", quiet=True, warn=lambda line: None)


def test_metadata_card_shows_what_a_web_page_said(tmp_path):
    """索引号 and 发布日期 from a saved page's metadata table (26) are in the card; a text without them has no row."""
    (path,) = [p for p in (REPO / "tests" / "fixtures" / "corpus").glob("26_*.txt")]
    doc = read_path(path)
    build_site([doc], release_for([doc]), tmp_path / "site", quiet=True)
    card = page(tmp_path / "site", doc.id).get_element_by_id("metadata")
    rows = dict(zip([dt.text_content() for dt in card.iter("dt")], [dd.text_content() for dd in card.iter("dd")]))
    assert rows["索引号"] == "113325000026455663/2023-43887"
    assert rows["发布日期"] == "2023年10月23日" and rows["成文日期"] == "2023年10月16日"


def test_no_web_page_rows_for_an_ordinary_text(seed_site):
    site, _ = seed_site
    card = page(site, "zjzbf-2024-21").get_element_by_id("metadata")
    assert not {"索引号", "发布日期"} & {dt.text_content() for dt in card.iter("dt")}
