"""Which thresholds of a clause go together: ranges and bands (all-groups), conditions joined by 且/或/、, and the
conditions a benefit or penalty depends on (unlocked_by). A benefit is never put in a group with its conditions:
in 15万元以上的，50万元以下的，按1%奖励 the band is the if-part and the 1% names it in unlocked_by.

One pass over the clause's thresholds; sentences found once: linear in the clause length.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import ConditionGroup, Threshold

if TYPE_CHECKING:
    from .thresholds import Bound


class Spans:
    """Sentence (。；) or segment (，) boundaries of a clause, found once."""

    def __init__(self, text: str, pattern: re.Pattern):
        self.text = text
        self.ends = [m.start() for m in pattern.finditer(text)] + [len(text)]

    def around(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.ends, pos - 1)
        i = min(i, len(self.ends) - 1)
        return (self.ends[i - 1] + 1 if i else 0), self.ends[i]


SENTENCE_END = re.compile(r"[。；;\n！？!?]")
SEGMENT_END = re.compile(r"[，,。；;：:\n！？!?]")


def is_band(between: str) -> bool:
    """Two bounds of one range: 15万元以上的，50万元以下的 / 15万元以上、50万元以下 / 5万元至10万元."""
    return len(between) <= 3 and all(ch in "的，、至到" for ch in between)

def _connector(between: str) -> str | None:
    """How two neighbouring conditions are joined, judging by the text between them."""
    if is_band(between):
        return "all"
    if len(between) > 40 or any(ch in between for ch in "。；;"):
        return None
    if "或" in between:
        return "any"
    if "且" in between or "同时" in between or between.startswith("、"):
        return "all"
    return None


@dataclass
class _Entry:
    """A condition, or the two bounds of a condition range, as one member of a group."""

    id: str
    start: int
    end: int
    thresholds: list[Threshold]


def link(text: str, bounds: list[Bound], eid: str) -> list[ConditionGroup]:
    """Condition groups (ranges, 且/或, bands) and the unlocked_by of every benefit and penalty."""
    groups: list[ConditionGroup] = []
    parent: dict[str, str] = {}

    def new_group(logic: str, items: list[str]) -> str:
        group = ConditionGroup(id=f"{eid}__grp_{len(groups) + 1}", logic=logic, items=items)
        groups.append(group)
        for item in items:
            parent[item] = group.id
        return group.id

    # Ranges first: the two bounds of 10%-30% are one all-group, whatever their kind.
    entries: list[tuple[_Entry, str]] = []  # (entry, kind) in text order
    i = 0
    while i < len(bounds):
        b = bounds[i]
        t = b.threshold
        if b.range_id is not None and i + 1 < len(bounds) and bounds[i + 1].range_id == b.range_id:
            u = bounds[i + 1].threshold
            gid = new_group("all", [t.id, u.id])
            t.group = u.group = gid
            entries.append((_Entry(gid, b.start, b.end, [t, u]), t.kind))
            i += 2
            continue
        entries.append((_Entry(t.id, b.start, b.end, [t]), t.kind))
        i += 1

    # A band of one benefit, penalty or target written as two bounds (处1万元以上10万元以下的罚款) is a range too.
    merged: list[tuple[_Entry, str]] = []
    for entry, kind in entries:
        if merged and kind != "condition" and merged[-1][1] == kind and len(entry.thresholds) == 1 \
                and len(merged[-1][0].thresholds) == 1 and is_band(text[merged[-1][0].end:entry.start]):
            first, second = merged[-1][0].thresholds[0], entry.thresholds[0]
            if first.metric_id == second.metric_id and first.comparator in "≥>" and second.comparator in "≤<":
                gid = new_group("all", [first.id, second.id])
                first.group = second.group = gid
                merged[-1] = (_Entry(gid, merged[-1][0].start, entry.end, [first, second]), kind)
                continue
        merged.append((entry, kind))
    entries = merged

    # Runs of conditions linked by 且/或/bands; anything else between them breaks the run.
    runs: list[list[tuple[_Entry, str | None]]] = []
    last: _Entry | None = None
    for entry, kind in entries:
        if kind != "condition":
            last = None
            continue
        link_word = _connector(text[last.end:entry.start]) if last else None
        if link_word is None:
            runs.append([(entry, None)])
        else:
            runs[-1].append((entry, link_word))
        last = entry
    for run in runs:
        if len(run) < 2:
            continue
        conjunctions: list[list[_Entry]] = [[run[0][0]]]
        for entry, word in run[1:]:
            if word == "all":
                conjunctions[-1].append(entry)
            else:
                conjunctions.append([entry])
        members: list[str] = []
        for conj in conjunctions:
            if len(conj) == 1:
                members.append(conj[0].id)
                continue
            gid = new_group("all", [e.id for e in conj])
            for e in conj:
                if len(e.thresholds) == 1:
                    e.thresholds[0].group = gid
            members.append(gid)
        if len(members) > 1:
            gid = new_group("any", members)
            for conj in conjunctions:
                if len(conj) == 1 and len(conj[0].thresholds) == 1:
                    conj[0].thresholds[0].group = gid

    def top(item: str) -> str:
        while item in parent:
            item = parent[item]
        return item

    # Bands: the conditions before a benefit or penalty in its sentence are its if-part.
    sentences = Spans(text, SENTENCE_END)
    pending: list[str] = []  # top-level condition items since the sentence or the last consequence began
    pending_set: set[str] = set()
    sentence, consequence_seen = None, False
    for entry, kind in entries:
        here = sentences.around(entry.start)
        if here != sentence:
            sentence, pending, pending_set, consequence_seen = here, [], set(), False
        if kind == "condition":
            if consequence_seen:  # 15万元以上的，按1%奖励，50万元以上的，…: a new band begins
                pending, pending_set, consequence_seen = [], set(), False
            item = top(entry.id)
            if item not in pending_set:
                pending.append(item)
                pending_set.add(item)
        elif kind in ("benefit", "penalty"):
            consequence_seen = True
            if len(pending) == 1:
                for t in entry.thresholds:
                    t.unlocked_by = pending[0]
        # deadlines and targets neither unlock nor end a band
    return groups
