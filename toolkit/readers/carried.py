"""Documents carried by a document: the 办法 a 印发通知 issues, the 预案 of a 函, the 条例 of a 公告.

After the wrapper's signature and date (and maybe a 附注 such as （此件公开发布）), or after an 附件 label, comes
the carried text: its own title (maybe over several lines, maybe letter-spaced), maybe its own 主送 and a
preface, maybe a 目录, then a numbered body starting at 1. A notice may carry more than one; the next one starts
after the previous one's date, after an 附件 label, or at a title the wrapper names (印发《A》和《B》的通知).

This module only finds where each carried text starts and how many title lines it has; gongwen reads them.
Pure functions over the cleaned paragraphs; the caller passes in what it knows about titles (doc_type_of and
how title lines join) so the two modules do not import each other.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..chinese import is_date_line
from .clean import Para
from .numbering import match_decimal, match_number
from .toc import is_toc_head, toc_end

LABEL = re.compile(r"^附件\s*([0-9一二三四五六七八九十]*)\s*[:：]?$")
_NOTE = re.compile(r"^[（(][^（）()]{2,120}[）)]$")  # （此件公开发布）, （2019年…会议通过）, （试行）
_DOC_NUMBER = re.compile(r"^[（(]?[\u4e00-\u9fff]{1,12}[〔\[【（(]\d{4}[〕\]】）)]\d{1,9}号[）)]?$")  # its own 发文字号
# Titles of carried texts end with a 文种 or a form of act (doc_type_of), or with one of these.
PLAN_WORDS = ("预案", "方案", "规划", "计划", "纲要", "要点", "指南", "指引", "准则", "章程", "制度", "守则")
_TRANSMIT = re.compile(r"(?:印发|转发|批转|发布|公布|颁布)(?P<what>.+?)的(?:通知|函|公告|命令|令|决定)$")
_MAX_TITLE_LINES = 4
_MAX_LEAD = 8  # paragraphs between a title and the first unit: 主送, preface, notes
_MAX_PREFACE = 3


@dataclass(frozen=True)
class CarriedStart:
    start: int  # index of the first paragraph (the 附件 label when there is one)
    label: str | None  # 附件, 附件2 …
    title_start: int
    title_end: int  # index after the last title line (== title_start when it has no title)


def _prose(text: str) -> bool:
    return any(ch in text for ch in "，。；")


def _title_line(text: str) -> bool:
    return (0 < len(text) <= 40 and not _prose(text) and not text.endswith(("：", ":"))
            and not is_date_line(text) and not LABEL.match(text) and not is_toc_head(text) and not _NOTE.match(text)
            and match_number(text) is None)


def _norm(title: str) -> str:
    """For comparing a title with the name a wrapper gives it: no spaces, brackets, 年 or （试行）."""
    return re.sub(r"[\s《》〈〉“”\"年]|[（(]试行[）)]", "", title)


def named_titles(wrapper_title: str | None) -> list[str]:
    """What a wrapper's title says it carries: 《A》和《B》, or the words between 印发 and 的通知."""
    if not wrapper_title:
        return []
    quoted = re.findall(r"《([^》]{2,80})》", wrapper_title)
    if quoted:
        return [_norm(q) for q in quoted]
    match = _TRANSMIT.search(wrapper_title)
    return [_norm(match.group("what"))] if match else []


def _starts_body(paras: list[Para], at: int) -> bool:
    """A unit numbered 1 (第一章, 第一条, 一、, （一）, 1, 1.) or a 目录 starts at paras[at]."""
    para = paras[at]
    numbered = match_decimal(para.raw) or match_number(para.text)
    if numbered is not None:
        return numbered.ordinal == 1 and (not numbered.path or numbered.path == (1,))
    return is_toc_head(para.text) and toc_end(paras, at) is not None


def _body_follows(paras: list[Para], at: int) -> bool:
    """The first unit comes after at most a 主送, a short preface and notes."""
    preface = 0
    for j in range(at, min(len(paras), at + _MAX_LEAD)):
        text = paras[j].text
        if _starts_body(paras, j):
            return True
        if _NOTE.match(text) or _DOC_NUMBER.match(text):
            continue
        if text.endswith(("：", ":")) or _prose(text):
            preface += 1
            if preface > _MAX_PREFACE:
                return False
            continue
        return False
    return False


def carried_at(paras: list[Para], at: int, title_type: Callable[[str], str | None],
               join_title: Callable[[list[str]], str], after_date: bool,
               names: list[str]) -> CarriedStart | None:
    """A carried text starting at paras[at], or None.

    after_date: paras[at] follows a date or a 附注 (the end of the wrapper or of the text before). Then a title
    that looks like a document's (its 文种 or form of act) is enough, and a body numbered from 1 right there is a
    carried text without a title. Elsewhere the title must be one the wrapper names."""
    label = LABEL.match(paras[at].text)
    title_start = at + 1 if label else at
    if title_start >= len(paras):
        return None
    if (after_date or label) and _starts_body(paras, title_start):
        return CarriedStart(at, paras[at].text if label else None, title_start, title_start)
    lines: list[str] = []
    for j in range(title_start, min(len(paras), title_start + _MAX_TITLE_LINES)):
        if not _title_line(paras[j].text):
            break
        lines.append(paras[j].raw)
        title = join_title(lines)
        known = _norm(title) in names or any(n and n in _norm(title) for n in names)
        typed = title_type(title) is not None or title.endswith(PLAN_WORDS)
        if (known or (typed and (after_date or label))) and j + 1 < len(paras) and _body_follows(paras, j + 1):
            return CarriedStart(at, paras[at].text if label else None, title_start, j + 1)
    return None


def find_carried(paras: list[Para], begin: int, wrapper_title: str | None,
                 title_type: Callable[[str], str | None],
                 join_title: Callable[[list[str]], str]) -> list[CarriedStart]:
    """Where each carried text starts, from paras[begin] on (begin: after the wrapper's header)."""
    names = named_titles(wrapper_title)
    found: list[CarriedStart] = []
    i = max(begin + 1, 1)  # a date right under the title is the header's, not the end of a wrapper
    while i < len(paras):
        text = paras[i].text
        prev = paras[i - 1].text
        after_date = is_date_line(prev) or bool(_NOTE.match(prev)) and _dated_before(paras, i)
        candidate = LABEL.match(text) or (_title_line(text) and (after_date or names)) or \
            (after_date and _starts_body(paras, i))
        if candidate:
            start = carried_at(paras, i, title_type, join_title, after_date, names)
            if start:
                found.append(start)
                i = start.title_end + 1
                continue
        i += 1
    return found


def _dated_before(paras: list[Para], i: int) -> bool:
    """A 附注 line follows the wrapper's date (with maybe other notes between)."""
    j = i - 1
    while j >= 0 and _NOTE.match(paras[j].text):
        j -= 1
    return j >= 0 and is_date_line(paras[j].text)
