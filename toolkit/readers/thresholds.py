"""Numeric thresholds: the grammar. 3%以上 (≥ 3 %), 超过1000万元 (> 10,000,000 CNY), 最长不得超过60日 (≤ 60 日),
100—500亩（含500亩） (≥ 100 亩 and ≤ 500 亩), 三分之一 (33.33 %), 每人每月1500元 (= 1500 元/人/月), 30个工作日内.

Whether 以上/以下 include the number itself follows 民法典 第一千二百五十九条 (以上、以下、以内 include it;
超过、不满 do not) unless the document states its own rule, e.g. “以上”包含本数，“以下”不包含本数.
What each threshold means (kind, metric, which band unlocks which benefit) is read in threshold_meaning.py;
docs/thresholds.md describes the whole grammar.

Every search here is a regex pass over the clause or a look at a bounded window around one quantity, so the
extractor stays linear in the size of its input (tests/test_scale.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..chinese import cn_to_int, to_halfwidth
from ..model import ConditionGroup, Threshold
from . import threshold_groups, threshold_meaning as meaning

# Comparator words and what they mean by default, with the rule that decides it.
_SUFFIX = {"以上": ("≥", "civil_code_1259"), "以下": ("≤", "civil_code_1259"), "以内": ("≤", "civil_code_1259")}
# Words before a number. The longest match at one position wins (不满 over 满, 最长不得超过 over 不得超过).
_PREFIX = {
    **dict.fromkeys(("超过", "逾"), (">", "civil_code_1259")),
    **dict.fromkeys(("不满", "未满"), ("<", "civil_code_1259")),
    **dict.fromkeys(("不得低于", "不应低于", "不能低于", "不低于", "不少于", "不得少于", "不小于", "至少", "最少", "最低",
                     "达到", "年满", "满", "留存", "保存"), ("≥", "wording")),
    **dict.fromkeys(("最长不得超过", "最高不得超过", "最多不得超过", "最迟不得超过", "最长不超过", "最高不超过", "最多不超过",
                     "最迟不超过", "不得超过",
                     "不能超过", "不应超过", "不超过", "不高于", "不得高于", "不多于", "不大于", "最多", "最高", "最长",
                     "未逾", "用"), ("≤", "wording")),
    **dict.fromkeys(("高于", "多于", "大于"), (">", "wording")),
    **dict.fromkeys(("不足", "低于", "少于", "小于"), ("<", "wording")),
}
# Prefixes that may stand a few words before their number: 不高于承担风险责任的0.5%, 达到企业现有在职职工人数25%,
# 最高奖励300万元. Single characters (满, 逾, 用) must touch it.
_GAP_MAX = 12
_GAP_STOP = set("，。；：、（）()“”《》,;:!?！？\n0123456789%") | set("零〇一二两三四五六七八九十百千")
# A weak prefix (达到30万元以上) gives way to a suffix that states the bound.
_WEAK = {"达到", "年满", "满", "用"}
_PREFIX_WINDOW = max(len(w) for w in _PREFIX) + _GAP_MAX

_CN_NUM = "零〇一二两三四五六七八九十百千"
# A number never starts inside another one (the lookbehinds): a match there could not succeed anyway, and
# trying every start inside a long run of digits made finditer quadratic (10,000 digits: 5 s).
_NUMBER = rf"(?:(?<![\d.])\d+(?:\.\d+)?|(?<![{_CN_NUM}])[{_CN_NUM}]+)"
# No real threshold is written with more characters than this; longer runs are garbage, and their int
# would overflow Python's int/str conversion limit (4,300 digits) when the JSON is written.
_MAX_NUMBER_CHARS = 24
# Longest first so 个工作日 wins over 个 and 平方米 over 米.
_UNITS = ["个工作日", "个百分点", "个小时", "平方米", "个月", "周岁", "小时", "公里", "公斤", "千克", "元", "%", "人", "名", "家", "个", "位",
          "项", "岁", "年", "天", "日", "倍", "户", "次", "亩", "台", "套", "吨", "周", "米"]
_PER_NOUNS = ["子女", "平方米", "小时", "企业", "人", "户", "亩", "月", "年", "天", "日", "季", "周", "家", "吨", "项",
              "台", "套", "次"]
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PER = "|".join(_PER_NOUNS)
_SCALE = {"千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "亿": 100_000_000, "千": 1_000}
_QUANTITY = re.compile(
    rf"(?P<per>(?:每(?:个|位|名)?(?:{_PER}))*)"
    rf"(?:(?P<den>[百千万]|{_NUMBER})分之(?P<fnum>{_NUMBER})"
    rf"|(?P<num>{_NUMBER})(?P<scale>千万|百万|万|亿|千)?(?P<unit>{_UNIT})?(?P<slash>(?:/(?:{_PER})){{0,2}}))")
_NUMBER_ONLY = re.compile(_NUMBER)
_ABOVE_BELOW = re.compile(r"以上|以下")
_SUFFIX_AFTER = re.compile(r"(?:及|或)?(?:以上|以下|以内)|或多(?:个|名|家|位|项)|之内|限额内|内|届满|时间")
_INCLUDED = re.compile(r"[（(](不)?含[^（）()]{0,12}[）)]")
_DASH = re.compile(r"(?:及以上)?\s*(?:[-—–~～]+|至|到)\s*")
_OWN_RULE = re.compile(r"“?(以上|以下|以内)”?(?:均|都)?(不)?(?:包含|包括|含)本数")
_TIME_UNITS = {"个工作日", "个月", "年", "天", "日", "小时", "个小时", "周"}


@dataclass
class Rules:
    """Comparators for 以上/以下/以内 in this document: the civil-code default or the document's own rule."""

    suffix: dict[str, str]
    from_document: set[str]


def document_rules(full_text: str) -> Rules:
    """Read rule sentences such as 「“以上”包含本数，“以下”不包含本数」 (corpus 06, 第十四条)."""
    suffix = {word: comp for word, (comp, _) in _SUFFIX.items()}
    found: set[str] = set()
    for match in _OWN_RULE.finditer(full_text):
        word, negated = match.group(1), bool(match.group(2))
        if word == "以上":
            suffix[word] = ">" if negated else "≥"
        else:
            suffix[word] = "<" if negated else "≤"
        found.add(word)
    return Rules(suffix, found)


@dataclass
class Quantity:
    """One number as written, before any comparator: 1000万元, 三分之一, 每月1500元, 100万 (unit from the metric)."""

    start: int
    end: int
    value: Decimal
    unit: str | None  # None: a bare 100万 whose unit only the metric can tell
    plain_number: bool = False  # a bare number without unit or scale (the 16 of 16—24岁)
    scale: int = 1  # 万 of 5000万元: a bare lower bound (1000—5000万元) takes it too


@dataclass
class Bound:
    """A quantity with its comparator: what becomes one Threshold."""

    quantity: Quantity
    start: int  # of the whole written form (prefix … suffix)
    end: int
    comparator: str
    rule: str
    prefix: str = ""
    suffix: str = ""
    range_id: int | None = None  # the two bounds of 10%-30% share one
    threshold: Threshold | None = field(default=None, repr=False)


def _number(text: str) -> Decimal:
    return Decimal(text) if text[0].isdigit() else Decimal(cn_to_int(text))


def _quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        if m.group("fnum") is not None:
            den, num = m.group("den"), m.group("fnum")
            if len(num) > _MAX_NUMBER_CHARS or len(den) > _MAX_NUMBER_CHARS:
                continue
            denominator = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000)}.get(den) or _number(den)
            if denominator == 0:
                continue
            value = (_number(num) * 100 / denominator).quantize(Decimal("0.000001")).normalize()
            found.append(Quantity(m.start(), m.end(), value, "%"))
            continue
        num, scale, unit = m.group("num"), m.group("scale"), m.group("unit")
        slash, per = m.group("slash"), m.group("per")
        if len(num) > _MAX_NUMBER_CHARS or _is_date_part(text, m, unit):
            continue
        if num[0] in _CN_NUM and scale == "千" and not unit:
            continue  # 三千 without a unit is part of a Chinese numeral, not 3 × 千
        value = _number(num) * _SCALE.get(scale or "", 1)
        if unit == "元":
            pers = [p for p in re.findall(rf"每(?:个|位|名)?({_PER})", per)] + [p for p in slash.split("/") if p]
            unit = "/".join(["元", *pers]) if pers else "CNY"
        elif unit and slash:
            unit = unit + slash
        elif unit == "个小时":
            unit = "小时"  # 4个小时 and 4小时 are one unit
        if unit == "人" and text.startswith(("才", "员", "民", "口", "士", "群", "大", "次"), m.end()):
            continue  # 121人才梯队, 人员, 人民: the character belongs to a word
        if unit is None and not scale:
            found.append(Quantity(m.start("num"), m.end(), value, None, plain_number=True))
            continue
        start = m.start() if unit and unit.startswith("元/") else m.start("num")
        found.append(Quantity(start, m.end(), value, unit, scale=_SCALE.get(scale or "", 1)))
    return found


def _is_date_part(text: str, m: re.Match, unit: str | None) -> bool:
    """2024年, 6月7日, 第3年: calendar dates and ordinals, never thresholds."""
    num = m.group("num")
    start = m.start("num")
    before = text[start - 1] if start else ""
    if unit == "年" and (len(num) == 4 or text.startswith("度", m.end())):
        return True
    if unit in ("日", "天") and before == "月":
        return True
    if before == "第" or text.startswith(("月", "号"), m.end()) and unit is None:
        return True
    return False


def _prefix(text: str, start: int) -> tuple[str, int] | None:
    """The comparator word before a quantity and where it starts, allowing a short gap for most words."""
    floor = max(0, start - _PREFIX_WINDOW)
    pos = start
    while pos > floor:
        gap = text[pos:start]
        if gap and (text[pos] in _GAP_STOP or len(gap) > _GAP_MAX):
            break
        for length in range(min(6, pos - floor), 0, -1):
            word = text[pos - length:pos]
            if word in _PREFIX and (not gap or length > 1) and not (word == "满" and text[pos - 2:pos - 1] in "不未届圆"):
                return word, pos - length
        if gap and any(text.startswith(w, pos) for w in ("超过", "低于", "高于", "不")):
            break
        pos -= 1
    return None


def _suffix(text: str, end: int, quantity: Quantity) -> str:
    """以上 / 以下 / 以内 / 及以上 / 两个及两个以上 / 30日内 / 限额内 right after the quantity."""
    written = text[quantity.start:end]
    if text.startswith("及" + written, end) or text.startswith("或" + written, end):
        m = _ABOVE_BELOW.match(text, end + 1 + len(written))
        if m:
            return text[end:m.end()]
    m = _SUFFIX_AFTER.match(text, end)
    if not m:
        return ""
    word = m.group()
    if word in ("内", "之内", "届满", "时间") and quantity.unit not in _TIME_UNITS:
        return ""
    return word


def _comparator(prefix: str, suffix: str, quantity: Quantity, rules: Rules) -> tuple[str, str] | None:
    if prefix and not (prefix in _WEAK and suffix and suffix != "时间"):
        return _PREFIX[prefix]
    if not suffix:
        return None
    if suffix in ("内", "之内", "限额内", "时间"):
        return "≤", "wording"
    if suffix == "届满":
        return "≥", "wording"
    word = suffix[-2:]
    if suffix.startswith("或多"):  # 两名或多名
        return "≥", "wording"
    if suffix[0] in "及或" or len(suffix) > 3:  # 及以上, 两个及两个以上: inclusive whatever the rule
        return ("≥" if word == "以上" else "≤"), "wording"
    return rules.suffix[word], "document" if word in rules.from_document else "civil_code_1259"


def _bounds(text: str, rules: Rules) -> list[Bound]:
    quantities = _quantities(text)
    bounds: list[Bound] = []
    i = 0
    while i < len(quantities):
        q = quantities[i]
        if bounds and q.start < bounds[-1].end:  # the second 两个 of 两个及两个以上
            i += 1
            continue
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        dash = _DASH.fullmatch(text, q.end, nxt.start) if nxt else None
        low = q.value * (nxt.scale if q.plain_number and nxt else 1)
        if dash and nxt.unit and (q.unit is None or q.unit == nxt.unit) and low <= nxt.value:
            # low ≤ high: 365天-104天 is a subtraction, not a range
            bounds += _range(text, q, nxt, rules, len(bounds))
            i += 2
            continue
        i += 1
        if q.plain_number:
            continue
        found = _prefix(text, q.start)
        prefix, start = found if found else ("", q.start)
        suffix = _suffix(text, q.end, q)
        end = q.end + len(suffix)
        if prefix == "用" and suffix != "时间":
            prefix, start = "", q.start
        compared = _comparator(prefix, suffix, q, rules)
        comparator, rule = compared if compared else ("=", "wording")
        bounds.append(Bound(q, start, end, comparator, rule, prefix, suffix))
    return bounds


def _range(text: str, low: Quantity, high: Quantity, rules: Rules, index: int) -> list[Bound]:
    """10%-30%, 16—24岁, 100—500亩（含500亩）, 10万元—100万元: both ends included unless the text says 不含."""
    if low.unit is None:  # 16—24岁, 1000—5000万元: the lower bound is written in the upper one's unit
        low = Quantity(low.start, low.end, low.value * (high.scale if low.plain_number else 1), high.unit)
    found = _prefix(text, low.start)
    start = found[1] if found else low.start
    end = high.end
    upper = ("≤", "wording")
    suffix = _suffix(text, high.end, high)
    if suffix in ("以下", "以内") or suffix.endswith(("以下", "以内")):
        upper = _comparator("", suffix, high, rules)
        end += len(suffix)
    included = _INCLUDED.match(text, end)
    if included:
        upper = ("<", "wording") if included.group(1) else ("≤", "wording")
        end = included.end()
    lower = ("≥", "wording")
    # Each bound keeps its own words (16 | 24岁, 100 | 500亩（含500亩）) so both can be marked in the text.
    return [Bound(low, start, low.end, *lower, range_id=index), Bound(high, high.start, end, *upper, range_id=index)]


def _partitions(bounds: list[Bound]) -> list[Bound]:
    """500万元及以下 … 500万元以上 in one clause: the text itself puts 500万元 in the first band, so the bare 以上
    excludes it (>); likewise 100—500亩（含500亩）… 500亩以上, and X及以上 … X以下 (<). The civil code's default
    would make the two bands overlap at X."""
    inclusive = {(b.comparator, b.quantity.value, b.quantity.unit) for b in bounds
                 if b.rule == "wording" and b.comparator in ("≤", "≥")
                 and (b.suffix.startswith("及") or b.range_id is not None and b.comparator == "≤")}
    for b in bounds:
        if b.rule != "civil_code_1259" or b.suffix not in ("以上", "以下"):
            continue
        other = ("≤" if b.suffix == "以上" else "≥", b.quantity.value, b.quantity.unit)
        if other in inclusive:
            b.comparator, b.rule = (">" if b.suffix == "以上" else "<"), "document"
    return bounds


def find_thresholds(text: str, eid: str, rules: Rules) -> tuple[list[Threshold], list[ConditionGroup]]:
    """The thresholds of one clause's own text, with their condition groups."""
    plain = to_halfwidth(text)  # one character for one: positions stay those of `text`
    bounds = _partitions(_bounds(plain, rules))
    read = meaning.read(plain, bounds)
    thresholds: list[Threshold] = []
    kept: list[Bound] = []
    for bound, sense in zip(bounds, read):
        if sense is None:
            continue  # a bare number that is no threshold (一式3份, 有效期5年)
        unit = bound.quantity.unit or sense.unit
        if unit is None:
            continue  # 超过100万 with no metric that tells 100万 of what
        value = bound.quantity.value
        number = int(value) if value == value.to_integral_value() else float(value)
        bound.threshold = Threshold(
            id=f"{eid}__thr_{len(thresholds) + 1}", metric=sense.metric, comparator=bound.comparator,
            value=number, unit=unit, source_text=text[bound.start:bound.end], rule=bound.rule, kind=sense.kind,
            metric_id=sense.metric_id)
        thresholds.append(bound.threshold)
        kept.append(bound)
    groups = threshold_groups.link(plain, kept, eid)
    return thresholds, groups
