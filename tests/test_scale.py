"""Very large inputs: the reader (and `check`) must be linear, and a 50 MB text must parse.

Complexity is asserted by comparing two sizes, never by wall time: each input shape is parsed at size n and 4n,
and the CPU time (of this process, so other processes on the machine matter less) may grow at most 7 times. A
linear reader gives about 4 (up to 5 with cache and garbage-collector effects); a quadratic spot gives up to 16
(the reader before these tests: 11 to 26 on the shapes below, or minutes instead of seconds). Each shape is one that was quadratic before (see the comments in toolkit/readers/); n is chosen
so that one read takes a few tenths of a second.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from toolkit.check import check_bytes
from toolkit.reader import read_bytes
from toolkit.validate import validate_document

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "source" / "zjzbf-2024-21.txt").read_text(encoding="utf-8")
HEAD = "关于大文件测试的意见\n\n一、总则\n\n"


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit.encode("utf-8")) + 1)


PROSE = ("县级以上人民政府应当加强对本行政区域内相关工作的组织领导，建立健全协调机制，统筹解决工作中的重大问题，"
         "将所需经费纳入本级财政预算，并定期向社会公布工作进展情况。")


def statute(size: int) -> str:
    """A well-formed law of about `size` bytes: chapters of 50 articles, numbered straight through; every fifth
    article has thresholds, a 责任单位 bracket and a date, the others two paragraphs of prose."""
    out = ["中华人民共和国大文件测试法"]
    article = 0
    total = 0
    while total < size:
        out.append(f"第{article // 50 + 1}章 第{article // 50 + 1}部分")
        for _ in range(50):
            article += 1
            if article % 5:
                line = f"第{article}条 {PROSE}\n\n{PROSE}"
            else:
                line = (f"第{article}条 对研发费用占营业收入比重3%以上且年增长20%以上的企业，给予不超过500万元的奖励，"
                        f"自2024年1月1日起执行。{PROSE}（责任单位：省经信厅、省财政厅）")
            out.append(line)
            total += len(line.encode("utf-8")) + 2
    return "\n\n".join(out) + "\n"


# shape: (text of about n bytes, n)
SHAPES = {
    # one clause with very many paragraphs (its text was re-joined at every paragraph)
    "one clause, many paragraphs": (lambda n: HEAD + _repeat("这是一段正文，没有编号。\n\n", n), 2_000_000),
    # one paragraph cut by a page break at every line (the paragraph was re-joined at every break)
    "one paragraph, many page breaks": (lambda n: HEAD + _repeat("这是一段被分页切断的正文，\n\n", n), 2_000_000),
    # many units with the same number (duplicate eids were found by counting up from -2 each time)
    "many units, same number": (lambda n: "标题\n\n" + _repeat("一、总则\n\n（一）内容。\n\n", n), 250_000),
    # many sibling units (the numbering check scanned all siblings of each new unit)
    "many sibling units": (lambda n: "测试法\n\n" + "\n\n".join(f"第{i}条 本条规定具体事项。" for i in range(1, n // 30)),
                           300_000),
    # a long law: chapters, articles, thresholds, 责任单位, dates
    "a long law": (statute, 1_000_000),
    # one long line of thresholds without punctuation (the metric search went back to the start each time)
    "thresholds without punctuation": (lambda n: HEAD + _repeat("超过3%以上或不低于5万元以上且", n), 400_000),
    # a plan, fines and benefits without punctuation: what a sentence says was read again for every number
    "a plan without punctuation": (lambda n: HEAD + _repeat("5年内引进100名人才使基金规模达到3%以上处1万元以上罚款且给予5万元奖励", n),
                                   400_000),
    # brackets never closed (each was read to the end of the text)
    "unclosed brackets": (lambda n: HEAD + _repeat("（责任单位：省经信厅、", n), 1_000_000),
    # a collective name followed by many names (the name was extended with += in a loop)
    "one long collective name": (lambda n: HEAD + "（责任单位：各市" + _repeat("、县", n) + "）", 1_000_000),
    # unterminated HTML comments on one line (the regex rescanned to the end from each <!--)
    "unterminated comments": (lambda n: HEAD + "-->" + _repeat("<!--文", n), 1_000_000),
    # the whole seed repeated: closings, headers and 附件 over and over
    "the seed, repeated": (lambda n: _repeat(SEED + "\n", n), 1_000_000),
    # a run of digits: the threshold regex tried every start inside it (10,000 digits took 5 s); small, so that
    # a regression fails in half a minute instead of hanging
    "a long run of digits": (lambda n: HEAD + "1" * n, 5_000),
}


def cpu_seconds(text: str, repeat_until: float = 0.3) -> float:
    """CPU time of one read, the best of repeated reads lasting at least repeat_until seconds in all."""
    data = text.encode("utf-8")
    best, spent = float("inf"), 0.0
    gc.collect()
    while spent < repeat_until or best == float("inf"):
        start = time.process_time()
        read_bytes(data, "big.txt")
        took = time.process_time() - start
        best, spent = min(best, took), spent + took
    return best


@pytest.mark.parametrize("shape", list(SHAPES))
def test_reader_time_grows_linearly(shape):
    make, size = SHAPES[shape]
    cpu_seconds(make(size // 10))  # warm up: imports, regex compilation, registry
    small_text, large_text = make(size), make(4 * size)
    ratios = []
    for _ in range(3):  # a busy machine can slow one measurement; a quadratic reader fails all three
        small, large = cpu_seconds(small_text), cpu_seconds(large_text)
        ratios.append(large / small)
        if ratios[-1] < 7:
            return
    pytest.fail(f"{shape}: 4 times the input took {', '.join(f'{r:.1f}' for r in ratios)} times as long")


def test_check_time_grows_linearly():
    text, _ = SHAPES["the seed, repeated"]
    check_bytes(text(100_000).encode(), "w.txt")
    ratios = []
    for _ in range(3):
        times = []
        for size in (500_000, 2_000_000):
            data = text(size).encode("utf-8")
            start = time.process_time()
            check_bytes(data, "big.txt")
            times.append(time.process_time() - start)
        ratios.append(times[1] / times[0])
        if ratios[-1] < 7:
            return
    pytest.fail(f"check: 4 times the input took {ratios} times as long")


@pytest.mark.slow
def test_a_50_mb_document_parses_and_validates():
    data = statute(50_000_000).encode("utf-8")
    assert len(data) >= 50_000_000
    doc = read_bytes(data, "big.txt")
    articles = [u for u in doc.units() if u.kind == "article"]
    assert len(articles) == len({u.eid for u in articles}) > 50_000
    assert doc.warnings == []
    last = articles[-1]
    assert last.num == f"第{len(articles)}条"
    assert [r.department for r in last.responsibilities] == ["省经信厅", "省财政厅"]
    assert [(t.comparator, t.value, t.unit) for t in last.thresholds] == [("≥", 3, "%"), ("≥", 20, "%"),
                                                                          ("≤", 5_000_000, "CNY")]
    validate_document(doc)


# --- writers: the Akoma Ntoso writer must be linear too ---------------------------------------------------------

AKN_SHAPES = {
    # one 责任单位 list repeating one name (each candidate anchor re-placed every mark: cubic, 20 KB took 255 s)
    "one list, one name repeated": lambda n: HEAD + "（一）内容（责任单位：" + "、".join(["省经信厅"] * n) + "）\n",
    # many brackets with the same names in one unit, one per line (also every span was filtered for every line)
    "many brackets, same names": lambda n: HEAD + "（一）内容" + "".join(
        "做好工作（责任单位：省经信厅、省财政厅）。\n" for _ in range(n)) + "\n",
    # many thresholds in one paragraph (each was searched from the start, and checked against every span)
    "thresholds in one paragraph": lambda n: HEAD + "（一）" + "".join(
        "对研发费用占营业收入比重3%以上且年增长20%以上的企业，给予不超过500万元的奖励，" for _ in range(n)) + "\n",
}


def akn_cpu_seconds(doc, repeat_until: float = 0.3) -> float:
    from toolkit.writers.akn import to_akn_string

    best, spent = float("inf"), 0.0
    gc.collect()
    while spent < repeat_until or best == float("inf"):
        start = time.process_time()
        to_akn_string(doc)
        took = time.process_time() - start
        best, spent = min(best, took), spent + took
    return best


@pytest.mark.parametrize("shape", list(AKN_SHAPES))
def test_akn_writer_time_grows_linearly(shape):
    make = AKN_SHAPES[shape]
    small_doc, large_doc = (read_bytes(make(n).encode("utf-8"), "big.txt") for n in (2_000, 8_000))
    assert any(u.responsibilities or u.thresholds for u in small_doc.units())  # the shape reaches the writer
    akn_cpu_seconds(read_bytes(make(200).encode("utf-8"), "warm.txt"))
    ratios = []
    for _ in range(3):
        ratios.append(akn_cpu_seconds(large_doc) / akn_cpu_seconds(small_doc))
        if ratios[-1] < 7:
            return
    pytest.fail(f"{shape}: 4 times the input took {', '.join(f'{r:.1f}' for r in ratios)} times as long to write")


# --- diff: two versions of a large document ---------------------------------------------------------------------

_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"


def _clause(k: int) -> str:
    """A clause of 40 characters that no other clause repeats (a rotation of _CHARS by k, k < len(_CHARS)**2)."""
    a, b = divmod(k, len(_CHARS))
    return (_CHARS[a:] + _CHARS[:a])[:20] + (_CHARS[b:] + _CHARS[:b])[:20]


DIFF_SHAPES = {
    # every clause edited (each new clause was scored against every old one)
    "every clause edited": (lambda n: (
        HEAD + "".join(f"{k + 1}. {_clause(k)}。\n\n" for k in range(n)),
        HEAD + "".join(f"{k + 1}. {_clause(k)[:20]}改{_clause(k)[21:]}。\n\n" for k in range(n))), 150),
    # every clause replaced by an unrelated one (nothing pairs: all pairs were tried)
    "every clause replaced": (lambda n: (
        HEAD + "".join(f"{k + 1}. {_clause(k)}。\n\n" for k in range(n)),
        HEAD + "".join(f"{k + 1}. {_clause(k + n)[::-1]}。\n\n" for k in range(n))), 100),
    # many identical clauses, each edited the same way
    "identical clauses edited": (lambda n: (
        HEAD + "".join(f"{k + 1}. 加强组织领导，落实工作责任。\n\n" for k in range(n)),
        HEAD + "".join(f"{k + 1}. 加强组织领导，压实工作责任。\n\n" for k in range(n))), 400),
    # one clause of repetitive thresholds, every value changed (difflib: square of the length times its depth;
    # 400 thresholds took 51 s)
    "repetitive thresholds in one clause": (lambda n: (
        HEAD + "（一）" + "".join(f"指标{k}达到{k}%以上，" for k in range(n)) + "\n",
        HEAD + "（一）" + "".join(f"指标{k}达到{k + 1}%以上，" for k in range(n)) + "\n"), 1_000),
    # one long clause with a change every third character
    "a change every third character": (lambda n: (
        HEAD + "（一）" + "".join(_clause(k)[:3] for k in range(n)) + "\n",
        HEAD + "（一）" + "".join(_clause(k)[:2] + "甲" for k in range(n)) + "\n"), 2_000),
}


def diff_cpu_seconds(old, new, repeat_until: float = 0.3) -> float:
    from toolkit.diff import diff

    best, spent = float("inf"), 0.0
    gc.collect()
    while spent < repeat_until or best == float("inf"):
        start = time.process_time()
        diff(old, new)
        took = time.process_time() - start
        best, spent = min(best, took), spent + took
    return best


@pytest.mark.parametrize("shape", list(DIFF_SHAPES))
def test_diff_time_grows_linearly(shape):
    make, size = DIFF_SHAPES[shape]
    docs = {}
    for n in (size, 4 * size):
        old, new = make(n)
        docs[n] = read_bytes(old.encode("utf-8"), "old.txt"), read_bytes(new.encode("utf-8"), "new.txt")
    diff_cpu_seconds(*docs[size])
    ratios = []
    for _ in range(3):
        ratios.append(diff_cpu_seconds(*docs[4 * size]) / diff_cpu_seconds(*docs[size]))
        if ratios[-1] < 7:
            return
    pytest.fail(f"{shape}: 4 times the input took {', '.join(f'{r:.1f}' for r in ratios)} times as long to diff")


def test_diff_of_a_repetitive_clause_is_still_a_correct_difference():
    """Past the pair budget the difference is found at anchors: whatever it reports, old and new are rebuilt."""
    from toolkit.diff import text_ops

    old = "".join(f"指标{k}达到{k}%以上，" for k in range(2_000))
    new = "".join(f"指标{k}达到{k + (k % 7 == 0)}%以上，" for k in range(2_000))
    ops = text_ops(old, new)
    assert "".join(op.old for op in ops) == old and "".join(op.new for op in ops) == new
    assert sum(len(op.old) for op in ops if op.op == "equal") > 0.9 * len(old)  # not one big replacement


# --- memory: a limit on units per document -----------------------------------------------------------------------

def test_too_many_units_is_a_clear_error_at_the_line_where_the_limit_is_passed():
    from toolkit.errors import StructureError
    from toolkit.limits import MAX_UNITS, check_unit_count

    check_unit_count(MAX_UNITS, "a.txt", 1)  # the limit itself is allowed
    with pytest.raises(StructureError) as caught:
        check_unit_count(MAX_UNITS + 1, "a.txt", 7)
    assert str(caught.value).startswith("a.txt:7: 错误: 一份文件中带编号的条目（一、 （一） 1. 第X条 …）超过 150,000 个")


@pytest.mark.slow
def test_a_million_numbered_lines_are_refused_with_bounded_memory(tmp_path):
    """1,000,000 lines `一、` (7 MB) took 6.5 GB to parse: now exit 2 at the 150,001st unit, in well under 1 GB."""
    import subprocess
    import sys

    path = tmp_path / "many.txt"
    path.write_text("标题\n\n" + "一、\n" * 1_000_000, encoding="utf-8")
    script = ("import resource, sys\nfrom toolkit.cli import main\n"
              "try:\n    main([sys.argv[1], sys.argv[2]])\nexcept SystemExit as e:\n"
              "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n    raise\n")
    for command in ("parse", "check"):
        proc = subprocess.run([sys.executable, "-c", script, command, str(path)], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        message, peak_kb = lines[0], lines[-1]
        assert message.startswith(f"{path}:150003:") and "超过 150,000 个" in message
        assert int(peak_kb) < 1024 * 1024, f"{command}: peak {int(peak_kb) // 1024} MB"


def test_the_unit_limit_counts_every_carried_text_of_a_document(monkeypatch):
    """A notice carrying two texts (8 and 4 units): the limit holds for the 12 together, not for each text."""
    import toolkit.limits
    from toolkit.errors import StructureError

    data = (ROOT / "tests" / "fixtures" / "reader" / "carried-two.txt").read_bytes()
    doc = read_bytes(data, "carried-two.txt")
    assert [sum(1 for top in c.body for _ in top.walk()) for c in doc.components] == [8, 4]
    monkeypatch.setattr(toolkit.limits, "MAX_UNITS", 12)
    read_bytes(data, "carried-two.txt")
    monkeypatch.setattr(toolkit.limits, "MAX_UNITS", 11)
    with pytest.raises(StructureError, match="超过 11 个"):
        read_bytes(data, "carried-two.txt")
