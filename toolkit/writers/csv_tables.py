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
        # Not required: a measure without a number (a paragraph opening with a lead sentence) has none.
        Column("num", "string", "编号", "原文中的编号，统一为全角/半角规范写法，如 一、 （一） 1. 第十二条；"
               "没有编号、以引导句开头的措施为空。"),
        Column("path", "string", "编号路径", f"从顶层到本条的编号，以“{PATH_SEPARATOR}”分隔，如 二、{PATH_SEPARATOR}（一）；"
               "全部没有编号时为空。"),
        Column("depth", "integer", "层深", "在正文结构中的深度，顶层为 1。", True),
        Column("parent_eid", "string", "上级条款标识", "上级编号单元的 eid；顶层为空。"),
        Column("ordinal", "integer", "序号", "在同级中的序号（编号的数值）。", True),
        Column("heading", "string", "标题", "条款标题（如“建立梯度培育体系”），无标题为空。"),
        Column("text", "string", "正文", "条款自身的文字（在下级条款之前），段落之间以换行分隔；不含下级条款。"),
        Column("wrap_up", "string", "结尾文字", "下级条款之后属于本条的文字（少见），段落之间以换行分隔。"),
        Column("lead_in", "string", "引导文字", "紧接在本条款之前、属于上级条款的文字：同一条中第二组列举项之前的一款"
               "（如“有下列情形之一的，不予补贴：”）；通常为空。"),
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
        Column("kind", "string", "类别",
               "condition 条件（对申请人或对象的要求）；benefit 待遇（给予的金额、比例、上限）；deadline 期限；"
               "penalty 处罚（罚款）；target 目标（政府目标或基金规模）。", True,
               ("condition", "benefit", "deadline", "penalty", "target")),
        Column("metric", "string", "指标", "被比较的量，如“研发费用占营业收入比重”；原文未说明时为空。"),
        Column("metric_id", "string", "指标标识", "指标词表 toolkit/data/metrics.tsv 中的标识，如 rd_intensity；未识别时为空。"),
        Column("comparator", "string", "比较符",
               "≥ > ≤ < 为界限，= 为给定的金额或比例（如“按1500元奖励”）；“以上/以下”是否含本数按文件自身规定，"
               "否则按民法典第一千二百五十九条。", True, ("≥", ">", "≤", "<", "=")),
        Column("value", "number", "数值",
               "规范化后的数值：1000万元 → 10000000，3% → 3，三分之一 → 33.333…，万分之五 → 0.05（%）。", True),
        Column("unit", "string", "单位",
               "% 、CNY（元）、元/亩 元/人/月 等（每单位的元数）或原文量词（人、日、个工作日、个月、年……）。", True),
        Column("source_text", "string", "原文", "原文中的表述，如“3%以上”。", True),
        Column("rule", "string", "比较符依据", "civil_code_1259 民法典第一千二百五十九条；document 文件自身的规定；wording 措辞本身（超过、不低于等）。",
               True),
        Column("condition_group", "string", "条件组", "所在最内层条件组的标识（同组条件以“且”或“或”连接）；不属于任何组为空。"),
        Column("group_logic", "string", "组合方式", "所在条件组的逻辑：all 全部满足（且）；any 满足其一（或）。", False, ("all", "any")),
        Column("unlocked_by", "string", "适用条件",
               "本项待遇或处罚的前提：条件或条件组的标识（如“15万元以上50万元以下的，按1%奖励”中 1% 的前提是该区间）；无则为空。"),
    ),
    ("doc_id", "version", "threshold_id"),
    (("eid", "clauses", "eid"),),
)

TABLES: tuple[Table, ...] = (CLAUSES, RESPONSIBILITIES, DEPARTMENTS, THRESHOLDS)

# Corpus-level tables: one file for the whole release (data/<name>.csv), rows made by release.py from the release
# model, because what they say (status, relations) is about the corpus, not one text.
_DATE = "YYYY-MM-DD，未知为空。"
VERSIONS = Table(
    "versions", "文件版本与效力状态",
    "每份文件的每个版本一行：标题、发文字号、日期，以及截至发布日（as_of）的效力状态。与 catalog.json、网页一致。",
    (
        _DOC_ID, _VERSION,
        Column("current", "boolean", "是否最新版本", "true：该文件最新的版本。", True),
        Column("title", "string", "标题", "该版本的标题。"),
        Column("doc_number", "string", "发文字号", "该版本的发文字号，统一为〔〕写法。"),
        Column("signed_date", "date", "成文日期", _DATE),
        Column("effective_date", "date", "施行日期", _DATE),
        Column("valid_until", "date", "有效期至", "原文写明的有效期的最后一天（有效期至…、有效期5年、暂定三年），" + _DATE),
        Column("status", "string", "效力状态代码", "in_force 现行有效、not_yet_in_force 尚未施行、repealed 已废止、"
               "expired 已失效、superseded 历史版本。", True,
               ("in_force", "not_yet_in_force", "repealed", "expired", "superseded")),
        Column("status_label", "string", "效力状态", "现行有效、尚未施行、已废止、已失效、历史版本。", True,
               ("现行有效", "尚未施行", "已废止", "已失效", "历史版本")),
        Column("status_since", "date", "状态起始日", "该状态开始的日期（尚未施行：将施行的日期），" + _DATE),
        Column("status_by", "string", "废止或取代文件标识", "废止或取代本版本的文件的 doc_id（在本数据中时）。"),
        Column("status_by_doc_number", "string", "废止或取代文件的发文字号", "废止或取代本版本的文件的发文字号。"),
        Column("status_source", "string", "状态来源", "computed：由原文日期和其他文件的废止条款计算；manifest：人工核对"
               "（见 status_checked_by、status_url）。", True, ("computed", "manifest")),
        Column("status_checked_by", "string", "核对人", "manifest 中记录的核对人。"),
        Column("status_checked_on", "date", "核对日期", "manifest 中记录的核对日期，" + _DATE),
        Column("status_url", "string", "官方来源", "manifest 中记录的官方来源网址。"),
        Column("as_of", "date", "状态截至", "效力状态计算所依据的日期（发布数据的截止日）。", True),
        Column("in_force_from", "date", "施行起始日", "该版本开始施行的日期（施行日期，或有效期起始日，否则版本日期），"
               "未知为空：未知时不计为施行中。"),
        Column("in_force_until", "date", "施行终止日", "该版本不再施行的第一天（不含当日）：后续版本施行、被废止或有效期"
               "届满的次日中最早者，" + _DATE),
        Column("in_force_end", "string", "终止原因", "repealed 已废止、expired 已失效、superseded 历史版本；为空：没有"
               "已知的终止。in_force_end 有值而 in_force_until 为空：已终止，日期不明。", False,
               ("repealed", "expired", "superseded")),
    ),
    ("doc_id", "version"),
)

RELATIONS = Table(
    "relations", "文件之间的关系",
    "一份文件对另一份文件做了什么：废止、替代、修订（同一文件的版本之间）、依据（依据/根据/贯彻落实）、引用。"
    "对方在本数据中时给出其 doc_id（先按发文字号，再按完全相同的标题对应），否则只有原文的写法。",
    (
        Column("source_id", "string", "本文件标识", "提出关系的文件的 doc_id。", True),
        Column("source_version", "string", "本文件版本", "提出关系的版本（引用、依据取最新版本）。", True),
        Column("type", "string", "关系", "repeals 废止、replaces 替代、revises 修订、implements 依据、cites 引用。", True,
               ("repeals", "replaces", "revises", "implements", "cites")),
        Column("target_id", "string", "对方文件标识", "对方的 doc_id；不在本数据中时为空。"),
        Column("target_version", "string", "对方版本", "修订：被修订的版本；其他关系为空。"),
        Column("doc_number", "string", "对方发文字号", "原文给出的对方发文字号，统一为〔〕写法。"),
        Column("title", "string", "对方标题", "原文书名号中的对方标题。"),
        Column("text", "string", "原文写法", "原文中的引用文字，如 《……》（浙政办发〔2022〕19号）。"),
        Column("eid", "string", "所在条款", "引用所在条款的 eid（附件为 att_N）；在开头或结尾段落中时为空。"),
        Column("origin", "string", "来源", "text 原文、manifest 人工登记、versions 版本顺序。", True,
               ("text", "manifest", "versions")),
        Column("resolved_by", "string", "对应方式", "number 按发文字号、title 按标题、id 同一文件；空：不在本数据中。",
               False, ("number", "title", "id")),
    ),
    (),
)


def tables(doc: Document, version: str) -> dict[str, list[dict]]:
    """All four tables of one document version, rows in document order."""
    key = {"doc_id": doc.id, "version": version}
    clauses: list[dict] = []
    responsibilities: list[dict] = []
    thresholds: list[dict] = []
    for unit, parents in _walk_with_parents(list(doc.top_units())):
        lines = unit.source_lines or [None]
        clauses.append({
            **key, "eid": unit.eid, "kind": unit.kind, "num": unit.num,
            "path": PATH_SEPARATOR.join(n for n in [*(p.num for p in parents), unit.num] if n),
            "depth": len(parents) + 1, "parent_eid": parents[-1].eid if parents else None,
            "ordinal": unit.ordinal, "heading": unit.heading, "text": unit.text, "wrap_up": unit.wrap_up,
            "lead_in": unit.lead_in,
            "source_line_start": lines[0], "source_line_end": lines[-1],
        })
        for resp in unit.responsibilities:
            responsibilities.append(_responsibility_row(key, unit.eid, resp))
        logic = {g.id: g.logic for g in unit.condition_groups}
        for thr in unit.thresholds:
            thresholds.append({
                **key, "threshold_id": thr.id, "eid": unit.eid, "kind": thr.kind, "metric": thr.metric or None,
                "metric_id": thr.metric_id, "comparator": thr.comparator, "value": thr.value, "unit": thr.unit,
                "source_text": thr.source_text, "rule": thr.rule,
                "condition_group": thr.group, "group_logic": logic.get(thr.group) if thr.group else None,
                "unlocked_by": thr.unlocked_by,
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
        writer.writerow([_cell(row.get(c.name), free_text=c.enum is None) for c in table.columns])
    return out.getvalue().encode("utf-8")


# A text cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection):
# =HYPERLINK(…) or =cmd|… in a source text would run when a user opens the CSV. As the OWASP guidance on CSV
# injection says, such a cell gets a leading single quote, which spreadsheets show as text. Cells that already
# start with quotes before such a character get one more, so a reader can undo it exactly: remove one leading '
# from a cell that matches FORMULA_PREFIXED (docs/data.md).
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
FORMULA_PREFIXED = re.compile(r"''*[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """Free text as a CSV cell no spreadsheet runs as a formula (see FORMULA_START)."""
    return "'" + text if FORMULA_START.match(text) else text


def _cell(value, free_text: bool = True) -> str:
    """None -> empty cell (the data package's missing value); numbers without float noise (3.0 -> 3); free text that
    a spreadsheet would run as a formula prefixed with '. A column with a fixed vocabulary (comparator: = ≥ …) is
    written as it is: its values are ours, not the source's, and the Table Schema checks them."""
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
    return neutralise(text) if free_text else text
