"""Compare two versions of a document clause by clause: what was added, removed, modified, renumbered, split, merged.

Pure functions: `align(old, new)` pairs the units of two Documents; `diff(old, new)` turns that alignment into a
DocumentDiff (the JSON published next to each version, toolkit/schemas/diff.schema.json). The writers in
writers/diff_text.py, diff_markdown.py and diff_json.py render it; docs/revisions.md explains every field.

How units are paired (each step only sees units the previous steps left unpaired, and only units of the same kind):
  1. same eid and identical content (heading, text, wrap-up): unchanged, or changed only in what the text yields;
  2. identical content under another eid, when that content occurs once on each side: renumbered;
  3. similar content: heading equality and character similarity (difflib ratio on the text), best pairs first,
     with quick_ratio/real_quick_ratio as cheap upper bounds so hopeless pairs cost almost nothing;
  4. containers (一、 with only a heading) whose children went to the same new container;
  5. splits and merges: one old unit whose text is mostly found, in order, in two or more consecutive new units
     (and the reverse). See `_find_splits`.
Whatever is left is added (new side) or removed (old side).
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from . import textmatch
from .model import Document, Metadata, Responsibility, Threshold, Unit

DIFF_SCHEMA_VERSION = "1.0.0"

# Pairing thresholds (difflib ratio = 2 * matching characters / total characters).
MATCH_RATIO = 0.6  # two units with different headings are the same clause from this similarity on
HEADING_MATCH_RATIO = 0.3  # …and with the same (non-empty) heading, from this one
SAME_EID_BONUS = 0.05  # among equally good candidates, prefer the one at the same place
# Splits: the parts together must contain this share of the old unit's characters, in order…
SPLIT_COVERAGE = 0.8
# …each part must take at least this share of its own characters from the old unit…
SPLIT_PART_SHARE = 0.6
# …and bring at least this share of the old unit's characters that the other parts do not.
SPLIT_PART_CONTRIBUTION = 0.1
# Text diffs: an unchanged run this short between two changes is folded into them, so a reader sees
# "[-省经信厅-]{+省发展改革委+}" rather than a confetti of single shared characters.
SHORT_EQUAL = 1
# Past this many unpaired units on a side, a unit is compared with a shortlist of them (see _Shortlist)…
SHORTLIST = 32
# …which always holds the units this near its own position.
NEIGHBOURS = 4

CHANGE_ORDER = ("added", "removed", "split", "merged", "renumbered", "modified")

METADATA_LABELS = {
    "title": "标题", "doc_number": "发文字号", "doc_number_parts": "发文字号（分项）", "doc_type": "文种",
    "issuer": "发文机关", "issuers": "发文机关（列表）", "issuer_mark": "发文机关标志", "addressees": "主送机关",
    "signed_date": "成文日期", "printed_date": "印发日期", "printing_office": "印发机关", "effective_date": "施行日期",
    "effective_text": "施行条款", "repeals": "废止文件", "cc": "抄送机关", "notes": "附注", "attachment_list": "附件说明",
    "enclosed_title": "印发文件标题", "events": "大事记", "jurisdiction": "适用地域",
    "index_number": "索引号", "publisher": "发布机构", "published_date": "发布日期", "classification": "组配分类",
    "disclosure": "公开方式",
}
PASSAGE_LABELS = {
    "preamble": "开头", "postamble": "正文结尾", "closing.signature": "署名", "closing.date_text": "落款日期",
    "closing.notes": "附注", "closing.imprint": "版记", "attachment": "附件", "component": "所附文件",
}


# --- the result -----------------------------------------------------------------------------------------------

@dataclass
class TextOp:
    """One piece of a character-level diff. equal: old == new; insert: old == ''; delete: new == ''."""

    op: str  # equal | insert | delete | replace
    old: str = ""
    new: str = ""

    def to_dict(self) -> dict:
        if self.op == "equal":
            return {"op": "equal", "text": self.old}
        if self.op == "insert":
            return {"op": "insert", "new": self.new}
        if self.op == "delete":
            return {"op": "delete", "old": self.old}
        return {"op": "replace", "old": self.old, "new": self.new}


@dataclass
class UnitRef:
    eid: str
    num: str  # as written: （二）
    label: str  # with its ancestors, as people cite it: 五（二）
    kind: str
    heading: str | None


@dataclass
class ThresholdValue:
    id: str
    source_text: str
    comparator: str
    value: int | float
    unit: str
    rule: str


@dataclass
class ThresholdChange:
    change: str  # added | removed | modified
    metric: str  # the new metric when both exist (it may have been reworded)
    old: ThresholdValue | None
    new: ThresholdValue | None


@dataclass
class ResponsibilityChange:
    """Departments compared by their stable id; names are shown as written in the version they come from."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    lead_old: str | None = None
    lead_new: str | None = None
    lead_changed: bool = False
    old: list[str] = field(default_factory=list)  # the whole list, in written order
    new: list[str] = field(default_factory=list)


@dataclass
class HeadingChange:
    old: str | None
    new: str | None


@dataclass
class ConditionChange:
    """How the thresholds combine, by metric: '(研发费用占营业收入比重 且 研发费用年增长) 或 基础研究研发费用投入'."""

    old: str
    new: str


@dataclass
class UnitChange:
    changes: list[str]  # in CHANGE_ORDER; added/removed/split/merged exclude one another
    old: list[UnitRef]  # none when added, several when merged
    new: list[UnitRef]  # none when removed, several when split
    similarity: float | None = None  # difflib ratio of the texts, 3 decimals; None for added/removed
    heading: HeadingChange | None = None
    text: list[TextOp] = field(default_factory=list)  # empty when the text is unchanged
    wrap_up: list[TextOp] = field(default_factory=list)
    thresholds: list[ThresholdChange] = field(default_factory=list)
    responsibilities: ResponsibilityChange | None = None
    conditions: ConditionChange | None = None


@dataclass
class FieldChange:
    field: str  # Metadata field name
    label: str
    old: Any  # JSON value
    new: Any


@dataclass
class PassageChange:
    part: str  # preamble | postamble | closing.signature | closing.date_text | closing.notes | closing.imprint | attachment
    label: str
    key: str | None  # attachments: the 附件 number; else None
    ops: list[TextOp]


@dataclass
class Side:
    id: str
    doc_number: str | None
    title: str | None
    signed_date: str | None
    source_file: str
    sha256: str
    version: str | None = None  # the release's version key, when the caller knows it


@dataclass
class Summary:
    added: int = 0
    removed: int = 0
    modified: int = 0
    renumbered: int = 0
    split: int = 0
    merged: int = 0
    unchanged: int = 0  # paired units with the same eid and nothing changed
    metadata: int = 0
    passages: int = 0


@dataclass
class DocumentDiff:
    old: Side
    new: Side
    identical: bool  # no metadata, unit, passage or document-wide responsibility change
    summary: Summary
    metadata: list[FieldChange] = field(default_factory=list)
    units: list[UnitChange] = field(default_factory=list)  # in reading order of the new version
    passages: list[PassageChange] = field(default_factory=list)
    responsibilities: ResponsibilityChange | None = None  # document-wide ones (责任主体)
    schema_version: str = DIFF_SCHEMA_VERSION

    def to_dict(self) -> dict:
        return {"schema_version": self.schema_version, **{
            f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "schema_version"}}


def _plain(value):
    """dataclasses.asdict that lets TextOp choose its compact shape."""
    if isinstance(value, TextOp):
        return value.to_dict()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# --- alignment ------------------------------------------------------------------------------------------------

@dataclass
class Alignment:
    pairs: list[tuple[Unit, Unit]]  # one old unit <-> one new unit, in new-document order
    splits: list[tuple[Unit, list[Unit]]]  # one old unit -> its new parts, in order
    merges: list[tuple[list[Unit], Unit]]  # old parts, in order -> one new unit
    removed: list[Unit]
    added: list[Unit]


def _body(unit: Unit) -> str:
    body = unit.text if not unit.wrap_up else f"{unit.text}\n{unit.wrap_up}"
    return f"{unit.lead_in}\n{body}" if unit.lead_in else body


def _content(unit: Unit) -> tuple:
    return (unit.heading or "", unit.text, unit.wrap_up, unit.lead_in)


def align(old: Document, new: Document) -> Alignment:
    olds, news = list(old.units()), list(new.units())
    o2n: dict[int, int] = {}  # old index -> new index
    n2o: dict[int, int] = {}

    def pair(i: int, j: int) -> None:
        o2n[i], n2o[j] = j, i

    # 1. Same place, same content.
    new_at = {u.eid: j for j, u in enumerate(news)}
    for i, u in enumerate(olds):
        j = new_at.get(u.eid)
        if j is not None and news[j].kind == u.kind and _content(news[j]) == _content(u):
            pair(i, j)

    # 2. Same content elsewhere, when it is unambiguous (one on each side).
    def by_content(units, taken):
        groups: dict[tuple, list[int]] = {}
        for k, u in enumerate(units):
            if k not in taken and any(_content(u)):
                groups.setdefault((u.kind, _content(u)), []).append(k)
        return groups

    new_groups = by_content(news, n2o)
    for key, old_ids in by_content(olds, o2n).items():
        new_ids = new_groups.get(key, [])
        if len(old_ids) == 1 and len(new_ids) == 1:
            pair(old_ids[0], new_ids[0])

    # 3. Similar content, best pairs first. One matcher per new unit: difflib indexes its side once.
    candidates = []
    left = [i for i in range(len(olds)) if i not in o2n]
    shortlist = _Shortlist(olds, left)
    for j, v in enumerate(news):
        if j in n2o:
            continue
        against = _Against(v)
        for i in shortlist.near(v, j):
            u = olds[i]
            if u.kind != v.kind:
                continue
            score = against.score(u)
            if score is not None:
                bonus = SAME_EID_BONUS if u.eid == v.eid else 0.0
                candidates.append((-(score + bonus), abs(i - j), i, j))
    for _, _, i, j in sorted(candidates):
        if i not in o2n and j not in n2o:
            pair(i, j)

    # 4. Containers whose children moved together (a section renamed and renumbered at once).
    parent_old = {id(c): i for i, u in enumerate(olds) for c in u.children}
    parent_new = {id(c): j for j, v in enumerate(news) for c in v.children}
    votes: Counter = Counter()
    for i, j in o2n.items():
        po, pn = parent_old.get(id(olds[i])), parent_new.get(id(news[j]))
        if po is not None and pn is not None and po not in o2n and pn not in n2o and olds[po].kind == news[pn].kind:
            votes[(po, pn)] += 1
    for (po, pn), count in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        need = max(1, min(len(olds[po].children), len(news[pn].children)) // 2)
        if count >= need and po not in o2n and pn not in n2o:
            pair(po, pn)

    # 5. Splits and merges.
    splits = _find_splits(olds, news, o2n, n2o)
    merges = [(parts, whole) for whole, parts in _find_splits(news, olds, n2o, o2n)]

    pairs = [(olds[n2o[j]], news[j]) for j in sorted(n2o)]
    grouped_old, grouped_new = _grouped(splits, merges, old_side=True), _grouped(splits, merges, old_side=False)
    removed = [u for i, u in enumerate(olds) if i not in o2n and id(u) not in grouped_old]
    added = [v for j, v in enumerate(news) if j not in n2o and id(v) not in grouped_new]
    return Alignment(pairs, splits, merges, removed, added)


def _grouped(splits, merges, old_side: bool) -> set[int]:
    """id() of the units of one side that belong to a split or a merge."""
    if old_side:
        return {id(whole) for whole, _ in splits} | {id(p) for parts, _ in merges for p in parts}
    return {id(p) for _, parts in splits for p in parts} | {id(whole) for _, whole in merges}


def _ratio_at_least(matcher: SequenceMatcher, a: str, need: float) -> float | None:
    """difflib ratio of `a` against the matcher's second sequence if it reaches `need`, else None.

    real_quick_ratio (lengths) and quick_ratio (character counts) are upper bounds of ratio: most pairs stop there.
    """
    matcher.set_seq1(a)
    if matcher.real_quick_ratio() < need or matcher.quick_ratio() < need:
        return None
    ratio = textmatch.ratio(a, matcher.b)
    return ratio if ratio >= need else None


class _Against:
    """Scores old units against one new unit v: how sure we are that u became v (higher is surer), or None."""

    def __init__(self, v: Unit):
        self.heading = v.heading or ""
        self.body = _body(v)
        self.body_matcher = SequenceMatcher(None, "", self.body, autojunk=False)
        self.heading_matcher = SequenceMatcher(None, "", self.heading, autojunk=False)

    def score(self, u: Unit) -> float | None:
        hu, bu = u.heading or "", _body(u)
        same_heading = bool(hu) and hu == self.heading
        if not bu and not self.body:  # a container: only the heading says what it is
            if same_heading:
                return 2.0
            if not hu or not self.heading:
                return None
            return _ratio_at_least(self.heading_matcher, hu, MATCH_RATIO)
        ratio = _ratio_at_least(self.body_matcher, bu, HEADING_MATCH_RATIO if same_heading else MATCH_RATIO)
        if ratio is None:
            return None
        return ratio + (1.0 if same_heading else 0.0)


class _Shortlist:
    """The units of one side worth comparing with a unit of the other side.

    Up to SHORTLIST units, all of them (every real document: the pairing is exhaustive). Past that, comparing every
    pair costs the square of the document, so a unit is compared with the SHORTLIST units that share most of its
    rarer character pairs (those found in at most SHORTLIST units), the unit with the same eid, and the NEIGHBOURS
    nearest its own position: a revision keeps clauses roughly in place, and a moved clause keeps its wording.
    """

    def __init__(self, units: list[Unit], indexes: list[int]):
        self.indexes = indexes  # ascending
        self.small = len(indexes) <= SHORTLIST
        if self.small:
            return
        self.by_eid = {units[i].eid: i for i in indexes}
        postings: dict[str, list[int]] = {}
        for i in indexes:
            for gram in _grams(units[i]):
                postings.setdefault(gram, []).append(i)
        self.postings = {gram: found for gram, found in postings.items() if len(found) <= SHORTLIST}

    def near(self, unit: Unit, position: int) -> list[int]:
        if self.small:
            return self.indexes
        shared: Counter = Counter()
        for gram in _grams(unit):
            shared.update(self.postings.get(gram, ()))
        chosen = {i for i, _ in sorted(shared.items(), key=lambda kv: (-kv[1], abs(kv[0] - position), kv[0]))
                  [:SHORTLIST]}
        at = bisect.bisect_left(self.indexes, position)
        chosen.update(self.indexes[max(0, at - NEIGHBOURS):at + NEIGHBOURS])
        if unit.eid in self.by_eid:
            chosen.add(self.by_eid[unit.eid])
        return sorted(chosen)


def _grams(unit: Unit) -> set[str]:
    text = f"{unit.heading or ''}\x00{_body(unit)}"
    return {text[k:k + 2] for k in range(len(text) - 1)}


def _find_splits(olds: list[Unit], news: list[Unit], o2n: dict[int, int], n2o: dict[int, int]):
    """One old unit -> consecutive new siblings that share its text out between them.

    A unit U counts as split into parts P1…Pk (k >= 2, consecutive children of one parent, each unpaired or U's
    own partner) when: the parts, read in order, contain at least SPLIT_COVERAGE of U's characters; each part
    takes at least SPLIT_PART_SHARE of its own characters from U; and each part adds at least
    SPLIT_PART_CONTRIBUTION of U's characters that the others do not. Found splits are removed from o2n/n2o
    (U's partner becomes a part). Called with the sides swapped, it finds merges.
    """
    siblings: dict[int, list[int]] = {}  # new index -> indexes of its parent's children (or the top level)
    index_of = {id(v): j for j, v in enumerate(news)}
    children = {id(c) for v in news for c in v.children}
    top = [j for j, v in enumerate(news) if id(v) not in children]
    groups = [top] + [[index_of[id(c)] for c in v.children] for v in news if v.children]
    for group in groups:
        for j in group:
            siblings[j] = group

    # Where u's parts can be: next to u's partner, else among the children of its parent's partner.
    parent_old = {id(c): k for k, w in enumerate(olds) for c in w.children}
    everything = list(range(len(news)))

    children_of: dict[int, list[int]] = {}  # built once per parent: a flat clause list has thousands of children
    as_set: dict[int, set[int]] = {}

    def places(i: int) -> list[int]:
        if i in o2n:
            return siblings[o2n[i]]
        parent = parent_old.get(id(olds[i]))
        if parent is None:
            return top
        if parent in o2n:
            partner = o2n[parent]
            if partner not in children_of:
                children_of[partner] = [index_of[id(c)] for c in news[partner].children]
            return children_of[partner]
        return everything

    def place_set(where: list[int]) -> set[int]:
        if id(where) not in as_set:
            as_set[id(where)] = set(where)
        return as_set[id(where)]

    found = []
    bodies = [_body(v) for v in news]
    counts: dict[int, Counter] = {}
    position = {j: k for group in groups for k, j in enumerate(group)}  # place of a unit among its siblings
    shortlist = _Shortlist(news, list(range(len(news))))
    for i, u in enumerate(olds):
        text = _body(u)
        if not text or (i in o2n and _content(news[o2n[i]]) == _content(u)):
            continue
        own = o2n.get(i)
        chars = Counter(text)

        def part(j: int) -> bool:
            """Whether news[j] draws most of its own text from u. Cheap bounds first: lengths, character counts."""
            v, body = news[j], bodies[j]
            if v.kind != u.kind or (j in n2o and j != own) or not body or len(text) < SPLIT_PART_SHARE * len(body):
                return False
            if j not in counts:
                counts[j] = Counter(body)
            if sum((counts[j] & chars).values()) < SPLIT_PART_SHARE * len(body):
                return False
            drawn = sum(size for _, _, size in textmatch.matching_blocks(text, body))
            return drawn >= SPLIT_PART_SHARE * len(body)

        if own is not None:
            # The parts are consecutive siblings around u's partner: look outwards from it, not at every sibling.
            seeds = [own]
        else:
            where = places(i)
            seeds = where if len(where) <= SHORTLIST else [j for j in shortlist.near(u, i) if j in place_set(where)]
        parts = _grown(sorted(j for j in seeds if part(j)), siblings, position, part)
        run = _consecutive_run(parts, siblings, own, position)
        if len(run) < 2:
            continue
        joined = "\x00".join(_body(news[j]) for j in run)
        covered = _covered_positions(text, joined)
        if len(covered) < SPLIT_COVERAGE * len(text):
            continue
        if all(_contribution(text, run, k, news) >= SPLIT_PART_CONTRIBUTION * len(text) for k in range(len(run))):
            if own is not None:
                del o2n[i], n2o[own]
            found.append((u, [news[j] for j in run]))
    return found


def _grown(parts: list[int], siblings: dict[int, list[int]], position: dict[int, int], part) -> list[int]:
    """parts with the siblings next to them that are parts too, outwards until one is not (each tested once)."""
    chosen = set(parts)
    tested = set(parts)
    for j in parts:
        group = siblings.get(j, [j])
        for step in (-1, 1):
            k = position.get(j, 0) + step
            while 0 <= k < len(group) and group[k] not in tested:
                tested.add(group[k])
                if not part(group[k]):
                    break
                chosen.add(group[k])
                k += step
    return sorted(chosen)


def _consecutive_run(parts: list[int], siblings: dict[int, list[int]], own: int | None,
                     position: dict[int, int]) -> list[int]:
    """The longest run of parts that are consecutive siblings (containing u's partner, if it has one)."""
    best: list[int] = []
    chosen = set(parts)
    for j in parts:
        group = siblings.get(j, [j])
        pos = position.get(j, 0)
        if pos > 0 and group[pos - 1] in chosen:
            continue  # not the start of a run
        run = [j]
        while pos + len(run) < len(group) and group[pos + len(run)] in chosen:
            run.append(group[pos + len(run)])
        if (own is None or own in run) and len(run) > len(best):
            best = run
    return best


def _covered_positions(text: str, other: str) -> set[int]:
    """Positions of `text` whose characters difflib finds, in order, in `other`."""
    out: set[int] = set()
    for i, _, size in textmatch.matching_blocks(text, other):
        out.update(range(i, i + size))
    return out


def _contribution(text: str, run: list[int], k: int, news: list[Unit]) -> int:
    """Characters of `text` covered by all parts but not by the parts without part k."""
    with_all = _covered_positions(text, "\x00".join(_body(news[j]) for j in run))
    without = _covered_positions(text, "\x00".join(_body(news[j]) for n, j in enumerate(run) if n != k))
    return len(with_all - without)


# --- character-level text diff --------------------------------------------------------------------------------

# A number with its decimals (2.5, 3.0) or a Latin word is one token, so 100 -> 120 reads as one replacement;
# every other character (Chinese has no spaces) is a token of its own.
_TOKEN = re.compile(r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*|.", re.S)


def text_ops(old: str, new: str) -> list[TextOp]:
    """old -> new as equal/insert/delete/replace pieces; [] when both are empty."""
    if old == new:
        return [TextOp("equal", old, new)] if old else []
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    ops = []
    for tag, i1, i2, j1, j2 in textmatch.opcodes(a, b):
        ops.append(TextOp(tag, "".join(a[i1:i2]), "".join(b[j1:j2])))
    return _tidy(ops)


def _tidy(ops: list[TextOp]) -> list[TextOp]:
    """Fold very short unchanged runs into the changes around them, then join neighbouring changes."""
    # One pass: a short equal run is folded when both its neighbours are changes (difflib never puts two equal runs
    # side by side, and a fold only makes changes), then neighbouring changes are joined. Pieces are collected and
    # joined once, so a text with thousands of small changes costs linear time.
    out: list[tuple[str, list[str], list[str]]] = []  # (op, old pieces, new pieces)
    for k, op in enumerate(ops):
        short = op.op == "equal" and len(op.old) <= SHORT_EQUAL and 0 < k < len(ops) - 1 \
            and ops[k - 1].op != "equal" and ops[k + 1].op != "equal"
        if op.op != "equal" or short:
            if out and out[-1][0] != "equal":
                out[-1][1].append(op.old)
                out[-1][2].append(op.new)
                continue
            out.append(("replace" if short else op.op, [op.old], [op.new]))
        else:
            out.append(("equal", [op.old], [op.new]))
    return [_retag(TextOp(kind, "".join(old), "".join(new))) for kind, old, new in out]


def _retag(op: TextOp) -> TextOp:
    if op.op == "equal":
        return op
    if not op.old:
        return TextOp("insert", "", op.new)
    if not op.new:
        return TextOp("delete", op.old, "")
    return TextOp("replace", op.old, op.new)


# --- what changed inside a unit -------------------------------------------------------------------------------

def _threshold_value(t: Threshold) -> ThresholdValue:
    return ThresholdValue(t.id, t.source_text, t.comparator, t.value, t.unit, t.rule)


def _same_threshold(a: Threshold, b: Threshold) -> bool:
    return (a.metric, a.comparator, a.value, a.unit, a.source_text, a.rule) == \
        (b.metric, b.comparator, b.value, b.unit, b.source_text, b.rule)


def threshold_changes(old: list[Threshold], new: list[Threshold]) -> list[ThresholdChange]:
    """Pair thresholds by metric (in order of appearance), then the rest by position; report what differs."""
    pairs: list[tuple[Threshold | None, Threshold | None]] = []
    by_metric: dict[str, deque[int]] = {}  # metric -> positions in `new` not yet paired, in order
    for k, n in enumerate(new):
        by_metric.setdefault(n.metric, deque()).append(k)
    paired: set[int] = set()
    left_old = []
    for t in old:
        waiting = by_metric.get(t.metric)
        if not waiting:
            left_old.append(t)
        else:
            k = waiting.popleft()
            paired.add(k)
            pairs.append((t, new[k]))
    left_new = [n for k, n in enumerate(new) if k not in paired]
    for t, n in zip(left_old, left_new):
        pairs.append((t, n))
    pairs += [(t, None) for t in left_old[len(left_new):]]
    pairs += [(None, n) for n in left_new[len(left_old):]]
    order = {id(t): k for k, t in enumerate(new)}
    order_old = {id(t): k for k, t in enumerate(old)}
    pairs.sort(key=lambda p: (order[id(p[1])] if p[1] is not None else order_old[id(p[0])] + 0.5))
    out = []
    for a, b in pairs:
        if a is not None and b is not None:
            if not _same_threshold(a, b):
                out.append(ThresholdChange("modified", b.metric, _threshold_value(a), _threshold_value(b)))
        elif a is not None:
            out.append(ThresholdChange("removed", a.metric, _threshold_value(a), None))
        else:
            out.append(ThresholdChange("added", b.metric, None, _threshold_value(b)))
    return out


def responsibility_change(old: list[Responsibility], new: list[Responsibility]) -> ResponsibilityChange | None:
    """Added and removed departments (by registry id) and a change of lead; None when nothing of that changed."""
    old_ids = {r.department_id for r in old}
    new_ids = {r.department_id for r in new}
    lead_old = next((r.department for r in old if r.role == "lead"), None)
    lead_new = next((r.department for r in new if r.role == "lead"), None)
    lead_id_old = next((r.department_id for r in old if r.role == "lead"), None)
    lead_id_new = next((r.department_id for r in new if r.role == "lead"), None)
    change = ResponsibilityChange(
        added=[r.department for r in new if r.department_id not in old_ids],
        removed=[r.department for r in old if r.department_id not in new_ids],
        lead_old=lead_old, lead_new=lead_new, lead_changed=lead_id_old != lead_id_new,
        old=[r.department for r in old], new=[r.department for r in new])
    roles_old = {(r.department_id, r.role) for r in old}
    roles_new = {(r.department_id, r.role) for r in new}
    if change.added or change.removed or change.lead_changed or roles_old != roles_new:
        return change
    return None


def conditions(unit: Unit) -> str:
    """The unit's condition groups as one expression of metrics, e.g. '(A 且 B) 或 C'; '' when it has none."""
    metric = {t.id: t.metric for t in unit.thresholds}
    groups = {g.id: g for g in unit.condition_groups}
    inner = {item for g in unit.condition_groups for item in g.items}

    def render(item: str, nested: bool) -> str:
        if item in metric:
            return metric[item]
        group = groups.get(item)
        if group is None:
            return item
        joiner = " 且 " if group.logic == "all" else " 或 "
        text = joiner.join(render(i, True) for i in group.items)
        return f"({text})" if nested else text

    return "；".join(render(g.id, False) for g in unit.condition_groups if g.id not in inner)


def _unit_change(old: Unit | None, new: Unit | None, refs: dict[int, UnitRef]) -> UnitChange:
    if old is None:
        return UnitChange(["added"], [], [refs[id(new)]], text=text_ops("", new.text),
                          wrap_up=text_ops("", new.wrap_up), thresholds=threshold_changes([], new.thresholds),
                          responsibilities=responsibility_change([], new.responsibilities))
    if new is None:
        return UnitChange(["removed"], [refs[id(old)]], [], text=text_ops(old.text, ""),
                          wrap_up=text_ops(old.wrap_up, ""), thresholds=threshold_changes(old.thresholds, []),
                          responsibilities=responsibility_change(old.responsibilities, []))
    change = UnitChange([], [refs[id(old)]], [refs[id(new)]])
    if old.heading != new.heading:
        change.heading = HeadingChange(old.heading, new.heading)
    if old.text != new.text or old.lead_in != new.lead_in:  # lead_in: the 款 before a second list
        change.text = text_ops("\n".join(t for t in (old.lead_in, old.text) if t),
                               "\n".join(t for t in (new.lead_in, new.text) if t))
    if old.wrap_up != new.wrap_up:
        change.wrap_up = text_ops(old.wrap_up, new.wrap_up)
    change.thresholds = threshold_changes(old.thresholds, new.thresholds)
    change.responsibilities = responsibility_change(old.responsibilities, new.responsibilities)
    if conditions(old) != conditions(new):
        change.conditions = ConditionChange(conditions(old), conditions(new))
    if old.eid != new.eid:
        change.changes.append("renumbered")
    if change.heading or change.text or change.wrap_up or change.thresholds or change.responsibilities \
            or change.conditions:
        change.changes.append("modified")
        change.similarity = _similarity(_body(old), _body(new))
    return change


def _similarity(a: str, b: str) -> float:
    return round(textmatch.ratio(a, b), 3)


def _refs(doc: Document) -> dict[int, UnitRef]:
    """UnitRef of every unit, keyed by id(unit); the label joins the ancestors' numbers: 五（二）."""
    out: dict[int, UnitRef] = {}

    def walk(unit: Unit, prefix: str) -> None:
        # A measure without a number (readers/measures.py) is cited by its heading.
        label = prefix + (unit.num.rstrip("、").rstrip(".") or unit.heading or unit.eid)
        out[id(unit)] = UnitRef(unit.eid, unit.num, label, unit.kind, unit.heading)
        for child in unit.children:
            walk(child, label)

    for unit in doc.top_units():
        walk(unit, "")
    return out


# --- the whole document ---------------------------------------------------------------------------------------

def metadata_changes(old: Metadata, new: Metadata) -> list[FieldChange]:
    a, b = dataclasses.asdict(old), dataclasses.asdict(new)
    return [FieldChange(name, METADATA_LABELS.get(name, name), a[name], b[name])
            for name in a if a[name] != b[name]]


def passage_changes(old: Document, new: Document) -> list[PassageChange]:
    """Text outside the numbered units: opening, closing sentences, signature, 版记, attachments."""
    out = []
    parts = [
        ("preamble", old.preamble, new.preamble),
        ("postamble", old.postamble, new.postamble),
        ("closing.signature", "\n".join(old.closing.signature), "\n".join(new.closing.signature)),
        ("closing.date_text", old.closing.date_text or "", new.closing.date_text or ""),
        ("closing.notes", "\n".join(old.closing.notes), "\n".join(new.closing.notes)),
        ("closing.imprint", "\n".join(old.closing.imprint), "\n".join(new.closing.imprint)),
    ]
    for part, a, b in parts:
        if a != b:
            out.append(PassageChange(part, PASSAGE_LABELS[part], None, text_ops(a, b)))
    old_cmp = {c.eid: _component_text(c) for c in old.components}
    new_cmp = {c.eid: _component_text(c) for c in new.components}
    for eid in [*new_cmp, *[e for e in old_cmp if e not in new_cmp]]:
        a, b = old_cmp.get(eid, ""), new_cmp.get(eid, "")
        if a != b:  # its units are compared clause by clause with the others; this is the text around them
            out.append(PassageChange("component", PASSAGE_LABELS["component"], eid, text_ops(a, b)))
    old_att = {a.num: a for a in old.attachments}
    new_att = {a.num: a for a in new.attachments}
    for num in [*new_att, *[n for n in old_att if n not in new_att]]:
        a, b = old_att.get(num), new_att.get(num)
        text_a = f"{a.title or ''}\n{a.text}" if a else ""
        text_b = f"{b.title or ''}\n{b.text}" if b else ""
        if text_a != text_b:
            out.append(PassageChange("attachment", f"{PASSAGE_LABELS['attachment']}{num}", num,
                                     text_ops(text_a, text_b)))
    return out


def _component_text(component) -> str:
    """A carried document's text outside its units: title, 主送, preamble, 目录, closing sentences, 落款."""
    closing = component.closing
    return "\n".join(x for x in [component.title or "", "、".join(component.addressees), component.preamble,
                                 *component.toc, component.postamble, *closing.signature,
                                 closing.date_text or "", *closing.notes] if x)


def _side(doc: Document, version: str | None) -> Side:
    m = doc.metadata
    return Side(doc.id, m.doc_number, m.title, m.signed_date, doc.provenance.source_file, doc.provenance.sha256,
                version)


def diff(old: Document, new: Document, *, old_version: str | None = None,
         new_version: str | None = None) -> DocumentDiff:
    """Everything that changed from `old` to `new`; versions are the release's version keys, when known."""
    alignment = align(old, new)
    refs = {**_refs(old), **_refs(new)}
    new_pos = {id(u): k for k, u in enumerate(new.units())}
    old_order = list(old.units())

    entries: list[tuple[tuple, UnitChange]] = []
    summary = Summary()
    placed: dict[int, int] = {}  # id(old unit) -> position of its new counterpart, to place removed units
    for a, b in alignment.pairs:
        placed[id(a)] = new_pos[id(b)]
        change = _unit_change(a, b, refs)
        if change.changes:
            entries.append(((new_pos[id(b)], 0, 0), change))
        else:
            summary.unchanged += 1
    for whole, parts in alignment.splits:
        placed[id(whole)] = new_pos[id(parts[0])]
        joined = "\n".join(p.text for p in parts)
        change = UnitChange(["split"], [refs[id(whole)]], [refs[id(p)] for p in parts],
                            similarity=_similarity(_body(whole), "\n".join(_body(p) for p in parts)),
                            text=text_ops(whole.text, joined),
                            thresholds=threshold_changes(whole.thresholds, [t for p in parts for t in p.thresholds]),
                            responsibilities=responsibility_change(
                                whole.responsibilities, _union([p.responsibilities for p in parts])))
        entries.append(((new_pos[id(parts[0])], 0, 0), change))
    for parts, whole in alignment.merges:
        for p in parts:
            placed[id(p)] = new_pos[id(whole)]
        joined = "\n".join(p.text for p in parts)
        change = UnitChange(["merged"], [refs[id(p)] for p in parts], [refs[id(whole)]],
                            similarity=_similarity("\n".join(_body(p) for p in parts), _body(whole)),
                            text=text_ops(joined, whole.text),
                            thresholds=threshold_changes([t for p in parts for t in p.thresholds], whole.thresholds),
                            responsibilities=responsibility_change(
                                _union([p.responsibilities for p in parts]), whole.responsibilities))
        entries.append(((new_pos[id(whole)], 0, 0), change))
    for b in alignment.added:
        entries.append(((new_pos[id(b)], 0, 0), _unit_change(None, b, refs)))
    removed = {id(u) for u in alignment.removed}
    last = -1
    for k, u in enumerate(old_order):
        if id(u) in removed:
            # Right after the new counterpart of the unit that preceded it in the old version.
            entries.append(((last, 1, k), _unit_change(u, None, refs)))
        else:
            last = placed.get(id(u), last)
    entries.sort(key=lambda e: e[0])
    units = [c for _, c in entries]

    for change in units:
        for kind in change.changes:
            setattr(summary, kind, getattr(summary, kind) + 1)
    metadata = metadata_changes(old.metadata, new.metadata)
    passages = passage_changes(old, new)
    responsibilities = responsibility_change(old.responsibilities, new.responsibilities)
    summary.metadata, summary.passages = len(metadata), len(passages)
    identical = not (metadata or units or passages or responsibilities)
    return DocumentDiff(_side(old, old_version), _side(new, new_version), identical, summary, metadata, units,
                        passages, responsibilities)


def _union(lists: list[list[Responsibility]]) -> list[Responsibility]:
    seen: set[str] = set()
    out = []
    for group in lists:
        for r in group:
            if r.department_id not in seen:
                seen.add(r.department_id)
                out.append(r)
    return out


def load_document(path: str | Path) -> Document:
    """A version to compare: an official text (read by the reader) or a document JSON file (checked by the schema)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        from .reader import read_path
        return read_path(path)
    from .validate import load_document_json
    return Document.from_dict(load_document_json(path))
