"""The metric vocabulary (toolkit/data/metrics.tsv): what a threshold measures, with a stable id and unit.

resolve() maps a metric phrase as written to a vocabulary entry, or None. Chinese noun phrases are head-final
(项目固定资产投资 is a kind of 固定资产投资), so a phrase that ends with a name or synonym resolves to it, the
longest one winning; anything else is None: an unrecognised metric stays unresolved rather than guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .chinese import to_halfwidth
from .datafiles import read_tsv


@dataclass(frozen=True)
class Metric:
    id: str
    name: str  # Chinese name
    unit: str  # canonical unit: CNY, %, 人, 年, 日, 个月, 岁, 亩, 个, CNY/亩 …
    synonyms: tuple[str, ...]
    description: str


@lru_cache(maxsize=1)
def load() -> tuple[Metric, ...]:
    """Every metric of the vocabulary, in file order."""
    return tuple(Metric(row["id"], row["name"], row["unit"],
                        tuple(s for s in row["synonyms"].split("、") if s), row["description"])
                 for row in read_tsv("metrics.tsv"))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[Metric, ...]]:
    """Every name and synonym -> the metrics it names, in file order."""
    table: dict[str, list[Metric]] = {}
    for metric in load():
        for phrase in (metric.name, *metric.synonyms):
            entry = table.setdefault(_key(phrase), [])
            if metric not in entry:
                entry.append(metric)
    return {phrase: tuple(metrics) for phrase, metrics in table.items()}


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(len(p) for p in _phrases())


def _key(phrase: str) -> str:
    return to_halfwidth(phrase).replace(" ", "").strip("的")


def by_id(metric_id: str) -> Metric | None:
    return next((m for m in load() if m.id == metric_id), None)


# Units a threshold may be written in, by the canonical unit of the metric they can measure.
_TIME = {"日", "天", "个工作日", "个月", "月", "年", "小时"}
_COUNT = {"人", "名", "个", "位", "家", "户", "项", "次"}


def unit_fits(metric_unit: str, unit: str) -> bool:
    """Whether a value written in `unit` can measure a metric whose canonical unit is `metric_unit`."""
    if metric_unit == unit:
        return True
    if metric_unit in _TIME:
        return unit in _TIME
    if metric_unit in _COUNT:
        return unit in _COUNT
    if metric_unit == "CNY":  # 元/人/月 and the like: an amount per something
        return unit.startswith("元/")
    if metric_unit.startswith("CNY/"):  # 亩均投资不低于100万元: the metric carries the “per”
        return unit in ("CNY", "元/" + metric_unit[4:])
    return False


def resolve(phrase: str | None, unit: str | None = None) -> Metric | None:
    """The metric a phrase names: the longest name or synonym the phrase ends with (or is); else None.

    With `unit` (the threshold's unit), only metrics measured in a fitting unit count: 奖励 80% is a rate,
    奖励 10万元 an amount.
    """
    found = match(phrase, unit)
    return found[0] if found else None


@lru_cache(maxsize=65536)
def match(phrase: str | None, unit: str | None = None) -> tuple[Metric, str] | None:
    """Like resolve(), with the name or synonym that matched (the head of the phrase).

    Looks up the phrase's own endings, longest first: a few dictionary lookups, whatever the vocabulary's size.
    """
    key = _key(phrase or "")
    if not key:
        return None
    table = _phrases()
    for length in range(min(len(key), _longest()), 0, -1):
        candidate = key[len(key) - length:]
        for metric in table.get(candidate, ()):
            if unit is None or unit_fits(metric.unit, unit):
                return metric, candidate
    return None
