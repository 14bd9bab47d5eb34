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
    "信息索引号": "index_number",
    "标题": "title",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "文件编号": "doc_number",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发布单位": "publisher",
    "组配分类": "classification",
    "主题分类": "classification",
    "成文日期": "signed_date",
    "发文日期": "signed_date",
    "发布日期": "published_date",
    "公开日期": "published_date",
    "生成日期": "published_date",
    "公开方式": "disclosure",
    "公开形式": "disclosure",
    # Rows of the same tables that we do not read into a field: taken out of the text with the table, as written.
    "有效性": None,
    "时效性": None,
    "体裁分类": None,
    "主题词": None,
    "生效日期": None,
    "废止日期": None,
    "失效日期": None,
    "文件状态": None,
    "统一编号": None,
    "登记号": None,
}
# gov.cn pads labels to one width (索　引　号, 标　　题) and puts two pairs on a line, tab apart.
_LABEL = "|".join(r"[ \t\u3000]*".join(label) for label in sorted(LABELS, key=len, reverse=True))
_FIRST_PAIR = re.compile(rf"^(?P<label>{_LABEL})[ \t\u3000]*(?:[：:]|$)")
_NEXT_PAIR = re.compile(rf"(?<=[ \t\u3000])(?P<label>{_LABEL})[ \t\u3000]*[：:]")
_DATE_FIELDS = {"signed_date", "published_date"}
_VALUE_LIMIT = 60  # a value is a number, a name or a date: longer lines are text, not a table cell

_URL = re.compile(r"https?[:：]//|/col/|\.s?html?\b|index\.jsp", re.IGNORECASE)
_URL_TOKEN = re.compile(r"https?[:：]//[\x21-\x7e]*|[A-Za-z0-9_/.?=&-]*(?:\.(?:s?html?|jsp|php|aspx?)|/col/)"
                        r"[A-Za-z0-9_/.?=&-]*", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^[您你]?(?:当前|现在)?(?:所在)?的?位置[：:]|^(?:>>|»|>|＞)\s*\S{1,20}$|^首页\s*(?:>|»|＞)")
# "打印 关闭", "语言播报", "【字体：大 中 小】", "分享到：", "扫一扫在手机打开当前页", "返回顶部": the page's buttons.
_BUTTON = r"(?:打印(?:本页)?|关闭(?:窗口|本页)?|语言播报|返回顶部|收藏|我要纠错|分享到[：:]?|扫一扫.{0,12}|字体[：:]?\s*大\s*中\s*小|大\s*中\s*小)"
_BUTTONS = re.compile(rf"^(?:[【\[]?\s*{_BUTTON}\s*[】\]]?\s*)+$")
# 【我要纠错】 责任编辑：张三: the page's editor, after its buttons.
_EDITOR = re.compile(r"^(?:[【\[][^】\]]{1,8}[】\]]\s*)*(?:责任编辑|编辑)[：:]\s*[\u4e00-\u9fff·]{1,8}$")
_TITLE_SUFFIX = "_-|｜—－"  # 标题_政府信息公开专栏, 标题-某某市人民政府: a page title is the title and the site
# 来源：市府办 / 浏览次数：1024 / 作者：… alone on a line: the page's byline without its date.
_COUNTERS = re.compile(r"^(?:(?:信息)?来源|作者|浏览次数|点击数|阅读次数|访问量)[：:][^，。；]{0,20}$")
# A menu without links: 首页 政务公开 政策文件 互动交流, words apart; and the page's links to related items.
_MENU = re.compile(r"^首页(?:[ \t\u3000]+[\u4e00-\u9fff]{2,8}){2,}$")
_RELATED = re.compile(r"^(?:相关(?:文件|链接|阅读|信息|政策|解读|稿件)|政策解读|图片解读|原文链接)[：:]")
_NEIGHBOUR = re.compile(r"^(?:上一[个篇条]|下一[个篇条])[：:]")
_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)$", re.IGNORECASE)
# 发布时间：2023-10-23 08:59 浏览次数： 信息来源： 市府办 — the page's byline, with the publication date; it
# also names the page's counters, source or author (_BYLINE_WORDS), which no sentence of a document does.
_BYLINE = re.compile(r"(?:发布时间|发布日期|时间)[：:]\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?)")
_BYLINE_WORDS = re.compile(r"浏览次数|点击数|阅读数|来源[：:]|作者[：:]|字号[：:]|【字体")
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
    if _URL.search(text) or _FILE_LINK.search(text):
        # Menu links glued to their URLs, or a file name: no punctuation once the URLs are gone. A line that
        # gives an address (申报网址：https://…, 附件：申报表.docx) is the document's.
        rest = _URL_TOKEN.sub("", text)
        return not any(ch in rest for ch in "，；：、")
    return bool(_BREADCRUMB.search(text) or _BUTTONS.match(text) or _EDITOR.match(text) or _NEIGHBOUR.match(text)
                or _COUNTERS.match(text) or _MENU.match(text) or _RELATED.match(text))


def strip_page(lines: list[Line]) -> tuple[list[Line], list[Repair], PageFacts]:
    """The lines with page furniture, the metadata table and crawler markers blanked; the repairs; the facts."""
    repairs: list[Repair] = []
    facts = PageFacts()
    out = [Line(ln.number, ln.text, ln.hard_break) for ln in lines]
    for ln in out:
        match = _MARKER.match(ln.text)
        if match:  # the marker goes; the rest of the line (maybe nothing) stays
            repairs.append(Repair("crawler_marker_removed", [ln.number], match.group(0).strip(), ""))
            ln.text = ln.text[match.end():]
    taken = _read_metadata_table(out, facts, repairs)
    for ln in out:
        if ln.number in taken or not ln.text:
            continue
        byline = _BYLINE.search(ln.text)
        if byline and "。" not in ln.text and (byline.start() == 0 or _BYLINE_WORDS.search(ln.text)):
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


def _is_cell(text: str) -> bool:
    """A row of the table we do not read: a short label or value, never a title (…关于…) or a sentence."""
    return len(text) <= 16 and "关于" not in text and not any(ch in text for ch in "，。；")


def _pairs(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a line that starts with a label: 索引号：1/2024-1	主题分类：财政 gives two."""
    first = _FIRST_PAIR.match(text)
    if not first:
        return []
    starts = [first, *_NEXT_PAIR.finditer(text, first.end())]
    out = []
    for k, match in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        out.append((re.sub(r"[ \t\u3000]", "", match.group("label")), strip_spaces(text[match.end():end])))
    return out


def _read_metadata_table(lines: list[Line], facts: PageFacts, repairs: list[Repair]) -> set[int]:
    """Label/value pairs (索引号 ⏎ 113325…, or 索引号：113325…) where at least two labels sit together: one
    word such as 文号 alone in a document is not a table."""
    filled = [ln for ln in lines if ln.text]
    found: list[tuple[list[int], list[tuple[str, str]]]] = []  # (indexes in filled, pairs)
    i = 0
    while i < len(filled):
        pairs = _pairs(filled[i].text)
        if not pairs:
            i += 1
            continue
        nxt = filled[i + 1].text if i + 1 < len(filled) else ""
        if len(pairs) == 1 and not pairs[0][1] and nxt and not _pairs(nxt) and len(nxt) <= _VALUE_LIMIT \
                and "。" not in nxt:
            found.append(([i, i + 1], [(pairs[0][0], strip_spaces(nxt))]))  # the label alone, its value below
            i += 2
        else:
            found.append(([i], pairs))
            i += 1
    taken: set[int] = set()
    group: list[tuple[list[int], list[tuple[str, str]]]] = []
    for entry in [*found, None]:
        # Up to two lines apart: a label we do not read (有效性 ⏎ 有效) may sit between two we do.
        if entry and group and entry[0][0] - group[-1][0][-1] <= 3:
            group.append(entry)
            continue
        if len({label for _, pairs in group for label, _ in pairs}) >= 2:
            for at, pairs in group:
                numbers = [filled[k].number for k in at]
                after = []
                for label, value in pairs:
                    name = LABELS[label] or label
                    if name in _DATE_FIELDS:
                        value = parse_numeric_date(value) or ""
                    if value and LABELS[label] and name not in facts.fields:
                        facts.fields[name] = (value, numbers[-1])
                    if value:
                        after.append(f"{name}={value}")
                before = " ".join(filled[k].text for k in at)
                repairs.append(Repair("page_metadata_read", numbers, before, " ".join(after)))
                taken.update(numbers)
            for k in range(group[0][0][0], group[-1][0][-1] + 1):  # the table's other rows (有效性 ⏎ 有效)
                if filled[k].number not in taken and _is_cell(filled[k].text):
                    repairs.append(Repair("page_metadata_read", [filled[k].number], filled[k].text, ""))
                    taken.add(filled[k].number)
        group = [entry] if entry else []
    return taken


def _remove_page_title(lines: list[Line], taken: set[int], repairs: list[Repair]) -> None:
    """The page title repeats the document's title above the furniture: a line whose text comes again further
    down (maybe followed by the site's name: 标题_政府信息公开专栏) with only furniture or metadata lines between
    the two is the page's copy."""
    filled = [ln for ln in lines if ln.text]
    for i, ln in enumerate(filled):
        if ln.number in taken:
            continue
        between = False
        for later in filled[i + 1:]:
            if later.number in taken:
                between = True
                continue
            if between and (later.text == ln.text or ln.text.startswith(later.text)
                            and ln.text[len(later.text):].lstrip()[:1] in tuple(_TITLE_SUFFIX)):
                repairs.append(Repair("page_furniture_removed", [ln.number], ln.text, ""))
                taken.add(ln.number)
            break
        else:
            continue
        if ln.number not in taken:
            break  # the first line of real text: the page title can only come before it
