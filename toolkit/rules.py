"""Rules as data: each measure's conditions as a JsonLogic expression, with the benefit it unlocks (rules.json).

A *rule* is one if-then of a clause: its conditions (thresholds of kind `condition`, joined by their 且/或 groups)
as JsonLogic over variables named by `metric_id`, in canonical units (CNY in 元, % as a number), and what meeting
them gives: the benefit or penalty thresholds gated by them (`unlocked_by`) and the consequence as written.
A band table (6个月以内…；6个月以上12个月以内…) gives one rule per band.

Pure functions, Document in, dict out. The operators emitted are exactly those of `toolkit/eligibility.py` (and of
its JavaScript twin on the website): and, or, var, >=, >, <=, <, ==. docs/rules.md describes the format.
"""
from __future__ import annotations

import json
import re

from . import metrics as vocabulary
from .metrics import Metric
from .model import Document, Threshold, Unit
from .status import own_period, version_date
from .validate import validate_rules

RULES_FORMAT = 1  # bump when rules.json changes incompatibly
RULES_FILE = "rules.json"  # its name in every version folder of the release
OPERATORS = {"≥": ">=", ">": ">", "≤": "<=", "<": "<", "=": "=="}
# A leaf whose metric is not in toolkit/data/metrics.tsv reads this variable, which no profile can hold: the
# condition is then always 缺少信息 (never silently dropped, which would make an 且 look met).
UNRECOGNISED = "unrecognised"
GATED_KINDS = ("benefit", "penalty")
_SENTENCE_END = "。；;\n"


def document_rules(doc: Document, version: str, metrics: dict[str, Metric]) -> dict:
    """rules.json of one document version."""
    meta = doc.metadata
    rules: list[dict] = []
    variables: dict[str, dict] = {}
    for unit, path in _units_with_path(doc):
        for rule in unit_rules(unit, path, metrics):
            rules.append(rule)
            for cond in rule["conditions"]:
                if cond["var"] in metrics:  # not a metric_id whose unit could not be converted
                    m = metrics[cond["var"]]
                    variables[m.id] = {"name": m.name, "unit": m.unit}
    effective_from, effective_field = _effective_from(doc, version)
    return {
        "rules_format": RULES_FORMAT,
        "document": {
            "id": doc.id,
            "version": version,
            "title": meta.title,
            "doc_number": meta.doc_number,
            "issuer": meta.issuer,
            "issuers": list(meta.issuers),
            "jurisdiction": meta.jurisdiction,
            "effective_from": effective_from,
            "effective_from_field": effective_field,
            "effective_text": meta.effective_text,
            # The 有效期 as readers/validity.py read it: one reader of validity periods.
            "effective_until": meta.valid_until,
            "effective_until_text": meta.validity_text,
        },
        "variables": dict(sorted(variables.items())),
        "rules": rules,
    }


def rules_json(doc: Document, version: str, name: str) -> bytes:
    """rules.json as published: checked against schema/rules.schema.json, UTF-8, sorted as built."""
    data = document_rules(doc, version, {m.id: m for m in vocabulary.load()})
    validate_rules(data, name)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _effective_from(doc: Document, version: str) -> tuple[str | None, str | None]:
    """The version's own start (status.own_period: the one definition the release's periods use too) and the
    field it comes from; (None, None) when no date is known."""
    meta = doc.metadata
    start, _ = own_period(meta, version_date(version, meta))
    if start is None:
        return None, None
    if start == meta.effective_date:
        return start, "effective_date"
    if start == meta.valid_from:
        return start, "valid_from"
    return start, "version_date"


def _units_with_path(doc: Document):
    def walk(units: list[Unit], path: list[Unit]):
        for unit in units:
            yield unit, [*path, unit]
            yield from walk(unit.children, [*path, unit])
    yield from walk(list(doc.top_units()), [])  # the body, then carried documents (a 印发通知 + 办法)


def label(path: list[Unit]) -> str:
    """二、 > （一） -> 二（一）; 第十二条 stays as it is; 1. -> 1."""
    return "".join(u.num.rstrip("、.．") for u in path)


def unit_rules(unit: Unit, path: list[Unit], metrics: dict[str, Metric]) -> list[dict]:
    """The rules of one clause, in the order their conditions appear."""
    thresholds = {t.id: t for t in unit.thresholds}
    groups = {g.id: g for g in unit.condition_groups}
    parent: dict[str, str] = {}
    for g in unit.condition_groups:
        for item in g.items:
            parent[item] = g.id
    gated: dict[str, list[Threshold]] = {}
    for t in unit.thresholds:
        if t.kind in GATED_KINDS and t.unlocked_by is not None:
            gated.setdefault(t.unlocked_by, []).append(t)

    def conditions_in(node: str) -> list[Threshold]:
        if node in thresholds:
            return [thresholds[node]] if thresholds[node].kind == "condition" else []
        return [t for item in groups[node].items for t in conditions_in(item)] if node in groups else []

    def contains_gate(node: str) -> bool:
        return node in gated or (node in groups and any(contains_gate(i) for i in groups[node].items))

    def split(node: str) -> list[str]:
        """A tree holding gates gives one rule per gate, and one per part outside every gate."""
        if node in gated or not contains_gate(node):
            return [node]
        return [part for item in groups[node].items for part in split(item)]

    # The roots of the clause's condition trees, in text order.
    nodes: list[str] = []
    for t in unit.thresholds:
        if t.kind != "condition":
            continue
        root = t.id
        while root in parent:
            root = parent[root]
        for node in split(root):
            if node not in nodes and conditions_in(node):
                nodes.append(node)
    # A gate made of conditions the extractor did not group still unlocks its benefit.
    for gate in gated:
        if gate not in nodes and conditions_in(gate):
            nodes.append(gate)

    positions = _positions(unit)
    text = "\n".join(t for t in (unit.text, unit.wrap_up) if t)
    rules = []
    for n, node in enumerate(nodes, 1):
        leaves: list[dict] = []
        logic = _logic(node, thresholds, groups, metrics, leaves)
        benefits = gated.get(node, [])
        last = max(positions[c["id"]][1] for c in leaves)
        kind = benefits[0].kind if benefits else "condition"
        rules.append({
            "id": f"{unit.eid}__rule_{n}",
            "eid": unit.eid,
            "label": label(path),
            "heading": unit.heading,
            "kind": kind,
            "logic": logic,
            "conditions": leaves,
            "benefits": [_benefit(t) for t in benefits],
            "consequence": consequence(text, last),
            "source_text": _sentence(text, positions[leaves[0]["id"]][0], last),
            "departments": [{"department_id": r.department_id, "name": r.full_name, "role": r.role}
                            for r in unit.responsibilities],
            "source_lines": list(unit.source_lines),
        })
    return rules


def _logic(node: str, thresholds: dict[str, Threshold], groups, metrics, leaves: list[dict]) -> dict:
    """JsonLogic of a node; `leaves` receives the conditions in the order their leaves appear (depth first)."""
    if node in thresholds:
        t = thresholds[node]
        metric = metrics.get(t.metric_id) if t.metric_id else None
        value = canonical(t.value, t.unit, metric.unit) if metric is not None else None
        var = t.metric_id if value is not None else f"{UNRECOGNISED}.{t.id}"
        leaves.append({"id": t.id, "var": var, "metric": t.metric or None, "metric_id": t.metric_id,
                       "comparator": t.comparator, "value": t.value, "unit": t.unit,
                       "source_text": t.source_text, "rule": t.rule})
        return {OPERATORS[t.comparator]: [{"var": var}, t.value if value is None else value]}
    group = groups[node]
    parts = [_logic(item, thresholds, groups, metrics, leaves) for item in group.items
             if _has_condition(item, thresholds, groups)]
    if len(parts) == 1:
        return parts[0]
    return {"and" if group.logic == "all" else "or": parts}


def _has_condition(node: str, thresholds, groups) -> bool:
    if node in thresholds:
        return thresholds[node].kind == "condition"
    return node in groups and any(_has_condition(i, thresholds, groups) for i in groups[node].items)


# Units that name the same thing as a metric's canonical unit, and exact conversions (1年 = 12个月). 个月 -> 日 is
# not exact (a month is 28 to 31 days), so such a condition stays unrecognised rather than approximated.
_SAME = {"CNY": {"CNY"}, "日": {"日", "天"}, "人": {"人", "名"}, "个": {"个", "家", "项", "户"}}


def canonical(value: int | float, unit: str, metric_unit: str) -> int | float | None:
    """The threshold's value in the metric's canonical unit, or None when it cannot be converted exactly."""
    if unit == metric_unit or unit in _SAME.get(metric_unit, ()):
        return value
    if metric_unit.startswith("CNY/") and unit == "元/" + metric_unit[4:]:
        return value
    if (unit, metric_unit) == ("年", "个月"):
        return value * 12
    return None


def _benefit(t: Threshold) -> dict:
    return {"id": t.id, "kind": t.kind, "metric": t.metric or None, "metric_id": t.metric_id,
            "comparator": t.comparator, "value": t.value, "unit": t.unit, "source_text": t.source_text}


def _positions(unit: Unit) -> dict[str, tuple[int, int]]:
    """Where each threshold's source text is in the clause text: the extractor reports them in text order, so each
    is searched from where the previous one started (two thresholds may overlap: 15万元以上的，50万元以下的)."""
    text = "\n".join(t for t in (unit.text, unit.wrap_up) if t)
    out: dict[str, tuple[int, int]] = {}
    cursor = 0
    for t in unit.thresholds:
        start = text.find(t.source_text, cursor)
        if start < 0:
            start = max(text.find(t.source_text), 0)
        out[t.id] = (start, start + len(t.source_text))
        cursor = start + 1
    return out


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) from the first condition to the last, whole: what a reader checks the rule against."""
    begin = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    stops = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    stop = min(stops) + 1 if stops else len(text)
    return text[begin:stop].strip()


# After the conditions, the subject they describe (…的企业，/ …的，) comes before the consequence. The subject is
# short, starts near the conditions, and holds none of the words that begin a consequence.
_SUBJECT = re.compile(r"的[^，,。；;]{0,20}[，,]")
_SUBJECT_REACH = 40
_CONSEQUENCE_WORDS = ("给予", "奖励", "补助", "补贴", "申请", "享受", "支持", "按")


def consequence(text: str, end: int) -> str | None:
    """What the text says follows from meeting the conditions that end at `end`: the rest of the sentence after the
    subject they describe. 「…超过1000万元的企业，按上年度研发费用…给予财政奖励。」 -> 按上年度研发费用…给予财政奖励;
    「…25%（超过100人的企业达到15%）并与其签订1年以上劳动合同的，可申请…」 -> 可申请…. None when the sentence ends
    with the conditions."""
    stops = [i for i in (text.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    rest = text[end:min(stops) if stops else len(text)]
    for subject in _SUBJECT.finditer(rest):
        if subject.start() > _SUBJECT_REACH or any(w in rest[:subject.start()] for w in _CONSEQUENCE_WORDS):
            break
        rest = rest[subject.end():]
        break
    else:
        if rest.startswith("的"):
            # 「…3%以上的企业给予奖励。」: the consequence starts at its verb; 「…16至24岁的失业青年。」 has none.
            starts = [i for i in (rest.find(w) for w in _CONSEQUENCE_WORDS) if i >= 0]
            if not starts:
                return None
            rest = rest[min(starts):]
    rest = rest.strip("，, ")
    return rest or None
