"""Revisions end to end: a document with two versions in the manifest -> diff JSON in the release, version pages,
修订对照 and 修订记录 pages, feed entries; and links saved before the revision still work after it.

The second version is the revision fixture (tests/fixtures/revisions/zjzbf-2025-8.txt, see its README); source/
itself keeps only the seed, so the two-version source folders are made here in temp folders.
"""
from __future__ import annotations

import copy
import gzip
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from toolkit.build import build
from toolkit.diff import diff
from toolkit.reader import read_bytes, read_path
from toolkit.site import SiteDocument, SiteVersion, build_site
from toolkit.site.revisions import aliases
from toolkit.writers.diff_json import diff_schema_errors, to_json

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
REVISION = ROOT / "tests" / "fixtures" / "revisions" / "zjzbf-2025-8.txt"
DOC = "zjzbf-2024-21"

ONE_VERSION = f'''[[document]]
id = "{DOC}"

[[document.version]]
file = "zjzbf-2024-21.txt"
version = "2024-06-06"

[[document.relation]]
type = "repeals"
doc_number = "浙政办发〔2022〕19号"
'''
TWO_VERSIONS = ONE_VERSION.replace('''
[[document.relation]]''', '''
[[document.version]]
file = "zjzbf-2025-8.txt"
version = "2025-03-10"
amends = "2024-06-06"

[[document.relation]]''')


def _build(tmp: Path, manifest: str, files: list[Path]) -> Path:
    source = tmp / "source"
    source.mkdir()
    for f in files:
        shutil.copy(f, source / f.name)
    (source / "manifest.toml").write_text(manifest, encoding="utf-8")
    build(source, tmp / "site")
    return tmp / "site"


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> Path:
    """The site as published before the revision: the seed only."""
    return _build(tmp_path_factory.mktemp("before"), ONE_VERSION, [SEED])


@pytest.fixture(scope="module")
def after(tmp_path_factory) -> Path:
    """The site after the office added the revision to source/ and the manifest."""
    return _build(tmp_path_factory.mktemp("after"), TWO_VERSIONS, [SEED, REVISION])


def page(site: Path, url: str):
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def heading_text(el) -> str:
    return el.text_content().rstrip("¶")


def target_heading(html, anchor: str):
    """The heading a link #anchor lands on: the element itself, or the heading right after an alias anchor."""
    (el,) = html.xpath(f'//*[@id="{anchor}"]')
    return el.getnext() if "pk-alias" in (el.get("class") or "") else el


# --- data ------------------------------------------------------------------------------------------------------

def test_release_has_a_diff_for_the_new_version_only(after):
    data = after / "data" / DOC
    assert not list((data / "2024-06-06").glob("diff-*"))
    diff_file = data / "2025-03-10" / "diff-from-2024-06-06.json"
    payload = json.loads(diff_file.read_text(encoding="utf-8"))
    assert diff_schema_errors(payload) == []
    assert (payload["old"]["version"], payload["new"]["version"]) == ("2024-06-06", "2025-03-10")
    assert [(u["changes"], [r["eid"] for r in u["old"]], [r["eid"] for r in u["new"]]) for u in payload["units"]] == [
        (["removed"], ["sec_1__para_3"], []),
        (["renumbered"], ["sec_1__para_4"], ["sec_1__para_3"]),
        (["modified"], ["sec_2__para_1"], ["sec_2__para_1"]),
        (["modified"], ["sec_3__para_3"], ["sec_3__para_3"]),
        (["added"], [], ["sec_5__para_2"]),
        (["renumbered", "modified"], ["sec_5__para_2"], ["sec_5__para_3"]),
        (["renumbered"], ["sec_5__para_3"], ["sec_5__para_4"]),
    ]
    # The same bytes `policykit diff` gives for the two texts (ids as published, version keys added).
    old, new = read_path(SEED), read_path(REVISION)
    old.id = new.id = DOC
    assert diff_file.read_text(encoding="utf-8") == to_json(diff(old, new, old_version="2024-06-06",
                                                                 new_version="2025-03-10"))


def test_catalog_datapackage_and_checksums_list_the_diff(after):
    data = after / "data"
    catalog = json.loads((data / "catalog.json").read_text(encoding="utf-8"))
    (doc,) = catalog["documents"]
    assert doc["current_version"] == "2025-03-10"
    # The revision's text repeals 浙政办发〔2024〕21号, its own earlier version: that is `amends`, not a relation.
    assert [(r["type"], r["doc_number"]) for r in doc["relations"]] == [("repeals", "浙政办发〔2022〕19号")]
    assert [v["version"] for v in doc["versions"]] == ["2024-06-06", "2025-03-10"]
    assert doc["versions"][1]["amends"] == "2024-06-06"
    assert "diff" not in doc["versions"][0]["files"]
    assert doc["versions"][1]["files"]["diff"]["url"] == f"{DOC}/2025-03-10/diff-from-2024-06-06.json"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    assert f"{DOC}/2025-03-10/diff-from-2024-06-06.json" in [r["path"] for r in package["resources"]]
    assert f"  {DOC}/2025-03-10/diff-from-2024-06-06.json\n" in (data / "SHA256SUMS").read_text(encoding="ascii")


# --- pages and URLs --------------------------------------------------------------------------------------------

def test_every_version_has_a_point_in_time_page_and_the_current_one_is_at_the_document_url(before, after):
    assert page(before, DOC).xpath('//dt[text()="发文字号"]/following-sibling::dd[1]')[0].text == "浙政办发〔2024〕21号"
    assert page(after, DOC).xpath('//dt[text()="发文字号"]/following-sibling::dd[1]')[0].text == "浙政办发〔2025〕8号"
    for v, number in (("2024-06-06", "浙政办发〔2024〕21号"), ("2025-03-10", "浙政办发〔2025〕8号")):
        html = page(after, f"{DOC}/{v}")
        assert html.xpath('//dt[text()="发文字号"]/following-sibling::dd[1]')[0].text == number
    old_page = page(after, f"{DOC}/2024-06-06")
    assert "历史版本" in old_page.xpath('//*[@class="pk-banner"]')[0].text_content()


def test_every_page_of_the_earlier_site_still_exists(before, after):
    pages = sorted(p.relative_to(before) for p in before.rglob("index.html"))
    assert Path(DOC, "2024-06-06", "index.html") in pages and Path(DOC, "changelog", "index.html") in pages
    missing = [str(p) for p in pages if not (after / p).is_file()]
    assert missing == []


def test_saved_point_in_time_links_land_on_the_same_clause(before, after):
    """Every anchor of /<doc>/2024-06-06/ as first published lands on the same heading after the revision."""
    old, new = page(before, f"{DOC}/2024-06-06"), page(after, f"{DOC}/2024-06-06")
    headings = old.xpath('//*[contains(@class,"pk-unit")][@id]')
    assert len(headings) == 26
    for h in headings:
        assert heading_text(target_heading(new, h.get("id"))) == heading_text(h)


def test_saved_current_links_of_unchanged_clauses_still_resolve(before, after):
    """/<doc>/#eid saved before the revision: unchanged clauses (same eid, or renumbered to a free eid) land on
    the same clause; the anchor of every clause of the first version still exists on the page."""
    old, new = page(before, DOC), page(after, DOC)
    seed, revised = read_path(SEED), read_path(REVISION)
    d = diff(seed, revised)
    changed = {r.eid for c in d.units if "modified" in c.changes or c.changes == ["removed"] for r in c.old}
    free = {u.eid for u in seed.units()} - {u.eid for u in revised.units()}
    renumbered = {c.old[0].eid for c in d.units if c.changes == ["renumbered"]}
    checked = 0
    for unit in seed.units():
        assert new.xpath(f'//*[@id="{unit.eid}"]'), unit.eid  # resolves
        if unit.eid in changed or (unit.eid in renumbered and unit.eid not in free):
            continue
        was = heading_text(old.xpath(f'//*[@id="{unit.eid}"]')[0])
        now = heading_text(target_heading(new, unit.eid))
        assert now.lstrip("（一二三四五六七八九十）、") == was.lstrip("（一二三四五六七八九十）、"), unit.eid
        checked += 1
    # All but the removed 一（三）, the three modified clauses, and 五（三）: its eid now names the former 五（二）
    # (that link is kept by the point-in-time page, /<doc>/2024-06-06/#sec_5__para_3).
    assert checked == 26 - 5
    alias = new.get_element_by_id("sec_1__para_4")
    assert alias.tag == "span" and alias.getnext().get("id") == "sec_1__para_3"


def test_version_switcher_on_every_version_page(after):
    current = page(after, DOC)
    switcher = current.xpath('//nav[@class="pk-versions"]')[0]
    assert [li.text_content() for li in switcher.iter("li")] == ["2025年3月10日（现行） 修订对照", "2024年6月6日"]
    links = {a.text_content(): a.get("href") for a in switcher.iter("a")}
    assert links == {"修订对照": "2025-03-10/changes/", "2024年6月6日": "2024-06-06/", "修订记录": "changelog/",
                     "本版本固定链接": "2025-03-10/"}
    older = page(after, f"{DOC}/2024-06-06").xpath('//nav[@class="pk-versions"]')[0]
    assert older.xpath(".//strong")[0].text == "2024年6月6日"
    assert {a.text_content(): a.get("href") for a in older.iter("a")}["2025年3月10日（现行）"] == "../"


def test_changes_page_shows_exactly_the_changes_as_a_redline(after):
    html = page(after, f"{DOC}/2025-03-10/changes")
    sections = html.xpath('//section[contains(@class,"pk-change")]')
    assert [(s.xpath("h2")[0].get("id"), [b.text for b in s.xpath('.//span[contains(@class,"pk-badge")]')])
            for s in sections] == [
        ("change-removed-sec_1__para_3", ["删除"]),
        ("change-sec_1__para_3", ["重新编号"]),
        ("change-sec_2__para_1", ["修改"]),
        ("change-sec_3__para_3", ["修改"]),
        ("change-sec_5__para_2", ["新增"]),
        ("change-sec_5__para_3", ["重新编号", "修改"]),
        ("change-sec_5__para_4", ["重新编号"]),
    ]
    marks = [[(m.tag, m.text_content()) for m in s.xpath('.//p[@class="pk-redline"]/*[self::del or self::ins]')]
             for s in sections]
    assert marks[1] == [] and marks[6] == []  # renumbered only: no text change
    assert marks[2] == [("del", "3"), ("ins", "2.5")]
    assert marks[3] == [("del", "经信厅、省"), ("ins", "、省经信厅"), ("ins", "、省市场监管局")]
    assert marks[5] == [("del", "100"), ("ins", "120")]
    assert [m[0] for m in marks[0]] == ["del"] and [m[0] for m in marks[4]] == ["ins"]
    details = [li.text_content() for s in sections for li in s.xpath('.//ul[@class="pk-change__details"]/li')]
    assert "数值条件：研发费用占营业收入比重 3%以上 → 2.5%以上" in details
    assert "牵头单位：省经信厅 → 省发展改革委" in details and "新增责任单位：省市场监管局" in details
    rows = [[td.text_content() for td in tr.xpath("td")] for tr in html.xpath('//h2[@id="metadata"]/following::table[1]//tbody/tr')]
    assert [r[0] for r in rows] == ["发文字号", "成文日期", "印发日期", "施行日期", "施行条款", "废止文件"]
    assert rows[0][1:] == ["浙政办发〔2024〕21号", "浙政办发〔2025〕8号"] and rows[1][1:] == ["2024年6月6日", "2025年3月10日"]
    # Each entry links to the clause on both version pages.
    where = sections[5].xpath('.//p[@class="pk-change__where"]/a')
    assert [a.get("href") for a in where] == ["../../2024-06-06/#sec_5__para_2", "../../#sec_5__para_3"]


def test_changelog_lists_every_version_newest_first(after):
    html = page(after, f"{DOC}/changelog")
    assert [h.text_content() for h in html.xpath('//section/h2')] == ["2025年3月10日版本（现行）", "2024年6月6日版本"]
    items = [li.text_content() for li in html.xpath('//section[1]//ul/li')]
    assert items[:3] == ["删除：一（三）招引发展新增量", "重新编号：一（四） → 一（三）打造数字化培育平台", "修改：二（一）鼓励开展研发攻关"]
    assert "首次发布" in html.xpath("//section[2]")[0].text_content()


def test_feed_has_one_entry_per_version_and_names_the_changes(after):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.parse(after / "feed.xml").getroot().findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [
        f"https://policykit.example.org/{DOC}/2025-03-10/", f"https://policykit.example.org/{DOC}/2024-06-06/"]
    related = entries[0].find('a:link[@rel="related"]', ns)
    assert related.get("href") == f"https://policykit.example.org/{DOC}/2025-03-10/changes/"
    assert "新增 1，删除 1，修改 3，重新编号 3" in entries[0].find("a:summary", ns).text
    assert entries[1].find('a:link[@rel="related"]', ns) is None


def test_only_the_current_page_is_searched(after):
    # Each record of the Pagefind index is a gzip file: "pagefind_dcd" then the record's JSON.
    records = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
               for f in (after / "pagefind" / "fragment").iterdir()]
    pages = {r["url"].split("#")[0] for r in records}
    assert f"{DOC}/" in pages
    assert not any(p.startswith(f"{DOC}/") and p != f"{DOC}/" for p in pages)


def test_single_version_document_has_a_changelog_and_no_changes_page(before):
    assert not (before / DOC / "2024-06-06" / "changes").exists()
    assert not list((before / "data" / DOC).rglob("diff-*"))
    assert "首次发布" in page(before, f"{DOC}/changelog").text_content()


# --- the site on hand-built versions ---------------------------------------------------------------------------

HOSTILE = '<script>window.__pwned=1</script> {{ x }} *强调* [a](b) &amp;'


def test_redline_escapes_source_text(tmp_path):
    old = read_path(SEED)
    new = copy.deepcopy(old)
    new.unit("sec_2__para_1").text = old.unit("sec_2__para_1").text.replace("加大研发投入", HOSTILE)
    doc = SiteDocument(DOC, [SiteVersion("2024-06-06", "2024-06-06", old), SiteVersion("2024-07-01", "2024-07-01", new)])
    out = tmp_path / "site"
    build_site([doc], None, out, quiet=True)
    raw = (out / DOC / "2024-07-01" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "<script>window" not in raw
    html = lxml.html.fromstring(raw)
    (section,) = html.xpath('//section[contains(@class,"pk-change")]')
    assert [(m.tag, m.text_content()) for m in section.xpath(".//del|.//ins")] == [
        ("del", "加大研发投入"), ("ins", HOSTILE)]


def _version(doc, key):
    return SiteVersion(key, key, doc)


def test_aliases_follow_a_clause_renumbered_twice():
    v1 = read_path(SEED)
    text = SEED.read_text(encoding="utf-8")
    cut = text[text.index("(一)打造专精特新产业园。"):text.index("(二)加强财税政策扶持。")]
    v2_text = text.replace(cut, "").replace("(二)加强财税", "(一)加强财税").replace("(三)加强人才", "(二)加强人才") \
        .replace("(四)加强企业", "(三)加强企业")
    cut2 = v2_text[v2_text.index("(一)加强财税政策扶持。"):v2_text.index("(二)加强人才服务保障。")]
    v3_text = v2_text.replace(cut2, "").replace("(二)加强人才", "(一)加强人才").replace("(三)加强企业", "(二)加强企业")
    v2, v3 = read_bytes(v2_text.encode(), "v2.txt"), read_bytes(v3_text.encode(), "v3.txt")
    doc = SiteDocument(DOC, [_version(v1, "2024-06-06"), _version(v2, "2024-07-01"), _version(v3, "2024-08-01")])
    # 六（四）加强企业管理服务 was sec_6__para_4, then sec_6__para_3, now sec_6__para_2; 六（三）加强人才服务保障 was
    # sec_6__para_3, then sec_6__para_2, now sec_6__para_1. sec_6__para_3 is free in v3 but was both clauses' eid
    # at some point, so it is no alias at all; sec_6__para_4 only ever named 加强企业管理服务.
    assert aliases(doc, doc.versions[2]) == {"sec_6__para_2": ["sec_6__para_4"]}
    assert aliases(doc, doc.versions[1]) == {"sec_6__para_3": ["sec_6__para_4"]}
    assert aliases(doc, doc.versions[0]) == {}
