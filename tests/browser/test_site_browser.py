"""The built website in a real browser (Chromium): Chinese search typed into the search box, result links
landing on the clause, downloads, console errors, and source text that must stay text."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from toolkit.reader import read_path

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "hostile-text.txt"
pytestmark = pytest.mark.browser

DOC = "zjzbf-2024-21/"


def search(page, site_url: str, query: str, found: bool = True) -> list[str]:
    """Type `query` into the header's search box as a person would and press Enter; on the search page, wait for
    the answer; return the result links, best first."""
    page.goto(site_url)
    page.locator("input.pk-header-search__input").click()
    page.keyboard.type(query)  # Chinese arrives as text, like an IME commit
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    status = page.locator("#pk-search-status")
    expect(status).to_have_text(re.compile(r"找到 \d+ 条结果" if found else "没有找到"))
    hrefs = page.locator(".pk-result__link").evaluate_all("els => els.map(e => e.href)")
    return [h.removeprefix(site_url) for h in hrefs]


def first_clause(hrefs: list[str]) -> str:
    return next(h for h in hrefs if h.startswith(DOC + "#"))


@pytest.mark.parametrize("query, eid", [
    ("研发费用", "sec_2__para_1"),
    ("凤凰行动", "sec_5__para_2"),
    ("数字化转型", "sec_3__para_2"),
])
def test_search_finds_the_clause(page, site_url, query, eid):
    hrefs = search(page, site_url, query)
    assert first_clause(hrefs) == f"{DOC}#{eid}", hrefs


def test_search_for_a_department_finds_its_clauses(page, site_url):
    seed = read_path(REPO / "source" / "zjzbf-2024-21.txt")
    clauses = {u.eid for u in seed.units() if any(r.department == "省科技厅" for r in u.responsibilities)}
    assert len(clauses) == 8
    hrefs = search(page, site_url, "省科技厅")
    found = [h.split("#")[1] for h in hrefs if h.startswith(DOC + "#")]
    assert clauses <= set(found)
    assert set(found[:5]) <= clauses, found  # the best hits are clauses the department is named in
    assert "departments/zj-kjt/" in hrefs  # and its own page, which lists them all


def test_following_a_result_lands_on_the_anchored_clause(page, site_url):
    search(page, site_url, "研发费用")
    page.locator(f'.pk-result__link[href$="{DOC}#sec_2__para_1"]').first.click()
    expect(page).to_have_url(site_url + DOC + "#sec_2__para_1")
    heading = page.locator("#sec_2__para_1")
    expect(heading).to_be_in_viewport()
    expect(heading).to_have_text(re.compile(r"^（一）鼓励开展研发攻关"))
    assert page.console.errors == []


def test_every_download_answers_200_with_the_listed_checksum(page, site_url):
    page.goto(site_url + "downloads/")
    rows = page.locator("#files table tbody tr")
    assert rows.count() >= 10
    for i in range(rows.count()):
        row = rows.nth(i)
        href = row.locator("a[download]").get_attribute("href")
        response = page.request.get(urljoin(site_url + "downloads/", href))
        assert response.status == 200, href
        assert hashlib.sha256(response.body()).hexdigest() == row.locator("code.pk-sha").inner_text(), href
    page.goto(site_url + DOC)
    for href in page.locator("#metadata a[type]").evaluate_all("els => els.map(e => e.href)"):
        assert page.request.get(href).status == 200, href


def test_no_console_errors_on_any_page(page, site_url, built_site):
    pages = sorted(p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")
                   if "data" not in p.parts)
    assert len(pages) > 20
    for path in pages:
        page.goto(site_url + ("" if path == "." else path + "/"))
        expect(page.locator("h1").first).to_be_visible()
    assert page.console.errors == [], page.console.errors
    assert page.console.dialogs == []


def test_hostile_source_text_renders_as_text(page, site_url):
    doc = read_path(HOSTILE)
    page.goto(f"{site_url}{doc.id}/")
    unit = doc.unit("sec_1__para_1")
    clause = page.locator("#sec_1__para_1 ~ p").nth(1)
    expect(clause).to_have_text(unit.text)
    for literal in ("<script>", "</script>", "<img src=x onerror=", "{{ config.site_name }}", "{%", "*强调*",
                    "#标题", "[a]", "`code`", "|表格|", "&amp；"):
        assert literal in clause.inner_text(), literal
    assert clause.locator("*").count() == 0  # no element was made from the source text
    assert page.locator(".pk-text img, .pk-text script").count() == 0
    assert page.evaluate("typeof window.pwned === 'undefined' && typeof window.__pwned === 'undefined'")
    expect(page.locator("h1#title")).to_have_text(doc.metadata.title)
    assert "<b>原文</b>" in page.title()
    assert page.console.dialogs == [] and page.console.errors == []
