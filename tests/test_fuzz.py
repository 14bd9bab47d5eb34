"""Property-based tests: whatever bytes come in, the reader returns a Document whose JSON validates, or raises
the toolkit's own error (PolicykitError); never any other exception. For damaged real documents and random
公文-like text the Akoma Ntoso XML must be valid too (the build publishes both). `policykit check` never crashes.

Inputs are the seed and the six corpus documents, damaged the ways converters and people damage them: lines
deleted, duplicated, swapped or split, width changes, garbage and control characters inserted, truncation at
any byte, other encodings; plus random bytes and random 公文-like text.

CI runs a fixed set of examples (derandomize=True: the same ones on every run, so a failure is reproducible).
For a longer local run with fresh random examples (docs/check.md):

    POLICYKIT_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py -q

A failure prints the smallest input hypothesis found; add it to the regression tests at the bottom.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.check import check_bytes
from toolkit.errors import PolicykitError
from toolkit.model import Document
from toolkit.reader import read_bytes
from toolkit.validate import validate_document
from toolkit.validate import validate_akn
from toolkit.writers.akn import to_akn_string
from toolkit.writers.json_writer import to_json
from corpus_files import FIRST_BATCH

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "source" / "zjzbf-2024-21.txt", *FIRST_BATCH]
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]

# Examples per test in CI (2,250 in all); POLICYKIT_FUZZ_EXAMPLES=N gives the mutation test N and the others
# their share of it, with fresh random examples instead of the fixed ones.
CI_EXAMPLES = {"mutations": 1200, "truncation": 400, "garbage_text": 300, "random_bytes": 200, "check": 150}
LONG_RUN = int(os.environ.get("POLICYKIT_FUZZ_EXAMPLES", "0"))


def examples(test: str) -> settings:
    count = CI_EXAMPLES[test]
    if LONG_RUN:
        count = max(count, LONG_RUN * count // CI_EXAMPLES["mutations"])
    return settings(max_examples=count, deadline=None, derandomize=not LONG_RUN, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


def assert_reads_or_refuses(data: bytes, name: str = "fuzz.txt", akn: bool = False) -> Document | None:
    """The property: a Document whose JSON validates and round-trips (and, with akn, whose Akoma Ntoso XML is
    valid), or a PolicykitError."""
    try:
        doc = read_bytes(data, name)
    except PolicykitError as err:
        assert err.message and str(err).startswith(name)
        return None
    validate_document(doc)  # raises ValidationError (a PolicykitError, but here a bug): not caught
    data = json.loads(to_json(doc))
    assert Document.from_dict(data).to_dict() == data
    if akn:
        validate_akn(to_akn_string(doc), name="fuzz.akn.xml")
    return doc


# --- damage ---------------------------------------------------------------------------------------------

# Pieces a converter or a hand edit leaves behind: control characters, numbering labels, brackets, markup.
GARBAGE = ["\x00", "\x01", "\x07", "\x1b[0m", "\x7f", "\ufeff", "\u200b", "\u2028", "\ufffd", "\t", "\r", "\f",
           "（", "）", "(", ")", "〔", "〕", "《", "》", "“", "”", '"', "'", "【", "】", "一、", "（一）", "1.", "（1）",
           "①", "第一条", "第一章", "第三编", "（责任单位：", "（牵头单位：", "配合单位：", "2024年13月45日",
           "二〇二四年二月三十日", "###", "**", "---", "<!--", "-->", "𠀀", "百分之", "超过", "以上", "以下", "万元",
           "%", "附件", "附件：", "抄送：", "印发", "浙政办发〔2024〕", "号", "〔2024〕99999999999999号", " ",
           "\u3000", "十百千万亿", "〇〇〇〇年", "：", "。", "，", "；", "同时废止", "自2024年1月1日起施行",
           "均为责任主体", "（此件公开发布）", "9" * 60, "一" * 40]

_FULL = {ord(c): ord(c) + 0xFEE0 for c in "0123456789(),:;!?%ABCxyz"}
_HALF = {v: k for k, v in _FULL.items()}


def garbage() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(GARBAGE),
                     st.text(min_size=1, max_size=12),
                     st.text(alphabet=st.characters(max_codepoint=0x3100), min_size=1, max_size=8))


@st.composite
def damaged(draw) -> bytes:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "width", "insert", "split", "blank", "strip"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "width":
            lines[i] = lines[i].translate(draw(st.sampled_from([_FULL, _HALF])))
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(garbage()) + lines[i][at:]
        elif op == "split":
            at = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:at], lines[i][at:]]
        elif op == "blank":
            lines.insert(i, "")
        else:
            lines[i] = lines[i].strip()
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding, errors="replace")


@examples("mutations")
@given(damaged())
def test_damaged_sources_read_or_refuse(data):
    assert_reads_or_refuses(data, akn=True)


@examples("truncation")
@given(st.sampled_from(range(len(SOURCES))), st.floats(0, 1), st.sampled_from(["utf-8", "gb18030"]))
def test_truncated_anywhere(index, fraction, encoding):
    data = TEXTS[index].encode(encoding)
    assert_reads_or_refuses(data[:int(len(data) * fraction)])


# Characters official texts are made of, so random text reaches the structure pass, not only the decoder.
_GONGWEN_ALPHABET = ("一二三四五六七八九十百千万亿零〇（）()〔〕《》“”、，。；：:,.;%％0123456789１２３第条章节编"
                     "责任单位牵头配合省市县厅局委办政府关于意见通知年月日号以上以下超过不低于万元附件抄送印发"
                     "\n\n\n  \u3000\t#*-①②③<>&\"'\x01\x1f\ufffd\uffff")


@examples("garbage_text")
@given(st.text(alphabet=_GONGWEN_ALPHABET, max_size=600))
def test_random_gongwen_like_text(text):
    assert_reads_or_refuses(text.encode("utf-8"), akn=True)


@examples("random_bytes")
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    assert_reads_or_refuses(data)


@examples("check")
@given(damaged())
def test_check_never_crashes(data):
    """The linter on damaged sources: findings with sane locations, or the reader's own error."""
    try:
        report = check_bytes(data, "fuzz.txt")
    except PolicykitError:
        return
    line_count = data.count(b"\n") + data.count(b"\r") + 1
    for finding in report.findings:
        assert finding.severity in ("error", "warning") and finding.code and finding.message
        assert finding.line is None or 1 <= finding.line <= line_count
        assert finding.column is None or finding.column >= 1
    assert all(line.startswith("fuzz.txt") for line in report.lines())


# --- regressions found by fuzzing -------------------------------------------------------------------------

def test_postamble_before_transmitted_text():
    """A 施行 sentence, a date, then numbered units again (a 通知 and the text it transmits) crashed the reader
    with an IndexError: the postamble was folded back into a unit while no unit was open."""
    text = "关于测试的通知\n\n一、总则。\n\n本意见自2024年1月1日起施行。\n\n某某厅\n\n2024年1月1日\n\n一、再来。\n"
    doc = assert_reads_or_refuses(text.encode("utf-8"))
    assert doc.postamble == "本意见自2024年1月1日起施行。"
    # What follows the date is a carried text (without a title): a component with its own eids.
    assert [u.eid for u in doc.units()] == ["sec_1", "cmp_1__sec_1"]


@pytest.mark.parametrize("quantity", ["1" * 5000 + "%以上", "一" * 5000 + "人以上"])
def test_absurdly_long_numbers_are_not_thresholds(quantity):
    """Thousands of digits before 以上 made int() exceed Python's 4,300-digit limit (ValueError)."""
    doc = assert_reads_or_refuses(f"标题\n\n一、总则\n\n对企业{quantity}的，给予奖励。\n".encode("utf-8"))
    assert not doc.body[0].thresholds


def test_absurd_serial_in_a_repealed_doc_number():
    """A 发文字号 with a huge serial inside …同时废止 made parse_doc_number return None, then [0] failed."""
    text = f"标题\n\n一、总则\n\n《旧办法》（浙政发〔2020〕{'9' * 5000}号）同时废止。\n"
    doc = assert_reads_or_refuses(text.encode("utf-8"))
    assert [(r.title, r.doc_number) for r in doc.metadata.repeals] == [("旧办法", None)]


def test_impossible_calendar_dates_are_not_published():
    """2024年2月30日 matched every pattern and became "2024-02-30", which the schema's pattern accepts."""
    text = "关于测试的通知\n\n各单位：\n\n一、总则。\n\n某某厅\n\n2024年2月30日\n"
    doc = assert_reads_or_refuses(text.encode("utf-8"))
    assert doc.metadata.signed_date is None


def test_numbering_starting_at_zero():
    """「0.」 as the first unit: the numbering check looked for the unit before it and found none."""
    doc = assert_reads_or_refuses("0.\n".encode("utf-8"))
    assert [(w.code, w.line) for w in doc.warnings if w.code.startswith("numbering")] == [("numbering-order", 1)]


@pytest.mark.parametrize("line", ["## 一、总\x01则", "---\x07", "**（一）\ufffe内容**"])
def test_control_characters_on_markdown_lines_keep_the_xml_possible(line):
    """A control character on a line with markdown markers went into the repair's "before" text, which the
    Akoma Ntoso writer then refused (XML cannot hold U+0001). Shown as a control picture (␁) instead."""
    doc = assert_reads_or_refuses(f"标题\n\n{line}\n\n（一）内容。\n".encode("utf-8"), akn=True)
    before = " ".join(r.before for r in doc.provenance.repairs)
    assert not any(ch in before for ch in "\x01\x07\ufffe") and any(ch in before for ch in "␁␇\ufffd")
