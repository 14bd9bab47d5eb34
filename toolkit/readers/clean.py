"""Repair damaged text and group it into paragraphs, remembering the source lines of every piece.

Damage we see in real copies: markdown heading markers and ** of any level, --- rules, HTML comments,
mixed half/full-width punctuation, spaces between Chinese characters, and page breaks that split a
sentence (or a word) into two paragraphs. Each repair is recorded as a model.Repair.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..chinese import (collapse_cjk_spaces, is_cjk, is_date_line, normalize_punctuation,
                       strip_spaces)
from ..model import Repair
from .numbering import match_number

_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}(?=\s|$)\s*")
_BOLD_MARK = re.compile(r"\*\*|__")
# A markdown heading that kept only its number (## 三): the 、 the label needs was lost with the heading text.
_BARE_CN_NUMBER = re.compile(r"^[一二三四五六七八九十百]+$")
# Zero-width space, joiners, word joiner and a byte order mark inside the text: invisible, never text.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_SHOW_INVISIBLE = {0x200B: "⟨ZWSP⟩", 0x200C: "⟨ZWNJ⟩", 0x200D: "⟨ZWJ⟩", 0x2060: "⟨WJ⟩", 0xFEFF: "⟨BOM⟩"}
_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
# Control characters and the noncharacters U+FFFE/U+FFFF: never text, and XML cannot hold them (fuzzing).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
# In a repair's "before" text they are shown as control pictures (␁), which XML can hold: found by fuzzing,
# a control character on a markdown line made the Akoma Ntoso output impossible.
_PICTURES = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_PICTURES.update({0x7F: 0x2421, 0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD})


@dataclass
class Para:
    """A paragraph of the source: text with its original spacing, and the lines it came from."""

    raw: str
    first: int
    last: int

    @cached_property
    def text(self) -> str:
        # Read only once all page-break joins are done (paragraphs() below), so caching is safe.
        return collapse_cjk_spaces(self.raw)


def _snippet(before: str, after: str, width: int = 8) -> str:
    return f"{before[-width:]}⏎{after[:width]}"


@dataclass
class Line:
    number: int  # 1-based, in the original file
    text: str
    hard_break: bool = False  # ended with two spaces: a markdown line break inside a paragraph


def _strip_html_comments(line: str) -> str:
    """Remove <!-- … --> on one line. (The regex <!--.*?--> rescanned to the end of the line from every
    unterminated <!--: quadratic on a long line of them.)"""
    out, i = [], 0
    while (start := line.find("<!--", i)) >= 0 and (end := line.find("-->", start + 4)) >= 0:
        out.append(line[i:start])
        i = end + 3
    out.append(line[i:])
    return "".join(out)


def clean_lines(text: str) -> tuple[list[Line], list[Repair]]:
    """Strip markup and normalise punctuation line by line."""
    lines: list[Line] = []
    repairs: list[Repair] = []
    for number, line in enumerate(text.split("\n"), start=1):
        original = line
        line = _CONTROL.sub("", line)
        if _INVISIBLE.search(line):
            # 第\u200b一条: a zero-width character from a web page splits a label (and is never text).
            visible = _INVISIBLE.sub("", line)
            repairs.append(Repair("invisible_removed", [number], line.translate(_SHOW_INVISIBLE), visible))
            line = visible
        if _RULE.match(line):
            repairs.append(Repair("rule_removed", [number], original.strip().translate(_PICTURES), ""))
            lines.append(Line(number, ""))
            continue
        stripped = _strip_html_comments(line)
        stripped = _HEADING_MARK.sub("", stripped)
        stripped = _BOLD_MARK.sub("", stripped)
        if stripped != line:
            repairs.append(Repair("markdown_marker", [number], original.strip().translate(_PICTURES),
                                  strip_spaces(stripped)))
        line = strip_spaces(stripped)
        if _HEADING_MARK.match(original) and _BARE_CN_NUMBER.match(line):
            repairs.append(Repair("number_mark_added", [number], line, line + "、"))
            line += "、"
        normalised = normalize_punctuation(line)
        if normalised != line:
            repairs.append(Repair("punctuation_width", [number], line, normalised))
        lines.append(Line(number, normalised, hard_break=original.endswith("  ")))
    return lines, repairs


_PROSE_MARKS = "，。；："
_LABEL_COLON = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]")
# A table flattened one cell per line: a run of short lines without sentence punctuation. Its cells are never
# a page break's continuation (单位：元/天·平方米 ⏎ 收费项目 ⏎ 收费标准 … stay lines).
_CELL_LIMIT = 16
_CELL_RUN = 4


def _table_cells(lines: list[Line]) -> set[int]:
    """Numbers of the lines that are cells of a flattened table."""
    cells: set[int] = set()
    run: list[int] = []
    for line in [*(ln for ln in lines if ln.text), None]:
        if line is not None and len(line.text) <= _CELL_LIMIT and not any(ch in line.text for ch in "，。；"):
            run.append(line.number)
            continue
        if len(run) >= _CELL_RUN:
            cells.update(run)
        run = []
    return cells


def _is_open(text: str) -> bool:
    """A paragraph that stops mid-sentence: running prose whose last character is not a sentence end."""
    if not text:
        return False
    last = text[-1]
    open_end = is_cjk(last) or last.isalnum() or last in "，、“（《—"
    label = _LABEL_COLON.match(text)  # 附件：… : the colon after a label is no sign of running prose
    prose = any(ch in text[label.end() if label else 0:-1] for ch in _PROSE_MARKS)
    return open_end and prose


def _starts_new_block(text: str) -> bool:
    """Paragraphs that always start something: numbered units, dates, 附件, 抄送, notes in brackets."""
    return (match_number(text) is not None or is_date_line(text)
            or text.startswith(("附件", "抄送", "主送", "（此件", "（本件"))
            or not (is_cjk(text[0]) or text[0].isalnum() or text[0] in "“《〔（"))


class _Building:
    """A paragraph being assembled from lines. Its pieces are joined once at the end: joining the whole
    paragraph again at every page break was quadratic on a long paragraph (a 50 MB input must stay linear)."""

    def __init__(self, line: str, number: int):
        self.pieces = [line]
        self.first = self.last = number
        self.prose_before = False  # sentence punctuation somewhere in the pieces before the last one

    def tail(self, width: int) -> str:
        """The last `width` characters of the joined text."""
        out: list[str] = []
        size = 0
        for piece in reversed(self.pieces):
            if size >= width:
                break
            out.append(piece)
            size += len(piece)
        return "".join(reversed(out))[-width:]

    def is_open(self) -> bool:
        """_is_open of the joined text, reading only its last piece."""
        last = self.pieces[-1]
        return _is_open(last) or (self.prose_before and _is_open("，" + last))

    def join(self, line: str, number: int) -> None:
        """text.rstrip() + line, piece by piece."""
        while self.pieces and not self.pieces[-1].rstrip():
            self.pieces.pop()
        if self.pieces:
            self.pieces[-1] = self.pieces[-1].rstrip()
            self.prose_before = self.prose_before or any(ch in self.pieces[-1] for ch in _PROSE_MARKS)
        self.pieces.append(line)
        self.last = number

    def para(self) -> Para:
        return Para("".join(self.pieces), self.first, self.last)


def paragraphs(lines: list[Line], repairs: list[Repair]) -> list[Para]:
    """Non-blank lines become paragraphs; a paragraph cut by a page break is joined to its continuation."""
    built: list[_Building] = []
    hard_breaks = {line.number for line in lines if line.hard_break}
    cells = _table_cells(lines)
    for number, line in ((ln.number, ln.text) for ln in lines):
        if not line:
            continue
        if built and built[-1].is_open() and not _starts_new_block(line) and number not in cells:
            prev = built[-1]
            kind = "line_break_join" if prev.last in hard_breaks else "page_break_join"
            snippet = _snippet(prev.tail(8), line)
            repairs.append(Repair(kind, [prev.last, number], snippet, snippet.replace("⏎", "")))
            prev.join(line, number)
            continue
        built.append(_Building(line, number))
    paras = [b.para() for b in built]
    for para in paras:
        collapsed = para.text
        if collapsed != para.raw:
            repairs.append(Repair("cjk_space", [para.first, para.last], para.raw, collapsed))
    return paras
