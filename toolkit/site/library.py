"""The 政策文件 page: every document, newest first, filterable by 发文机关, 年份, 文种, 效力状态 and 主题.

Built for thousands of documents: the list is cut into pages of PAGE_SIZE (documents/, documents/page/2/, …),
pre-rendered so they read without JavaScript; one compact file (documents/index.json: the facet values once, then a
row per document) lets assets/library.js filter and count in the browser without loading any page. Nothing here
grows with the corpus except that file (~0.3 kB a document, ~0.1 kB gzip) and the number of pages.
"""
from __future__ import annotations

import json
import math

from .. import urls
from . import labels
from .catalog import SiteDocument
from .document_page import display_title, front_matter, status_html
from .html import relative, tag, text

PAGE_SIZE = 50
INDEX_FILE = "documents/index.json"
# (key in index.json and in the page's ?query, label)
FACETS = [("issuer", "发文机关"), ("year", "年份"), ("type", "文种"), ("status", "效力状态"), ("topic", "主题")]
NOT_STATED = "未注明"


def page_url(number: int) -> str:
    return urls.DOCUMENTS if number == 1 else f"{urls.DOCUMENTS}page/{number}/"


def facet_values(d: SiteDocument) -> dict[str, list[str]]:
    """What a document is filed under. 主题 is the 主题分类 of its web page when a reader found one."""
    m = d.doc.metadata
    topic = getattr(m, "classification", None)  # from the web page's label table (reader of crawled pages)
    values = {
        "issuer": list(m.issuers) or ([m.issuer] if m.issuer else []),
        "year": [m.signed_date[:4]] if m.signed_date else [],
        "type": [m.doc_type] if m.doc_type else [],
        "status": [d.status.label],
        "topic": [topic] if topic else [],
    }
    return {k: v or [NOT_STATED] for k, v in values.items()}


def _item(d: SiteDocument, here: str) -> str:
    m = d.doc.metadata
    facts = [x for x in (m.doc_number, m.issuer, labels.date(m.signed_date) if m.signed_date else None) if x]
    return tag("li", "".join([
        tag("a", text(display_title(d.doc)), href=relative(here, urls.document(d.id)), class_="pk-doc__title"),
        tag("p", " ".join(tag("span", text(f)) for f in facts) + " " + status_html(d.status), class_="pk-doc__facts"),
    ]), class_="pk-doc")


def _pager(number: int, count: int, here: str) -> str:
    if count <= 1:
        return ""
    links = []
    if number > 1:
        links.append(tag("a", "上一页", href=relative(here, page_url(number - 1)), rel="prev"))
    links.append(tag("span", text(f"第 {number} 页，共 {count} 页")))
    if number < count:
        links.append(tag("a", "下一页", href=relative(here, page_url(number + 1)), rel="next"))
    return tag("nav", " ".join(links), class_="pk-pager", aria_label="分页")


def _filters(here: str) -> str:
    """The filter form: filled and shown by assets/library.js (the pre-rendered pages need no script)."""
    fields = "".join(
        tag("label", tag("span", text(name)) + tag("select", tag("option", "全部", value=""),
                                                   data_facet=key), class_="pk-facet")
        for key, name in FACETS)
    form = tag("form", fields + tag("button", "清除筛选", type="reset"), class_="pk-facets", id="pk-facets",
               hidden=True, data_index=relative(here, INDEX_FILE), data_root="../" * here.count("/"))
    return form


def pages(docs: list[SiteDocument]) -> dict[str, str]:
    """The Markdown of every list page, by its path in docs_dir."""
    count = max(1, math.ceil(len(docs) / PAGE_SIZE))
    out = {}
    for number in range(1, count + 1):
        here = page_url(number)
        chunk = docs[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        body = "\n\n".join([
            '<h1 id="title">政策文件</h1>',
            tag("p", text(f"共 {len(docs)} 份文件，按成文日期从新到旧排列。可以按发文机关、年份、文种、效力状态和主题筛选，"
                          "或用右上角的搜索查找条款。"), class_="pk-lead"),
            _filters(here),
            tag("p", text(f"共 {len(docs)} 份文件"), class_="pk-facets__count", id="pk-facets-count",
                role="status", aria_live="polite"),
            tag("ol", "".join(_item(d, here) for d in chunk), class_="pk-docs", id="pk-docs"),
            tag("div", _pager(number, count, here), id="pk-pager"),
            '<script type="module" src="' + relative(here, "assets/library.js") + '"></script>',
        ])
        out[f"{here}index.md"] = front_matter("政策文件") + body + "\n"
    return out


def index_json(docs: list[SiteDocument]) -> str:
    """documents/index.json: {"facets": {key: [values…]}, "documents": [[id, title, 发文字号, 成文日期, status code,
    status label, {key: [value indexes]}], …]}, one document per line, newest first."""
    values: dict[str, list[str]] = {key: [] for key, _ in FACETS}
    rows = []
    for d in docs:
        m = d.doc.metadata
        picked = {}
        for key, vals in facet_values(d).items():
            known = values[key]
            picked[key] = [known.index(v) if v in known else (known.append(v) or len(known) - 1) for v in vals]
        rows.append([d.id, display_title(d.doc), m.doc_number or "", labels.date(m.signed_date) if m.signed_date
                     else "", d.status.code, d.status.label, picked])
    dump = lambda x: json.dumps(x, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    lines = ",\n".join(dump(r) for r in rows)
    return f'{{"facets":{dump(values)},\n"documents":[\n{lines}\n]}}\n'
