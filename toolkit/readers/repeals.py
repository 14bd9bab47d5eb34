"""Repeal clauses: 《A》（X号）、《B》和《C》同时废止 — every document named, with its 发文字号 when given.

The clause that repeals is the stretch of the sentence before the verb (同时废止, 予以废止, 一并废止, 即行废止),
back to the last ， ； or 。 outside brackets. In it, each 《title》 is one repealed document, with the number in
brackets right after it; a number with no title before it (劳社部发[2000]8号同时废止) is one too.

A repeal may also announce a list (下列文件同时废止：) whose items follow as paragraphs or units, each naming one
or more documents: repeals_in_texts reads those too.
"""
from __future__ import annotations

import re

from ..model import Repeal

_VERB = re.compile(r"(?:同时|予以|一并|即行|相应)废止")
_NUMBER = r"[\u4e00-\u9fff]{1,12}?\s*[〔\[【（(]\s*\d{4}\s*[〕\]】）)]\s*\d{1,9}\s*号"
_ITEM = re.compile(rf"《(?P<title>[^《》]{{2,120}})》(?:\s*[（(]\s*(?P<tnum>{_NUMBER})\s*[）)])?|(?P<num>{_NUMBER})")
_OPEN, _CLOSE = "《（〔【“(", "》）〕】”)"


def _clause_start(text: str, end: int) -> int:
    """Where the clause ending at `end` starts: after the last ，；。 at bracket depth 0."""
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "，；。：":
            return i + 1
    return 0


def find_repeals(text: str, parse_number) -> list[Repeal]:
    """Every repeal in text. parse_number(str) -> (normalised number, parts) | None (gongwen.parse_doc_number)."""
    out: list[Repeal] = []
    for verb in _VERB.finditer(text):
        clause = text[_clause_start(text, verb.start()):verb.start()]
        for item in _ITEM.finditer(clause):
            raw_number = item.group("tnum") or item.group("num")
            parsed = parse_number(raw_number) if raw_number else None
            title = item.group("title")
            if title or parsed:
                out.append(Repeal(doc_number=parsed[0] if parsed else None, title=title))
    return out


_LIST_INTRO = re.compile(r"(?:(?:同时|予以|一并|即行)废止(?:下列|以下|如下)(?:规范性)?(?:文件|规定)?|"
                         r"(?:下列|以下)(?:规范性)?(?:文件|规定)(?:同时|予以|一并|即行)?废止)[：:]\s*$")


_LABEL = re.compile(r"^\s*[（(]?[0-9一二三四五六七八九十]{1,3}[）).、．]?\s*")  # （一） 1. 2、 before an item


def _named(text: str, parse_number) -> list[Repeal]:
    out = []
    for item in _ITEM.finditer(text):
        raw_number = item.group("tnum") or item.group("num")
        parsed = parse_number(raw_number) if raw_number else None
        if item.group("title") or parsed:
            out.append(Repeal(doc_number=parsed[0] if parsed else None, title=item.group("title")))
    return out


def repeals_in_texts(texts: list[str], parse_number) -> list[Repeal]:
    """Every repeal in a document's texts (in reading order): the clauses of find_repeals, and the items of a
    list a text announces (…下列文件同时废止：⏎（一）《A》（X号）；⏎（二）《B》。): the texts right after it that start
with a title, each of its titles one repeal."""
    out: list[Repeal] = []
    listing = False
    for text in texts:
        if listing and _LABEL.sub("", text).startswith(("《", "原《")):
            out += _named(text, parse_number)
            continue
        listing = False
        if "废止" in text:
            out += find_repeals(text, parse_number)
            listing = bool(_LIST_INTRO.search(text))
    return out
