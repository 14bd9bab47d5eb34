"""DocumentDiff -> plain text for the terminal (`policykit diff --format text`).

Changes inside a text are marked the way wdiff does: [-deleted-]{+inserted+}. Long unchanged stretches are cut to
CONTEXT characters on each side of a change, so a one-character amendment in a long clause stays one line.
The wording helpers here are shared with the Markdown writer and the website.
"""
from __future__ import annotations

from ..diff import DocumentDiff, PassageChange, Side, TextOp, ThresholdChange, UnitChange, UnitRef

CONTEXT = 20  # unchanged characters shown on each side of a change

CHANGE_LABELS = {"added": "新增", "removed": "删除", "split": "拆分", "merged": "合并", "renumbered": "重新编号",
                 "modified": "修改"}


def side_label(side: Side) -> str:
    """浙政办发〔2024〕21号（2024-06-06）: how a version is named to a reader."""
    name = side.doc_number or side.id
    when = side.version or side.signed_date
    return f"{name}（{when}）" if when else name


def summary_line(diff: DocumentDiff) -> str:
    s = diff.summary
    if diff.identical:
        return f"两个版本内容相同，没有变化（{s.unchanged} 个条目均未改动）。"
    parts = [f"{CHANGE_LABELS[k]} {getattr(s, k)}" for k in ("added", "removed", "modified", "renumbered", "split",
                                                               "merged")]
    return (f"条款：{'，'.join(parts)}；未变 {s.unchanged}。元数据变化 {s.metadata} 项，其他文字变化 {s.passages} 处。")


def unit_name(ref: UnitRef) -> str:
    """二（一）鼓励开展研发攻关 [sec_2__para_1]"""
    heading = ref.heading or ""
    return f"{ref.label}{heading} [{ref.eid}]"


def unit_title(change: UnitChange, name=unit_name) -> str:
    """'重新编号、修改：五（二）… → 五（三）…' — the first line of a unit's entry; `name` renders one unit."""
    kinds = "、".join(CHANGE_LABELS[k] for k in change.changes)
    if not change.old:
        return f"{kinds}：{name(change.new[0])}"
    if not change.new:
        return f"{kinds}：{name(change.old[0])}"
    old = "＋".join(name(r) for r in change.old)
    new = "＋".join(name(r) for r in change.new)
    return f"{kinds}：{old}" if old == new else f"{kinds}：{old} → {new}"


def value_text(value) -> str:
    """A metadata value in one line: lists joined with 、, repeals as their 发文字号/title, None as —."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(value_text(v) for v in value)
    if isinstance(value, dict):
        if "doc_number" in value and "title" in value:  # a Repeal
            return f"《{value['title']}》（{value['doc_number']}）" if value.get("title") else str(value["doc_number"])
        if {"agency_code", "year", "serial"} <= set(value):  # a DocNumber
            return f"{value['agency_code']}〔{value['year']}〕{value['serial']}号"
        if {"date", "description"} <= set(value):  # an Event
            return f"{value['date']} {value['description']}"
        return "，".join(f"{k}={value_text(v)}" for k, v in value.items())
    return str(value)


def threshold_line(change: ThresholdChange) -> str:
    if change.change == "added":
        return f"新增数值条件：{change.metric} {change.new.source_text}"
    if change.change == "removed":
        return f"删除数值条件：{change.metric} {change.old.source_text}"
    return f"数值条件：{change.metric} {change.old.source_text} → {change.new.source_text}"


def responsibility_lines(change: UnitChange | DocumentDiff) -> list[str]:
    resp = change.responsibilities
    if resp is None:
        return []
    kinds = getattr(change, "changes", [])
    if "added" in kinds or "removed" in kinds:  # the whole unit is new or gone: just say who it names
        return [f"责任单位：{'、'.join(resp.new if 'added' in kinds else resp.old)}"]
    lines = []
    if resp.lead_changed and resp.lead_old and resp.lead_new:
        lines.append(f"牵头单位：{resp.lead_old} → {resp.lead_new}")
    if resp.added:
        lines.append(f"新增责任单位：{'、'.join(resp.added)}")
    if resp.removed:
        lines.append(f"删除责任单位：{'、'.join(resp.removed)}")
    if not lines:  # only roles changed
        lines.append(f"责任单位：{'、'.join(resp.old) or '—'} → {'、'.join(resp.new) or '—'}")
    return lines


def detail_lines(change: UnitChange) -> list[str]:
    """Everything under a unit's title, without the text diff."""
    lines = []
    if change.heading:
        lines.append(f"标题：{change.heading.old or '—'} → {change.heading.new or '—'}")
    if "added" in change.changes or "removed" in change.changes:
        lines += [f"数值条件：{t.metric} {(t.new or t.old).source_text}" for t in change.thresholds]
    else:
        lines += [threshold_line(t) for t in change.thresholds]
    if change.conditions:
        lines.append(f"条件组合：{change.conditions.old or '—'} → {change.conditions.new or '—'}")
    lines += responsibility_lines(change)
    return lines


def inline(ops: list[TextOp], context: int | None = CONTEXT) -> str:
    """[-old-]{+new+} marks on one line; unchanged runs longer than 2*context are cut in the middle (…)."""
    out = []
    for k, op in enumerate(ops):
        if op.op == "equal":
            text = op.old
            if context is not None:
                first, last = k == 0, k == len(ops) - 1
                if first and len(text) > context:
                    text = "…" + text[-context:]
                elif last and len(text) > context:
                    text = text[:context] + "…"
                elif not first and not last and len(text) > 2 * context:
                    text = text[:context] + "…" + text[-context:]
            out.append(text)
            continue
        if op.old:
            out.append(f"[-{op.old}-]")
        if op.new:
            out.append(f"{{+{op.new}+}}")
    return "".join(out).replace("\n", "⏎")  # one line per entry; ⏎ marks a paragraph break


def passage_title(change: PassageChange) -> str:
    return change.label


def to_text(diff: DocumentDiff) -> str:
    lines = [f"修订对照：{side_label(diff.old)} → {side_label(diff.new)}",
             f"旧版本：{diff.old.source_file}（{diff.old.id}，sha256 {diff.old.sha256[:12]}）",
             f"新版本：{diff.new.source_file}（{diff.new.id}，sha256 {diff.new.sha256[:12]}）",
             summary_line(diff)]
    if diff.metadata:
        lines += ["", "元数据"]
        lines += [f"  {c.label}（{c.field}）：{value_text(c.old)} → {value_text(c.new)}" for c in diff.metadata]
    if diff.units:
        lines += ["", "条款"]
        for change in diff.units:
            lines.append(f"  {unit_title(change)}")
            lines += [f"    {line}" for line in detail_lines(change)]
            if change.text:
                lines.append(f"    文字：{inline(change.text)}")
            if change.wrap_up:
                lines.append(f"    结尾文字：{inline(change.wrap_up)}")
    if diff.passages:
        lines += ["", "其他文字"]
        for change in diff.passages:
            lines.append(f"  {passage_title(change)}：{inline(change.ops)}")
    if diff.responsibilities:
        lines += ["", "全文责任单位"]
        lines += [f"  {line}" for line in responsibility_lines(diff)]
    return "\n".join(lines) + "\n"
