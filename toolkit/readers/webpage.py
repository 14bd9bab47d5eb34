"""Copies saved from government web pages: take away what the page put around the text, read its metadata table.

A crawled copy carries, before and after the document, what the page showed around it: the page title, menu
links glued to their URLs, a breadcrumb (当前位置：首页 >> 政务公开 >> …), "打印 关闭", "语言播报", links to the
previous and next page (上一个：…), the file name of a PDF copy. gov.cn-style pages also show a label/value table
(索引号, 文号, 发布机构, 组配分类, 成文日期, 发布日期, 公开方式), each label maybe alone on a line with its value
on the next. Crawlers leave markers such as `@@` at the start of lines.

This stage works on cleaned lines, before they are grouped into paragraphs: every line it takes away is blanked
and recorded as a Repair with its line number (page_furniture_removed, page_metadata_read,
crawler_marker_removed), so nothing leaves the text without a trace (readers/accounting.py checks that).
Only line shapes that are never the text of a document are treated as furniture.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import parse_numeric_date, strip_spaces
from ..model import Repair
from .clean import Line

# Label of the metadata table -> Metadata field. 文号 and 成文日期 only fill the document's own when the text
# has none (gongwen.apply_page_facts).
LABELS = {
    "索引号": "index_number",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "组配分类": "classification",
    "主题分类": "classification",
    "成文日期": "signed_date",
    "发布日期": "published_date",
    "公开方式": "disclosure",
}
_LABEL_LINE = re.compile(r"^(?P<label>" + "|".join(sorted(LABELS, key=len, reverse=True)) +
                         r")\s*(?:[：:]\s*(?P<value>.*))?$")
_DATE_FIELDS = {"signed_date", "published_date"}
_VALUE_LIMIT = 60  # a value is a number, a name or a date: longer lines are text, not a table cell

_URL = re.compile(r"https?[:：]//|/col/|\.s?html?\b|index\.jsp", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^(?:当前位置|您现在的位置|您的位置)[：:]|^(?:>>|»|>|＞)\s*\S{1,20}$|^首页\s*(?:>|»|＞)")
# "打印 关闭", "语言播报", "【字体：大 中 小】", "分享到：", "扫一扫在手机打开当前页", "返回顶部": the page's buttons.
_BUTTON = r"(?:打印(?:本页)?|关闭(?:窗口|本页)?|语言播报|返回顶部|收藏|分享到[：:]?|扫一扫.{0,12}|字体[：:]?\s*大\s*中\s*小|大\s*中\s*小)"
_BUTTONS = re.compile(rf"^(?:[【\[]?\s*{_BUTTON}\s*[】\]]?\s*)+$")
_NEIGHBOUR = re.compile(r"^(?:上一[个篇条]|下一[个篇条])[：:]")
_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)$", re.IGNORECASE)
# 发布时间：2023-10-23 08:59 浏览次数： 信息来源： 市府办 — the page's byline, with the publication date.
_BYLINE = re.compile(r"^(?:发布时间|发布日期|时间)[：:]\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?)"
                     r".*(?:浏览次数|点击数|信息来源|来源|字号)")
_MARKER = re.compile(r"^@@+\s*")


@dataclass
class PageFacts:
    """What the page said about the document: field -> (value as written, normalised for dates; line)."""

    fields: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found[0] if found else None

    def line(self, name: str) -> int | None:
        found = self.fields.get(name)
        return found[1] if found else None


def _is_furniture(text: str) -> bool:
    if "。" in text:
        return False  # a sentence: text, whatever else the line holds
    return bool(_URL.search(text) or _BREADCRUMB.search(text) or _BUTTONS.match(text)
                or _NEIGHBOUR.match(text) or _FILE_LINK.search(text))


def strip_page(lines: list[Line]) -> tuple[list[Line], list[Repair], PageFacts]:
    """The lines with page furniture, the metadata table and crawler markers blanked; the repairs; the facts."""
    repairs: list[Repair] = []
    facts = PageFacts()
    out = [Line(ln.number, ln.text, ln.hard_break) for ln in lines]
    for ln in out:
        match = _MARKER.match(ln.text)
        if match and ln.text[match.end():]:
            repairs.append(Repair("crawler_marker_removed", [ln.number], match.group(0).strip(), ""))
            ln.text = ln.text[match.end():]
    taken = _read_metadata_table(out, facts, repairs)
    for ln in out:
        if ln.number in taken or not ln.text:
            continue
        byline = _BYLINE.match(ln.text)
        if byline:
            date = parse_numeric_date(byline.group("date"))
            if date and "published_date" not in facts.fields:
                facts.fields["published_date"] = (date, ln.number)
            repairs.append(Repair("page_metadata_read", [ln.number], ln.text, date or ""))
            taken.add(ln.number)
        elif _is_furniture(ln.text):
            repairs.append(Repair("page_furniture_removed", [ln.number], ln.text, ""))
            taken.add(ln.number)
    _remove_page_title(out, taken, repairs)
    for ln in out:
        if ln.number in taken:
            ln.text, ln.hard_break = "", False
    return out, repairs, facts


def _read_metadata_table(lines: list[Line], facts: PageFacts, repairs: list[Repair]) -> set[int]:
    """Label/value pairs (索引号 ⏎ 113325…, or 索引号：113325…) where at least two labels sit together: one
    word such as 文号 alone in a document is not a table."""
    filled = [ln for ln in lines if ln.text]
    pairs: list[tuple[int, int | None, str, str]] = []  # (index in filled, value index, label, value)
    i = 0
    while i < len(filled):
        match = _LABEL_LINE.match(filled[i].text)
        if not match:
            i += 1
            continue
        label, value = match.group("label"), strip_spaces(match.group("value") or "")
        if value:
            pairs.append((i, None, label, value))
            i += 1
            continue
        nxt = filled[i + 1].text if i + 1 < len(filled) else ""
        if nxt and not _LABEL_LINE.match(nxt) and len(nxt) <= _VALUE_LIMIT and "。" not in nxt:
            pairs.append((i, i + 1, label, nxt))
            i += 2
        else:
            pairs.append((i, None, label, ""))  # a label with an empty cell
            i += 1
    taken: set[int] = set()
    group: list[tuple[int, int | None, str, str]] = []
    for pair in [*pairs, None]:
        if pair and group and pair[0] - (group[-1][1] if group[-1][1] is not None else group[-1][0]) <= 2:
            group.append(pair)
            continue
        if len({p[2] for p in group}) >= 2:
            for label_at, value_at, label, value in group:
                name = LABELS[label]
                if name in _DATE_FIELDS:
                    value = parse_numeric_date(value) or ""
                if value and name not in facts.fields:
                    facts.fields[name] = (value, filled[value_at if value_at is not None else label_at].number)
                numbers = [filled[label_at].number] + ([filled[value_at].number] if value_at is not None else [])
                before = " ".join(filled[k].text for k in [label_at] + ([value_at] if value_at is not None else []))
                repairs.append(Repair("page_metadata_read", numbers, before, f"{name}={value}" if value else ""))
                taken.update(numbers)
        group = [pair] if pair else []
    return taken


def _remove_page_title(lines: list[Line], taken: set[int], repairs: list[Repair]) -> None:
    """The page title repeats the document's title above the furniture: a line whose text comes again further
    down with only furniture or metadata lines between the two is the page's copy."""
    filled = [ln for ln in lines if ln.text]
    for i, ln in enumerate(filled):
        if ln.number in taken:
            continue
        between = False
        for later in filled[i + 1:]:
            if later.number in taken:
                between = True
                continue
            if between and later.text == ln.text:
                repairs.append(Repair("page_furniture_removed", [ln.number], ln.text, ""))
                taken.add(ln.number)
            break
        else:
            continue
        if ln.number not in taken:
            break  # the first line of real text: the page title can only come before it
