"""Departments a unit names, and in what role.

Shapes read (each a class of documents, not one text):
- （责任单位：A、B，C） and （牵头单位：A，配合单位：B、C）: the first listed under 责任单位 is the lead (牵头单位), the
  usual rule and the one documents state (列第一位的为牵头单位). 「X均为责任主体，不再列出」 inside the bracket makes
  X a document-level responsibility.
- （A、B负责。列第一位者为牵头单位，下同） and （A、B，各省级人民政府按职责分工负责）, the State Council's shape: a
  list ending in 负责, closing the clause; （A牵头，B、C配合） states each part's role itself. Who leads is what the document says: a rule 列第一位者为牵头单位 (or
  排在第一位的部门为牵头部门) holds for its own clause, and with 下同 — or stated in the preamble — for the clauses
  after it. Without such a rule nobody is the lead: every name is `responsible`.
- Who handled a matter (a reply to a proposal): 「A会同B、C研究提出了办理意见」 and a line 「A意见：」 name the
  handler_lead and the handlers; they never count as 牵头/配合.
Names are resolved in the document's place (registry.resolve); collective names (各有关单位) are groups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import split_top_level, strip_invisible
from ..divisions import Place
from ..model import Responsibility
from ..registry import GROUP, is_group, resolve

_START = re.compile(r"（\s*(责任单位|牵头单位|责任部门|牵头部门)\s*：")
_ROLE_LABELS = {"责任单位": None, "责任部门": None, "牵头单位": "lead", "牵头部门": "lead",
                "配合单位": "participant", "配合部门": "participant", "参与单位": "participant",
                "协办单位": "participant"}
_SUBJECT_RULE = re.compile(r"(.+?)均为责任主体")
_BRACKET = re.compile(r"[（()）]")
# 列第一位者为牵头单位 / 排在第一位的部门为牵头部门 / 排名第一的为牵头单位
_LEAD_RULE = re.compile(r"(?:列|排|排名|排列)(?:在)?(?:第一(?:位)?|首位)(?:者|的)?(?:部门|单位)?(?:为|是)牵头(?:单位|部门)")
# （A、B，C按职责分工负责）: the list, then how they share the work. （A牵头，B、C配合）: each part says its role.
_DUTY_END = re.compile(r"(?:按照?职责分工|按各自职责|分别|共同|按职责)?(?:负责|牵头|配合|参与)$")
_SEGMENT_ROLE = re.compile(r"(?P<verb>牵头负责|牵头|配合|参与|参加|(?:按照?职责分工|按各自职责|分别|共同|按职责)?负责)$")
_VERB_ROLE = {"牵头负责": "lead", "牵头": "lead", "配合": "participant", "参与": "participant", "参加": "participant"}
_CLAUSE_END = "。；！？：!?;:"
# Words that never occur in a department's name: a bracket with them is a sentence, not a list of names.
_NOT_A_NAME = re.compile(r"[的由在对将把如按并要可或和及与以]|[0-9０-９]")
_NAME_OK_WITH = re.compile(r"和(?:信息化|社会保障|城乡建设|改革|旅游|计划生育|物资储备|草原|国|技术)|对外")
# A reply to a proposal: 「发展改革委会同财政部、商务部研究提出了办理意见」; 「发展改革委意见：」.
_HANDLED = re.compile(r"(?P<lead>[\u4e00-\u9fff（）]{2,30}?)会同(?P<others>[\u4e00-\u9fff、（）]{2,200}?)"
                      r"(?:等(?:部门|单位))?(?:认真)?研究(?:提出|形成)?了?(?:办理|答复)意见")
_OPINION = re.compile(r"^(?P<name>[\u4e00-\u9fff（）]{2,30}?)(?:的)?意见[：:]", re.MULTILINE)


@dataclass
class Context:
    """What resolving a document's names needs, and the rules the document has stated so far."""

    place: Place | None  # the document's jurisdiction; None when unknown
    date: str | None = None  # 成文日期 (ISO): picks the name a renamed unit had then
    fallback_scope: str = ""  # scopes unresolved ids when the place is unknown (the document's id)
    first_is_lead: bool = False  # the document said 列第一位者为牵头单位 for the clauses that follow

    def read_rules(self, text: str) -> None:
        """A rule stated outside any list (the preamble, a note) holds for every clause after it."""
        if "牵头" in text and _LEAD_RULE.search(text):
            self.first_is_lead = True


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
    out: list[str] = []
    for name in ("、".join(parts) for parts in names):
        # 人力资源社会保障部等有关部门和单位: a department, then a group.
        head, sep, tail = name.partition("等")
        if sep and head and is_group(tail):
            out.extend([head, tail])
        else:
            out.append(name)
    return out


def _make(name: str, role: str, order: int, ctx: Context) -> Responsibility:
    name = strip_invisible(name)  # zero-width and bidi characters would make a look-alike second department
    dept = resolve(name, ctx.place, ctx.date, ctx.fallback_scope)
    return Responsibility(department=name, full_name=dept.full_name, department_id=dept.id,
                          role=role, order=order, kind=dept.kind)


def _context(where) -> Context:
    """Callers may pass a Context, or (older ones) a place or nothing."""
    if isinstance(where, Context):
        return where
    return Context(place=where if isinstance(where, Place) else None)


def find_responsibilities(text: str, where: Context | Place | None) -> Found:
    ctx = _context(where)
    found = Found()
    closing = _closing_brackets(text) if "（" in text or "(" in text else {}
    labelled = _labelled(text, closing, ctx, found)
    lists = _duty_lists(text, closing, labelled, ctx, found)
    _handlers(text, ctx, found)
    if "牵头" in text:
        # A rule in a note outside any list (（以下各项，排在第一位的部门为牵头部门）) holds from here on.
        outside = text
        for start, close in labelled + lists:
            outside = outside[:start] + " " * (close - start) + outside[close:]
        ctx.read_rules(outside)
    return found


def _labelled(text: str, closing: dict[int, int], ctx: Context, found: Found) -> list[tuple[int, int]]:
    """（责任单位：…） brackets; returns the spans read."""
    starts = [m.start() for m in _START.finditer(text)]
    spans: list[tuple[int, int]] = []
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
        spans.append((start, close))
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
                found.responsibilities.append(_make(name, this_role, order, ctx))
        for rule in rules:
            # The lazy (.+?) of _SUBJECT_RULE retries from every position: quadratic on a long rule without the phrase.
            subject = _SUBJECT_RULE.search(rule) if "均为责任主体" in rule else None
            if subject:
                found.document_level.append(_make(subject.group(1), "responsible_subject", 0, ctx))
    return spans


def _looks_like_names(names: list[str]) -> bool:
    for name in names:
        if not 2 <= len(name) <= 30:
            return False
        if is_group(name) and "的" not in name:
            continue  # 有关部门和单位
        if _NOT_A_NAME.search(_NAME_OK_WITH.sub("", name).replace("按职责", "")):
            return False
    return True


def _duty_lists(text: str, closing: dict[int, int], skip: list[tuple[int, int]], ctx: Context,
                found: Found) -> list[tuple[int, int]]:
    """（A、B负责。列第一位者为牵头单位，下同）: a list of names ending in 负责 that closes a clause. Returns the
    spans read."""
    spans: list[tuple[int, int]] = []
    if "负责" not in text and "牵头" not in text and "配合" not in text and "参与" not in text:
        return spans
    inside = [range(a, b + 1) for a, b in skip]
    for start, close in sorted(closing.items()):
        if any(start in span for span in inside):
            continue
        before = text[:start].rstrip(" \u3000")
        after = text[close + 1:close + 2]
        if (before and before[-1] not in _CLAUSE_END and before[-1] != "\n") or after not in ("", "\n"):
            continue  # not at the end of a clause: a bracket inside a sentence
        sentences = split_top_level(text[start + 1:close], "。")
        if not sentences or not _DUTY_END.search(sentences[0]):
            continue
        # Each comma part may end with its own verb: （A牵头，B、C配合）.
        parts: list[tuple[list[str], str | None]] = []
        for segment in split_top_level(sentences[0], "，,；"):
            verb = _SEGMENT_ROLE.search(segment)
            names = _names(segment[:verb.start()] if verb else segment)
            parts.append((names, _VERB_ROLE.get(verb.group("verb")) if verb else None))
        names = [name for part, _ in parts for name in part]
        if not names or not _looks_like_names(names):
            continue
        rules = "。".join(sentences[1:])
        lead_here = bool(_LEAD_RULE.search(rules)) if "牵头" in rules else False
        if lead_here and "下同" in rules:
            ctx.first_is_lead = True
        stated = any(role == "lead" for _, role in parts)  # 「A牵头」 says who leads, whatever the rule
        first_leads = not stated and (lead_here or ctx.first_is_lead)
        order = 0
        for part, verb_role in parts:
            for name in part:
                order += 1
                if stated:
                    role = verb_role or "participant"
                elif first_leads:
                    role = "lead" if order == 1 else "participant"
                else:
                    role = verb_role or "responsible"
                found.responsibilities.append(_make(name, role, order, ctx))
        inside.append(range(start, close + 1))
        spans.append((start, close))
    return spans


def _handlers(text: str, ctx: Context, found: Found) -> None:
    """Who handled a matter: 「A会同B、C研究提出了办理意见」, 「A意见：」."""
    if "意见" not in text:
        return
    for match in _HANDLED.finditer(text) if "会同" in text else ():
        lead = re.sub(r"^.*[，。；：]", "", match.group("lead"))
        others = _names(match.group("others"))
        if not _looks_like_names([lead, *others]):
            continue
        found.responsibilities.append(_make(lead, "handler_lead", 1, ctx))
        for order, name in enumerate(others, 2):
            found.responsibilities.append(_make(name, "handler", order, ctx))
    for match in _OPINION.finditer(text):
        name = match.group("name")
        dept = resolve(name, ctx.place, ctx.date, ctx.fallback_scope)
        if dept.known and dept.kind != GROUP:  # 「指导意见：」 and the like are not organs: only a known unit counts
            found.responsibilities.append(_make(name, "handler", 1, ctx))
