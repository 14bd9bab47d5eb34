"""The website's search index: one record per document, per clause and per department, written by Pagefind.

Pagefind splits its index into small files, so a browser downloads a few hundred kB per query whatever the size
of the corpus (mkdocs-material's search downloaded the whole index: 62 MB at 1,000 documents, docs/benchmarks.md).
Pagefind's own Chinese segmentation cuts a word differently in a sentence and in a short query, so phrases were
missed; the records are therefore given already cut into terms (chinese.search_tokens: pairs of Han characters,
runs of digits and letters) under a language code Pagefind does not segment, and the search page cuts the query
the same way (docs/site/assets/search.js). Pagefind also cuts Han text in a query into single characters, each
matched as the start of a word (技厅 would look for words starting with 技 and with 厅), so each Han term is written
as an ASCII word (index_term). What a result shows (title, document, the clause's text) travels in
the record's metadata, so no HTML page is parsed.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..chinese import search_tokens
from ..errors import ConfigError, PolicykitError
from .catalog import ClauseRef, Department, SiteDocument
from .document_page import attachment_label, display_title
from .index_pages import clause_label

INDEX_DIR = "pagefind"
# "und" (undetermined): Pagefind applies no segmentation or stemming to it; our terms are already cut.
LANGUAGE = "und"
# What the search page needs from Pagefind's output; its ready-made UIs are not used (and not published).
_KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.", "pagefind.", "index", "fragment")


@dataclass
class SearchRecord:
    url: str  # relative to the site root: zjzbf-2024-21/#sec_2__para_1
    kind: str  # document | clause | department
    title: str  # what the result is called: 二（一）鼓励开展研发攻关, or the document's title
    document: str  # the document it belongs to (title and 发文字号), empty for a department
    text: str  # shown under the title, with the query marked
    extra: str = ""  # searched but not shown: other ways to write the 发文字号, departments' full names

    def content(self) -> str:
        return " ".join(index_term(t) for t in search_tokens("\n".join([self.title, self.text, self.extra])))

    def meta(self) -> dict[str, str]:
        return {"title": self.title, "kind": self.kind, "doc": self.document, "text": self.text, "x": self.extra}


_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def index_term(token: str) -> str:
    """A search token as Pagefind stores it: digits and letters as they are, Han characters as 'zh' and four
    base-36 digits per character (省科 -> zh0nj90u0h), a word Pagefind neither cuts nor stems."""
    if token[0].isascii():
        return token
    out = ["zh"]
    for ch in token:
        code, digits = ord(ch), ""
        while code:
            code, rest = divmod(code, 36)
            digits = _DIGITS36[rest] + digits
        out.append(digits.rjust(4, "0"))
    return "".join(out)


def doc_number_forms(doc_number: str | None, parts) -> list[str]:
    """The ways people type a 发文字号: 浙政办发〔2024〕21号, 浙政办发[2024]21号, 2024年21号, 2024年第21号."""
    forms = [doc_number] if doc_number else []
    if parts is not None:
        code, year, serial = parts.agency_code, parts.year, parts.serial
        forms += [f"{code}〔{year}〕{serial}号", f"{code}[{year}]{serial}号", f"{code}{year}年{serial}号",
                  f"{year}年{serial}号", f"{year}年第{serial}号"]
    return list(dict.fromkeys(forms))


def records(docs: list[SiteDocument], departments: list[Department]) -> list[SearchRecord]:
    """Every record, in a fixed order (documents as listed, clauses in document order, then departments)."""
    out: list[SearchRecord] = []
    for d in docs:
        m = d.doc.metadata
        title = display_title(d.doc)
        where = f"《{title}》" + (f"（{m.doc_number}）" if m.doc_number and m.doc_number != title else "")
        summary = "　".join(filter(None, [m.doc_number, m.issuer, d.doc.preamble.replace("\n", "")]))
        out.append(SearchRecord(url=f"{d.id}/", kind="document", title=title, document=m.doc_number or "",
                                text=summary, extra=" ".join(doc_number_forms(m.doc_number, m.doc_number_parts))))
        for unit in d.doc.units():
            own = "\n".join(filter(None, [unit.text, unit.wrap_up]))
            full_names = sorted({r.full_name for r in unit.responsibilities if r.full_name != r.department})
            out.append(SearchRecord(url=f"{d.id}/#{unit.eid}", kind="clause", title=clause_label(ClauseRef(d, unit)),
                                    document=where, text=own, extra=" ".join(full_names)))
        if d.doc.postamble:
            out.append(SearchRecord(url=f"{d.id}/#postamble", kind="clause", title="施行与废止", document=where,
                                    text=d.doc.postamble))
        for n, att in enumerate(d.doc.attachments, 1):
            out.append(SearchRecord(url=f"{d.id}/#att_{n}", kind="clause", title=attachment_label(att),
                                    document=where, text=att.text))
    for dept in departments:
        written = sorted(dept.written - {dept.name})
        count = sum(len(refs) for refs in dept.clauses.values())
        out.append(SearchRecord(url=f"departments/{dept.id}/", kind="department", title=dept.name, document="",
                                text=f"部门：列为责任单位的条款 {count} 条" +
                                     (f"；文件中的写法：{'、'.join(written)}" if written else ""),
                                extra=" ".join(written)))
    return out


def require_pagefind() -> None:
    """Without Pagefind the site would build with a search page that finds nothing: refuse instead."""
    try:
        from pagefind.service import get_executable
        found = get_executable()
        problem = None if found else "its binary is missing"
    except ImportError as err:
        problem = str(err)
    if problem:
        raise ConfigError(
            f"Pagefind is not installed, so the website could not be searched ({problem}). "
            "Install policykit's dependencies again: pip install -e . (pagefind[extended]==1.5.2)")


def write(recs: list[SearchRecord], site_dir: Path) -> int:
    """Write the index into site_dir/pagefind/; returns the number of records."""
    out = Path(site_dir) / INDEX_DIR
    if out.exists():
        shutil.rmtree(out)
    try:
        # In a thread of its own: the caller may already run an event loop (Playwright's sync API does).
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _write(recs, out)).result()
    except PolicykitError:
        raise
    except Exception as err:  # the Pagefind service reports its failures as plain exceptions
        raise PolicykitError(f"the search index could not be written: {err}") from err
    for path in out.iterdir():
        if not path.name.startswith(_KEEP) or "-ui" in path.name or "highlight" in path.name:
            path.unlink()
    return len(recs)


async def _write(recs: list[SearchRecord], out: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"output_path": str(out)}) as index:
        for r in recs:
            await index.add_custom_record(url=r.url, content=r.content(), language=LANGUAGE, meta=r.meta())
