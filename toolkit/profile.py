"""A company's profile for `policykit match` and the 政策计算器: its figures, by metric id, in the units it writes.

    {"name": "示例企业", "values": {"rd_intensity": "3.5%", "operating_revenue": "5000万元", "employees": 120}}

Values are numbers in the metric's canonical unit (CNY in 元, % as a number) or strings with a unit: 500万元,
1.2亿元, 3%, 120人. `values()` gives canonical numbers; a value that is absent or null is unknown. The schema
(schema/profile.schema.json) is generated from toolkit/data/metrics.tsv by `profile_schema()`; a test keeps the
published file equal to it. `toolkit/site/assets/calculator/eligibility.js` parses values the same way.
"""
from __future__ import annotations

import json
import math
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from . import metrics as vocabulary
from .errors import PolicykitError

PROFILE_FORMAT = 1
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "profile.schema.json"

# Unit words a value may carry, by canonical unit, with the power of ten that turns it into the canonical unit.
_CNY = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}
_PERCENT = {"%": 0, "％": 0}


def unit_words(unit: str) -> dict[str, int]:
    """The unit words accepted for a metric whose canonical unit is `unit` (besides a bare number)."""
    if unit == "CNY":
        return dict(_CNY)
    if unit == "%":
        return dict(_PERCENT)
    if unit.startswith("CNY/"):
        per = unit[4:]
        return {f"{word}/{per}": power for word, power in _CNY.items()}
    if unit == "人":
        return {"人": 0, "名": 0}
    return {unit: 0}


def display_unit(unit: str) -> str:
    """How a canonical unit is shown to a reader: CNY -> 元, CNY/亩 -> 元/亩."""
    return "元" + unit[3:] if unit.startswith("CNY") else unit


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_VALUE = re.compile(rf"^\s*({_NUMBER})\s*(\S*?)\s*$")


class ProfileError(PolicykitError):
    """The profile is not valid: names the field and what is wrong with it."""


def parse_value(raw, unit: str, field: str) -> int | float | None:
    """A profile value in the canonical unit; None when unknown. Raises ProfileError naming `field`."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ProfileError(f"{field}: 应为数字或带单位的文字（如 {example(unit)}），不是 {json.dumps(raw, ensure_ascii=False)}")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ProfileError(f"{field}: 不是有限的数字（{raw}）")  # json reads NaN and Infinity; they compare with nothing
    if isinstance(raw, (int, float)):
        return raw
    match = _VALUE.match(raw.replace(",", "").replace("，", ""))
    words = unit_words(unit)
    if match is None or (match.group(2) and match.group(2) not in words):
        accepted = "、".join(words)
        raise ProfileError(f"{field}: 无法识别“{raw}”：应为数字，可带单位 {accepted}（如 {example(unit)}）")
    try:
        number = Decimal(match.group(1)).scaleb(words.get(match.group(2), 0))
    except InvalidOperation:
        raise ProfileError(f"{field}: 无法识别“{raw}”") from None
    return int(number) if number == number.to_integral_value() else float(number)


def example(unit: str) -> str:
    return {"CNY": "500万元", "%": "3%"}.get(unit, f"10{display_unit(unit)}")


def values(profile: dict) -> dict[str, int | float]:
    """Canonical values of a (schema-valid) profile: metric id -> number; unknown ones left out."""
    by_id = {m.id: m for m in vocabulary.load()}
    out = {}
    for key, raw in profile.get("values", {}).items():
        value = parse_value(raw, by_id[key].unit, f"values.{key}（{by_id[key].name}）")
        if value is not None:
            out[key] = value
    return out


def profile_schema() -> dict:
    """The profile's JSON Schema: one property per metric of the vocabulary, with its unit and help."""
    properties = {}
    for m in vocabulary.load():
        words = unit_words(m.unit)
        pattern = rf"^\s*{_NUMBER}\s*(" + "|".join(re.escape(w) for w in words) + r")?\s*$"
        properties[m.id] = {
            "title": m.name,
            "description": f"{m.description}。单位：{display_unit(m.unit)}；数字按此单位，文字可带单位："
                           f"{'、'.join(words)}。",
            "x-unit": m.unit,
            "oneOf": [{"type": "number"}, {"type": "string", "pattern": pattern}, {"type": "null"}],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://policykit.example.org/schema/profile-1.json",
        "title": "policykit 企业情况（profile）",
        "description": "policykit match 和政策计算器读取的企业情况：各项指标的数值。数字为该指标的规范单位"
                       "（金额为元，比例为百分数的数值，3 表示 3%）；文字可带单位，如 \"500万元\"、\"1.2亿元\"、\"3%\"。"
                       "不知道的指标不填或填 null。指标见 toolkit/data/metrics.tsv。",
        "type": "object",
        "additionalProperties": False,
        "required": ["values"],
        "properties": {
            "$schema": {"type": "string"},
            "profile_format": {"const": PROFILE_FORMAT},
            "name": {"type": "string", "description": "企业名称（仅供自己辨认，不参与计算）"},
            "values": {"type": "object", "additionalProperties": False, "properties": properties},
        },
    }


def schema_text() -> str:
    return json.dumps(profile_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m toolkit.profile > schema/profile.schema.json
    import sys
    sys.stdout.write(schema_text())


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    # Generated, not read from SCHEMA_FILE: the vocabulary is the one source; a test keeps the file equal to it.
    return Draft202012Validator(profile_schema())


def load_profile(path: Path) -> dict:
    """Read and check a profile file; canonical values out. Errors name the file and the field."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ProfileError("没有这个文件", name) from None
    except UnicodeDecodeError:
        raise ProfileError("不是 UTF-8 文本：企业情况文件应为 UTF-8 编码的 JSON", name) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ProfileError(f"不是有效的 JSON：{err.msg}", name, err.lineno, err.colno) from None
    return check_profile(data, name)


def check_profile(data, name: str = "<profile>") -> dict:
    """Schema check of profile data, then unit parsing; canonical values out."""
    try:
        _check_schema(data)
        return values(data)
    except ProfileError as err:
        if err.file is None:
            raise ProfileError(err.message, name) from None
        raise


def _check_schema(data) -> None:
    """The first schema problem, in words that name the field."""
    by_id = {m.id: m for m in vocabulary.load()}
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    err = errors[0]
    path = ".".join(map(str, err.absolute_path))
    if err.validator == "additionalProperties" and path == "values":
        unknown = sorted(set(err.instance) - set(by_id))
        raise ProfileError(f"values.{unknown[0]}: 不是已知的指标（见 schema/profile.schema.json 或 "
                           "toolkit/data/metrics.tsv）")
    if err.validator == "additionalProperties":
        raise ProfileError(f"{path or '顶层'}: 有未知的字段（只能有 values、name、profile_format、$schema）")
    if len(err.absolute_path) == 2 and err.absolute_path[0] == "values":
        key = err.absolute_path[1]
        parse_value(err.instance, by_id[key].unit, f"values.{key}（{by_id[key].name}）")
    if err.validator == "type" and not err.absolute_path:
        raise ProfileError("顶层应为 JSON 对象，如 {\"values\": {\"rd_intensity\": \"3%\"}}")
    if err.validator == "required":
        raise ProfileError("缺少 values 字段（各项指标的数值）")
    raise ProfileError(f"{path or '顶层'}: {err.message}")
