"""The same reader on six real documents of the genre (tests/fixtures/corpus, see its README)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from toolkit.reader import read_path
from toolkit.validate import schema_errors
from corpus_files import EVERY

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
FILES = EVERY


def doc(prefix: str):
    (path,) = [p for p in FILES if p.name.startswith(prefix)]
    return read_path(path)


def kinds(d) -> Counter:
    return Counter(u.kind for u in d.units())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:2])
def test_every_corpus_document_parses_and_validates(path):
    d = read_path(path)
    # A short 通知 may have no numbered units at all (26): then its text is the preamble, and a warning says so.
    assert list(d.units()) or (d.preamble and any(w.code == "no-units" and "导语" in w.message for w in d.warnings)), "no units"
    assert schema_errors(d.to_dict()) == []
    eids = [u.eid for u in d.units()]
    assert len(eids) == len(set(eids)), "eids must be unique"
    assert not [w for w in d.warnings if w.severity == "error"]


def test_01_law_chapters_articles_and_dates():
    d = doc("01")
    assert d.metadata.title == "中华人民共和国中小企业促进法"
    assert kinds(d) == Counter(chapter=10, article=61)
    assert [u.heading for u in d.body][:2] == ["总则", "财税支持"]
    assert d.body[0].children[0].eid == "chp_1__art_1"
    assert d.body[-1].children[-1].num == "第六十一条"
    assert d.metadata.effective_date == "2018-01-01"
    assert [e.date for e in d.metadata.events] == ["2002-06-29", "2017-09-01"]
    assert d.metadata.signed_date == "2017-09-01"
    assert d.metadata.doc_type == "法" and d.metadata.jurisdiction == "cn"
    found = [(t.comparator, t.value, t.unit, t.source_text) for u in d.units() for t in u.thresholds]
    assert (("≥", 30, "%", "百分之三十以上") in found) and (("≥", 60, "%", "不低于百分之六十") in found)


def test_04_split_title_item_counts_and_attachment_line():
    d = doc("04")
    assert d.metadata.title == "国务院办公厅关于复制推广营商环境创新试点改革举措的通知"
    assert d.metadata.doc_number == "国办发〔2022〕35号" and d.id == "gbf-2022-35"
    assert d.metadata.addressees == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert kinds(d) == Counter(section=2, paragraph=12)
    assert d.unit("sec_1__para_1").heading == "进一步破除区域分割和地方保护等不合理限制（4项）"
    assert d.metadata.attachment_list == ["首批在全国复制推广的营商环境创新试点改革举措清单"]
    assert d.metadata.signed_date is None and d.closing.signature == []


def test_06_joint_issuers_transmitted_rules_attachments_and_own_comparator_rule():
    d = doc("06")
    meta = d.metadata
    assert meta.issuers == ["重庆市粮食局", "重庆市财政局"]
    assert meta.title == "重庆市粮食局 重庆市财政局关于印发《重庆市政策性粮食购销违法违规行为举报奖励实施细则（试行）》的通知"
    assert meta.doc_number == "渝粮规范〔2023〕2号" and meta.signed_date == "2023-12-31"
    assert meta.enclosed_title == "重庆市政策性粮食购销违法违规行为举报奖励实施细则（试行）"
    # The 细则 is a carried document (a component), not the 通知's own body.
    (rules,) = d.components
    assert d.body == [] and rules.title == meta.enclosed_title and rules.doc_type == "实施细则"
    assert [u.num for u in rules.body] == [f"第{n}条" for n in "一二三四五六七八九十"] + [
        "第十一条", "第十二条", "第十三条", "第十四条", "第十五条"]
    assert len(meta.attachment_list) == 4 and [a.num for a in d.attachments] == ["附件1", "附件2", "附件3", "附件4"]
    assert d.attachments[0].title == "重庆市政策性粮食购销违法违规行为举报奖励审批表"
    # 第十四条: “以上”包含本数，“以下”不包含本数 — the document's rule beats the civil code for 以下.
    assert d.comparator_rules == {"以上": "≥", "以下": "<"}
    first = d.unit("cmp_1__art_7__para_1").thresholds
    assert [(t.kind, t.comparator, t.value, t.rule) for t in first] == [
        ("condition", "<", 150_000, "document"), ("benefit", "=", 1500, "wording")]
    assert first[1].unlocked_by == first[0].id  # the band is the if-part of the 1500元
    second = d.unit("cmp_1__art_7__para_2")
    assert [(t.comparator, t.value) for t in second.thresholds] == [("≥", 150_000), ("<", 500_000), ("=", 1)]
    band = second.condition_groups[0]
    assert band.logic == "all" and band.items == [t.id for t in second.thresholds[:2]]
    assert second.thresholds[2].unlocked_by == band.id and second.thresholds[2].group is None
    assert d.unit("cmp_1__art_7__para_5").thresholds[0].source_text == "500万元以上"


def test_07_items_numbered_straight_through_with_lead_units():
    d = doc("07")
    assert d.metadata.title == "关于推进人才集聚工程的实施意见"
    points = [u for u in d.units() if u.kind == "point"]
    assert [u.ordinal for u in points] == list(range(1, 46))
    assert d.body[0].children[0].eid == "sec_1__point_1"  # 一、 straight to 1.
    assert d.unit("sec_2__para_1__point_2").heading == "战略性主导产业紧缺人才开发项目"
    assert points[10].num == "11." and points[10].heading == "121人才梯队项目"
    assert not [w for w in d.warnings if w.code.startswith("numbering")]
    resp = d.unit("sec_2__para_1__point_2").responsibilities
    assert [(r.department, r.role) for r in resp] == [
        ("市发展改革委", "lead"), ("市委组织部", "participant"), ("市人力资源和社会保障局", "participant"),
        ("各区、县级市", "participant")]
    leads = {u.num: [r.department for r in u.responsibilities if r.role == "lead"] for u in points}
    assert leads["3."] == ["市委组织部"] and leads["45."] == ["市委组织部"]
    assert sum(1 for names in leads.values() if names) >= 40
    found = {(t.comparator, t.value, t.unit) for u in d.units() for t in u.thresholds}
    assert {("≥", 10, "名"), ("≥", 500, "家"), ("≤", 35, "岁")} <= found


def test_11_clause_titles_alone_or_inline_and_empty_section():
    d = doc("11")
    assert d.metadata.title == "国务院办公厅关于推进政务新媒体健康有序发展的意见"
    assert d.unit("sec_1__para_1").heading == "指导思想"
    assert d.unit("sec_1__para_1").text.startswith("以习近平新时代中国特色社会主义思想为指导")
    assert d.unit("sec_1__para_3__point_1").heading == "坚持正确导向"
    empty = d.unit("sec_2")
    assert empty.heading == "明确工作职责" and empty.children == [] and empty.text.startswith("本意见所称政务新媒体")
    assert d.metadata.notes == ["此件公开发布"] and d.metadata.signed_date == "2018-12-07"
    assert d.postamble == ""


def test_13_three_line_title_joint_issuers_chinese_date():
    d = doc("13")
    assert d.metadata.title == "国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知"
    assert d.metadata.issuers == ["国务院办公厅", "中央军委办公厅"]
    assert d.metadata.signed_date == "1996-06-29"
    assert kinds(d) == Counter(section=3)
    assert all(u.heading is None for u in d.body)
    assert d.unit("sec_2").text.endswith("上述调查取证工作中的情况，要及时上报。")
    assert len(d.metadata.addressees) == 2 and d.metadata.addressees[1].endswith("广州军区")
