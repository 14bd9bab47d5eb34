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
_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def clean_lines(text: str) -> tuple[list[Line], list[Repair]]:
    """Strip markup and normalise punctuation line by line."""
    lines: list[Line] = []
    repairs: list[Repair] = []
    for number, line in enumerate(text.split("\n"), start=1):
        original = line
        line = _CONTROL.sub("", line)
        if _RULE.match(line):
            repairs.append(Repair("rule_removed", [number], original.strip(), ""))
            lines.append(Line(number, ""))
            continue
        stripped = _HTML_COMMENT.sub("", line)
        stripped = _HEADING_MARK.sub("", stripped)
        stripped = _BOLD_MARK.sub("", stripped)
        if stripped != line:
            repairs.append(Repair("markdown_marker", [number], original.strip(), strip_spaces(stripped)))
        line = strip_spaces(stripped)
        normalised = normalize_punctuation(line)
        if normalised != line:
            repairs.append(Repair("punctuation_width", [number], line, normalised))
        lines.append(Line(number, normalised, hard_break=original.endswith("  ")))
    return lines, repairs


def _is_open(text: str) -> bool:
    """A paragraph that stops mid-sentence: running prose whose last character is not a sentence end."""
    if not text:
        return False
    last = text[-1]
    open_end = is_cjk(last) or last.isalnum() or last in "，、“（《—"
    prose = any(ch in text[:-1] for ch in "，。；：")
    return open_end and prose


def _starts_new_block(text: str) -> bool:
    """Paragraphs that always start something: numbered units, dates, 附件, 抄送, notes in brackets."""
    return (match_number(text) is not None or is_date_line(text)
            or text.startswith(("附件", "抄送", "主送", "（此件", "（本件"))
            or not (is_cjk(text[0]) or text[0].isalnum() or text[0] in "“《〔（"))


def paragraphs(lines: list[Line], repairs: list[Repair]) -> list[Para]:
    """Non-blank lines become paragraphs; a paragraph cut by a page break is joined to its continuation."""
    paras: list[Para] = []
    hard_breaks = {line.number for line in lines if line.hard_break}
    for number, line in ((ln.number, ln.text) for ln in lines):
        if not line:
            continue
        if paras and _is_open(paras[-1].raw) and not _starts_new_block(line):
            prev = paras[-1]
            kind = "line_break_join" if prev.last in hard_breaks else "page_break_join"
            repairs.append(Repair(kind, [prev.last, number], _snippet(prev.raw, line),
                                  _snippet(prev.raw, line).replace("⏎", "")))
            prev.raw = prev.raw.rstrip() + line
            prev.last = number
            continue
        paras.append(Para(line, number, number))
    for para in paras:
        collapsed = para.text
        if collapsed != para.raw:
            repairs.append(Repair("cjk_space", [para.first, para.last], para.raw, collapsed))
    return paras
