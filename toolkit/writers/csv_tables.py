"""Document model -> the four CSV tables of the open-data release.

`tables(doc, version)` is pure: it returns rows as dicts. `to_csv(table, rows)` turns them into RFC 4180 bytes,
UTF-8 with a BOM (so Excel opens Chinese text correctly) and CRLF line ends. The column lists below are the single
definition of each table: the data package's Table Schemas (release.py) and docs/data.md follow them, so a column is
added here first. Column names are a public contract: add freely, never rename.
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from dataclasses import dataclass

from ..model import Document, Unit

BOM = "\ufeff"
PATH_SEPARATOR = "/"  # between the nums of a clause path: 二、/（一）/1.


@dataclass(frozen=True)
class Column:
    name: str  # snake_case header
    type: str  # Table Schema type: string | integer | number
    title: str  # Chinese title shown by data portals
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    name: str  # file name without .csv
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]  # () when no column set is unique and never empty
    # (column, other table, its column): within one document version, every value appears there.
    foreign_keys: tuple[tuple[str, str, str], ...] = ()

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


_DOC_ID = Column("doc_id", "string", "文件标识",
                 "文件的稳定标识，由发文字号派生（如 zjzbf-2024-21）或在 source/manifest.toml 中指定；也是下载路径的一部分。",
                 True)
_VERSION = Column("version", "string", "版本",
                  "版本标识，一般为该版本的成文日期 YYYY-MM-DD；没有日期的文件为 current。", True)
_EID = Column("eid", "string", "条款标识",
              "条款的 Akoma Ntoso 风格标识（阿拉伯数字），如 sec_2__para_1 表示“二（一）”；与 JSON、AKN XML、网站锚点一致。")

CLAUSES = Table(
    "clauses", "条款", "正文中每一个编号单元（一、（一）1.（1）① 第X条 等），按文中顺序。",
    (
        _DOC_ID, _VERSION,
        Column("eid", "string", _EID.title, _EID.description, True),
        Column("kind", "string", "层级类型",
               "Akoma Ntoso 元素名：part 编、chapter 章、subchapter 节、article 条、section 一、paragraph （一）、"
               "point 1.、item （1）、indent ①。", True,
               ("part", "chapter", "subchapter", "article", "section", "paragraph", "point", "item", "indent")),
        Column("num", "string", "编号", "原文中的编号，统一为全角/半角规范写法，如 一、 （一） 1. 第十二条。", True),
        Column("path", "string", "编号路径", f"从顶层到本条的编号，以“{PATH_SEPARATOR}”分隔，如 二、{PATH_SEPARATOR}（一）。", True),
        Column("depth", "integer", "层深", "在正文结构中的深度，顶层为 1。", True),
        Column("parent_eid", "string", "上级条款标识", "上级编号单元的 eid；顶层为空。"),
        Column("ordinal", "integer", "序号", "在同级中的序号（编号的数值）。", True),
        Column("heading", "string", "标题", "条款标题（如“建立梯度培育体系”），无标题为空。"),
        Column("text", "string", "正文", "条款自身的文字（在下级条款之前），段落之间以换行分隔；不含下级条款。"),
        Column("wrap_up", "string", "结尾文字", "下级条款之后属于本条的文字（少见），段落之间以换行分隔。"),
        Column("source_line_start", "integer", "起始行", "在原始文本文件中的起始行号（从 1 起）。"),
        Column("source_line_end", "integer", "结束行", "在原始文本文件中的结束行号（从 1 起）。"),
    ),
    ("doc_id", "version", "eid"),
)

RESPONSIBILITIES = Table(
    "responsibilities", "责任分工", "条款 × 部门 × 角色：每个条款列出的责任单位（牵头/配合/责任主体）。",
    (
        _DOC_ID, _VERSION,
        Column("eid", "string", _EID.title, "所属条款的 eid；适用于全文的责任（如“各市、县〔市、区〕政府均为责任主体”）为空。"),
        Column("department_id", "string", "部门标识", "部门的稳定标识（部门名录中的标识，或由名称派生）。", True),
        Column("department", "string", "部门（原文）", "原文中的部门名称（简称），宽度已规范。", True),
        Column("full_name", "string", "部门全称", "部门名录中的正式全称；名录中没有时同原文名称。", True),
        Column("role", "string", "角色", "lead 牵头单位；participant 配合单位；responsible 负责单位（文件未指明牵头单位）；"
               "responsible_subject 责任主体；handler_lead 主办单位、handler 会办单位（办理意见，不计入牵头、配合）。", True,
               ("lead", "participant", "responsible", "responsible_subject", "handler_lead", "handler")),
        Column("order", "integer", "列出顺序", "在原文名单中的位置（从 1 起）。", True),
        Column("kind", "string", "类别", "department 部门；group 一类单位的统称（如“各有关单位”“各省级人民政府”），不是某一个部门。",
               True, ("department", "group")),
    ),
    # No primary key: document-wide rows have no eid, and a department may be named twice in one list.
    (),
    (("eid", "clauses", "eid"), ("department_id", "departments", "department_id")),
)

DEPARTMENTS = Table(
    "departments", "部门", "文中出现的每个部门及其牵头、参与的条款数量，按首次出现的顺序。",
    (
        _DOC_ID, _VERSION,
        Column("department_id", "string", "部门标识", "部门的稳定标识，与 responsibilities.department_id 一致。", True),
        Column("short_name", "string", "简称", "文中首次出现时的名称。", True),
        Column("full_name", "string", "全称", "部门名录中的正式全称；名录中没有时同简称。", True),
        Column("clauses_led", "integer", "牵头条款数", "该部门为牵头单位（role = lead）的条款数。", True),
        Column("clauses_joined", "integer", "配合条款数", "该部门为配合单位（role = participant）的条款数。", True),
        Column("clauses_total", "integer", "涉及条款数", "该部门以任何角色出现的条款数（不含适用于全文的责任）。", True),
        Column("kind", "string", "类别", "department 部门；group 一类单位的统称，不是某一个部门。", True,
               ("department", "group")),
    ),
    ("doc_id", "version", "department_id"),
)

THRESHOLDS = Table(
    "thresholds", "数量条件", "条款中的数量条件，如“3%以上”（≥ 3 %）、“超过1000万元”（> 10000000 元）。",
    (
        _DOC_ID, _VERSION,
        Column("threshold_id", "string", "条件标识", "条款 eid 加 __thr_N。", True),
        Column("eid", "string", _EID.title, "所属条款的 eid。", True),
        Column("metric", "string", "指标", "被比较的量，如“研发费用占营业收入比重”。"),
        Column("comparator", "string", "比较符", "≥ > ≤ <；“以上/以下”是否含本数按文件自身规定，否则按民法典第一千二百五十九条。",
               True, ("≥", ">", "≤", "<")),
        Column("value", "number", "数值", "规范化后的数值：1000万元 → 10000000，3% → 3。", True),
        Column("unit", "string", "单位", "% 、CNY（元）或原文量词（名、家、岁、个工作日……）。", True),
        Column("source_text", "string", "原文", "原文中的表述，如“3%以上”。", True),
        Column("rule", "string", "比较符依据", "civil_code_1259 民法典第一千二百五十九条；document 文件自身的规定；wording 措辞本身（超过、不低于等）。",
               True),
        Column("condition_group", "string", "条件组", "所在最内层条件组的标识（同组条件以“且”或“或”连接）；不属于任何组为空。"),
        Column("group_logic", "string", "组合方式", "所在条件组的逻辑：all 全部满足（且）；any 满足其一（或）。", False, ("all", "any")),
    ),
    ("doc_id", "version", "threshold_id"),
    (("eid", "clauses", "eid"),),
)

TABLES: tuple[Table, ...] = (CLAUSES, RESPONSIBILITIES, DEPARTMENTS, THRESHOLDS)


def tables(doc: Document, version: str) -> dict[str, list[dict]]:
    """All four tables of one document version, rows in document order."""
    key = {"doc_id": doc.id, "version": version}
    clauses: list[dict] = []
    responsibilities: list[dict] = []
    thresholds: list[dict] = []
    for unit, parents in _walk_with_parents(doc.body):
        lines = unit.source_lines or [None]
        clauses.append({
            **key, "eid": unit.eid, "kind": unit.kind, "num": unit.num,
            "path": PATH_SEPARATOR.join([p.num for p in parents] + [unit.num]),
            "depth": len(parents) + 1, "parent_eid": parents[-1].eid if parents else None,
            "ordinal": unit.ordinal, "heading": unit.heading, "text": unit.text, "wrap_up": unit.wrap_up,
            "source_line_start": lines[0], "source_line_end": lines[-1],
        })
        for resp in unit.responsibilities:
            responsibilities.append(_responsibility_row(key, unit.eid, resp))
        logic = {g.id: g.logic for g in unit.condition_groups}
        for thr in unit.thresholds:
            thresholds.append({
                **key, "threshold_id": thr.id, "eid": unit.eid, "metric": thr.metric, "comparator": thr.comparator,
                "value": thr.value, "unit": thr.unit, "source_text": thr.source_text, "rule": thr.rule,
                "condition_group": thr.group, "group_logic": logic.get(thr.group) if thr.group else None,
            })
    for resp in doc.responsibilities:
        responsibilities.append(_responsibility_row(key, None, resp))
    return {
        CLAUSES.name: clauses,
        RESPONSIBILITIES.name: responsibilities,
        DEPARTMENTS.name: _departments(key, doc),
        THRESHOLDS.name: thresholds,
    }


def _walk_with_parents(units: list[Unit], parents: tuple[Unit, ...] = ()):
    for unit in units:
        yield unit, list(parents)
        yield from _walk_with_parents(unit.children, (*parents, unit))


def _responsibility_row(key: dict, eid: str | None, resp) -> dict:
    return {**key, "eid": eid, "department_id": resp.department_id, "department": resp.department,
            "full_name": resp.full_name, "role": resp.role, "order": resp.order, "kind": resp.kind}


def _departments(key: dict, doc: Document) -> list[dict]:
    """One row per department, in order of first appearance (clauses first, then document-wide mentions)."""
    rows: dict[str, dict] = {}
    clauses_by_role: dict[str, dict[str, set[str]]] = {}

    def row_for(resp) -> dict:
        if resp.department_id not in rows:
            rows[resp.department_id] = {**key, "department_id": resp.department_id, "short_name": resp.department,
                                        "full_name": resp.full_name, "kind": resp.kind}
            clauses_by_role[resp.department_id] = {"lead": set(), "participant": set(), "any": set()}
        return rows[resp.department_id]

    for unit in doc.units():
        for resp in unit.responsibilities:
            row_for(resp)
            seen = clauses_by_role[resp.department_id]
            seen["any"].add(unit.eid)
            if resp.role in ("lead", "participant"):
                seen[resp.role].add(unit.eid)
    for resp in doc.responsibilities:
        row_for(resp)
    for dep_id, row in rows.items():
        seen = clauses_by_role[dep_id]
        row.update(clauses_led=len(seen["lead"]), clauses_joined=len(seen["participant"]),
                   clauses_total=len(seen["any"]))
    return list(rows.values())


def to_csv(table: Table, rows: list[dict]) -> bytes:
    """RFC 4180 CSV: UTF-8 with BOM, CRLF line ends, header row, fields quoted only when needed."""
    out = io.StringIO(newline="")
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.header)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in table.header])
    return out.getvalue().encode("utf-8")


# A text cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection):
# =HYPERLINK(…) or =cmd|… in a source text would run when a user opens the CSV. As the OWASP guidance on CSV
# injection says, such a cell gets a leading single quote, which spreadsheets show as text. Cells that already
# start with quotes before such a character get one more, so a reader can undo it exactly: remove one leading '
# from a cell that matches FORMULA_PREFIXED (docs/data.md).
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
FORMULA_PREFIXED = re.compile(r"''*[=+\-@\t\r]")


def _cell(value) -> str:
    """None -> empty cell (the data package's missing value); numbers without float noise (3.0 -> 3); text that a
    spreadsheet would run as a formula prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Plain decimal notation (1e-07 -> 0.0000001): every spreadsheet and Table Schema reads it.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if FORMULA_START.match(text) else text
