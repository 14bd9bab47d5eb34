"""Numbering styles of Chinese official texts, from the biggest unit to the smallest.

The level of a unit comes from its numbering style, never from markdown heading levels. The canonical
order is GB/T 9704's 一、 > （一） > 1. > （1）, below the statute levels 编 > 章 > 节 > 条; a document that
skips a level (一、 straight to 1.) still nests correctly because only the relative order matters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chinese import CIRCLED, circled_to_int, cn_to_int

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
