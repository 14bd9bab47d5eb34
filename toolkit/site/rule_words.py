"""Thresholds and their condition groups in plain Chinese words, for the website: what a reader sees instead of
symbols, and without hovering: 研发费用占营业收入比重 不低于（≥）3% 且 研发费用年增长 不低于（≥）20%."""
from __future__ import annotations

from ..model import ConditionGroup, Threshold, Unit
from . import labels


def threshold_words(t: Threshold) -> str:
    """研发费用占营业收入比重 不低于（≥）3%."""
    return f"{t.metric or '（见原文）'} {labels.comparator(t.comparator)} {labels.amount(t.value, t.unit)}"


def item_words(item: str, thresholds: dict[str, Threshold], groups: dict[str, ConditionGroup],
               nested: bool = False) -> str:
    """A threshold or a group, groups in brackets when inside another: （A 且 B）或 C."""
    if item in thresholds:
        return threshold_words(thresholds[item])
    group = groups.get(item)
    if group is None:
        return item
    joined = f" {labels.LOGIC[group.logic]} ".join(item_words(i, thresholds, groups, True) for i in group.items)
    return f"（{joined}）" if nested and len(group.items) > 1 else joined


def clause_rules(unit: Unit) -> list[tuple[str, str]]:
    """(kind label, sentence) for a clause: each top-level condition or group once, each benefit, penalty,
    deadline or target with the conditions that unlock it ("适用于：…")."""
    thresholds = {t.id: t for t in unit.thresholds}
    groups = {g.id: g for g in unit.condition_groups}
    parent = {item: g.id for g in unit.condition_groups for item in g.items}

    def top(item: str) -> str:
        while item in parent:
            item = parent[item]
        return item

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for t in unit.thresholds:
        root = top(t.id)
        if root in seen:
            continue
        seen.add(root)
        sentence = item_words(root, thresholds, groups)
        if t.unlocked_by:
            sentence += f"；适用于：{item_words(t.unlocked_by, thresholds, groups)}"
        out.append((labels.KINDS.get(t.kind, t.kind), sentence))
    return out
