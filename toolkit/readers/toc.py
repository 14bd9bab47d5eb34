"""目录: a table of contents inside a text (a 预案, a long 办法). Its lines repeat the headings of the body, so
read as body they would give every heading twice (and numbering errors); they are kept as lines instead.

The 目录 line is followed by the entries; the body starts where the first entry comes again. Without such a
repeat the end cannot be told from the text, and nothing is taken (the caller warns).
"""
from __future__ import annotations

import re

from .clean import Para

_TOC_HEAD = re.compile(r"^目\s*录$")
_PAGE_NUMBER = re.compile(r"[\s.．…·]*\d*$")  # 总则……1: dot leaders and a page number


def _key(text: str) -> str:
    return _PAGE_NUMBER.sub("", re.sub(r"\s+", "", text))


def is_toc_head(text: str) -> bool:
    return bool(_TOC_HEAD.match(text.strip()))


def toc_end(paras: list[Para], start: int, limit: int = 400) -> int | None:
    """paras[start] is a 目录 line: the index of the paragraph where the body starts again, or None."""
    if start + 1 >= len(paras):
        return None
    first = _key(paras[start + 1].raw)
    if not first:
        return None
    for j in range(start + 2, min(len(paras), start + 2 + limit)):
        if _key(paras[j].raw) == first:
            return j
    return None


def toc_lines(paras: list[Para], start: int, end: int) -> list[str]:
    """The 目录 line (as 目录) and the entries up to the body, spaces tidied (　　1.1　编制目的 -> 1.1 编制目的)."""
    return ["目录"] + [re.sub(r"[ \u3000\t]+", " ", p.raw).strip() for p in paras[start + 1:end]]
