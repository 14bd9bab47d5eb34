"""What a threshold means: its kind and its metric (a clean noun phrase and a vocabulary id). Which thresholds go
together (groups, bands, unlocked_by) is threshold_groups.py.

- kind: deadline (30个工作日内, 5年内, 留存五年), penalty (处1万元以上的罚款), target (设立规模不低于1亿元的引导资金,
  5年内引进100名人才, 降至1%以下), benefit (给予不低于80%的兑付补助, 按1500元奖励, 最高不超过15万元的贷款), else
  condition (on the applicant or subject).
- A bare amount (按1500元奖励, 给予企业100万元奖励, 五年奖励, 引进100名人才) is kept only as a benefit, penalty or
  target; anywhere else a bare number is not a threshold (一式3份, 有效期5年).
- metric: the phrase before the number (研发费用占营业收入比重3%以上), else the noun after it (两个及两个以上举报人
  -> 举报人数量, 处1万元以上的罚款 -> 罚款金额), else, for a benefit, the benefit word (按罚款金额的1%奖励 -> 奖励比例);
  metric_id from toolkit/data/metrics.tsv, None when the phrase is not in the vocabulary.
Every look is a bounded window around one threshold, or read once per sentence: linear in the clause length.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..metrics import resolve
from .threshold_groups import SEGMENT_END, SENTENCE_END, Spans, is_band

if TYPE_CHECKING:
    from .thresholds import Bound

_STOP = "，。；：、（）《》“”,;:\n！？!?"
_AFTER_STOP = "，。；：（）,;:\n！？!?"  # a noun after the number may hold 、 and quotes: 院士后备人才、“百千万人才工程”
_WINDOW = 200  # how far back a metric can start
_NEAR = 60  # how far a benefit word can be from its amount
_AFTER_MAX = 40  # longest noun read after a number
_TIME = {"个工作日", "个月", "年", "天", "日", "小时", "个小时", "周"}
_COUNTS = {"名", "家", "个", "项", "套"}  # people, organisations and things a plan sets out to reach

# Words that introduce the metric: 对研发费用… , 由两个…, 给予不低于…; longest first where one contains another.
_MARKERS = ("对于", "对", "由", "给予", "设立", "达到", "按照", "按", "在", "将", "为", "并且", "或者", "且", "或",
            "其中", "其", "使", "向", "把")
_LEADING_NOISE = ("的", "和", "及", "与", "中", "即")
_TRAILING_NOISE = ("原则上", "应当占", "提高到", "提高至", "降至", "累计", "一般", "的", "在", "为", "是", "达", "占", "均",
                   "每")
# A phrase ending in one of these is a verb phrase, not a metric: 并与其签订1年以上劳动合同 -> the noun after.
_VERBS = ("签订", "引进", "培养", "选拔", "资助", "培训", "发动", "组织", "建设", "筹建", "给予", "提供", "奖励", "享受",
          "参加", "涉及", "分摊", "申请", "实施", "开展", "选派", "遴选", "评选", "扩展至", "放宽至", "赡养", "加强与")

_DURATION_VERBS = ("成立", "注册", "设立", "工作", "居住", "任职", "服务", "经营", "参保", "缴费", "就业", "创业")
_BENEFIT = ("资金支持", "奖励", "补助", "补贴", "资助", "奖补", "津贴", "贴息", "扣除", "返还", "兑付", "贷款", "支持",
            "限额", "额度")
_BENEFIT_RE = re.compile("|".join(_BENEFIT))
# A metric names a benefit when its head is one: 兑付补助, 每年最高奖励, 扣除期限 — not 申请贷款的人员数量.
_BENEFIT_HEAD = re.compile(rf"(?:{'|'.join(_BENEFIT)})(?:标准|比例|金额|额度|期限|限额|上限|资金|支持)?$")
_BENEFIT_SUFFIX = {"%": "比例", "CNY": "金额", "年": "年限", "个月": "月数"}
_TARGET_VERBS = re.compile("引进|培养|选拔|资助|培训|组织|发动|建设|筹建|扶持|评选|遴选|选派|招引|培育")
_PLAN = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)年(?:内|时间)|争取|力争|到\d{4}年")
_GOAL = ("降至", "提高到", "提高至", "提升至", "增长到", "增加到")
_GOAL_WORDS = re.compile(r"实现|目标")
_FUND = ("基金", "资金", "规模", "增信担保")
_FUND_CONTEXT = re.compile(r"设立|安排|使|争取|提供|用(?:\d+|[一二两三四五六七八九十]+)年时间|年内")
_NOT_AN_AMOUNT_BEFORE = ("前", "后", "近", "每", "第", "这", "该", "头")


@dataclass
class Sense:
    kind: str
    metric: str
    metric_id: str | None
    unit: str | None  # the unit of a bare 100万, from its metric


class _Sentences(Spans):
    """Sentences, and what each says (a plan, a target verb…), read once: a clause without punctuation is one long
    sentence, and reading it again for every number would be quadratic."""

    def __init__(self, text: str):
        super().__init__(text, SENTENCE_END)
        self._features: dict[tuple[int, int], dict[str, bool]] = {}

    def features(self, span: tuple[int, int]) -> dict[str, bool]:
        if span not in self._features:
            sentence = self.text[span[0]:span[1]]
            self._features[span] = {
                "plan": bool(_PLAN.search(sentence)), "target_verb": bool(_TARGET_VERBS.search(sentence)),
                "goal": bool(_GOAL_WORDS.search(sentence)), "fund": bool(_FUND_CONTEXT.search(sentence))}
        return self._features[span]


def _strip(phrase: str) -> str:
    changed = True
    while changed and phrase:
        changed = False
        for noise in _LEADING_NOISE:
            if phrase.startswith(noise) and len(phrase) > len(noise):
                phrase, changed = phrase[len(noise):], True
        for noise in _TRAILING_NOISE:
            # 原则上 alone is no metric; a lone 的 or 在 is left to the caller
            if phrase.endswith(noise) and (len(phrase) > len(noise) or len(noise) > 1):
                phrase, changed = phrase[:-len(noise)], True
    return phrase.strip()


def _before(text: str, start: int, floor: int) -> str:
    """The phrase before a threshold, back to punctuation or the previous threshold: 对研发费用占营业收入比重."""
    raw = text[max(floor, start - _WINDOW):start]
    raw = re.sub(r"[（(][^（）()]*[）)]", "", raw)  # （指医保目录范围内的自付部分） is an aside, not the metric
    cut = max(raw.rfind(ch) for ch in _STOP) + 1
    phrase = raw[cut:].strip()
    for marker in _MARKERS:
        pos = phrase.rfind(marker)
        if pos >= 0 and pos + len(marker) < len(phrase):  # 罚款金额在 / 扣除标准为: the marker ends the metric
            phrase = phrase[pos + len(marker):]
    phrase = _strip(phrase)
    return "" if len(phrase) == 1 else phrase  # a lone character (由, 将) is a preposition, not a metric


def _previous_segment(text: str, start: int, floor: int) -> str:
    """再担保业务收费，原则上不高于…0.5%: the metric stands alone before the comma."""
    raw = text[max(floor, start - _WINDOW):start]
    cut = max(raw.rfind(ch) for ch in _STOP)
    if cut < 0 or raw[cut] not in "，,":
        return ""
    head = raw[:cut]
    head = head[max(head.rfind(ch) for ch in _STOP) + 1:]
    return _strip(head)


def _after(text: str, end: int) -> str:
    """The words after a threshold up to punctuation or the next number: 举报人分别举报的."""
    if text.startswith("左右", end):  # 200名左右: about 200
        end += 2
    if text.startswith("的", end):
        end += 1
    stop = end
    while stop < len(text) and stop - end < _AFTER_MAX and text[stop] not in _AFTER_STOP and not text[stop].isdigit():
        stop += 1
    return text[end:stop]


def _noun_after(after: str, unit: str | None):
    """The longest start of `after` that names a known metric (举报人 → 举报人数量; 劳动合同 → 劳动合同期限)."""
    extra = ("",)
    if unit in _TIME:
        extra = ("期限", "")
    elif unit in ("亩", "平方米"):
        extra = ("面积", "")
    elif unit == "人":
        extra = ("人数", "数量", "")  # 超过100人的企业: the enterprise's headcount
    elif unit in ("个", "位"):
        extra = ("数量", "人数", "")
    for length in range(len(after), 1, -1):
        head = after[:length]
        if head.endswith("的") or any(verb in head for verb in ("给予", "提供", "申请", "享受")):
            # 的: the same head without it comes next; 给予: a new clause (3%以上的企业给予奖励) is no noun
            continue
        for tail in extra:
            metric = resolve(head + tail, unit)
            if metric and metric.id != "time_limit":  # a time limit is a kind of threshold, not a noun's measure
                phrase = head[head.rfind("的") + 1:] if "的" in head[:-1] else head
                return phrase + tail, metric
    return None


def _exception_of(text: str, b: Bound, history: list[tuple[Bound, Sense]], g_start: int):
    """A bound inside an open bracket right after another bound of the same unit states an exception to it:
    …达到企业现有在职职工人数25%（超过100人的企业达到15%）."""
    open_at = max(text.rfind("（", g_start, b.start), text.rfind("(", g_start, b.start))
    if open_at < 0 or "）" in text[open_at:b.start] or ")" in text[open_at:b.start]:
        return None
    for bound, sense in reversed(history):
        if bound.end <= open_at:
            if bound.quantity.unit == b.quantity.unit and open_at - bound.end <= 2:
                return sense.metric, sense.metric_id
            return None
    return None


def _kind_and_sense(text: str, b: Bound, sentences: _Sentences, segments: Spans, floor: int,
                    history: list[tuple[Bound, Sense]]) -> Sense | None:
    q = b.quantity
    unit = q.unit
    s_start, s_end = sentences.around(b.start)
    g_start, g_end = segments.around(b.start)
    says = sentences.features((s_start, s_end))
    after = _after(text, b.end)
    before_text = text[max(s_start, b.start - 8):b.start]

    # --- kind ---
    kind = None
    if unit in _TIME and (b.suffix in ("内", "之内", "以内", "时间") or b.prefix in ("留存", "保存", "未逾", "用")
                          or b.prefix.startswith("最迟")):
        kind = "deadline"
    elif after.startswith("罚款") or before_text.endswith("处"):
        kind = "penalty"
    elif unit in _COUNTS and (says["target_verb"] or says["plan"]):
        if b.comparator == "=" and q.value == 1:
            return None  # 培育一家龙头机构, 推举一名代表: 一 as an article, not a number planned
        kind = "target"
    elif any(before_text.endswith(goal) for goal in _GOAL):
        kind = "target"
    elif says["plan"] and says["goal"]:
        kind = "target"  # 5年内…实现“…人才贡献率达到40%”的目标
    if kind == "deadline" and text.startswith("享受", b.end, b.end + 4) or kind == "deadline" and \
            text.startswith("享受", b.end + 1):
        kind = "benefit"  # 5年内享受政府薪酬补贴: how long a benefit lasts, not a time limit

    # --- metric candidates ---
    inherited = _exception_of(text, b, history, g_start)
    if inherited:
        metric, metric_id = inherited  # （超过100人的企业达到15%）: the exception keeps the metric
        return Sense(kind or "condition", metric, metric_id, unit)
    before = _before(text, b.start, floor)
    if unit in ("年", "个月") and before.endswith(_DURATION_VERBS):
        # 成立满3年, 工作满5年, 注册3年以上: how long the subject has done it (成立年限, 工作年限)
        verb = next(v for v in _DURATION_VERBS if before.endswith(v))
        before = verb + ("年限" if unit == "年" else "期限")
    before_metric = resolve(before, unit) if before else None
    if not before and b.comparator != "=":
        alone = _previous_segment(text, b.start, floor)
        if alone and resolve(alone, unit):
            before, before_metric = alone, resolve(alone, unit)
    noun = _noun_after(after, unit)
    if not before and kind is None and b.comparator != "=":
        for bound, sense in reversed(history):
            if sense.kind == "condition" and bound.quantity.value == q.value and bound.quantity.unit == unit:
                # …1000万元及以上的企业奖励10万元，1000万元以下的…: the other side of the same band
                return Sense("condition", sense.metric, sense.metric_id, unit)

    if kind is None:
        phrase = before + (noun[0] if noun else after[:8])
        benefit_near = _nearest_benefit(text, b, s_start, s_end, g_end)
        # 设立规模不低于1亿元的引导资金, 设立100亿元基金: a fund's size is a government target
        fund = any(w in phrase for w in _FUND) if b.comparator != "=" else unit == "CNY" and any(
            w in after[:12] for w in _FUND)
        if fund and says["fund"]:
            kind = "target"
        elif b.comparator == "=":
            if unit is None or unit in ("岁", "周岁"):
                return None
            if unit in _TIME:
                if unit not in ("年", "个月") or text[b.start - 1:b.start] in _NOT_AN_AMOUNT_BEFORE \
                        or not benefit_near:
                    return None
                kind = "benefit"
            elif unit == "CNY" or unit == "%" or unit.startswith("元/"):
                if not benefit_near:
                    return None
                kind = "benefit"
            else:  # a bare count outside a plan, 一式3份
                return None
        elif _BENEFIT_HEAD.search(before) or b.suffix == "限额内" or not before_metric and (
                (noun and _BENEFIT_HEAD.search(noun[0])) or _BENEFIT_RE.match(after)):
            # the noun after counts only when the phrase before names nothing: in 营业收入1000万元以上的企业奖励…
            # 奖励 is the verb of the next clause
            kind = "benefit"
        else:
            kind = "condition"

    # --- metric ---
    if kind == "target" and unit in _COUNTS:
        # Planned numbers are written verb + number + classifier + noun (引进100名人才, 建设1000套公寓): the noun
        # after the number is what is counted, else the one before it (督导员50名).
        phrase = _without_verbs(noun[0] if noun else (after_noun(after) or before))
        if unit == "名":  # 名 counts people: a planned number of them is the talent count (教育专家, 新型农民)
            return Sense(kind, phrase, "talent_count", unit)
        return Sense(kind, phrase, noun[1].id if noun else _id(phrase, unit), unit)
    if unit in ("岁", "周岁"):
        return Sense(kind, "年龄", _id("年龄", unit), unit)
    if kind == "benefit" and unit in _TIME and b.suffix in ("内", "之内", "以内"):
        return Sense(kind, "享受年限" if unit == "年" else "享受期限", _id("享受年限", unit), unit)
    if kind == "deadline":
        phrase = "留存期限" if b.prefix in ("留存", "保存") else "期限"
        return Sense(kind, phrase, _id(phrase, unit), unit)
    if kind == "penalty" and after.startswith("罚款"):
        return Sense(kind, "罚款金额", _id("罚款金额", unit), unit)
    if kind == "benefit" and b.comparator == "=" and not (before_metric and before.endswith(("标准", "额度"))):
        word = _nearest_benefit(text, b, s_start, s_end, g_end)
        if word:
            phrase = word + _BENEFIT_SUFFIX.get(unit or "", "标准")
            known = resolve(phrase, unit)
            if known:
                return Sense(kind, phrase, known.id, unit)
    if before_metric:
        whole = _measured(text, b, before)
        if whole:  # 总规模不低于100亿元的专精特新母基金 -> 专精特新母基金总规模
            known = resolve(whole, unit)
            if known and known.id == before_metric.id:
                return Sense(kind, whole, known.id, unit or _canonical(known.unit))
        return Sense(kind, before, before_metric.id, unit or _canonical(before_metric.unit))
    if noun:
        return Sense(kind, noun[0], noun[1].id, unit or _canonical(noun[1].unit))
    if kind == "benefit":
        word = _nearest_benefit(text, b, s_start, s_end, g_end)
        if word:
            tail = "限额" if b.suffix == "限额内" else _BENEFIT_SUFFIX.get(unit or "", "标准")
            phrase = word if word.endswith(tail) else word + tail
            known = resolve(phrase, unit)
            return Sense(kind, phrase, known.id if known else None, unit)
    if before and not before.endswith(_VERBS):
        return Sense(kind, before, None, unit)
    return Sense(kind, "", None, unit)


_MEASURES = ("规模", "比例", "比重", "总额", "金额", "额度", "数量", "数额", "幅度", "总量")


def _measured(text: str, b: Bound, before: str) -> str | None:
    """规模不低于1亿元的引导资金: a measure word before, the thing measured after 的."""
    if not b.prefix or not before.endswith(_MEASURES) or not text.startswith("的", b.end):
        return None
    end = b.end + 1
    while end < len(text) and text[end] not in _STOP and end - b.end < 20:
        end += 1
    noun = text[b.end + 1:end]
    return noun + before if noun else None


def _without_verbs(phrase: str) -> str:
    """选拔认定教育专家 -> 教育专家: the plan's verbs are not part of what it counts."""
    while True:
        m = _TARGET_VERBS.match(phrase) or re.match("认定|评定|直接服务|重点", phrase)
        if not m or m.end() == len(phrase):
            return phrase
        phrase = phrase[m.end():].lstrip("和及、")


def after_noun(after: str) -> str:
    """The counted noun after a number when no vocabulary phrase starts it: 20名城市管理专家，… -> 城市管理专家."""
    head = after[:_AFTER_MAX]
    if head[:1] in ("、", "和", "及"):
        return ""  # 督导员50名、…: the noun came before the number
    head = head[head.rfind("的") + 1:] if "的" in head[:-1] else head
    return head.rstrip("和及与、")


def _canonical(unit: str) -> str:
    """A metric's unit as a threshold writes it: CNY/亩 -> 元/亩 (for a bare 100万 measured by the metric)."""
    return "元/" + unit[4:] if unit.startswith("CNY/") else unit


def _id(phrase: str, unit: str | None) -> str | None:
    known = resolve(phrase, unit)
    return known.id if known else None


def _nearest_benefit(text: str, b: Bound, s_start: int, s_end: int, g_end: int) -> str | None:
    """The benefit word that goes with an amount: the next one in its segment, else the last one before it in its
    sentence, else the next one in the sentence (按6个月的…标准确定 after 返还标准可按…)."""
    after = _BENEFIT_RE.search(text, b.end, min(g_end, b.end + _NEAR))
    if after:
        return after.group()
    last = None
    for m in _BENEFIT_RE.finditer(text, max(s_start, b.start - _NEAR), b.start):
        last = m
    if last:
        return last.group()
    later = _BENEFIT_RE.search(text, b.end, min(s_end, b.end + _NEAR))
    return later.group() if later else None


def read(text: str, bounds: list[Bound]) -> list[Sense | None]:
    """The sense of every bound, in order; None for a bare number that is no threshold."""
    sentences, segments = _Sentences(text), Spans(text, SEGMENT_END)
    senses: list[Sense | None] = []
    previous: Bound | None = None
    previous_metric: tuple[str, str | None] | None = None
    history: list[tuple[Bound, Sense]] = []
    ranges: dict[int, Sense | None] = {}
    for i, b in enumerate(bounds):
        if b.range_id is not None and b.range_id in ranges:
            sense = ranges[b.range_id]  # the upper bound of 10%-30% means what the lower one means
        else:
            floor = previous.end if previous else 0
            whole = b
            if b.range_id is not None and i + 1 < len(bounds) and bounds[i + 1].range_id == b.range_id:
                whole = dataclasses.replace(b, end=bounds[i + 1].end, suffix=bounds[i + 1].suffix)
            sense = _kind_and_sense(text, whole, sentences, segments, floor, history)
            if sense and not sense.metric and previous_metric and previous and is_band(text[previous.end:b.start]):
                sense.metric, sense.metric_id = previous_metric  # 15万元以上的，50万元以下的: one band, one metric
            if b.range_id is not None:
                ranges[b.range_id] = sense
        if sense is not None and sense.kind == "penalty" and history and is_band(text[history[-1][0].end:b.start]) \
                and history[-1][1].metric_id != sense.metric_id:
            # 处1万元以上10万元以下的罚款: the lower bound is the same fine
            lower = history[-1][1]
            lower.kind, lower.metric, lower.metric_id = "penalty", sense.metric, sense.metric_id
        senses.append(sense)
        if sense is not None:
            previous, previous_metric = b, (sense.metric, sense.metric_id)
            history.append((b, sense))
    return senses
