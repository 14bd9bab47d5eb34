"""The document vocabulary shared by the reader and every writer: 文种, 发文字号 and its parts, document ids,
and the keys that tell whether two mentions name the same document.

Readers and writers both import from here, so no writer needs a reader's internals (docs/architecture.md).
"""
from __future__ import annotations

import re

from .chinese import collapse_cjk_spaces, normalize_brackets, strip_spaces
from .initials import initial
from .model import DocNumber
from .registry import province_initials

DOC_NUMBER_RE = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,12}?)\s*[〔\[（【]\s*(?P<year>\d{4})\s*[〕\]）】]\s*(?P<serial>\d+)\s*号")
# The 15 文种 of 《党政机关公文处理工作条例》 第八条, then forms of laws and rules.
DOC_TYPES = ["决议", "决定", "命令", "令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
             "议案", "函", "纪要"]
ACT_TYPES = ["法", "条例", "规定", "办法", "细则", "规则", "实施细则", "规程"]


def parse_doc_number(text: str) -> tuple[str, DocNumber] | None:
    """浙政办发[2024] 21号 -> ("浙政办发〔2024〕21号", DocNumber(...)); None when the text is not one 发文字号."""
    match = DOC_NUMBER_RE.fullmatch(strip_spaces(collapse_cjk_spaces(text)))
    if not match:
        return None
    if len(match.group("serial")) > 9:
        return None  # not a 发文字号 (and int() of thousands of digits raises): found by fuzzing
    code, year, serial = match.group("code"), int(match.group("year")), int(match.group("serial"))
    return f"{code}〔{year}〕{serial}号", DocNumber(agency_code=code, year=year, serial=serial)


def doc_type_of(title: str | None) -> str | None:
    """文种 from the end of a title: …的若干意见 -> 意见, …办法（试行） -> 办法."""
    if not title:
        return None
    core = re.sub(r"[（(][^（）()]*[）)]$", "", title)  # drop a trailing (试行)
    for word in sorted(ACT_TYPES + DOC_TYPES, key=len, reverse=True):
        if core.endswith(word):
            return "命令" if word == "令" else word
    return None


def slug(text: str) -> str:
    """[a-z0-9-] only, so an id can never name a path outside the output folder."""
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text or "document"


def _initials(agency_code: str) -> str:
    """浙政办发 -> zjzbf: a province abbreviation gives the province's initials, other characters their own."""
    out = []
    for i, ch in enumerate(agency_code):
        province = province_initials(ch) if i == 0 else None
        out.append(province or initial(ch))
    return "".join(out)


def id_for_doc_number(parts: DocNumber) -> str:
    """zjzbf-2024-21 from 浙政办发〔2024〕21号: also names documents we only know by number (repeals)."""
    return slug(f"{_initials(parts.agency_code)}-{parts.year}-{parts.serial}")


def doc_number_key(text: str | None) -> str | None:
    """发文字号 comparable across bracket styles and spacing: 浙政办发〔2022〕19号 = 浙政办发[2022] 19号 =
    浙政办发（2022）19号. None for no number."""
    if not text:
        return None
    return normalize_brackets("".join(text.split())).replace("(", "（").replace(")", "）")


def title_key(text: str | None) -> str | None:
    """A title compared exactly, but for spacing and bracket width: 《关于…的通知》 names the document titled so."""
    if not text:
        return None
    return normalize_brackets("".join(text.split())).replace("(", "（").replace(")", "）") or None
