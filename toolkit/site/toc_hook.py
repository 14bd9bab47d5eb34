"""mkdocs hook: the table of contents of a document page, from its clause headings.

Document pages are raw HTML (document_page.py), which the Markdown toc extension does not see, so the theme would
show no 目录. For pages whose front matter says `pk_toc: true`, this builds page.toc from the h1 and the h2/h3
headings we wrote (each with its eid as id): the theme then shows it in the right sidebar on wide screens and in
the menu on phones, with its own scroll tracking. build.py passes this file to mkdocs as a hook.
"""
from __future__ import annotations

import html
import re

# Our own output (html.tag): <h2 id="sec_1" class="pk-unit pk-section"><span class="pk-num">一、</span>…<a class="headerlink"…>¶</a></h2>
_HEADING = re.compile(r'<h([123]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_LINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def toc_tokens(page_html: str) -> list[dict]:
    """[{level 1: the title, children: h2 (children: h3)}]; names are HTML-escaped text."""
    root: list[dict] = []
    parents: dict[int, dict] = {}
    for level_text, anchor, inner in _HEADING.findall(page_html):
        level = int(level_text)
        name = html.escape(html.unescape(_TAGS.sub("", _LINK.sub("", inner))).strip(), quote=False)
        token = {"level": level, "id": anchor, "name": name, "children": []}
        parent = next((parents[p] for p in range(level - 1, 0, -1) if p in parents), None)
        (parent["children"] if parent else root).append(token)
        parents[level] = token
        for deeper in [p for p in parents if p > level]:
            del parents[deeper]
    return root


def on_page_content(html_text, page, config, files):
    if page.meta.get("pk_toc"):
        from mkdocs.structure.toc import get_toc

        page.toc = get_toc(toc_tokens(html_text))
    return html_text
