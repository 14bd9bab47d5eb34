"""Numeric thresholds: 3%以上 (≥ 3 %), 超过1000万元 (> 10,000,000 CNY), 不低于80% (≥ 80 %), 百分之三十以上.

Whether 以上/以下 include the number itself follows 民法典 第一千二百五十九条 (以上、以下、以内 include it;
超过、不满 do not) unless the document states its own rule, e.g. “以上”包含本数，“以下”不包含本数.
Thresholds joined by 且 (all) or 或 (any) become condition groups; 且 binds tighter than 或.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..chinese import cn_to_int
from ..metrics import resolve
from ..model import ConditionGroup, Threshold

# Comparator words and what they mean by default, with the rule that decides it.
_SUFFIX = {"以上": ("≥", "civil_code_1259"), "以下": ("≤", "civil_code_1259"), "以内": ("≤", "civil_code_1259")}
_PREFIX = {
    "超过": (">", "civil_code_1259"), "不满": ("<", "civil_code_1259"),
    "不低于": ("≥", "wording"), "不少于": ("≥", "wording"), "不小于": ("≥", "wording"), "至少": ("≥", "wording"),
    "不超过": ("≤", "wording"), "不高于": ("≤", "wording"), "不多于": ("≤", "wording"), "不大于": ("≤", "wording"),
    "高于": (">", "wording"), "多于": (">", "wording"), "大于": (">", "wording"),
    "低于": ("<", "wording"), "少于": ("<", "wording"), "小于": ("<", "wording"), "不足": ("<", "wording"),
}
_CN_NUM = "零〇一二两三四五六七八九十百千"
# A number never starts inside another one (the lookbehinds): a match there could not succeed anyway, and
# trying every start inside a long run of digits made finditer quadratic (10,000 digits: 5 s).
_NUMBER = rf"(?:(?<!\d)\d+(?:\.\d+)?|(?<![{_CN_NUM}])[{_CN_NUM}]+)"
# No real threshold is written with more characters than this; longer runs are garbage, and their int
# would overflow Python's int/str conversion limit (4,300 digits) when the JSON is written.
_MAX_NUMBER_CHARS = 24
# How far back from a threshold its metric can start: keeps _metric linear on text without punctuation.
_METRIC_WINDOW = 200
# Longest units first so 万元 wins over 万 and 个工作日 over 个.
_UNITS = ["个工作日", "个百分点", "万平方米", "平方米", "个月", "万元", "亿元", "千元", "万人", "万名", "万户",
          "万家", "元", "%", "人", "名", "家", "个", "项", "岁", "年", "天", "日", "倍", "户", "次", "亩", "台", "套",
          "小时", "公里", "吨"]
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_PREFIX_WORDS = "|".join(sorted(_PREFIX, key=len, reverse=True))
_QUANTITY = rf"(?:百分之(?P<pct>{_NUMBER})|(?P<num>{_NUMBER})(?P<unit>{_UNIT}))"
_PATTERN = re.compile(
    rf"(?P<prefix>{_PREFIX_WORDS})?{_QUANTITY}(?P<suffix>(?:及|或)?(?:(?P=num)(?P=unit))?(?:以上|以下|以内))?")

_METRIC_STOP = "，。；：、（）《》“”,;:"
# Words after which the metric starts (the verb or preposition that introduces it).
_METRIC_MARKERS = ("对于", "对", "由", "给予", "设立", "达到", "按", "在", "将", "为", "且", "或", "并且", "或者", "其")
_MEASURE_WORDS = ("规模", "比例", "比重", "总额", "金额", "额度", "数量", "数额", "幅度", "总量")
_LEADING_NOISE = ("的", "和", "及", "与", "其中")
_TRAILING_NOISE = ("的", "在", "为", "达", "应当占", "占")


@dataclass
class Rules:
    """Comparators for 以上/以下/以内 in this document: the civil-code default or the document's own rule."""

    suffix: dict[str, str]
    from_document: set[str]


_OWN_RULE = re.compile(r"“?(以上|以下|以内)”?(?:均|都)?(不)?(?:包含|包括|含)本数")


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


def _value(match: re.Match) -> tuple[int | float, str]:
    if match.group("pct") is not None:
        number, unit = match.group("pct"), "%"
    else:
        number, unit = match.group("num"), match.group("unit")
    amount = Decimal(number) if number[0].isdigit() else Decimal(cn_to_int(number))
    scale = {"万元": (10_000, "CNY"), "亿元": (100_000_000, "CNY"), "千元": (1_000, "CNY"), "元": (1, "CNY"),
             "万人": (10_000, "人"), "万名": (10_000, "名"), "万户": (10_000, "户"), "万家": (10_000, "家"),
             "万平方米": (10_000, "平方米")}
    factor, unit = scale.get(unit, (1, unit))
    amount *= factor
    value = int(amount) if amount == amount.to_integral_value() else float(amount)
    return value, unit


def _metric(text: str, match: re.Match) -> str:
    """The phrase the threshold applies to: 对研发费用占营业收入比重3%以上 -> 研发费用占营业收入比重."""
    start = match.start()
    floor = max(0, start - _METRIC_WINDOW)
    cut = max(max(text.rfind(ch, floor, start) for ch in _METRIC_STOP) + 1, floor)
    before = text[cut:start]
    for marker in _METRIC_MARKERS:
        pos = before.rfind(marker)
        if pos >= 0 and not (marker == "在" and pos + 1 == len(before)):
            before = before[pos + len(marker):]
    before = before.strip()
    noun = ""
    if match.group("prefix") and text.startswith("的", match.end()):
        end = match.end() + 1
        while end < len(text) and text[end] not in _METRIC_STOP and end - match.end() < 20:
            end += 1
        noun = text[match.end() + 1:end]
    for noise in _LEADING_NOISE:
        if before.startswith(noise):
            before = before[len(noise):]
    for noise in _TRAILING_NOISE:
        if before.endswith(noise) and len(before) > len(noise):
            before = before[:-len(noise)]
    if len(before) == 1:
        before = ""  # a lone character (由, 将) is a preposition, not a metric
    if noun and (not before or before.endswith(_MEASURE_WORDS)):
        return noun + before
    return before or noun


def find_thresholds(text: str, eid: str, rules: Rules) -> tuple[list[Threshold], list[ConditionGroup]]:
    thresholds: list[Threshold] = []
    spans: list[tuple[int, int]] = []
    for match in _PATTERN.finditer(text):
        prefix, suffix = match.group("prefix"), match.group("suffix")
        if not prefix and not suffix:
            continue
        if len(match.group("pct") or match.group("num")) > _MAX_NUMBER_CHARS:
            continue
        if prefix:
            comparator, rule = _PREFIX[prefix]
        else:
            word = suffix[-2:]
            comparator = rules.suffix[word]
            rule = "document" if word in rules.from_document else "civil_code_1259"
            if suffix.startswith("及"):  # 及以上, 两个及两个以上: inclusive whatever the rule
                comparator, rule = ("≥" if word == "以上" else "≤"), "wording"
        value, unit = _value(match)
        metric = _metric(text, match)
        if not metric and thresholds and _is_band(text[spans[-1][1]:match.start()]):
            metric = thresholds[-1].metric  # 15万元以上的，50万元以下的: the second bound of a band
        known = resolve(metric, unit)
        thresholds.append(Threshold(id=f"{eid}__thr_{len(thresholds) + 1}", metric=metric,
                                    comparator=comparator, value=value, unit=unit,
                                    source_text=match.group(0), rule=rule, metric_id=known.id if known else None))
        spans.append(match.span())
    return thresholds, _groups(text, thresholds, spans, eid)


def _is_band(between: str) -> bool:
    """Two bounds of one range: 15万元以上的，50万元以下的 / 15万元以上、50万元以下 / 5万元至10万元."""
    return len(between) <= 3 and all(ch in "的，、至到" for ch in between)


def _connector(between: str) -> str | None:
    """How two neighbouring thresholds are joined, judging by the text between them."""
    if _is_band(between):
        return "all"
    if len(between) > 40 or any(ch in between for ch in "。；;"):
        return None
    if "或" in between:
        return "any"
    if "且" in between or "同时" in between:
        return "all"
    return None


def _groups(text: str, thresholds: list[Threshold], spans, eid: str) -> list[ConditionGroup]:
    groups: list[ConditionGroup] = []

    def new_group(logic: str, items: list[str]) -> str:
        group = ConditionGroup(id=f"{eid}__grp_{len(groups) + 1}", logic=logic, items=items)
        groups.append(group)
        return group.id

    # Runs of thresholds linked by 且/或; inside a run, 且-conjunctions first, then 或 over them.
    runs: list[list[tuple[int, str | None]]] = []
    for i in range(len(thresholds)):
        link = _connector(text[spans[i - 1][1]:spans[i][0]]) if i else None
        if link is None:
            runs.append([(i, None)])
        else:
            runs[-1].append((i, link))
    for run in runs:
        if len(run) < 2:
            continue
        conjunctions: list[list[int]] = [[run[0][0]]]
        for index, link in run[1:]:
            if link == "all":
                conjunctions[-1].append(index)
            else:
                conjunctions.append([index])
        members: list[str] = []
        for conj in conjunctions:
            if len(conj) == 1:
                members.append(thresholds[conj[0]].id)
                continue
            gid = new_group("all", [thresholds[i].id for i in conj])
            for i in conj:
                thresholds[i].group = gid
            members.append(gid)
        if len(members) > 1:
            gid = new_group("any", members)
            for conj in conjunctions:
                if len(conj) == 1:
                    thresholds[conj[0]].group = gid
    return groups
