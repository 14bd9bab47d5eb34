"""Text extracted from a PDF puts spaces inside words and numbers: 第 1 0 条, 2 0 2 4 年, 二 、, （ 一 ）, and
keeps the page numbers (— 2 —) between the lines of a sentence.

Spaces next to Chinese text are removed later for every paragraph (chinese.collapse_cjk_spaces), but two things
cannot wait for that: a number spelled digit by digit (1 0 stays "1 0" between two digits) and a numbering
label at the start of a line, which decides where paragraphs start (clean.paragraphs). Both are repaired here,
line by line, and recorded as pdf_spacing repairs.
"""
from __future__ import annotations

import re

from ..chinese import SPACES as _SPACES, collapse_cjk_spaces, is_cjk
from ..model import Repair
from .clean import Line
from .numbering import match_number

_S = f"[{_SPACES}]"
# Single digits separated by single spaces: 1 0, 2 0 2 4. (Numbers of several digits apart are two numbers.)
_SPACED_DIGITS = re.compile(rf"(?<![\w.])(\d(?:{_S}\d)+)(?![\w.])")
_ANY_SPACE = re.compile(_S)
_SPACE_BEFORE_PERCENT = re.compile(rf"(?<=\d){_S}+(?=[%％])")  # 5 0 % -> 50%: never a space before %


def _cjk_around(text: str, start: int, end: int) -> bool:
    """The digits sit in Chinese text: a Chinese character (or the line's start, an opening bracket) before and a
    Chinese character or % after, spaces apart."""
    i, j = start - 1, end  # scanned by index: slicing the rest of a huge line at every match was quadratic
    while i >= 0 and text[i] in _SPACES:
        i -= 1
    while j < len(text) and text[j] in _SPACES:
        j += 1
    before_ok = i < 0 or is_cjk(text[i]) or text[i] in "（“"
    return before_ok and j < len(text) and (is_cjk(text[j]) or text[j] in "%％")


def _join_digits(text: str) -> str:
    def join(match: re.Match) -> str:
        if not _cjk_around(text, match.start(), match.end()):
            return match.group(0)
        return re.sub(_S, "", match.group(0))

    return _SPACE_BEFORE_PERCENT.sub("", _SPACED_DIGITS.sub(join, text))


# GB/T 9704 page numbers, extracted with the text: — 2 —, －3－, - 12 -. A dash on both sides: a bare number
# alone on a line may be a table cell.
_PAGE_NUMBER = re.compile(rf"^[—－–-]{_S}*\d{{1,3}}{_S}*[—－–-]$")


def repair_spacing(lines: list[Line]) -> tuple[list[Line], list[Repair]]:
    repairs: list[Repair] = []
    out: list[Line] = []
    for ln in lines:
        text = ln.text
        if _PAGE_NUMBER.match(text):
            # Removed, so the sentence the page break cut is joined again (clean.paragraphs).
            repairs.append(Repair("page_number_removed", [ln.number], text, ""))
            out.append(Line(ln.number, "", False))
            continue
        if text and _ANY_SPACE.search(text):
            fixed = _join_digits(text)
            if match_number(fixed) is None:
                collapsed = collapse_cjk_spaces(fixed)
                if match_number(collapsed) is not None:
                    fixed = collapsed  # a label spaced apart (二 、, （ 一 ）, 第 十 条): the line starts a unit
            if fixed != text:
                repairs.append(Repair("pdf_spacing", [ln.number], text, fixed))
                text = fixed
        out.append(Line(ln.number, text, ln.hard_break))
    return out, repairs
