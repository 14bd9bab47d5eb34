"""DocumentDiff -> Markdown (`policykit diff --format markdown`): a 修订对照 report to paste into an issue or a page.

Changed text is marked with <del>/<ins> (rendered as strike-through and underline by GitHub and mkdocs); the
clause text is given in full. Everything from the documents is escaped, so a clause can never inject markup.
"""
from __future__ import annotations

import html
import re

from ..diff import DocumentDiff, TextOp
from .diff_text import detail_lines, responsibility_lines, side_label, summary_line, unit_title, value_text

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def escape(text: str) -> str:
    """Text from a document, safe inside Markdown (also inside a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")


def _unit_name(ref) -> str:
    """二（一）鼓励开展研发攻关 `sec_2__para_1`: the eid as code, which is how it appears in URLs and data."""
    return f"{escape(ref.label + (ref.heading or ''))} `{ref.eid}`"


def redline(ops: list[TextOp]) -> str:
    out = []
    for op in ops:
        if op.op == "equal":
            out.append(escape(op.old))
            continue
        if op.old:
            out.append(f"<del>{escape(op.old)}</del>")
        if op.new:
            out.append(f"<ins>{escape(op.new)}</ins>")
    return "".join(out)


def to_markdown(diff: DocumentDiff) -> str:
    lines = [f"# 修订对照：{escape(side_label(diff.old))} → {escape(side_label(diff.new))}", "",
             "| | 旧版本 | 新版本 |", "|---|---|---|",
             f"| 发文字号 | {escape(diff.old.doc_number or '—')} | {escape(diff.new.doc_number or '—')} |",
             f"| 成文日期 | {escape(diff.old.signed_date or '—')} | {escape(diff.new.signed_date or '—')} |",
             f"| 文件 | {escape(diff.old.source_file)} | {escape(diff.new.source_file)} |",
             f"| 标识 | `{diff.old.id}` | `{diff.new.id}` |",
             "", escape(summary_line(diff))]
    if diff.metadata:
        lines += ["", "## 元数据", "", "| 项目 | 旧 | 新 |", "|---|---|---|"]
        lines += [f"| {escape(c.label)} | {escape(value_text(c.old))} | {escape(value_text(c.new))} |"
                  for c in diff.metadata]
    if diff.units:
        lines += ["", "## 条款"]
        for change in diff.units:
            lines += ["", f"### {unit_title(change, _unit_name)}"]
            details = detail_lines(change)
            if details:
                lines.append("")
                lines += [f"- {escape(line)}" for line in details]
            if change.text:
                lines += ["", redline(change.text)]
            if change.wrap_up:
                lines += ["", redline(change.wrap_up)]
    if diff.passages:
        lines += ["", "## 其他文字"]
        for change in diff.passages:
            lines += ["", f"### {escape(change.label)}", "", redline(change.ops)]
    if diff.responsibilities:
        lines += ["", "## 全文责任单位", ""]
        lines += [f"- {escape(line)}" for line in responsibility_lines(diff)]
    return "\n".join(lines) + "\n"

