"""Long listings (the thresholds table, a department's clauses) are split into pages, so no page of the site grows
with the corpus (issue 17); every row is on exactly one page, and the pages link to each other."""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from toolkit import urls
from toolkit.reader import read_path
from toolkit.site import build_site
from toolkit.site import index_pages

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "zjzbf-2024-21.txt"


def test_groups_are_packed_into_pages_and_never_split():
    groups = [[1, 2], [3], [4, 5, 6], [7], [8, 9]]
    assert index_pages.split_pages(groups, 3) == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert index_pages.split_pages([[1, 2, 3, 4, 5]], 2) == [[1, 2, 3, 4, 5]]  # one big group: one page
    assert index_pages.split_pages([], 3) == [[]]


def test_the_pager_links_neighbours_and_marks_the_current_page():
    assert index_pages.pager(urls.THRESHOLDS, 1, 1) == ""
    html = lxml.html.fromstring(index_pages.pager(urls.THRESHOLDS, 5, 20))
    links = {a.text_content(): a.get("href") for a in html.xpath("//a")}
    assert links["上一页"] == "../4/" and links["下一页"] == "../6/" and links["1"] == "../"
    assert html.xpath('//*[@aria-current="page"]')[0].text_content() == "5"
    assert "…" in html.text_content() and "第 5 / 20 页" in html.text_content()


def test_the_built_site_splits_the_thresholds_and_department_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(index_pages, "PAGE_ROWS", 3)
    build_site([read_path(SEED)], {"resources": []}, tmp_path / "site", quiet=True)
    site = tmp_path / "site"
    pages = sorted(site.glob("thresholds/**/index.html"))
    assert len(pages) >= 2  # the seed's 5 thresholds, 3 rows a page, a clause's thresholds kept together
    marks = []
    for page in pages:
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        marks += [m.text_content() for m in doc.xpath('//table//mark[@class="pk-threshold"]')]
        assert doc.xpath('//nav[@class="pk-pager"]')
    assert sorted(marks) == sorted(["3%以上", "20%以上", "超过1000万元", "不低于80%", "不低于100亿元"])
    # 省科技厅 leads or joins 8 clauses of the seed (its lead clauses and its other clauses each stay together).
    dept_pages = sorted((site / "departments" / "zj-kjt").glob("**/index.html"))
    assert len(dept_pages) == 2
    links = []
    for page in dept_pages:
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        links += [a.get("href") for a in doc.xpath('//article//ul/li/a') if "#" in (a.get("href") or "")]
    clause_ids = [re.sub(r"^.*#", "", h) for h in links]
    assert len(clause_ids) == len(set(clause_ids)) == 8


def test_the_feed_holds_the_newest_versions_only(tmp_path, monkeypatch):
    from toolkit.site import feed

    monkeypatch.setattr(feed, "FEED_ENTRIES", 2)
    docs = []
    for i, day in enumerate(["2024-01-05", "2024-03-01", "2023-12-31"]):
        doc = read_path(SEED)
        doc.id, doc.metadata.signed_date = f"doc-{i}", day
        docs.append(doc)
    build_site(docs, {"resources": []}, tmp_path / "site", quiet=True)
    xml = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert re.findall(r"<id>[^<]*/(doc-\d)/", xml) == ["doc-1", "doc-0"]
