"""Clause-level diff (toolkit/diff.py) and its writers, on the revision fixture and on targeted edits of real texts.

The revision fixture tests/fixtures/revisions/zjzbf-2025-8.txt is the seed with exactly these edits (see its
README): new 发文字号 and dates, 3%以上 -> 2.5%以上, 100亿元 -> 120亿元, 一（三） removed (一（四） renumbers), a new
五（二） (五（二）（三） renumber), and the departments of 三（三） changed (lead changed, one added). The golden
text and Markdown reports next to it were reviewed by hand; after a deliberate wording change regenerate them with
    .venv/bin/policykit diff source/zjzbf-2024-21.txt tests/fixtures/revisions/zjzbf-2025-8.txt \
        -o tests/fixtures/revisions/zjzbf-2024-21_to_zjzbf-2025-8.diff.txt   (and --format markdown -o ….diff.md)
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli import main
from toolkit.diff import align, diff, text_ops, threshold_changes
from toolkit.model import Threshold
from toolkit.reader import read_bytes, read_path
from toolkit.writers.diff_json import diff_schema_errors, to_json
from toolkit.writers.diff_markdown import to_markdown
from toolkit.writers.diff_text import to_text
from corpus_files import EVERY

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
REVISIONS = ROOT / "tests" / "fixtures" / "revisions"
REVISION = REVISIONS / "zjzbf-2025-8.txt"
GOLDEN_TEXT = REVISIONS / "zjzbf-2024-21_to_zjzbf-2025-8.diff.txt"
GOLDEN_MARKDOWN = REVISIONS / "zjzbf-2024-21_to_zjzbf-2025-8.diff.md"
CORPUS = EVERY


@pytest.fixture(scope="module")
def seed():
    return read_path(SEED)


@pytest.fixture(scope="module")
def fixture_diff(seed):
    return diff(seed, read_path(REVISION))


def edited(path: Path, *edits: tuple[str, str]):
    """The document read from `path` after replacing each old string (which must occur exactly once) by new."""
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return read_bytes(text.encode("utf-8"), path.name)


def shape(d) -> list[tuple]:
    """Each unit change as (changes, old eids, new eids): what a reader of the changelog sees first."""
    return [(tuple(c.changes), tuple(r.eid for r in c.old), tuple(r.eid for r in c.new)) for c in d.units]


def rebuild(ops) -> tuple[str, str]:
    return "".join(op.old for op in ops), "".join(op.new for op in ops)


# --- the revision fixture: exactly the changes made, nothing else ---------------------------------------------

def test_fixture_units_exact(fixture_diff):
    assert shape(fixture_diff) == [
        (("removed",), ("sec_1__para_3",), ()),
        (("renumbered",), ("sec_1__para_4",), ("sec_1__para_3",)),
        (("modified",), ("sec_2__para_1",), ("sec_2__para_1",)),
        (("modified",), ("sec_3__para_3",), ("sec_3__para_3",)),
        (("added",), (), ("sec_5__para_2",)),
        (("renumbered", "modified"), ("sec_5__para_2",), ("sec_5__para_3",)),
        (("renumbered",), ("sec_5__para_3",), ("sec_5__para_4",)),
    ]
    s = fixture_diff.summary
    assert (s.added, s.removed, s.modified, s.renumbered, s.split, s.merged, s.unchanged) == (1, 1, 3, 3, 0, 0, 20)
    assert not fixture_diff.identical and fixture_diff.responsibilities is None


def test_fixture_renumbered_units_keep_their_text(fixture_diff):
    renumbered_only = [c for c in fixture_diff.units if c.changes == ["renumbered"]]
    assert [(c.old[0].label, c.new[0].label) for c in renumbered_only] == [("一（四）", "一（三）"), ("五（三）", "五（四）")]
    assert all(not c.text and not c.thresholds and c.responsibilities is None for c in renumbered_only)


def test_fixture_threshold_changes_exact(fixture_diff):
    found = [(c.new[0].eid, t.change, t.metric, t.old.source_text, t.new.source_text, t.old.value, t.new.value)
             for c in fixture_diff.units if "modified" in c.changes for t in c.thresholds]
    assert found == [
        ("sec_2__para_1", "modified", "研发费用占营业收入比重", "3%以上", "2.5%以上", 3, 2.5),
        ("sec_5__para_3", "modified", "专精特新母基金总规模", "不低于100亿元", "不低于120亿元", 10_000_000_000, 12_000_000_000),
    ]


def test_fixture_text_changes_are_character_level(fixture_diff):
    changes = {c.new[0].eid: [(op.op, op.old, op.new) for op in c.text if op.op != "equal"]
               for c in fixture_diff.units if c.changes[-1] == "modified"}
    assert changes == {
        "sec_2__para_1": [("replace", "3", "2.5")],
        "sec_3__para_3": [("delete", "经信厅、省", ""), ("insert", "", "、省经信厅"), ("insert", "", "、省市场监管局")],
        "sec_5__para_3": [("replace", "100", "120")],
    }


def test_fixture_responsibility_change_exact(fixture_diff):
    (change,) = [c for c in fixture_diff.units if c.responsibilities and c.changes == ["modified"]]
    r = change.responsibilities
    assert change.new[0].eid == "sec_3__para_3"
    assert (r.lead_old, r.lead_new, r.lead_changed) == ("省经信厅", "省发展改革委", True)
    assert (r.added, r.removed) == (["省市场监管局"], [])
    # The conditions (且/或) of 二（一） did not change although a value in them did.
    assert all(c.conditions is None for c in fixture_diff.units)


def test_fixture_added_and_removed_units(fixture_diff):
    added = next(c for c in fixture_diff.units if c.changes == ["added"])
    removed = next(c for c in fixture_diff.units if c.changes == ["removed"])
    assert (added.new[0].label, added.new[0].heading) == ("五（二）", "加大信贷支持力度")
    assert [op.op for op in added.text] == ["insert"] and added.text[0].new.startswith("引导银行业金融机构")
    assert added.responsibilities.new == ["省委金融办", "人行浙江省分行", "金融监管总局浙江监管局", "省经信厅"]
    assert (removed.old[0].label, removed.old[0].heading) == ("一（三）", "招引发展新增量")
    assert [op.op for op in removed.text] == ["delete"] and "415X" in removed.text[0].old


def test_fixture_metadata_and_passages_exact(fixture_diff):
    meta = {c.field: (c.old, c.new) for c in fixture_diff.metadata}
    assert list(meta) == ["doc_number", "doc_number_parts", "signed_date", "printed_date", "effective_date",
                          "effective_text", "repeals"]
    assert meta["doc_number"] == ("浙政办发〔2024〕21号", "浙政办发〔2025〕8号")
    assert meta["signed_date"] == ("2024-06-06", "2025-03-10")
    assert meta["printed_date"] == ("2024-06-07", "2025-03-12")
    assert meta["effective_date"] == ("2024-07-06", "2025-04-10")
    assert [r["doc_number"] for r in meta["repeals"][0]] == ["浙政办发〔2022〕19号"]
    assert [r["doc_number"] for r in meta["repeals"][1]] == ["浙政办发〔2024〕21号"]
    assert [p.part for p in fixture_diff.passages] == ["postamble", "closing.date_text", "closing.imprint"]
    date_text = fixture_diff.passages[1]
    assert [(op.op, op.old, op.new) for op in date_text.ops] == [("replace", "2024年6月6", "2025年3月10"),
                                                                  ("equal", "日", "日")]


def test_fixture_text_report_matches_golden(fixture_diff):
    assert to_text(fixture_diff) == GOLDEN_TEXT.read_text(encoding="utf-8")


def test_fixture_markdown_report_matches_golden(fixture_diff):
    assert to_markdown(fixture_diff) == GOLDEN_MARKDOWN.read_text(encoding="utf-8")


def test_fixture_json_valid_and_exact(fixture_diff):
    data = json.loads(to_json(fixture_diff))
    assert diff_schema_errors(data) == []
    assert [(u["changes"], [r["eid"] for r in u["old"]], [r["eid"] for r in u["new"]]) for u in data["units"]] == \
        [(list(c), list(o), list(n)) for c, o, n in shape(fixture_diff)]
    thr = data["units"][2]["thresholds"][0]
    assert (thr["metric"], thr["old"]["source_text"], thr["new"]["source_text"]) == ("研发费用占营业收入比重", "3%以上",
                                                                                    "2.5%以上")
    assert data["units"][2]["text"][1] == {"op": "replace", "old": "3", "new": "2.5"}
    assert [m["field"] for m in data["metadata"]][0] == "doc_number"
    assert data["old"]["doc_number"] == "浙政办发〔2024〕21号" and data["new"]["doc_number"] == "浙政办发〔2025〕8号"


def test_text_ops_rebuild_both_texts(seed, fixture_diff):
    new = read_path(REVISION)
    for change in fixture_diff.units:
        if not change.text:  # unchanged text (renumbered only) has no ops
            assert change.changes == ["renumbered"]
            assert seed.unit(change.old[0].eid).text == new.unit(change.new[0].eid).text
            continue
        old_text, new_text = rebuild(change.text)
        if change.old:
            assert old_text == seed.unit(change.old[0].eid).text
        if change.new:
            assert new_text == new.unit(change.new[0].eid).text
    for passage in fixture_diff.passages:
        old_text, new_text = rebuild(passage.ops)
        if passage.part == "postamble":
            assert (old_text, new_text) == (seed.postamble, new.postamble)


def test_reverse_diff_mirrors(seed):
    back = diff(read_path(REVISION), seed)
    assert shape(back) == [
        (("added",), (), ("sec_1__para_3",)),
        (("renumbered",), ("sec_1__para_3",), ("sec_1__para_4",)),
        (("modified",), ("sec_2__para_1",), ("sec_2__para_1",)),
        (("modified",), ("sec_3__para_3",), ("sec_3__para_3",)),
        (("removed",), ("sec_5__para_2",), ()),
        (("renumbered", "modified"), ("sec_5__para_3",), ("sec_5__para_2",)),
        (("renumbered",), ("sec_5__para_4",), ("sec_5__para_3",)),
    ]


# --- identical versions ---------------------------------------------------------------------------------------

def test_identical_versions_give_an_empty_diff(seed):
    d = diff(seed, read_path(SEED))
    assert d.identical and d.units == [] and d.metadata == [] and d.passages == []
    assert d.summary.unchanged == 26
    data = json.loads(to_json(d))
    assert diff_schema_errors(data) == [] and data["units"] == [] and data["identical"] is True
    assert "没有变化" in to_text(d) and "没有变化" in to_markdown(d)


def test_differently_damaged_copies_of_one_text_are_identical(seed):
    """The clean copy differs in every byte-level detail (markup, punctuation width, page breaks), not in content."""
    d = diff(seed, read_path(ROOT / "tests" / "fixtures" / "zjzbf-2024-21-clean.txt"))
    assert d.identical, to_text(d)
    assert d.old.sha256 != d.new.sha256


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:2])
def test_every_corpus_document_is_identical_to_itself(path):
    d = diff(read_path(path), read_path(path))
    assert d.identical and d.summary.unchanged == len(list(read_path(path).units()))


# --- renumbering ----------------------------------------------------------------------------------------------

def test_removed_clause_renumbers_the_rest_of_its_section_only(seed):
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("(一)打造专精特新产业园。"), text.index("(二)加强财税政策扶持。")
    text = text[:start] + text[end:]
    for old, new_num in (("(二)加强财税", "(一)加强财税"), ("(三)加强人才", "(二)加强人才"), ("(四)加强企业", "(三)加强企业")):
        text = text.replace(old, new_num)
    new = read_bytes(text.encode("utf-8"), "revised.txt")
    assert shape(diff(seed, new)) == [
        (("removed",), ("sec_6__para_1",), ()),
        (("renumbered",), ("sec_6__para_2",), ("sec_6__para_1",)),
        (("renumbered",), ("sec_6__para_3",), ("sec_6__para_2",)),
        (("renumbered",), ("sec_6__para_4",), ("sec_6__para_3",)),
    ]


def test_removed_section_renumbers_later_sections_and_their_clauses(seed):
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("#### **四、助力拓展国内外市场**"), text.index("## 五、加大金融支持力度")
    text = text[:start] + text[end:].replace("## 五、加大金融", "## 四、加大金融").replace("## 六、强化", "## 五、强化")
    d = diff(seed, read_bytes(text.encode("utf-8"), "revised.txt"))
    removed = [c.old[0].eid for c in d.units if c.changes == ["removed"]]
    assert removed == ["sec_4", "sec_4__para_1", "sec_4__para_2"]
    renumbered = {c.old[0].eid: c.new[0].eid for c in d.units if c.changes == ["renumbered"]}
    assert renumbered == {"sec_5": "sec_4", "sec_5__para_1": "sec_4__para_1", "sec_5__para_2": "sec_4__para_2",
                          "sec_5__para_3": "sec_4__para_3", "sec_6": "sec_5", "sec_6__para_1": "sec_5__para_1",
                          "sec_6__para_2": "sec_5__para_2", "sec_6__para_3": "sec_5__para_3",
                          "sec_6__para_4": "sec_5__para_4"}
    assert d.summary.modified == 0 and d.summary.added == 0


def test_renamed_and_renumbered_section_is_matched_through_its_clauses(seed):
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("#### **四、助力拓展国内外市场**"), text.index("## 五、加大金融支持力度")
    text = text[:start] + text[end:].replace("## 五、加大金融支持力度", "## 四、完善多元化融资服务")
    text = text.replace("## 六、强化", "## 五、强化")
    d = diff(seed, read_bytes(text.encode("utf-8"), "revised.txt"))
    (section,) = [c for c in d.units if c.old and c.old[0].eid == "sec_5"]
    assert section.changes == ["renumbered", "modified"] and section.new[0].eid == "sec_4"
    assert (section.heading.old, section.heading.new) == ("加大金融支持力度", "完善多元化融资服务")


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones or not tens else "")


def test_law_article_removed_renumbers_every_later_article():
    """Articles of a law are numbered across chapters: removing 第九条 renumbers 第十条 … to the end."""
    law = CORPUS[0]
    old = read_path(law)
    text = law.read_text(encoding="utf-8")
    start = text.index("第九条 ")
    end = text.index("第十条 ")
    text = text[:start] + text[end:]
    last = max(int(u.eid.rsplit("_", 1)[1]) for u in old.units() if u.kind == "article")
    for n in range(10, last + 1):
        text = re.sub(rf"(?m)^第{_cn(n)}条 ", f"第{_cn(n - 1)}条 ", text)
    d = diff(old, read_bytes(text.encode("utf-8"), law.name))
    assert [c.old[0].eid for c in d.units if c.changes == ["removed"]] == ["chp_2__art_9"]
    renumbered = [c for c in d.units if c.changes == ["renumbered"]]
    assert len(renumbered) == last - 9
    assert all(int(c.old[0].eid.rsplit("_", 1)[1]) - 1 == int(c.new[0].eid.rsplit("_", 1)[1]) for c in renumbered)
    assert d.summary.modified == 0 and d.summary.added == 0


# --- splits and merges ----------------------------------------------------------------------------------------

SPLIT_EDITS = (
    ("按上年度研发费用或基础研究研发费用一定比例给予财政奖励。支持创新能力突出企业",
     "按上年度研发费用或基础研究研发费用一定比例给予财政奖励。(责任单位:省科技厅、省财政厅、省税务局)\n\n"
     "(二)支持参与科技创新体系建设。支持创新能力突出企业"),
    ("支持企业参与产业基础再造工程和产业链协同创新项目。(责任单位:省科技厅、省经信厅、省财政厅、省税务局)",
     "支持企业参与产业基础再造工程和产业链协同创新项目。(责任单位:省科技厅、省经信厅)"),
    ("(二)推进科技成果转化应用。", "(三)推进科技成果转化应用。"),
    ("(三)促进知识产权赋能增值。", "(四)促进知识产权赋能增值。"),
    ("(四)促进大中小企业融通发展。", "(五)促进大中小企业融通发展。"),
)


def test_clause_split_in_two(seed):
    d = diff(seed, edited(SEED, *SPLIT_EDITS))
    assert shape(d) == [
        (("split",), ("sec_2__para_1",), ("sec_2__para_1", "sec_2__para_2")),
        (("renumbered",), ("sec_2__para_2",), ("sec_2__para_3",)),
        (("renumbered",), ("sec_2__para_3",), ("sec_2__para_4",)),
        (("renumbered",), ("sec_2__para_4",), ("sec_2__para_5",)),
    ]
    split = d.units[0]
    assert [r.heading for r in split.new] == ["鼓励开展研发攻关", "支持参与科技创新体系建设"]
    assert split.similarity > 0.9
    # The thresholds all stay with the first part; none is reported as changed.
    assert split.thresholds == []
    data = json.loads(to_json(d))
    assert diff_schema_errors(data) == [] and data["summary"]["split"] == 1
    assert "拆分：二（一）鼓励开展研发攻关 [sec_2__para_1] → 二（一）鼓励开展研发攻关 [sec_2__para_1]＋" \
           "二（二）支持参与科技创新体系建设 [sec_2__para_2]" in to_text(d)


def test_two_clauses_merged_into_one(seed):
    d = diff(edited(SEED, *SPLIT_EDITS), seed)
    assert shape(d)[0] == (("merged",), ("sec_2__para_1", "sec_2__para_2"), ("sec_2__para_1",))
    assert d.summary.merged == 1 and d.summary.split == 0 and d.summary.added == 0 and d.summary.removed == 0
    assert diff_schema_errors(json.loads(to_json(d))) == []


def test_a_rewritten_clause_is_not_a_split(seed):
    """A new clause that only shares vocabulary with an old one is added, not a part of it."""
    d = diff(seed, read_path(REVISION))
    assert d.summary.split == 0 and d.summary.merged == 0


def test_markdown_escapes_document_text(seed):
    new = copy.deepcopy(seed)
    new.unit("sec_2__para_1").text = seed.unit("sec_2__para_1").text.replace("加大研发投入", "<script>x</script> *强调* [a](b)")
    md = to_markdown(diff(seed, new))
    assert "<script>" not in md and "<ins>&lt;script&gt;x&lt;/script&gt; \\*强调\\* \\[a\\](b)</ins>" in md


# --- pieces ---------------------------------------------------------------------------------------------------

def test_text_ops_keep_numbers_whole_and_fold_confetti():
    ops = text_ops("总规模不低于100亿元", "总规模不低于120亿元")
    assert [(o.op, o.old, o.new) for o in ops] == [("equal", "总规模不低于", "总规模不低于"), ("replace", "100", "120"),
                                                   ("equal", "亿元", "亿元")]
    assert text_ops("", "") == [] and [o.op for o in text_ops("一样", "一样")] == ["equal"]
    ops = text_ops("甲乙丙丁戊", "子乙丑丁寅")  # one shared character between changes is folded in
    assert [(o.op, o.old, o.new) for o in ops] == [("replace", "甲乙丙丁戊", "子乙丑丁寅")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="专精特新企业以上以下。，、（）0123456789.%ab\n", max_size=40),
       st.text(alphabet="专精特新企业以上以下。，、（）0123456789.%ab\n", max_size=40))
def test_text_ops_property_rebuild_and_shape(old, new):
    ops = text_ops(old, new)
    assert rebuild(ops) == (old, new)
    assert all((op.old or op.new) for op in ops)  # no empty piece
    assert all(not (a.op != "equal" and b.op != "equal") for a, b in zip(ops, ops[1:]))  # changes are joined
    assert all((op.op == "equal") == (op.old == op.new) for op in ops)


def _thr(metric, text, value):
    return Threshold(id=f"x__thr_{value}", metric=metric, comparator="≥", value=value, unit="%", source_text=text,
                     rule="civil_code_1259")


def test_threshold_changes_pair_by_metric_then_position():
    old = [_thr("甲", "3%以上", 3), _thr("乙", "20%以上", 20), _thr("丙", "5%以上", 5)]
    new = [_thr("乙", "20%以上", 20), _thr("甲", "2.5%以上", 2.5), _thr("丁", "6%以上", 6)]
    changes = [(c.change, c.metric, c.old and c.old.source_text, c.new and c.new.source_text)
               for c in threshold_changes(old, new)]
    # 甲 moved and changed: found by metric; 丙 -> 丁: nothing shares its metric, so paired by position.
    assert changes == [("modified", "甲", "3%以上", "2.5%以上"), ("modified", "丁", "5%以上", "6%以上")]
    assert [c.change for c in threshold_changes(old, [])] == ["removed"] * 3


def test_align_pairs_every_unit_once(seed):
    a = align(seed, read_path(REVISION))
    olds = [u for u, _ in a.pairs] + a.removed + [w for w, _ in a.splits] + [p for ps, _ in a.merges for p in ps]
    news = [v for _, v in a.pairs] + a.added + [p for _, ps in a.splits for p in ps] + [w for _, w in a.merges]
    assert sorted(u.eid for u in olds) == sorted(u.eid for u in seed.units())
    assert len(news) == len({id(v) for v in news}) == 26


@pytest.mark.parametrize("pair", [(0, 4), (1, 5), (2, 3)], ids=lambda p: f"{p[0]}-{p[1]}")
def test_unrelated_documents_diff_validates(pair):
    old, new = (read_path(CORPUS[k]) for k in pair)
    d = diff(old, new)
    assert diff_schema_errors(json.loads(to_json(d))) == []
    for change in d.units:
        old_text, new_text = rebuild(change.text)
        assert old_text == "\n".join(old.unit(r.eid).text for r in change.old)
        assert new_text == "\n".join(new.unit(r.eid).text for r in change.new)


def test_output_is_deterministic(seed):
    new = read_path(REVISION)
    assert to_json(diff(seed, new)) == to_json(diff(read_path(SEED), read_path(REVISION)))


# --- command line ---------------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_formats_and_json_input(tmp_path):
    result = run("diff", SEED, REVISION)
    assert result.exit_code == 0 and result.stdout == GOLDEN_TEXT.read_text(encoding="utf-8")
    result = run("diff", SEED, REVISION, "--format", "markdown")
    assert result.exit_code == 0 and result.stdout == GOLDEN_MARKDOWN.read_text(encoding="utf-8")
    doc_json = tmp_path / "old.json"
    assert run("parse", SEED, "-o", doc_json).exit_code == 0
    out = tmp_path / "diff.json"
    result = run("diff", doc_json, REVISION, "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert diff_schema_errors(data) == [] and data["summary"]["renumbered"] == 3


def test_cli_errors_name_the_file(tmp_path):
    result = run("diff", tmp_path / "missing.txt", REVISION)
    assert result.exit_code == 2 and "missing.txt: 错误: 文件不存在" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": ', encoding="utf-8")
    result = run("diff", bad, REVISION)
    assert result.exit_code == 2 and "bad.json:1:8: 错误: 不是有效的 JSON" in result.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"id": "x"}', encoding="utf-8")
    result = run("diff", wrong, REVISION)
    assert result.exit_code == 2 and "wrong.json: 错误: 不符合文件模型的 schema" in result.stderr
