"""The document model: the one structure every reader produces and every writer consumes.

Field names here are the public contract of the JSON we publish (see toolkit/schemas/document.schema.json).
Add fields freely; rename or remove one only together with a SCHEMA_VERSION bump.
"""
from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field

SCHEMA_VERSION = "1.0.0"


@dataclass
class DocNumber:
    """发文字号 split into its parts: 机关代字〔年份〕顺序号号."""

    agency_code: str  # 机关代字, e.g. 浙政办发
    year: int
    serial: int


@dataclass
class Repeal:
    """A document this one repeals (…同时废止)."""

    doc_number: str | None
    title: str | None


@dataclass
class Citation:
    """A mention of another document in the text (readers/citations.py): 《title》（发文字号）, 《title》, 发文字号."""

    kind: str  # cites | implements (依据/根据/贯彻落实) | repeals (…同时废止)
    title: str | None  # inside 《》, as written
    doc_number: str | None  # normalised to 〔〕
    text: str  # the citation exactly as it stands in `field`
    eid: str | None  # the unit it stands in (att_N for an attachment); None: preamble or postamble
    field: str  # preamble | heading | text | wrap_up | postamble | attachment: which text of the document
    start: int  # span in that text: text[start:end] == `text`
    end: int
    line: int | None = None  # first source line of that unit or attachment, when known


@dataclass
class Event:
    """A dated event in the document's life, e.g. adoption of a law (2002年6月29日…通过)."""

    date: str  # ISO YYYY-MM-DD
    description: str


@dataclass
class Metadata:
    """GB/T 9704 metadata. Dates are ISO strings (YYYY-MM-DD) or None when the text has none."""

    title: str | None = None  # 标题, lines joined
    doc_number: str | None = None  # 发文字号, normalised to 〔〕
    doc_number_parts: DocNumber | None = None
    doc_type: str | None = None  # 文种, one of the 15 of the 条例 第八条 (or 法/条例/办法… for acts)
    issuer: str | None = None  # 发文机关, joint issuers joined with 、
    issuers: list[str] = field(default_factory=list)
    issuer_mark: str | None = None  # 发文机关标志, e.g. 浙江省人民政府办公厅文件
    addressees: list[str] = field(default_factory=list)  # 主送机关
    signed_date: str | None = None  # 成文日期
    printed_date: str | None = None  # 印发日期
    printing_office: str | None = None  # 印发机关
    effective_date: str | None = None  # 施行日期
    effective_text: str | None = None  # the sentence that states it
    valid_from: str | None = None  # 有效期 start, when the text states a period (政策期限为2016年至2018年)
    valid_until: str | None = None  # last day of validity: 有效期至…, 有效期5年 / 暂定三年 counted from 施行日期
    validity_text: str | None = None  # the sentence that states the period
    repeals: list[Repeal] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # 抄送机关
    notes: list[str] = field(default_factory=list)  # 附注, e.g. 此件公开发布
    attachment_list: list[str] = field(default_factory=list)  # 附件说明
    enclosed_title: str | None = None  # title of the first carried document (components[0].title)
    events: list[Event] = field(default_factory=list)
    jurisdiction: str | None = None  # e.g. cn-zj; cn for national (the province's ISO 3166-2 code for a city too)
    jurisdiction_code: str | None = None  # GB/T 2260 code of the issuing division (440100 广州市); None: national/unknown


@dataclass
class Responsibility:
    """One department (or group of units) a unit names: 责任单位 / 牵头单位 / 配合单位, or who handled a matter."""

    department: str  # the name as written, width-normalised
    full_name: str  # official name from the registry, or the written name when unknown
    department_id: str  # stable id (registry id, or derived from the name)
    role: str  # lead | participant | responsible | responsible_subject | handler_lead | handler
    order: int  # 1-based position in the written list
    kind: str = "department"  # department | group (各有关单位, 各省级人民政府: a class of units, never one department)


@dataclass
class Threshold:
    """A number a policy states about something: 3%以上 (≥ 3 %), 超过1000万元 (> 10,000,000 CNY), 30日内 (≤ 30 日),
    给予80%的补助 (= 80 %). docs/data.md has the meaning of each field; docs/thresholds.md the grammar."""

    id: str  # eid of the unit + __thr_N
    metric: str  # what is compared, e.g. 研发费用占营业收入比重; "" when the text does not say
    comparator: str  # ≥ > ≤ < =  (= : a stated amount or rate, 按1500元奖励)
    value: int | float  # normalised: 1000万元 -> 10000000, 3% -> 3, 三分之一 -> 33.333…, 万分之五 -> 0.05 (%)
    unit: str  # % | CNY | 元/亩, 元/人/月 (元 per …) | the counter as written (名, 家, 岁, 日, 个工作日, 个月, 年…)
    source_text: str  # exact text, e.g. 3%以上
    rule: str  # what decided the comparator: civil_code_1259 | document | wording
    group: str | None = None  # id of the innermost condition group it belongs to
    kind: str = "condition"  # condition | benefit | deadline | penalty | target
    metric_id: str | None = None  # id in toolkit/data/metrics.tsv; None when the metric is not recognised
    unlocked_by: str | None = None  # id of the threshold or condition group that is its if-part (bands)


@dataclass
class ConditionGroup:
    """Thresholds joined by 且 (all) or 或 (any); items are threshold or group ids. The two bounds of a range
    (15万元以上50万元以下) are an all group."""

    id: str
    logic: str  # all | any
    items: list[str] = field(default_factory=list)


@dataclass
class Unit:
    """A numbered unit of the body: 第X章, 第X条, 一、, （一）, 1., （1）, ①."""

    eid: str  # Akoma Ntoso style id with Arabic numbers: sec_2__para_1
    kind: str  # part | chapter | subchapter | article | section | paragraph | point | item | indent
    num: str  # the label as written, width-normalised: 一、 （一） 1. 第十二条
    ordinal: int
    heading: str | None = None
    text: str = ""  # paragraphs separated by \n, before any child
    children: list[Unit] = field(default_factory=list)
    wrap_up: str = ""  # paragraphs after the children (rare)
    # The parent's paragraphs right before this unit: the 款 that opens a second list in the same 条 or section
    # (…条件：（一）…（二）… 有下列情形之一的，不予补贴：（一）…). Empty for almost every unit.
    lead_in: str = ""
    responsibilities: list[Responsibility] = field(default_factory=list)
    thresholds: list[Threshold] = field(default_factory=list)
    condition_groups: list[ConditionGroup] = field(default_factory=list)
    source_lines: list[int] = field(default_factory=list)  # [first, last], 1-based, in the original file

    def walk(self):
        """This unit and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Attachment:
    """附件: its label, title and text (forms are kept as plain lines)."""

    num: str
    title: str | None
    text: str
    source_lines: list[int] = field(default_factory=list)


@dataclass
class Closing:
    """What follows the body: 署名, 成文日期 as written, 附注, 版记 lines."""

    signature: list[str] = field(default_factory=list)
    date_text: str | None = None
    notes: list[str] = field(default_factory=list)
    imprint: list[str] = field(default_factory=list)  # 版记 lines (抄送, 印发) as written
    source_lines: list[int] = field(default_factory=list)


@dataclass
class Component:
    """A document carried by another one: the 办法 a 印发通知 issues, the 预案 of a 函, the 条例 of a 公告.

    Its units are also walked by Document.units() (after the wrapper's body); their eids start with cmp_N__.
    """

    eid: str  # cmp_1, cmp_2 … in the order the texts come
    num: str | None  # the 附件 label before it (附件, 附件2), when there is one
    title: str | None
    doc_type: str | None  # 文种 or form of act read from its title (办法, 细则, 预案 …)
    doc_number: str | None = None  # its own 发文字号 (a 通知 carried by a 转发 通知 has one)
    addressees: list[str] = field(default_factory=list)  # its own 主送 (e.g. 国务院：)
    events: list[Event] = field(default_factory=list)  # under its title: （2024年3月28日…会议通过）
    preamble: str = ""  # text before its first unit (特制定以下规定：)
    toc: list[str] = field(default_factory=list)  # 目录 lines as written; they never become units
    body: list[Unit] = field(default_factory=list)
    postamble: str = ""
    closing: Closing = field(default_factory=Closing)
    signed_date: str | None = None  # its own date, when it has one
    effective_date: str | None = None  # from its own 施行 sentence
    source_lines: list[int] = field(default_factory=list)  # [first, last]

    def units(self):
        for unit in self.body:
            yield from unit.walk()


@dataclass
class Repair:
    """One repair the reader made to damaged text, with where it happened."""

    kind: str  # page_break_join | line_break_join | markdown_marker | rule_removed | cjk_space | punctuation_width
    # | run_in_split (a paragraph that lost its line breaks, cut where a unit, signature or date starts)
    lines: list[int]
    before: str
    after: str


@dataclass
class Provenance:
    source_file: str  # file name, no directory
    sha256: str
    encoding: str  # utf-8 | utf-8-sig | gb18030
    newline: str  # lf | crlf | cr | mixed | none
    line_count: int
    repairs: list[Repair] = field(default_factory=list)


@dataclass
class Finding:
    """A problem noticed in the source that did not stop the reader."""

    code: str  # e.g. numbering-gap
    message: str
    line: int | None = None
    column: int | None = None
    severity: str = "warning"  # warning | error


@dataclass
class Document:
    id: str
    metadata: Metadata
    provenance: Provenance
    preamble: str = ""
    body: list[Unit] = field(default_factory=list)
    postamble: str = ""  # body paragraphs after the last unit (施行, 废止 sentences)
    closing: Closing = field(default_factory=Closing)
    attachments: list[Attachment] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)  # documents it carries (印发通知 + 办法)
    toc: list[str] = field(default_factory=list)  # 目录 lines of the document itself, as written
    responsibilities: list[Responsibility] = field(default_factory=list)  # document-wide ones
    comparator_rules: dict[str, str] = field(default_factory=dict)  # e.g. {"以下": "<"} from the text itself
    citations: list[Citation] = field(default_factory=list)  # other documents the text mentions
    warnings: list[Finding] = field(default_factory=list)
    schema_version: str = SCHEMA_VERSION

    def units(self):
        """Every unit in document order: the body, then the units of each carried document."""
        for unit in self.body:
            yield from unit.walk()
        for component in self.components:
            yield from component.units()

    def top_units(self):
        """The top-level units of the body, then those of each carried document (for walks with parents)."""
        yield from self.body
        for component in self.components:
            yield from component.body

    def unit(self, eid: str) -> Unit | None:
        return next((u for u in self.units() if u.eid == eid), None)

    def to_dict(self) -> dict:
        data = plain(self)
        # schema_version first: it is what a consumer checks before anything else.
        return {"schema_version": data.pop("schema_version"), **data}

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        return _build(cls, data)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value):
    """Dataclasses as new dicts and lists, like dataclasses.asdict but ~5x faster: no deep copy of the leaves
    (str, int, float, None are immutable). A build turns every document into a dict several times."""
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = (tuple(f.name for f in dataclasses.fields(cls))
                                     if dataclasses.is_dataclass(cls) else ())
    if names:
        return {name: plain(getattr(value, name)) for name in names}
    if cls is list or cls is tuple:
        return [plain(item) for item in value]
    if cls is dict:
        return {key: plain(item) for key, item in value.items()}
    return value


@functools.lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)  # slow: once per class, not once per object


def _build(tp, value):
    """Rebuild dataclasses from plain JSON data (the inverse of dataclasses.asdict)."""
    if value is None:
        return None
    if isinstance(tp, str):
        tp = _HINT_NAMES[tp]
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _build(args[0], value)
        return value
    if origin is list:
        (arg,) = typing.get_args(tp)
        return [_build(arg, v) for v in value]
    if origin is dict:
        return dict(value)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp) if f.name in value}
        return tp(**kwargs)
    return value


_HINT_NAMES = {name: obj for name, obj in globals().items() if isinstance(obj, type)}
