"""How long a document is valid: 有效期至2025年12月31日, 有效期5年, 暂定三年, 政策期限为2016年至2018年.

Only sentences about the document itself count: they name it (本意见, 本办法, 本政策…), are its entry-into-force
sentence (…起施行，有效期5年) or speak of the policy's period (政策期限, 执行期限). A clause such as
"认定有效期为3年" is about a certificate, not the document, and is left alone.

A period counted from a start (有效期5年) needs that start: the date in the sentence (自2024年1月1日起), else the
施行日期, else the 成文日期. Without any, valid_until stays null and a warning says so: we never guess.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..chinese import CN_NUMERAL_CHARS, DATE_RE, cn_to_int, parse_date, to_halfwidth
from ..model import Finding, Metadata
from .clean import Para

_N = rf"[0-9{CN_NUMERAL_CHARS}]{{1,4}}"
# The sentence must be about the document: its own name, its entry into force, or its policy period.
_ABOUT_DOCUMENT = re.compile(r"本(?:文件|意见|办法|通知|细则|实施细则|规定|政策|措施|若干措施|方案|决定|条例|规则|意见稿|通告|"
                             r"公告)|起(?:施行|实施|执行|生效)|施行[^。；]*有效期|(?:政策|执行|实施|有效)期限")
_UNTIL = re.compile(rf"有效期(?:限)?(?:为|是)?(?:自[^。；，]*?起)?(?:至|到|截至|截止到?)\s*(?P<date>{DATE_RE.pattern}"
                    rf"|\d{{4}}\s*年(?:\s*底|末)?)")
_SPAN = re.compile(rf"(?:政策|执行|实施|有效)期(?:限)?(?:为|是)?\s*(?:自\s*)?(?P<start>{DATE_RE.pattern}|\d{{4}}\s*年)"
                   rf"\s*(?:起\s*)?(?:至|到|—|－|-|~|～)\s*(?P<end>{DATE_RE.pattern}|\d{{4}}\s*年(?:\s*底|末)?)")
_DURATION = re.compile(rf"(?:有效期(?:限)?(?:为|是)?|暂定|试行期?(?:为)?)\s*(?P<n>{_N})\s*(?P<unit>年|个月)")
_STARTS = re.compile(rf"自\s*(?P<date>{DATE_RE.pattern})\s*(?:起|(?=施行|实施|执行|生效))")
_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")


@dataclass(frozen=True)
class Validity:
    valid_from: str | None
    valid_until: str | None
    text: str  # the sentence that states it
    line: int | None


def read_validity(meta: Metadata, paras: list[Para], warnings: list[Finding]) -> None:
    """Fill meta.valid_from / valid_until / validity_text from the first sentence that states the period."""
    for para in paras:
        text = to_halfwidth(para.text)
        if not ("有效期" in text or "暂定" in text or "期限" in text or "试行" in text):
            continue  # most paragraphs have none: skip the regexes
        for sentence in _SENTENCE.findall(text):
            if not _ABOUT_DOCUMENT.search(sentence):
                continue
            found = _period(sentence.strip(), meta, para.first, warnings)
            if found is not None:
                meta.valid_from, meta.valid_until, meta.validity_text = found.valid_from, found.valid_until, found.text
                return


def _period(sentence: str, meta: Metadata, line: int, warnings: list[Finding]) -> Validity | None:
    if match := _SPAN.search(sentence):
        start, end = _day(match.group("start"), first=True), _day(match.group("end"), first=False)
        if start and end and start <= end:
            return Validity(start, end, sentence, line)
    if match := _UNTIL.search(sentence):
        end = _day(match.group("date"), first=False)
        if end:
            start = _start(sentence, meta)
            return Validity(start if start and start <= end else None, end, sentence, line)
    if match := _DURATION.search(sentence):
        try:
            count = cn_to_int(match.group("n"))
        except ValueError:
            return None
        months = count * 12 if match.group("unit") == "年" else count
        start = _start(sentence, meta)
        if start is None:
            warnings.append(Finding(code="validity-no-start", line=line, message=(
                f"正文写有“{match.group(0)}”，但没有起算日期（没有施行日期或成文日期）："
                "有效期截止日期（valid_until）留空")))
            return Validity(None, None, sentence, line)
        if months <= 0:
            return None
        return Validity(start, _add_months(start, months), sentence, line)
    return None


def _start(sentence: str, meta: Metadata) -> str | None:
    """When a period counted in years starts: the date the sentence gives, else 施行日期, else 成文日期."""
    if match := _STARTS.search(sentence):
        return parse_date(match.group("date"))
    return meta.effective_date or meta.signed_date or meta.printed_date


def _day(text: str, first: bool) -> str | None:
    """A full date, or a bare year: its first day for a start, its last day (年底) for an end."""
    if parsed := parse_date(text):
        return parsed
    year = re.match(r"(\d{4})", text)
    if not year or not 1900 <= int(year[1]) <= 2200:
        return None
    return f"{year[1]}-01-01" if first else f"{year[1]}-12-31"


def _add_months(start: str, months: int) -> str:
    """The last day of a period of `months` beginning on `start`: 2023-03-01 + 5 years -> 2028-02-29."""
    day = datetime.date.fromisoformat(start)
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    try:
        end = day.replace(year=year, month=month)
    except ValueError:  # 31 January + 1 month: the period ends with the last day of February
        end = datetime.date(year, month + 1, 1) if month < 12 else datetime.date(year + 1, 1, 1)
        return (end - datetime.timedelta(days=1)).isoformat()
    return (end - datetime.timedelta(days=1)).isoformat()
