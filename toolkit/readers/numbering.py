"""Numbering styles of Chinese official texts, from the biggest unit to the smallest.

The level of a unit comes from its numbering style, never from markdown heading levels. The canonical
order is GB/T 9704's 一、 > （一） > 1. > （1）, below the statute levels 编 > 章 > 节 > 条; a document that
skips a level (一、 straight to 1.) still nests correctly because only the relative order matters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chinese import CIRCLED, circled_to_int, cn_to_int, collapse_cjk_spaces

_CN = "零〇一二两三四五六七八九十百千"


@dataclass(frozen=True)
class Style:
    name: str
    kind: str  # Akoma Ntoso element name
    prefix: str  # Akoma Ntoso eId prefix
    rank: int  # smaller = bigger unit
    pattern: re.Pattern


def _style(name, kind, prefix, rank, pattern):
    return Style(name, kind, prefix, rank, re.compile(pattern))


STYLES = [
    _style("bian", "part", "part", 0, rf"第([{_CN}\d]+)编"),
    _style("zhang", "chapter", "chp", 1, rf"第([{_CN}\d]+)章"),
    _style("jie", "subchapter", "subchp", 2, rf"第([{_CN}\d]+)节"),
    _style("tiao", "article", "art", 3, rf"第([{_CN}\d]+)条"),
    _style("cn", "section", "sec", 4, r"([一二三四五六七八九十百]+)、"),
    _style("paren_cn", "paragraph", "para", 5, r"（([一二三四五六七八九十百]+)）"),
    _style("arabic", "point", "point", 6, r"(\d{1,3})[.．、](?!%)"),
    _style("paren_arabic", "item", "item", 7, r"（(\d{1,3})）"),
    _style("circled", "indent", "indent", 8, rf"([{CIRCLED}])"),
]
STYLE_BY_NAME = {s.name: s for s in STYLES}


@dataclass(frozen=True)
class Numbered:
    style: Style
    num: str  # label as written, width-normalised: 一、 （一） 1. 第十二条
    ordinal: int
    rest: str  # the text after the label
    ambiguous: bool = False  # 3.0版 or 11.121人才…: a number only if it is the one expected next
    path: tuple[int, ...] = ()  # decimal numbering only: 1.2.1 -> (1, 2, 1)


def match_number(text: str) -> Numbered | None:
    """The numbering label at the start of a paragraph, if any."""
    for style in STYLES:
        match = style.pattern.match(text)
        if not match:
            continue
        token = match.group(1)
        try:
            ordinal = circled_to_int(token) if style.name == "circled" else cn_to_int(token)
        except ValueError:
            continue
        label = match.group(0).strip()
        if style.name == "arabic":
            label = label.replace("．", ".")
        rest = text[match.end():].lstrip(" \u3000\t")
        ambiguous = style.name == "arabic" and rest[:1].isdigit()
        return Numbered(style=style, num=label, ordinal=ordinal, rest=rest, ambiguous=ambiguous)
    return None


# Decimal numbering of 预案 and technical texts: 1 / 1.1 / 1.2.1, nested by depth, with （1） below. The levels
# take the ranks of 一、 （一） 1. （1）, so a document mixing them still nests by the same relative order.
DECIMAL_STYLES = [
    _style("dec1", "section", "sec", 4, r""),
    _style("dec2", "paragraph", "para", 5, r""),
    _style("dec3", "point", "point", 6, r""),
    _style("dec4", "item", "item", 7, r""),
]
_DECIMAL = re.compile(r"[ \u3000\t]*(\d{1,2}(?:[.．]\d{1,2}){0,3})(?P<space>[ \u3000\t]+)?(?=[\u4e00-\u9fff（(《“])")


def match_decimal(raw: str) -> Numbered | None:
    """1　总则, 1.1　编制目的, 1.2.1　国家级… read from the raw line (the space after the label is a signal).

    A bare 1 needs that space (「5年内…」 is not section 5); 1.2 without one (「1.5倍」…) is ambiguous: the reader
    takes it only when it is the number expected next."""
    match = _DECIMAL.match(raw)
    if not match:
        return None
    path = tuple(int(part) for part in re.split(r"[.．]", match.group(1)))
    spaced = match.group("space") is not None
    if len(path) == 1 and not spaced or 0 in path:
        return None
    style = DECIMAL_STYLES[len(path) - 1]
    rest = collapse_cjk_spaces(raw[match.end():])
    return Numbered(style=style, num=".".join(map(str, path)), ordinal=path[-1], rest=rest,
                    ambiguous=not spaced or len(path) == 1, path=path)
