"""Responsible departments of a unit: （责任单位：A、B，C） and （牵头单位：A，配合单位：B、C）.

The first department listed under 责任单位 is the lead unit (牵头单位) — the usual rule, and the one
documents state (列第一位的为牵头单位). Rule sentences inside the bracket are honoured: 「X均为责任主体，
不再列出」 makes X a document-level responsibility.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import split_top_level, strip_invisible
from ..model import Responsibility
from ..registry import lookup_department

_OPENERS = ("责任单位", "牵头单位", "责任部门", "牵头部门")
_START = re.compile(r"（\s*(责任单位|牵头单位|责任部门|牵头部门)\s*：")
_ROLE_LABELS = {"责任单位": None, "责任部门": None, "牵头单位": "lead", "牵头部门": "lead",
                "配合单位": "participant", "配合部门": "participant", "参与单位": "participant",
                "协办单位": "participant"}
_SUBJECT_RULE = re.compile(r"(.+?)均为责任主体")
_BRACKET = re.compile(r"[（()）]")


@dataclass
class Found:
    responsibilities: list[Responsibility] = field(default_factory=list)
    document_level: list[Responsibility] = field(default_factory=list)
    unclosed: bool = False  # the bracket was never closed: we read to the end of the paragraph


def _closing_brackets(text: str) -> dict[int, int]:
    """Position of every （ or ( -> position of the ） or ) that closes it (nested brackets allowed).

    One pass for the whole text: scanning from each 责任单位 bracket to its end instead was quadratic
    on a text of many unclosed ones.
    """
    closing: dict[int, int] = {}
    open_at: list[int] = []
    for match in _BRACKET.finditer(text):
        if match.group() in "（(":
            open_at.append(match.start())
        elif open_at:
            closing[open_at.pop()] = match.start()
    return closing


def _names(segment: str) -> list[str]:
    """Split a list of names on 、 — but 「各市、县（市、区）政府」 is one name: an item starting
    with 各 takes the following 、-items with it (they were split off a single collective name)."""
    items = split_top_level(segment, "、")
    names: list[list[str]] = []  # each name as its 、-items (joined at the end: += in the loop was quadratic)
    collective = False
    for item in items:
        if collective and not item.startswith(("省", "市", "国", "中", "各")):
            names[-1].append(item)
            continue
        names.append([item])
        collective = item.startswith("各")
    return ["、".join(parts) for parts in names]


def _make(name: str, role: str, order: int, jurisdiction: str | None) -> Responsibility:
    name = strip_invisible(name)  # zero-width and bidi characters would make a look-alike second department
    dept = lookup_department(name, jurisdiction)
    return Responsibility(department=name, full_name=dept.full_name, department_id=dept.id,
                          role=role, order=order)


def find_responsibilities(text: str, jurisdiction: str | None) -> Found:
    found = Found()
    starts = [m.start() for m in _START.finditer(text)]
    closing = _closing_brackets(text) if starts else {}
    end = 0  # where the last bracket body ended
    for k, start in enumerate(starts):
        if start < end:
            continue  # a 责任单位 bracket nested in the previous one: read as part of it
        close = closing.get(start)
        if close is None:
            # Unclosed: read to the end of the paragraph, or to the next 责任单位 bracket if that comes first.
            limit = starts[k + 1] if k + 1 < len(starts) else len(text)
            newline = text.find("\n", start, limit)
            close = limit if newline < 0 else newline
            found.unclosed = True
        body = text[start + 1:close]
        end = close
        sentences = split_top_level(body, "。")
        if not sentences:
            continue
        listing, rules = sentences[0], sentences[1:]
        role: str | None = None  # None: an unlabelled list, where the first listed is the lead
        order = 0
        for segment in split_top_level(listing, "，,；"):
            label, sep, rest = segment.partition("：")
            if sep and label.strip() in _ROLE_LABELS:
                role, segment = _ROLE_LABELS[label.strip()], rest
            elif role == "lead":
                role = "participant"  # unlabelled names after the 牵头单位 segment support it
            for name in _names(segment):
                order += 1
                this_role = role or ("lead" if order == 1 else "participant")
                found.responsibilities.append(_make(name, this_role, order, jurisdiction))
        for rule in rules:
            # The lazy (.+?) of _SUBJECT_RULE retries from every position: quadratic on a long rule without the phrase.
            subject = _SUBJECT_RULE.search(rule) if "均为责任主体" in rule else None
            if subject:
                found.document_level.append(_make(subject.group(1), "responsible_subject", 0, jurisdiction))
    return found
