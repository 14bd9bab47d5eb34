"""Chinese wording of the site: every label a reader sees comes from here, so it is consistent."""
from __future__ import annotations

SITE_SECTIONS = {
    "home": "首页",
    "documents": "政策文件",
    "departments": "部门",
    "thresholds": "数值条件",
    "downloads": "数据下载",
    "about": "关于数据",
}

METADATA = {
    "doc_number": "发文字号",
    "issuer": "发文机关",
    "doc_type": "文种",
    "signed_date": "成文日期",
    "printed_date": "印发日期",
    "effective_date": "施行日期",
    "index_number": "索引号",
    "published_date": "发布日期",
    "status": "状态",
    "repeals": "废止文件",
    "repealed_by": "废止依据",
    "addressees": "主送机关",
    "version": "版本",
    "source": "来源文本",
}

# Status labels live with the status itself (toolkit/status.py, Status.label): the data and the site say the same.

ROLES = {"lead": "牵头单位", "participant": "责任单位", "responsible": "负责单位", "responsible_subject": "责任主体",
         "handler_lead": "主办单位", "handler": "会办单位"}
ROLE_CHIP = {"lead": "牵头", "participant": "", "responsible": "", "responsible_subject": "责任主体",
             "handler_lead": "主办", "handler": "会办"}

# Comparator in words first (what a citizen reads), then the symbol.
COMPARATORS = {"≥": "不低于", ">": "高于", "≤": "不高于", "<": "低于", "=": "为"}

UNITS = {"%": "%", "CNY": "元"}

# Threshold.kind in words (docs/thresholds.md).
KINDS = {"condition": "条件", "benefit": "待遇", "deadline": "期限", "penalty": "处罚", "target": "目标"}
LOGIC = {"all": "且", "any": "或"}
LOGIC_LONG = {"all": "且（全部满足）", "any": "或（满足其一）"}

RULES = {
    "civil_code_1259": "民法典第一千二百五十九条：“以上”“以下”“以内”包括本数，“超过”“不满”不包括本数",
    "document": "文件自身规定的计数规则",
    "wording": "由措辞确定（如“不低于”“超过”）",
}

FORMATS = {
    "json": "JSON（文档模型）",
    "xml": "Akoma Ntoso XML",
    "csv": "CSV 表格",
    "txt": "原始文本",
    "zip": "压缩包（ZIP）",
}


def file_format(path: str, fmt: str) -> str:
    """What a release file is, in words: a format alone would call catalog.json a document model."""
    name = path.rsplit("/", 1)[-1]
    named = {"catalog.json": "JSON（文件目录）", "datapackage.json": "JSON（数据包说明，Frictionless）",
             "SHA256SUMS": "SHA-256 校验值（文本）"}
    if name in named:
        return named[name]
    if name.endswith(".schema.json"):
        return "JSON Schema（表格字段定义）"
    if name.startswith("diff-") and name.endswith(".json"):
        return "JSON（修订对照）"
    if name.endswith(".akn.xml"):
        return FORMATS["xml"]
    if fmt == "json":
        return "JSON（文档模型）" if "/" in path else "JSON"
    return FORMATS.get(fmt, fmt.upper())


def comparator(symbol: str) -> str:
    """'不低于（≥）': words for readers, the symbol for precision."""
    return f"{COMPARATORS.get(symbol, symbol)}（{symbol}）"


def amount(value: int | float, unit: str) -> str:
    """1e7 CNY -> '10,000,000 元'; 3 % -> '3%'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
    shown = UNITS.get(unit, unit)
    if unit.startswith("元/"):  # 1500 元/人/月: per person per month
        shown = "元／" + "／".join(unit.split("/")[1:])
    return f"{number}{shown}" if unit == "%" else f"{number} {shown}"


def file_size(size: int) -> str:
    """Human size with the exact byte count: '12.3 KB（12,345 字节）'."""
    for limit, suffix in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
        if size >= limit:
            return f"{size / limit:.1f} {suffix}（{size:,} 字节）"
    return f"{size:,} 字节"


def date(iso: str | None) -> str:
    """2024-06-06 -> 2024年6月6日 (the way the documents write dates)."""
    if not iso:
        return "—"
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"
