"""Repeal clauses: 《A》（X号）、《B》和《C》同时废止 — every document named, with its 发文字号 when given.

The clause that repeals is the stretch of the sentence before the verb (同时废止, 予以废止, 一并废止, 即行废止),
back to the last ， ； or 。 outside brackets. In it, each 《title》 is one repealed document, with the number in
brackets right after it; a number with no title before it (劳社部发[2000]8号同时废止) is one too.
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
