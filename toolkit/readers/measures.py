"""Measures without numbers: paragraphs that each open with a short lead sentence.

Support policies are often a list of measures with no numbering at all, each paragraph starting with a lead
sentence that names the measure (支持智能制造功能平台建设。鼓励境内外…). When a text has no numbering label
anywhere and at least three paragraphs in a row open like that, each of them is a unit: kind paragraph (eid
para_N, as 一、/（一） paragraphs are), the lead sentence as its heading, and an empty num, since the source
wrote none (Akoma Ntoso's num is optional; writers/akn.py leaves it out).
"""
from __future__ import annotations

import re

from .clean import Para
from .numbering import Numbered, Style, match_decimal, match_number

LEAD = Style("lead", "paragraph", "para", 5, re.compile(r"(?!)"))  # never matched: found by lead_measures
_LEAD_LIMIT = 40  # characters of a lead sentence (the heading limit of numbered units)
_MIN_RUN = 3


def lead_sentence(text: str) -> str | None:
    """The lead sentence of a paragraph: short, without ，；：, ended by 。 and followed by more text."""
    end = text.find("。")
    if end <= 0 or end > _LEAD_LIMIT or end == len(text) - 1:
        return None
    phrase = text[:end]
    if any(ch in phrase for ch in "，；：,;:！？《"):
        return None
    return phrase


def lead_measures(paras: list[Para]) -> dict[int, Numbered]:
    """Paragraph index -> the unit it opens, for runs of lead-sentence paragraphs in a text with no numbering."""
    if any(match_number(p.text) or match_decimal(p.raw) for p in paras):
        return {}
    found: dict[int, Numbered] = {}
    run: list[int] = []
    for i, para in enumerate([*paras, None]):
        if para is not None and lead_sentence(para.text):
            run.append(i)
            continue
        if len(run) >= _MIN_RUN:
            for k in run:
                found[k] = Numbered(style=LEAD, num="", ordinal=len(found) + 1, rest=paras[k].text)
        run = []
    return found
