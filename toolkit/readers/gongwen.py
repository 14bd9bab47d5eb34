"""Paragraphs of a 公文 (or a law) -> Document: the GB/T 9704 parts and the numbered body tree.

One forward pass over the paragraphs, in the order GB/T 9704 lays a document out:
版头 (发文机关标志, 发文字号) and 标题 → 主送机关 → preamble → numbered body → closing sentences
(施行, 废止) → 署名, 成文日期, 附注 → 版记 (抄送, 印发) → 附件. Each part is optional. A text carried by the
document (the 办法 of a 印发通知, see carried.py) is read by the same pass into a Component.
"""
from __future__ import annotations

import re

from ..chinese import (DATE_RE, collapse_cjk_spaces, is_date_line, normalize_brackets, parse_date,
                       split_top_level, strip_spaces)
from ..model import (Attachment, Closing, Component, Document, Event, Finding, Metadata, Provenance,
                     Responsibility, Unit)
from ..divisions import place_in_text, place_of
from ..limits import check_unit_count
from ..vocabulary import doc_type_of, parse_doc_number
from .carried import PLAN_WORDS, CarriedStart, find_carried
from .citations import find_citations
from .clean import Para
from .measures import lead_measures
from .numbering import Numbered, match_decimal, match_number
from .repeals import repeals_in_texts
from .responsibilities import Context, find_responsibilities
from .thresholds import document_rules, find_thresholds
from .toc import is_toc_head, toc_end, toc_lines
from .validity import read_validity
from .webpage import PageFacts

_PROSE = "，。；"
_EVENT_WORDS = ("通过", "修订", "修正", "公布", "发布", "批准")
# Closing sentences of the body: entry into force, repeal, interpretation, period of validity.
_POSTAMBLE = re.compile(r"起(?:施行|实施|执行|生效)|同时废止|负责解释|有效期")
# 结束语 after the last unit, in any kind of text: not part of the last clause.
_CLOSING_REMARK = re.compile(r"^(?:特此(?:通知|公告|通告|函告|函复|批复|报告|说明)|此复|以上\w{0,6}[，,]\s*请|"
                             r"请[^。]{0,40}(?:认真|遵照|结合实际)[^。]{0,20}(?:贯彻|执行|落实|实施))")
_LIST_KINDS = ("paragraph", "point", "item", "indent")
_NOTE = re.compile(r"^（([^（）]{2,30})）$")
_CARRIED_NOTE = re.compile(r"^（([^（）]{2,120})）$")  # under a carried title: （2024年…会议通过）, （试行）
# 附件, 附件2, 附件1： (a colon after a number: crawled copies write the label so).
_ATTACHMENT_HEAD = re.compile(r"^附件\s*([0-9一二三四五六七八九十]*)(?:(?<=[0-9一二三四五六七八九十])\s*[:：])?$")
_PRINTED = re.compile(rf"^(?P<office>.*?)\s*(?P<date>{DATE_RE.pattern})\s*印发$")
_EFFECTIVE = re.compile(rf"自\s*(?P<date>{DATE_RE.pattern})\s*起(?:施行|实施|执行|生效)")
_EFFECTIVE_ON_ISSUE = re.compile(r"自(?:印发|发布|公布)之日起(?:施行|实施|执行|生效)")
_HEADING_LIMIT = 40


def _is_prose(text: str) -> bool:
    return any(ch in text for ch in _PROSE)


def _is_short_label(text: str) -> bool:
    """A line such as a signature or a title line: short, without sentence punctuation."""
    return len(text) <= 40 and not _is_prose(text) and not text.endswith("：")


def _numbered_line(text: str) -> bool:
    """一、…, 第三条…: a unit's line (a bare 0.80-1.50 table cell is not)."""
    numbered = match_number(text)
    return bool(numbered) and not numbered.ambiguous


def _join_title(lines: list[str]) -> str:
    """Title lines joined. Spaces inside go (促进 专精特新), except between joint issuers (…局 重庆市…)."""
    joined = ""
    for line in lines:
        parts = re.split(r"[ \u3000]+", strip_spaces(line))
        for part in parts:
            keep_space = (joined and joined[-1] in "局厅委部院府会办室行署" and part[:2] == joined[:2])
            joined += (" " if keep_space else "") + part
    return collapse_cjk_spaces(joined) if " " not in joined else joined


class _Reader:
    """Holds the state of one forward pass; each _read_* method consumes paragraphs from self.i."""

    def __init__(self, paras: list[Para], name: str, units_before: int = 0):
        self.paras = paras
        self.name = name
        self.units_before = units_before  # units the document's earlier parts hold (limits.MAX_UNITS is per document)
        self.i = 0
        self.meta = Metadata()
        self.preamble: list[str] = []
        self.postamble: list[str] = []
        self.closing = Closing()
        self.attachments: list[Attachment] = []
        self.warnings: list[Finding] = []
        self.body: list[Unit] = []
        self.stack: list[tuple[Unit, Numbered]] = []
        self.last_ordinal: dict[str, int] = {}  # per style, for numbering straight through the document
        self.pending_heading: dict[int, str] = {}  # id(unit) -> tentative heading (alone, ending in 。)
        self.eids: set[str] = set()
        # Bookkeeping that keeps the pass linear on huge inputs (each replaced a scan or a re-join per paragraph):
        self.next_suffix: dict[str, int] = {}  # duplicated eid -> next free -N suffix
        self.last_sibling: dict[tuple[int, str], Unit] = {}  # (id of the sibling list, kind) -> last unit
        self.more_text: dict[int, tuple[list[str], list[str]]] = {}  # id(unit) -> (text, wrap_up) paragraphs
        # id(paragraph) -> the unit its lead sentence opens (readers/measures.py)
        self.leads = {id(paras[i]): numbered for i, numbered in lead_measures(paras).items()}
        self.header_date: str | None = None
        self.wrap_after: dict[int, int] = {}  # id(unit) -> number of children when wrap-up text last came
        self.toc: list[str] = []
        self.decimal_path: tuple[int, ...] = ()  # the last decimal number read (1.2.1 -> (1, 2, 1))

    # --- helpers ---------------------------------------------------------------------------------------
    def _peek(self, offset: int = 0) -> Para | None:
        j = self.i + offset
        return self.paras[j] if j < len(self.paras) else None

    def _warn(self, code: str, message: str, para: Para | None, severity: str = "warning") -> None:
        self.warnings.append(Finding(code=code, message=message, line=para.first if para else None,
                                     column=1 if para else None, severity=severity))

    def _number(self, para: Para) -> Numbered | None:
        """The unit label at the start of a paragraph, if the reader takes it as one here."""
        decimal = match_decimal(para.raw)
        if decimal and self._decimal_expected(decimal):
            return decimal
        if decimal and self.decimal_path and len(decimal.path) > 1:
            return None  # 1.5倍… in a text numbered 1 / 1.1: a figure, not item 1.
        numbered = match_number(para.text)
        if numbered and numbered.ambiguous and not self._expected_arabic(numbered):
            return None
        return numbered or self.leads.get(id(para))

    def _decimal_expected(self, numbered: Numbered) -> bool:
        """1.3 after 1.2.1 or 1.2; 2 after 1.4; 1.2.1 after 1.2. A spaced 1.2 whose parent is open is taken too."""
        path, new = self.decimal_path, numbered.path
        if not numbered.ambiguous and len(new) > 1 and new[:-1] == path[:len(new) - 1]:
            return True
        expected = {path[:k] + (path[k] + 1,) for k in range(len(path))} | {path + (1,)} if path else {(1,)}
        return new in expected

    def _closing_starts_here(self) -> bool:
        """Signature (short lines then a date), a date, a note, 抄送, 印发 or 附件 start the closing part."""
        para = self._peek()
        text = para.text
        if is_date_line(text) or _NOTE.match(text) and not match_number(text) or _PRINTED.match(text):
            return True
        if text.startswith(("抄送", "附件：", "附件:")) or _ATTACHMENT_HEAD.match(text):
            return True
        if _is_short_label(text) and not match_number(text):
            for k in (1, 2, 3):
                nxt = self._peek(k)
                if nxt is None or not _is_short_label(nxt.text) or match_number(nxt.text):
                    return bool(nxt) and is_date_line(nxt.text)
                if is_date_line(nxt.text):
                    return True
        return False

    # --- header ----------------------------------------------------------------------------------------
    def read_header(self) -> None:
        title_lines: list[str] = []
        while (para := self._peek()) is not None:
            text = para.text
            decimal = match_decimal(para.raw)
            if match_number(text) or id(para) in self.leads or is_toc_head(text) or decimal and decimal.path == (1,):
                break
            number = parse_doc_number(re.sub(r"^[（(](.+)[）)]$", r"\1", text))  # （甬政办发〔2007〕153号） too
            if number:
                self.meta.doc_number, self.meta.doc_number_parts = number
            elif text.endswith("文件") and _is_short_label(text) and not title_lines:
                self.meta.issuer_mark = text
            elif self._event(text):
                pass
            elif text.endswith("：") and "。" not in text:
                self.meta.addressees = split_top_level(text[:-1], "，；")
                self.i += 1
                break
            elif _is_prose(text) or (title_lines and self.meta.doc_number and self._closing_starts_here()):
                break
            elif is_date_line(text):
                self.header_date = self.header_date or text  # some copies put it under the title; the closing one wins
            else:
                title_lines.append(para.raw)
            self.i += 1
        if title_lines:
            self.meta.title = _join_title(title_lines)

    def read_component_header(self, start: CarriedStart) -> str | None:
        """A carried text's title (start's title lines), then its notes (（试行）, adoption lines), its own 发文字号
        and 主送. This reader holds the carried text's paragraphs from start.start on. Returns the title."""
        self.i = start.title_end - start.start
        lines = [p.raw for p in self.paras[start.title_start - start.start:self.i]]
        while (para := self._peek()) is not None and not self._number(para):
            number = parse_doc_number(re.sub(r"^[（(](.+)[）)]$", r"\1", para.text))
            if number:  # a carried 通知 (转发…的通知) has its own 发文字号
                self.meta.doc_number, self.meta.doc_number_parts = number
            elif not _CARRIED_NOTE.match(para.text):
                break
            elif not self._event(para.text[1:-1]):
                lines.append(para.raw)  # （试行）, （征求意见稿）: part of the title
            self.i += 1
        para = self._peek()
        if para is not None and para.text.endswith("：") and "。" not in para.text and len(para.text) <= 150 \
                and not self._number(para) and not re.search(r"制定|如下|以下|下列|为了|根据|按照|规定", para.text):
            self.meta.addressees = split_top_level(para.text[:-1], "，；")
            self.i += 1
        return _join_title(lines) if lines else None

    def read_rest(self) -> None:
        """Preamble, body, closing; again while numbered text follows the closing."""
        self.read_preamble()
        while self.i < len(self.paras):
            self.read_body()
            self.finish_body()
            if self.i < len(self.paras):
                self.read_closing()

    def _event(self, text: str) -> bool:
        """Adoption and revision lines of a law: 2017年9月1日 第十二届…会议修订, also in brackets under the title:
        （2023年11月24日浙江省第十四届人民代表大会常务委员会第六次会议通过）."""
        if text[:1] in "（(" and text[-1:] in "）)":
            text = text[1:-1]
        match = DATE_RE.match(text)
        if not match or not any(word in text for word in _EVENT_WORDS) or len(text) > 150:
            return False
        self.meta.events.append(Event(date=parse_date(match.group(0)), description=strip_spaces(text[match.end():])))
        return True

    # --- preamble and body -----------------------------------------------------------------------------
    def read_preamble(self) -> None:
        while (para := self._peek()) is not None and not self._number(para):
            if is_toc_head(para.text):
                end = toc_end(self.paras, self.i)
                if end is not None:  # 目录: its lines repeat the headings; they are kept, never read as units
                    self.toc = toc_lines(self.paras, self.i, end)
                    self.i = end
                    continue
                self._warn("toc-unread", "目录的结束位置无法确定（第一条目录项在正文中没有再次出现）："
                           "目录各行按普通文字读取", para)
            if self._closing_starts_here():
                return
            self.preamble.append(para.text)
            self.i += 1

    def read_body(self) -> None:
        # Closing sentences of an earlier body (a 通知 before the text it transmits) are settled: only the
        # ones read in this pass can turn out to belong to a unit. (Folding the earlier ones back crashed
        # with an empty stack: fuzzing, tests/test_fuzz.py::test_postamble_before_transmitted_text.)
        settled = len(self.postamble)
        while (para := self._peek()) is not None:
            text = para.text
            numbered = self._number(para)
            if numbered:
                if len(self.postamble) > settled:  # not closing sentences after all: they belong to the last unit
                    for earlier in self.postamble[settled:]:
                        self._continue_unit(earlier, para)
                    del self.postamble[settled:]
                self._open_unit(numbered, para)
            elif self._closing_starts_here():
                return
            elif len(self.postamble) > settled or (self.stack and _POSTAMBLE.search(text) and not self._bare_top()
                                    and self.stack[0][1].style.kind not in ("article", "chapter", "part")) \
                    or (self.stack and _CLOSING_REMARK.match(text)):
                self.postamble.append(text)
            elif self.stack:
                if self._list_is_over(text):  # a 款 after a list: the 条's (or the parent's), not the last item's
                    self._close_unit()
                self._continue_unit(text, para)
            else:
                self.preamble.append(text)
            self.i += 1

    def _bare_top(self) -> bool:
        """The open unit has nothing yet but its number (## 三 alone): the next paragraph is its text, even a
        closing sentence such as …同时废止."""
        unit = self.stack[-1][0]
        return not (unit.text or unit.heading or unit.children or id(unit) in self.more_text)

    def _in_list(self, parent: Unit | None) -> bool:
        """Units under parent are list items (项): parent is a 条, or its text introduces them (下列条件：)."""
        if parent is None:
            return False
        if parent.kind == "article":
            return True
        parts = self.more_text.get(id(parent))
        last = (parts[1] or parts[0])[-1] if parts and (parts[1] or parts[0]) else (parent.wrap_up or parent.text)
        return last.endswith(("：", ":"))

    def _list_is_over(self, text: str) -> bool:
        """The open unit is a one-paragraph list item, so the unnumbered paragraph after it is not its own:
        the item is in a 条 or in a list its parent introduced, or the paragraph speaks of the list (上述…)."""
        if len(self.stack) < 2:
            return False
        unit = self.stack[-1][0]
        if unit.kind not in _LIST_KINDS or unit.children or id(unit) in self.more_text:
            return False
        if text.startswith(("上述", "前述", "以上各", "前款")) and unit.heading is None:
            return True
        if self._short_entry(unit) and self._short_entry(self._previous_sibling(unit)):
            return True  # a list of short entries (（一）申请表。（二）营业执照复印件。): the text after is not theirs
        if not self._in_list(self.stack[-2][0]):
            return False
        return self.stack[-2][0].kind == "article" or (unit.text or "").endswith("。") \
            or self.pending_heading.get(id(unit)) is not None

    def _previous_sibling(self, unit: Unit) -> Unit | None:
        siblings = self.stack[-2][0].children if len(self.stack) > 1 else self.body
        at = len(siblings) - 1 if siblings and siblings[-1] is unit else -1
        return siblings[at - 1] if at > 0 else None

    def _short_entry(self, unit: Unit | None) -> bool:
        """A one-line list entry: a short sentence, no heading, no children."""
        if unit is None or unit.heading is not None and id(unit) not in self.pending_heading or unit.children:
            return False
        text = unit.text or (self.pending_heading.get(id(unit), "") + "。")
        return len(text) <= _HEADING_LIMIT and text.endswith(("。", "；")) and id(unit) not in self.more_text

    def _expected_arabic(self, numbered: Numbered) -> bool:
        """「11.121人才梯队项目」 is item 11 only when 11 is the number we are waiting for."""
        return numbered.ordinal == self.last_ordinal.get(numbered.style.name, 0) + 1

    def _open_unit(self, numbered: Numbered, para: Para) -> None:
        while self.stack and self.stack[-1][1].style.rank >= numbered.style.rank:
            self._close_unit()
        parent = self.stack[-1][0] if self.stack else None
        siblings = parent.children if parent else self.body
        self._check_numbering(numbered, siblings, para)
        base = f"{numbered.style.prefix}_{numbered.ordinal}"
        eid = f"{parent.eid}__{base}" if parent else base
        if eid in self.eids:
            count = self.next_suffix.get(eid, 2)
            while f"{eid}-{count}" in self.eids:
                count += 1
            self.next_suffix[eid] = count + 1
            eid = f"{eid}-{count}"
        self.eids.add(eid)
        check_unit_count(self.units_before + len(self.eids), self.name, para.first)
        restart = self._restarts_list(numbered, parent, siblings)
        heading, text, tentative = self._split_heading(numbered)
        bracket_only = heading and re.fullmatch(r"（[^（）]*）", text)  # 增长13%。（25分）: a score, not text
        if numbered.style.kind in _LIST_KINDS and (tentative and self._in_list(parent) or (
                (tentative or bracket_only) and self._sentence_list(siblings, numbered))):
            # A short item sentence among sentences (3.亿元以上…增长13%。（25分）), not a heading over what follows.
            text = "。".join(p for p in (heading or tentative, text) if p) if heading else tentative + "。"
            heading = tentative = None
        unit = Unit(eid=eid, kind=numbered.style.kind, num=numbered.num, ordinal=numbered.ordinal,
                    heading=heading, text=text, source_lines=[para.first, para.last])
        if tentative:
            self.pending_heading[id(unit)] = tentative
            unit.heading = tentative
        if restart:  # the 款 read since the first list opens this one: it stands before it, not after both
            wrap_parts = self.more_text[id(parent)][1]
            unit.lead_in = "\n".join(wrap_parts)
            wrap_parts.clear()
        siblings.append(unit)
        self.last_sibling[(id(siblings), unit.kind)] = unit
        self.stack.append((unit, numbered))
        self.last_ordinal[numbered.style.name] = numbered.ordinal
        if numbered.path:
            self.decimal_path = numbered.path

    def _restarts_list(self, numbered: Numbered, parent: Unit | None, siblings: list[Unit]) -> bool:
        """（一） again after a list and a paragraph of the parent's own: a second list in the same 条."""
        return (numbered.ordinal == 1 and parent is not None and bool(siblings)
                and self.wrap_after.get(id(parent)) == len(siblings)
                and bool(self.more_text.get(id(parent), ((), ()))[1]))

    def _sentence_list(self, siblings: list[Unit], numbered: Numbered) -> bool:
        """The items before this one are plain sentences (no heading, no children): so is this one."""
        last = self.last_sibling.get((id(siblings), numbered.style.kind))
        return bool(last and last.heading is None and not last.children and last.text)

    def _split_heading(self, numbered: Numbered) -> tuple[str | None, str, str | None]:
        """(heading, text, tentative heading). A heading is a short leading phrase without commas."""
        rest = numbered.rest
        kind = numbered.style.kind
        if kind in ("part", "chapter", "subchapter"):
            return (rest or None), "", None
        if kind == "article":
            return None, rest, None
        end = rest.find("。")
        if end > 0:
            phrase = rest[:end]
            if len(phrase) <= _HEADING_LIMIT and not any(ch in phrase for ch in "，；：,;:"):
                remainder = rest[end + 1:]
                if remainder:
                    return phrase, remainder, None
                return None, "", phrase  # alone on its line: a heading only if text or children follow
            return None, rest, None
        if rest and len(rest) <= _HEADING_LIMIT and not any(ch in rest for ch in "，；：。,;:！？"):
            return rest, "", None
        return None, rest, None

    def _continue_unit(self, text: str, para: Para) -> None:
        unit = self.stack[-1][0]
        if id(unit) in self.pending_heading:
            del self.pending_heading[id(unit)]  # text follows: the tentative heading stands
        # Collected here and joined when the unit closes: re-joining on every paragraph was quadratic.
        text_parts, wrap_parts = self.more_text.setdefault(
            id(unit), ([unit.text] if unit.text else [], [unit.wrap_up] if unit.wrap_up else []))
        (wrap_parts if unit.children else text_parts).append(text)
        if unit.children:
            self.wrap_after[id(unit)] = len(unit.children)
        unit.source_lines[1] = para.last

    def _close_unit(self) -> None:
        unit, _ = self.stack.pop()
        parts = self.more_text.pop(id(unit), None)
        if parts:
            unit.text, unit.wrap_up = "\n".join(parts[0]), "\n".join(parts[1])
        tentative = self.pending_heading.pop(id(unit), None)
        if tentative and not unit.children:
            # "（五）其他依法依规应予奖励的必备条件。" alone: a sentence, not a heading.
            unit.heading, unit.text = None, tentative + "。"
        if self.stack:
            parent = self.stack[-1][0]
            parent.source_lines[1] = max(parent.source_lines[1], unit.source_lines[1])

    def _check_numbering(self, numbered: Numbered, siblings: list[Unit], para: Para) -> None:
        last = self.last_sibling.get((id(siblings), numbered.style.kind))  # the previous sibling of this kind
        expected = last.ordinal + 1 if last else 1
        if numbered.ordinal == expected:
            return
        if self._restarts_list(numbered, self.stack[-1][0] if self.stack else None, siblings):
            return  # a second list in the same 条, after a 款 of its own: it starts again at （一）
        through = self.last_ordinal.get(numbered.style.name, 0) + 1
        if not last and numbered.ordinal == through:
            return  # numbered straight through the document (items 1.–45. across sections)
        if last and numbered.ordinal == last.ordinal:
            self._warn("numbering-duplicate", f"{numbered.num} 与上一项编号相同", para)
        elif numbered.ordinal < expected and not last:  # 0. or 第零条 first (fuzzing: last was None here)
            self._warn("numbering-order", f"{numbered.num} 是本级第一项：编号应从 1 开始", para)
        elif numbered.ordinal < expected:
            self._warn("numbering-order", f"{numbered.num} 排在 {last.num} 之后：编号倒退了", para)
        else:
            after = f"接在 {last.num} 之后" if last else "是本级第一项"
            self._warn("numbering-gap", f"{numbered.num} {after}：应为第 {expected} 项", para)

    def finish_body(self) -> None:
        while self.stack:
            self._close_unit()

    # --- closing, 版记, attachments ----------------------------------------------------------------------
    def read_closing(self) -> None:
        signature: list[Para] = []
        while (para := self._peek()) is not None:
            text = para.text
            self.closing.source_lines = [self.closing.source_lines[0] if self.closing.source_lines else para.first,
                                         para.last]
            printed = _PRINTED.match(text)
            note = _NOTE.match(text)
            if text.startswith(("附件：", "附件:")):
                self._read_attachment_list()
                continue
            if _ATTACHMENT_HEAD.match(text):
                self._read_attachment()
                continue
            if is_date_line(text):
                if signature:
                    self._settle_signature(signature)
                    signature = []
                if not self.closing.date_text:
                    self.closing.date_text = text
                    self.meta.signed_date = parse_date(text)
                else:
                    self._keep_unexpected(para)  # a second date: kept, not dropped
                self.i += 1
                continue
            if printed:
                office = printed.group("office") or (strip_spaces(signature[-1].raw) if signature else None)
                if signature and not printed.group("office"):
                    signature.pop()
                self.meta.printing_office = office or None
                self.meta.printed_date = parse_date(printed.group("date"))
                self.closing.imprint.extend([office, text] if office and not printed.group("office") else [text])
            elif note and not match_number(text):
                self.closing.notes.append(note.group(1))
                self.meta.notes.append(note.group(1))
            elif text.startswith("抄送"):
                body = text.split("：", 1)[-1] if "：" in text else text[2:]
                self.meta.cc = split_top_level(body.rstrip("。"), "，、；")
                self.closing.imprint.append(text)
            elif _is_short_label(text) and not _numbered_line(text) and "关于" not in text:
                signature.append(para)  # a line with 一、 or 关于… is never a signer
            else:
                self._keep_unexpected(para)
            self.i += 1
        if signature:
            self._settle_signature(signature)

    def _settle_signature(self, paras: list[Para]) -> None:
        """The first signature block is the document's; lines of a later one are kept, with a warning (they were
        dropped: found by the no-silent-loss check in the fuzzer)."""
        if not self.closing.signature:
            self.closing.signature = [strip_spaces(p.raw) for p in paras]
            return
        for para in paras:
            self._keep_unexpected(para)

    def _keep_unexpected(self, para: Para) -> None:
        self._warn("unexpected-closing-text", "落款之后有既非附注、抄送也非印发的文字："
                   "已保留在文末部分", para)
        self.closing.imprint.append(para.text)

    def _read_attachment_list(self) -> None:
        first = self._peek().text.split("：", 1)[-1].strip()
        if first:
            self.meta.attachment_list.append(re.sub(r"^\d+[.．、]\s*", "", first))
        self.i += 1
        while (para := self._peek()) is not None and re.match(r"^\d+[.．、]", para.text) \
                and not _ATTACHMENT_HEAD.match(para.text):
            self.meta.attachment_list.append(re.sub(r"^\d+[.．、]\s*", "", para.text))
            self.i += 1

    def _read_attachment(self) -> None:
        head = self._peek()
        num = head.text.rstrip("：:")
        self.i += 1
        title: list[str] = []
        while (para := self._peek()) is not None and len(title) < 3 and _is_short_label(para.text) \
                and " " not in para.raw.strip() and not _ATTACHMENT_HEAD.match(para.text):
            title.append(para.text)
            self.i += 1
            if "".join(title) in self.meta.attachment_list:
                break  # the title the 附件说明 announced: what follows is the attachment's text (a table)
            if re.search(r"(表|书|单|函|录|册|证|卡|告|知|法|则|见|案|定|划|南|）)$", para.text):
                break
        lines: list[str] = []
        last = head.last
        while (para := self._peek()) is not None and not _ATTACHMENT_HEAD.match(para.text):
            lines.append(para.text)
            last = para.last
            self.i += 1
        self.attachments.append(Attachment(num=num, title="".join(title) or None, text="\n".join(lines),
                                           source_lines=[head.first, last]))


def _issuers(meta: Metadata, closing: Closing) -> list[str]:
    if closing.signature:
        names: list[str] = []
        for line in closing.signature:
            parts = [p for p in re.split(r"[ \u3000、]+", line) if p]
            if any(len(p) == 1 for p in parts):
                # 全 国 人 民 代 表 大 会 常 务 委 员 会: one name letter-spaced (PDF copies), kept whole.
                parts = [re.sub(r"[ \u3000]+", "", line)]
            names.extend(parts)
        return names
    if meta.issuer_mark:
        return [meta.issuer_mark.removesuffix("文件")]
    if meta.title and "关于" in meta.title and not meta.title.startswith("关于"):
        return [p for p in re.split(r"[ \u3000、]+", meta.title.split("关于", 1)[0]) if p]
    for event in meta.events:
        # 浙江省第十四届人民代表大会常务委员会 -> 浙江省人民代表大会常务委员会: the legislature, whole, without its term.
        organ = re.sub(r"第[一二三四五六七八九十百零〇\d]{1,6}届", "", event.description, count=1)
        organ = re.sub(r"第[^次]+次(?:会议|全体会议)?.*$", "", organ)
        if organ:
            return [organ]
    return []


def apply_page_facts(meta: Metadata, page: PageFacts) -> list[Finding]:
    """The web page's metadata table into the metadata. Its 文号 and 成文日期 fill the document's own only when
    the text has none; when both are there and differ, the text wins and a warning says so."""
    for name in ("index_number", "publisher", "published_date", "classification", "disclosure"):
        if page.get(name) and not getattr(meta, name):
            setattr(meta, name, page.get(name))
    if page.get("title") and not meta.title:
        meta.title = page.get("title")  # a copy of the body alone: the page's 标题 is the only one
    findings: list[Finding] = []
    number = parse_doc_number(page.get("doc_number")) if page.get("doc_number") else None
    if number and not meta.doc_number:
        meta.doc_number, meta.doc_number_parts = number
    elif number and number[0] != meta.doc_number:
        findings.append(Finding(code="page-metadata-conflict", line=page.line("doc_number"), column=1,
                                message=f"网页信息表的文号 {number[0]} 与正文的发文字号 {meta.doc_number} 不一致，"
                                        "采用正文的"))
    date = page.get("signed_date")
    if date and not meta.signed_date:
        meta.signed_date = date
    elif date and date != meta.signed_date:
        findings.append(Finding(code="page-metadata-conflict", line=page.line("signed_date"), column=1,
                                message=f"网页信息表的成文日期 {date} 与正文落款日期 {meta.signed_date} 不一致，"
                                        "采用正文的"))
    return findings


def _find_metadata_in_text(meta: Metadata, texts: list[str]) -> None:
    """施行日期 and repeals from the closing sentences (or anywhere in the body)."""
    for repeal in repeals_in_texts(texts, parse_doc_number):
        if repeal not in meta.repeals:
            meta.repeals.append(repeal)
    for text in texts:
        if "施" not in text and "实施" not in text and "执行" not in text and "生效" not in text \
                and "废止" not in text:
            continue  # the regexes below are slow on long text; most paragraphs have neither
        if not meta.effective_date:
            match = _EFFECTIVE.search(text)
            if match:
                meta.effective_date = parse_date(match.group("date"))
                meta.effective_text = text
            elif _EFFECTIVE_ON_ISSUE.search(text):
                meta.effective_date = meta.printed_date or meta.signed_date
                meta.effective_text = text


def _doc_type(title: str | None) -> str | None:
    """doc_type_of, and for a carried text also the plan words (预案, 方案 …)."""
    found = doc_type_of(title)
    if found or not title:
        return found
    core = re.sub(r"[（(][^（）()]*[）)]$", "", title)
    return next((word for word in PLAN_WORDS if core.endswith(word)), None)


def _read_component(paras: list[Para], start: CarriedStart, number: int, name: str,
                    wrapper: Metadata, units_before: int = 0) -> tuple[Component, _Reader]:
    reader = _Reader(paras, name, units_before)
    title = reader.read_component_header(start)
    reader.read_rest()
    cid = f"cmp_{number}"
    for unit in (u for top in reader.body for u in top.walk()):
        unit.eid = f"{cid}__{unit.eid}"
    texts = [t for top in reader.body for u in top.walk() for t in (u.text, u.wrap_up) if t]
    own = Metadata(signed_date=reader.meta.signed_date or wrapper.signed_date,
                   printed_date=reader.meta.printed_date or wrapper.printed_date)
    _find_metadata_in_text(own, reader.postamble + texts)
    component = Component(eid=cid, num=start.label, title=title, doc_type=_doc_type(title),
                          doc_number=reader.meta.doc_number, addressees=reader.meta.addressees,
                          events=reader.meta.events, preamble="\n".join(reader.preamble), toc=reader.toc,
                          body=reader.body, postamble="\n".join(reader.postamble), closing=reader.closing,
                          signed_date=reader.meta.signed_date, effective_date=own.effective_date,
                          source_lines=[paras[0].first, paras[-1].last])
    return component, reader


def build_document(paras: list[Para], provenance: Provenance, doc_id_for, page: PageFacts | None = None) -> Document:
    """Run the reader over cleaned paragraphs. doc_id_for(metadata, provenance) names the document; page holds
    what a saved web page's metadata table said (readers/webpage.py)."""
    reader = _Reader(paras, provenance.source_file)
    reader.read_header()
    starts = find_carried(paras, reader.i, reader.meta.title, _doc_type, _join_title)
    if starts:
        reader.paras = paras[:starts[0].start]  # the wrapper ends where the first carried text starts
    reader.read_rest()
    meta = reader.meta
    if reader.header_date and not reader.closing.date_text:
        reader.closing.date_text = reader.header_date
        meta.signed_date = parse_date(reader.header_date)
    if page:
        reader.warnings.extend(apply_page_facts(meta, page))
    components: list[Component] = []
    attachments, warnings, postamble = reader.attachments, reader.warnings, list(reader.postamble)
    units = len(reader.eids)  # read so far: limits.MAX_UNITS holds for the document, not each carried text
    for number, start in enumerate(starts, start=1):
        end = starts[number].start if number < len(starts) else len(paras)
        component, inner = _read_component(paras[start.start:end], start, number, provenance.source_file, meta,
                                           units)
        units += len(inner.eids)
        components.append(component)
        attachments += inner.attachments
        warnings += inner.warnings
        meta.attachment_list += inner.meta.attachment_list
        # 版记 (抄送, 印发) sits at the very end, after the carried texts: it is the wrapper's.
        meta.printed_date = meta.printed_date or inner.meta.printed_date
        meta.printing_office = meta.printing_office or inner.meta.printing_office
        meta.cc = meta.cc or inner.meta.cc
        reader.closing.imprint += component.closing.imprint
        component.closing.imprint = []
        meta.notes += [n for n in inner.meta.notes if n not in meta.notes and n not in component.closing.notes]
    if components:
        meta.enclosed_title = components[0].title
    meta.issuers = _issuers(meta, reader.closing)
    meta.issuer = "、".join(meta.issuers) or None
    if not meta.signed_date and meta.events:
        meta.signed_date = meta.events[-1].date
    meta.doc_type = doc_type_of(meta.title)
    place = place_of(meta.issuer, meta.title, meta.issuer_mark)

    doc = Document(id="", metadata=meta, provenance=provenance, preamble="\n".join(reader.preamble),
                   body=reader.body, postamble="\n".join(reader.postamble), closing=reader.closing,
                   attachments=attachments, components=components, toc=reader.toc, warnings=warnings)
    all_text = [u.text for u in doc.units()] + [u.wrap_up for u in doc.units() if u.wrap_up]
    carried_text = [t for c in components for t in (c.preamble, c.postamble) if t]
    # A unit's first sentence may have been taken as its heading (二、本通知自2023年2月1日起施行。…): still a sentence.
    headed = [f"{u.heading}。{u.text}" for u in doc.units() if u.heading and _POSTAMBLE.search(u.heading)]
    _find_metadata_in_text(meta, postamble + [c.postamble for c in components if c.postamble] + all_text + headed)
    read_validity(meta, paras, doc.warnings)
    if place is None:
        place = _place_from_text(doc, paras, reader.preamble, all_text)
    if place is not None:
        meta.jurisdiction, meta.jurisdiction_code = place.iso, place.code
    ctx = Context(place, meta.signed_date or meta.printed_date, fallback_scope=doc_id_for(meta, provenance))
    ctx.read_rules("\n".join(reader.preamble + [c.preamble for c in components if c.preamble]))
    _extract_semantics(doc, all_text + reader.preamble + postamble + carried_text, ctx)
    if place is None:
        _warn_unplaced(doc)
    if not any(True for _ in doc.units()):
        doc.warnings.append(Finding(code="no-units", message="没有找到带编号的条目（一、 （一） 1. "
                                    "第一条 …）：全文作为导语保留", line=None, column=None))
    if not meta.title:
        doc.warnings.append(Finding(code="no-title", message="正文之前没有找到标题"))
    doc.citations = find_citations(doc)
    doc.id = doc_id_for(meta, provenance)
    return doc


def _place_from_text(doc: Document, paras: list[Para], preamble: list[str], body: list[str]):
    """No issuer in the copy: the place only when the text states it plainly (divisions.place_in_text), with a
    warning saying so; else None and a warning that names stay unresolved."""
    found = place_in_text("\n".join(preamble), "\n".join(preamble + body))
    if found is None:
        return None
    place, organ = found
    line = next((p.first for p in paras if organ in p.text), None)
    doc.warnings.append(Finding(code="jurisdiction-from-text", message=f"发文机关不详：适用地域按正文认定为"
                                f"{place.name}（正文依据{organ}的文件，并以“市”“全市”指称本级）", line=line))
    return place


def _warn_unplaced(doc: Document) -> None:
    """Names relative to a level (市财政局) in a document whose place is unknown: they stay as written."""
    relative = sorted({r.department for u in doc.units() for r in u.responsibilities
                       if r.kind == "department" and r.department[:1] in "省市县区"})
    if relative:
        first = next(u for u in doc.units() if any(r.department in relative for r in u.responsibilities))
        shown = "、".join(relative[:3]) + ("等" if len(relative) > 3 else "")
        doc.warnings.append(Finding(code="jurisdiction-unknown", message=f"发文机关不详，无法确定适用地域：{shown}"
                                    f"未解析为全称", line=first.source_lines[0] if first.source_lines else None))


def _extract_semantics(doc: Document, texts: list[str], ctx: Context) -> None:
    rules = document_rules("\n".join(texts))
    doc.comparator_rules = {word: rules.suffix[word] for word in sorted(rules.from_document)}
    seen_subjects: set[str] = set()
    for unit in doc.units():
        own_text = "\n".join(t for t in (unit.text, unit.wrap_up) if t)
        found = find_responsibilities(own_text, ctx)
        unit.responsibilities = found.responsibilities
        if found.unclosed:
            doc.warnings.append(Finding(code="unclosed-bracket", message=f"{unit.num} 的责任单位括号没有闭合："
                                        "已读到段末",
                                        line=unit.source_lines[0], column=None))
        for subject in found.document_level:
            key = normalize_brackets(subject.department)
            if key not in seen_subjects:
                seen_subjects.add(key)
                doc.responsibilities.append(Responsibility(
                    department=subject.department, full_name=subject.full_name,
                    department_id=subject.department_id, role="responsible_subject", order=len(seen_subjects),
                    kind=subject.kind))
        unit.thresholds, unit.condition_groups = find_thresholds(own_text, unit.eid, rules)
