"""The site as a policy library, in Chromium (issue 14): search that finds what people type, the 政策文件 list and its
filters, document pages on a phone, contrast measured in the browser, Chinese everywhere a reader looks."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from toolkit.chinese import search_key, search_tokens
from toolkit.reader import read_path
from toolkit.site.search_index import index_term

from conftest import CORPUS_TEXTS, REPO

pytestmark = pytest.mark.browser

DOC = "zjzbf-2024-21/"
SEED = read_path(REPO / "source" / "zjzbf-2024-21.txt")
CORPUS = [read_path(REPO / "tests" / "fixtures" / "corpus" / name) for name in CORPUS_TEXTS]


def results(page, site_url: str, query: str, found: bool = True) -> list[dict]:
    """Open the search page, type the query as a person would, wait for the answer; the results, best first."""
    page.goto(site_url + "search/")
    page.locator("#pk-search-input").click()
    page.keyboard.type(query)
    status = page.locator("#pk-search-status")
    expect(status).to_have_text(re.compile(r"^找到 \d+ 条结果$" if found else "^没有找到"))
    return page.locator(".pk-result").evaluate_all("""els => els.map(e => ({
        href: e.querySelector('a').getAttribute('href'), url: e.querySelector('a').href,
        title: e.querySelector('.pk-result__title').textContent,
        doc: (e.querySelector('.pk-result__doc') || {}).textContent || '',
        excerpt: (e.querySelector('.pk-result__excerpt') || {}).textContent || '',
        marked: [...e.querySelectorAll('mark')].map(m => m.textContent)}))""")


def clause_text(url: str) -> str:
    """The text of the clause a result links to, from the model (heading, text and wrap-up)."""
    doc_id, eid = url.split("#")[0].rstrip("/").rsplit("/", 1)[-1], url.split("#")[1]
    doc = next(d for d in [SEED, *CORPUS] if d.id == doc_id)
    unit = doc.unit(eid)
    return "\n".join([unit.heading or "", unit.text, unit.wrap_up])


@pytest.mark.parametrize("query", ["浙政办发〔2024〕21号", "浙政办发[2024]21号", "浙政办发【2024】21号",
                                   "2024年21号", "浙政办发2024年21号"])
def test_a_doc_number_in_any_common_form_finds_the_document_first(page, site_url, query):
    first = results(page, site_url, query)[0]
    assert first["url"] == site_url + DOC, first
    assert first["title"] == SEED.metadata.title


@pytest.mark.parametrize("query, eid", [
    ("1000万元", None),  # in the seed's 二（一） and in a clause of 21: either may come first
    ("专精特新“小巨人”", None),
    ('专精特新"小巨人"', None),  # typed with straight quotes
    ("博士创新站", "sec_6__para_3"),
    ("省贸促会", "sec_4__para_2"),
])
def test_amounts_and_exact_phrases_find_the_clause_that_contains_them_first(page, site_url, query, eid):
    found = results(page, site_url, query)
    first = found[0]
    assert "#" in first["url"], found[:3]  # a clause, not a document or a department page
    assert search_key(query) in search_key(clause_text(first["url"]))
    if eid:
        assert first["url"] == f"{site_url}{DOC}#{eid}"
    whole = [r["url"] for r in found if search_key(query) in search_key(r["excerpt"])]
    assert [r["url"] for r in found[:len(whole)]] == whole  # every clause with the phrase before the others
    assert search_key(query) in search_key("".join(first["marked"]))  # the phrase is marked in the excerpt


def test_every_clause_is_its_own_result_titled_with_its_full_number_and_document(page, site_url):
    found = results(page, site_url, "研发费用")
    first = found[0]
    assert first["url"] == f"{site_url}{DOC}#sec_2__para_1"
    assert first["title"] == "二（一）鼓励开展研发攻关"
    assert first["doc"] == f"《{SEED.metadata.title}》（浙政办发〔2024〕21号）"
    assert len({r["url"] for r in found}) == len(found)
    # "研发" alone: every clause of the document that has it is a result of its own (nothing folded away)
    clauses = {r["url"] for r in results(page, site_url, "研发") if r["url"].startswith(f"{site_url}{DOC}#")}
    expected = {f"{site_url}{DOC}#{u.eid}" for u in SEED.units() if "研发" in (u.heading or "") + u.text + u.wrap_up}
    assert len(expected) >= 3 and clauses == expected


def test_the_whole_query_ranks_above_its_scattered_terms(page, site_url):
    query = "中小企业发展"
    found = results(page, site_url, query)
    whole = [search_key(query) in search_key(r["title"] + r["excerpt"] + r["doc"]) or
             ("#" in r["url"] and search_key(query) in search_key(clause_text(r["url"]))) for r in found]
    assert True in whole and False in whole, whole  # both kinds are there
    assert whole == sorted(whole, reverse=True), whole  # every whole match before any partial one


def test_a_query_found_nowhere_says_so(page, site_url):
    assert results(page, site_url, "量子计算", found=False) == []
    expect(page.locator("#pk-search-status")).to_have_text(re.compile("没有找到与“量子计算”相关的内容"))


def test_the_browser_cuts_text_into_the_same_terms_as_the_indexer(page, site_url):
    page.goto(site_url + "search/")
    texts = [SEED.preamble, *(u.text for u in SEED.units()), *(d.preamble for d in CORPUS),
             "浙政办发〔2024〕21号 ＲＣＥＰ 1,000万元 ①② 𠀀字"]
    got = page.evaluate("""async texts => {
        const m = await import('../assets/search.js');
        return texts.map(t => m.searchTokens(t).map(m.indexTerm)); }""", texts)
    assert got == [[index_term(t) for t in search_tokens(x)] for x in texts]


def test_search_from_the_header_lands_on_the_clause_on_a_phone(phone, site_url):
    phone.goto(site_url + DOC)
    box = phone.locator("input.pk-header-search__input")
    expect(box).to_have_attribute("placeholder", "搜索文件、条款、发文字号")
    box.tap()
    phone.keyboard.type("博士创新站")
    phone.keyboard.press("Enter")
    expect(phone.locator("#pk-search-status")).to_have_text(re.compile("找到"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator(".pk-result__link").first.tap()
    expect(phone).to_have_url(site_url + DOC + "#sec_6__para_3")
    heading = phone.locator("#sec_6__para_3")
    expect(heading).to_be_in_viewport()
    header_bottom = phone.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert heading.bounding_box()["y"] >= header_bottom - 1  # not hidden under the sticky header
    assert phone.console.errors == []


def test_library_list_filters_by_facets_and_keeps_them_in_the_address(page, site_url, built_site):
    page.goto(site_url + "documents/")
    expect(page.locator("#pk-facets")).to_be_visible()
    total = len(page.locator("#pk-docs > li").all())
    assert total == len(CORPUS) + 2  # seed, hostile fixture, corpus texts
    labels = page.locator("#pk-facets label > span").all_inner_texts()
    assert labels == ["发文机关", "年份", "文种", "效力状态", "主题"]
    type_menu = page.locator('select[data-facet="type"]')
    options = type_menu.locator("option").all_inner_texts()
    assert options[0] == "全部" and any(o.startswith("意见（") for o in options)
    type_menu.select_option(label=next(o for o in options if o.startswith("意见（")))
    shown = page.locator("#pk-docs .pk-doc__title").evaluate_all("els => els.map(e => e.href)")
    expected = {site_url + d.id + "/" for d in [SEED, *CORPUS] if d.metadata.doc_type == "意见"}
    assert set(shown) == expected
    expect(page.locator("#pk-facets-count")).to_have_text(f"共 {len(expected)} 份文件")
    assert "type=%E6%84%8F%E8%A7%81" in page.url  # ?type=意见
    page.goto(page.url)  # the address alone gives the same list
    expect(page.locator("#pk-docs > li")).to_have_count(len(expected))
    page.locator('select[data-facet="issuer"]').select_option(label="国务院办公厅（2）")
    expect(page.locator("#pk-docs > li")).to_have_count(len([d for d in [SEED, *CORPUS] if d.metadata.doc_type == "意见"
                                                            and d.metadata.issuer == "国务院办公厅"]))
    page.locator("#pk-facets button[type=reset]").click()
    expect(page.locator("#pk-docs > li")).to_have_count(total)
    index = json.loads((built_site / "documents" / "index.json").read_text(encoding="utf-8"))
    assert len(index["documents"]) == total
    assert page.console.errors == []


def test_document_page_on_a_phone_has_a_menu_of_clauses_no_sideways_scroll_and_number_meanings(phone, site_url):
    phone.goto(site_url + DOC)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    toc = phone.locator("details#toc")
    expect(toc).to_be_visible()
    toc.locator("summary").tap()
    toc.get_by_role("link", name="（一）鼓励开展研发攻关").tap()
    expect(phone).to_have_url(site_url + DOC + "#sec_2__para_1")
    expect(phone.locator("#sec_2__para_1")).to_be_in_viewport()
    rules = phone.locator("#sec_2__para_1 ~ ul.pk-rules").first  # the numbers' meaning, visible without hover
    expect(rules).to_be_visible()
    expect(rules).to_contain_text("3%")
    box = rules.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_document_page_on_a_desktop_has_the_contents_in_the_sidebar(page, site_url):
    page.goto(site_url + DOC)
    sidebar = page.locator(".md-sidebar--secondary")
    expect(sidebar).to_be_visible()
    link = sidebar.get_by_role("link", name="（一）鼓励开展研发攻关")
    expect(link).to_be_visible()
    expect(page.locator("details#toc")).to_be_hidden()  # the phone's menu is not repeated
    link.click()
    expect(page).to_have_url(site_url + DOC + "#sec_2__para_1")


def test_no_page_scrolls_sideways_on_a_phone(phone, site_url, built_site):
    pages = sorted(p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")
                   if "data" not in p.parts)
    wide = []
    for path in pages:
        phone.goto(site_url + ("" if path == "." else path + "/"))
        if phone.evaluate("document.documentElement.scrollWidth") > 390:
            wide.append(path)
    assert wide == []


# The contrast of every visible piece of text against what is behind it (WCAG 2 relative luminance), computed
# in the page from the colours the browser resolved, with opacity and semi-transparent layers blended in.
CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => { const layers = []; for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]); };
  const opacity = el => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement; if (!n.textContent.trim() || !el) continue;
    const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    if (!r.width || !r.height || s.visibility === 'hidden' || el.closest('[hidden], .md-search, svg, script, style')) continue;
    if (el.closest('.md-sidebar') && !el.checkVisibility()) continue;
    const seen = opacity(el); if (seen === 0) continue;  // not shown (the theme fades some in on hover or scroll)
    const bg = background(el); const fg = parse(s.color); fg[3] *= seen;
    const shown = over(fg, bg); const [a, b] = [lum(shown), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5) out.push(`${ratio.toFixed(2)}: "${n.textContent.trim().slice(0, 20)}" (${el.tagName}.${el.className})`);
  }
  return [...new Set(out)];
}"""


@pytest.mark.parametrize("path", ["", "documents/", DOC, "departments/", "departments/zj-kjt/", "thresholds/",
                                  "downloads/", "about/", "search/?q=研发费用", "404.html"])
def test_text_contrast_is_at_least_4_5_to_1(page, site_url, path):
    page.goto(site_url + path)
    if path.startswith("search/"):
        expect(page.locator("#pk-search-status")).to_have_text(re.compile("找到"))
    if path == DOC:
        page.locator("#sec_2__para_1").scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # the header's title has faded to the document's (a CSS transition)
    assert page.evaluate(CONTRAST) == []


def test_chinese_where_a_reader_looks(page, site_url):
    page.goto(site_url + "downloads/")
    row = {r.locator("a[download]").inner_text(): r.locator("td").nth(1).inner_text()
           for r in page.locator("#files tbody tr").all()}
    assert row["catalog.json"] == "JSON（文件目录）"
    assert row["SHA256SUMS"] == "SHA-256 校验值（文本）"
    assert row["datapackage.json"].startswith("JSON（数据包")
    footer = page.locator(".md-copyright").inner_text()
    assert "CC0" in footer and "Made with" not in footer
    page.goto(site_url + "about/")
    assert set(page.locator("a.headerlink").evaluate_all("els => els.map(e => e.title)")) == {"本节链接"}
    page.goto(site_url + DOC)
    assert set(page.locator(".pk-text a.headerlink").evaluate_all("els => els.map(e => e.title)")) == {"本条链接"}
    page.goto(site_url + "404.html")
    expect(page.locator("h1")).to_have_text("找不到这个页面")
    page.goto(site_url + "search/")
    expect(page.locator("#pk-search button[type=submit]")).to_have_text("搜索")
    expect(page.locator("#pk-search-input")).to_have_attribute("placeholder", re.compile("^例如：研发费用"))


def test_source_punctuation_is_kept(page, site_url):
    page.goto(site_url + DOC)
    expect(page.locator(".pk-addressees")).to_have_text("各市、县（市、区）人民政府，省政府直属各单位：")
    expect(page.locator(".pk-signature", has_text="此件公开发布")).to_have_text("（此件公开发布）")
