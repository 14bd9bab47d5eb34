"""`policykit check`: the linter for source texts. Every check on a small text, the seed broken on purpose,
the real corpus, output formats and exit codes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import toolkit.check
from toolkit.check import SEVERITY, check_bytes, check_path
from toolkit.errors import SEVERITY_WORDS
from toolkit.cli import main
from toolkit.reader import read_bytes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
DOCS = ROOT / "docs" / "check.md"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def findings(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.code, f.line, f.column) for f in check_bytes(text.encode("utf-8"), "t.txt").findings]


def codes(text: str) -> list[str]:
    return [code for code, _, _ in findings(text)]


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of needle in text."""
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


# A small 公文 that passes every check; the tests below break one thing at a time.
GOOD = """浙江省人民政府办公厅文件

浙政办发〔2024〕99号

浙江省人民政府办公厅关于测试工作的意见

各市、县（市、区）人民政府，省政府直属各单位：

为做好测试工作，提出如下意见。

一、总体要求

（一）加强领导。各地要加强领导。（责任单位：省经信厅、省科技厅）

（二）完善机制。建立健全工作机制。（责任单位：省发展改革委）

二、保障措施

（一）强化保障。加大投入力度。（责任单位：省财政厅）

浙江省人民政府办公厅

2024年6月6日
"""


def test_a_clean_document_has_no_findings():
    assert findings(GOOD) == []


def test_the_seed_and_clean_corpus_documents_pass():
    assert check_path(SEED).findings == []
    for name in ("01_", "06_", "11_", "13_"):
        (path,) = CORPUS.glob(f"{name}*.txt")
        assert check_path(path).findings == [], path.name


def test_the_corpus_copies_that_lost_their_head_or_tail_are_reported():
    (incomplete,) = CORPUS.glob("04_*.txt")  # ends at the 附件 line: no signature, no 成文日期
    report = check_path(incomplete)
    assert [(f.code, f.severity) for f in report.findings] == [("missing-signed-date", "error")]
    (guangzhou,) = CORPUS.glob("07_*.txt")  # no title block, no issuer: the place comes from the text
    report = check_path(guangzhou)
    assert report.errors == 0
    assert sorted(f.code for f in report.findings) == ["jurisdiction-from-text", "missing-doc-number",
                                                       "missing-responsibility", "missing-signed-date",
                                                       "unknown-department"]
    (place,) = [f for f in report.findings if f.code == "jurisdiction-from-text"]
    assert "广州市" in place.message and place.line == 2
    (unknown,) = [f for f in report.findings if f.code == "unknown-department"]
    assert "市留交办" in unknown.message and "广州市" in unknown.message and "共 3 处" in unknown.message
    (lonely,) = [f for f in report.findings if f.code == "missing-responsibility"]
    assert "1." in lonely.message and "45 条中有 44 条" in lonely.message
    assert (lonely.line, lonely.column) == at(guangzhou.read_text(encoding="utf-8"), "1.目标")


# --- numbering ------------------------------------------------------------------------------------------

def test_numbering_gap_duplicate_and_order_are_errors_with_their_line():
    gap = GOOD.replace("二、保障措施", "三、保障措施")
    assert findings(gap) == [("numbering-gap", *at(gap, "三、保障措施"))]
    dup = GOOD.replace("（二）完善机制", "（一）完善机制")
    assert findings(dup) == [("numbering-duplicate", *at(dup, "（一）完善机制"))]
    order = GOOD.replace("二、保障措施", "二、保障措施\n\n一、附则").replace("（一）强化保障", "（一）强化保障")
    assert ("numbering-order", *at(order, "一、附则")) in findings(order)
    assert all(SEVERITY[c] == "error" for c in ("numbering-gap", "numbering-duplicate", "numbering-order"))


def test_markdown_and_indentation_move_the_column_to_the_label():
    text = GOOD.replace("二、保障措施", "## 三、保障措施")
    assert findings(text) == [("numbering-gap", at(text, "## 三")[0], at(text, "三、保障")[1])]


# --- brackets and quotes --------------------------------------------------------------------------------

def test_unclosed_and_unmatched_brackets_with_columns():
    text = GOOD.replace("加大投入力度。", "加大投入《力度。").replace("建立健全工作机制。", "建立健全工作〕机制。")
    assert findings(text) == [("bracket-unmatched", *at(text, "〕机制")), ("bracket-unclosed", *at(text, "《力度"))]


def test_crossed_brackets_report_the_inner_one():
    text = GOOD.replace("各地要加强领导。", "各地要（加强《领导）。")
    assert findings(text) == [("bracket-unclosed", *at(text, "《领导"))]


def test_quotes_are_checked_too_and_half_width_quotes_count():
    text = GOOD.replace("加大投入力度。", "加大“投入力度。")
    assert findings(text) == [("quote-unclosed", *at(text, "“投入"))]
    assert findings(GOOD.replace("加大投入力度。", '加大"投入"力度。')) == []
    assert findings(GOOD.replace("加大投入力度。", "加大”投入力度。"))[0][0] == "quote-unmatched"


def test_a_title_over_two_lines_may_open_a_bracket_on_one_and_close_it_on_the_next():
    text = GOOD.replace("浙江省人民政府办公厅关于测试工作的意见", "浙江省人民政府办公厅关于印发《测试\n\n办法》的通知")
    assert findings(text) == []


def test_an_apostrophe_is_not_a_closing_quote():
    assert findings(GOOD.replace("加大投入力度。", "加大China’s投入力度。")) == []


def test_an_unclosed_responsibility_bracket_is_reported_once_and_the_document_still_reads():
    text = GOOD.replace("（责任单位：省发展改革委）", "（责任单位：省发展改革委")
    assert findings(text) == [("bracket-unclosed", *at(text, "（责任单位：省发展改革委"))]
    doc = read_bytes(text.encode("utf-8"), "t.txt")
    assert [w.code for w in doc.warnings] == ["unclosed-bracket"]
    assert [r.department for r in doc.unit("sec_1__para_2").responsibilities] == ["省发展改革委"]


# --- dates, damaged characters ------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2024年2月30日", "2024年13月1日", "2024年6月0日", "二〇二四年十三月一日"])
def test_impossible_dates(date):
    text = GOOD.replace("2024年6月6日", date)
    assert ("bad-date", *at(text, date)) in findings(text)
    assert "missing-signed-date" in codes(text)  # and the reader did not take it as the 成文日期


def test_a_year_and_month_without_a_day():
    text = GOOD.replace("加大投入力度。", "于2024年13月底前加大投入力度。")
    assert findings(text) == [("bad-date", *at(text, "2024年13月"))]
    assert findings(GOOD.replace("加大投入力度。", "于2024年12月底前加大投入力度。")) == []


def test_replacement_characters_left_by_a_broken_conversion():
    text = GOOD.replace("加大投入力度。", "加大投\ufffd\ufffd力度。")
    assert findings(text) == [("replacement-character", *at(text, "\ufffd"))]


# --- metadata -------------------------------------------------------------------------------------------

def test_missing_metadata_of_a_gongwen_are_errors():
    text = GOOD.replace("浙政办发〔2024〕99号\n", "").replace("2024年6月6日\n", "")
    report = check_bytes(text.encode("utf-8"), "t.txt")
    assert {(f.code, f.severity) for f in report.findings} == {("missing-doc-number", "error"),
                                                               ("missing-signed-date", "error")}


def test_missing_title():
    text = "一、总则。\n\n二、附则。\n"
    assert [(f.code, f.severity) for f in check_bytes(text.encode(), "t.txt").findings] == [("missing-title", "error")]


def test_a_law_needs_neither_doc_number_nor_signed_date():
    text = "中华人民共和国测试法\n\n第一条 为了测试，制定本法。\n\n第二条 本法自2024年1月1日起施行。\n"
    assert findings(text) == []


# --- 责任单位 and the registry --------------------------------------------------------------------------------

def test_a_clause_without_responsibility_where_the_others_have_one():
    text = GOOD.replace("（责任单位：省发展改革委）", "")
    assert findings(text) == [("missing-responsibility", *at(text, "（二）完善机制"))]


def test_no_responsibility_warning_when_few_clauses_have_them():
    text = GOOD.replace("（责任单位：省发展改革委）", "").replace("（责任单位：省财政厅）", "")
    assert findings(text) == []


def test_unknown_department_in_a_covered_jurisdiction_points_at_the_name():
    text = GOOD.replace("省科技厅", "省测试厅")
    assert findings(text) == [("unknown-department", *at(text, "省测试厅"))]


def test_an_unknown_name_is_reported_with_the_place_it_was_looked_up_in():
    # 重庆市 is a municipality: it has no 省科技厅, so the names written for a province do not resolve there.
    text = GOOD.replace("浙江省人民政府办公厅", "重庆市人民政府办公厅").replace("浙政办发", "渝府办发")
    found = check_bytes(text.encode("utf-8"), "t.txt").findings
    assert {f.code for f in found} == {"unknown-department"}
    assert all("重庆市" in f.message for f in found)
    assert any("“省科技厅”" in f.message for f in found)


def test_a_document_without_issuer_warns_that_its_names_stay_as_written():
    text = GOOD.replace("浙江省人民政府办公厅", "").replace("浙政办发〔2024〕99号", "")
    assert "jurisdiction-unknown" in codes(text)


# --- page-break joins -------------------------------------------------------------------------------------

def test_a_join_into_a_sentence_of_its_own_is_suspicious():
    text = GOOD.replace("建立健全工作机制。", "建立健全工作机制\n\n特此通知，请遵照执行。")
    assert findings(text) == [("suspicious-join", *at(text, "特此通知"))]


def test_a_join_with_no_chinese_on_one_side_is_suspicious():
    text = GOOD.replace("建立健全工作机制。", "建立健全工作机制，版本\n\nV2.0 release notes")
    assert findings(text) == [("suspicious-join", *at(text, "V2.0"))]


def test_an_ordinary_page_break_join_is_fine():
    assert findings(GOOD.replace("建立健全工作机制。", "建立健全工作\n\n机制。")) == []


# --- the command -----------------------------------------------------------------------------------------

def broken_seed(tmp_path: Path) -> tuple[Path, str]:
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("浙政办发〔2024〕21号\n", "")
    text = text.replace("(三)招引发展新增量", "(四)招引发展新增量", 1)
    text = text.replace("省科技厅、省数据局)", "省科技厅、省数据局", 1)
    text = text.replace("2024 年 6 月 6 日", "2024 年 6 月 31 日")
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_check_command_output_and_exit_1(tmp_path):
    path, text = broken_seed(tmp_path)
    result = run("check", path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    expected = [
        ("missing-doc-number", "error", at(text, "浙江省人民政府办公厅文件")),
        ("numbering-gap", "error", at(text, "(四)招引")),
        ("numbering-duplicate", "error", at(text, "(四)打造")),
        ("bracket-unclosed", "error", at(text, "(责任单位:省经信厅、省发展改革委、省科技厅、省数据局")),
        ("bad-date", "error", at(text, "2024 年 6 月 31 日")),
    ]
    for code, severity, (line, col) in expected:
        assert any(s.startswith(f"{path}:{line}:{col}: {SEVERITY_WORDS[severity]}: ") and s.endswith(f"[{code}]") for s in lines), \
            (code, lines)
    assert "missing-signed-date" in result.stdout
    assert "检查了 1 个文件：错误 6 个，警告 0 个" in result.stderr


def test_check_json_format(tmp_path):
    path, _ = broken_seed(tmp_path)
    result = run("check", "--format", "json", path, SEED)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [f["file"] for f in data["files"]] == [str(path), str(SEED)]
    assert data["errors"] == 6 and data["warnings"] == 0
    assert data["files"][1] == {"file": str(SEED), "errors": 0, "warnings": 0, "findings": []}
    first = data["files"][0]["findings"][0]
    assert set(first) == {"line", "column", "severity", "code", "message"}
    # The API keeps English severities; only the text output says 错误/警告.
    assert {f["severity"] for f in data["files"][0]["findings"]} == {"error"}


def test_clean_files_exit_0_and_print_nothing_on_stdout():
    result = run("check", SEED)
    assert result.exit_code == 0 and result.stdout == ""
    assert "检查了 1 个文件：错误 0 个，警告 0 个" in result.stderr


def test_warnings_alone_exit_0():
    (guangzhou,) = CORPUS.glob("07_*.txt")
    result = run("check", guangzhou)
    assert result.exit_code == 0 and ": 警告: " in result.stdout


def test_an_unreadable_file_exits_2_and_the_others_are_still_checked(tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    path, _ = broken_seed(tmp_path)
    result = run("check", binary, path, tmp_path / "missing.txt")
    assert result.exit_code == 2
    assert f"{binary}:3:1: 错误: 这像是二进制文件" in result.stderr
    assert f"{tmp_path / 'missing.txt'}: 错误: 文件不存在" in result.stderr
    assert f"{path}:" in result.stdout and "Traceback" not in result.output
    data = json.loads(run("check", "--format", "json", binary).stdout)
    assert data["files"][0]["fatal"]["line"] == 3 and "二进制" in data["files"][0]["fatal"]["message"]


def test_an_internal_error_in_check_is_one_line_and_exit_1(monkeypatch):
    def broken(data, name):
        raise KeyError("boom")

    monkeypatch.setattr(toolkit.check, "check_bytes", broken)
    result = run("check", SEED)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "policykit: internal error: KeyError: 'boom' (run with --debug for the traceback, and please report it)"]
    debug = run("--debug", "check", SEED)
    assert debug.exit_code == 1 and "Traceback" in debug.stderr and "raise KeyError" in debug.stderr


def test_every_code_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for code, severity in SEVERITY.items():
        assert f"`{code}`" in text, code


def test_the_readme_example_is_the_real_output(monkeypatch):
    """README's 出错时 section shows `policykit check` on tests/fixtures/broken/notice.txt: keep it true."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ .venv/bin/policykit check tests/fixtures/broken/notice.txt\n", 1)[1].split("$ echo", 1)[0]
    monkeypatch.chdir(ROOT)
    result = run("check", "tests/fixtures/broken/notice.txt")
    assert result.exit_code == 1 and "exit 1" not in block and readme.count("$ echo $?\n1\n") == 1
    assert block == result.stdout + result.stderr


def test_control_characters_are_reported_and_removed_by_the_reader():
    text = GOOD.replace("加大投入力度。", "加大投\x01入力\x1f度。")
    assert findings(text) == [("control-character", *at(text, "\x01"))]
    doc = read_bytes(text.encode("utf-8"), "t.txt")
    assert doc.unit("sec_2__para_1").text.startswith("加大投入力度。")


def test_a_finding_without_a_line_prints_the_file_only():
    report = check_bytes("关于测试的通知\n\n只有一段正文，没有编号。\n".encode("utf-8"), "t.txt")
    assert "t.txt: 警告: 没有找到带编号的条目（一、 （一） 1. 第一条 …）：全文作为导语保留 [no-units]" in report.lines()


_ENGLISH_PHRASE = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")


def test_every_message_a_publisher_reads_is_chinese():
    """Findings are for publishers: plain Chinese, never an English sentence (codes stay English, in brackets)."""
    damaged = (GOOD.replace("加大投入力度。", "加大投\x01入“力度\ufffd。工作〕机制")
               .replace("浙政办发〔2024〕21号\n", "").replace("2024年6月6日", "2024年2月30日"))
    texts = [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))]
    texts += [(p.name, p.read_bytes()) for p in sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))]
    texts += [("damaged.txt", damaged.encode("utf-8")), ("no-units.txt", "只有一段正文，没有编号。\n".encode("utf-8"))]
    seen = set()
    for name, data in texts:
        for line, finding in zip(check_bytes(data, name).lines(), check_bytes(data, name).findings):
            seen.add(finding.code)
            message = finding.message
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), line
            assert not _ENGLISH_PHRASE.search(message), line
            assert f": {SEVERITY_WORDS[finding.severity]}: " in line and line.endswith(f"[{finding.code}]")
    # The texts above must reach most of the codes, or the test proves little.
    assert len(seen) >= 17, sorted(seen)
