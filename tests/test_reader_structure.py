"""Issue 11, part 1: documents that carry documents, 目录 and decimal numbering, run-in text, lists inside 条.

Ground truth from tests/fixtures/corpus/README.md (06, 23, 24, 25) and small fixtures of our own
(tests/fixtures/reader/): a 通知 carrying two documents, a run-in 办法, a 条 and a section with two lists.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from toolkit.check import check_path
from toolkit.reader import read_bytes, read_path
from toolkit.site import build_site
from toolkit.validate import schema_errors
from toolkit.validate import validate_akn
from toolkit.writers.akn import to_akn_string

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "fixtures" / "corpus"
FIXTURES = HERE / "fixtures" / "reader"


def corpus(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path


def kinds(units) -> Counter:
    return Counter(u.kind for u in units)


def shape(doc) -> list[tuple]:
    """The structure: eids, labels and headings in order."""
    return [(u.eid, u.num, u.heading) for u in doc.units()]


def words(unit) -> str:
    """Headings and text in reading order, without the breaks and the sentence stop a heading loses."""
    parts = [unit.heading or "", unit.text, *(words(c) for c in unit.children), unit.wrap_up]
    return "".join(parts).replace("\n", "").replace("。", "")


def reading(unit) -> str:
    """A unit's words in reading order (text, children, wrap-up), paragraph breaks ignored."""
    return "".join([unit.text, *(reading(c) for c in unit.children), unit.wrap_up]).replace("\n", "")


# --- class 1: documents that carry documents ---------------------------------------------------------------

def test_06_notice_carries_the_rules_its_title_names():
    d = read_path(corpus("06"))
    assert d.body == [] and d.preamble.startswith("为动员社会力量")
    assert d.metadata.issuers == ["重庆市粮食局", "重庆市财政局"] and d.metadata.signed_date == "2023-12-31"
    (rules,) = d.components
    assert rules.eid == "cmp_1" and rules.num is None
    assert rules.title == "重庆市政策性粮食购销违法违规行为举报奖励实施细则（试行）" and rules.doc_type == "实施细则"
    assert kinds(rules.units()) == Counter(article=15, paragraph=22)
    assert rules.source_lines == [9, 109]
    # 第四条 （五） is a short item sentence, not a heading.
    assert rules.body[3].children[-1].heading is None
    assert rules.body[3].children[-1].text == "其他依法依规应予奖励的必备条件。"
    # 第七条: the 款 after the list is the 条's, not （五）'s.
    art7 = d.unit("cmp_1__art_7")
    assert art7.wrap_up.startswith("对于同一举报涉及") and d.unit("cmp_1__art_7__para_5").text.endswith("按150000元奖励。")
    assert rules.effective_date == "2023-12-31"  # 自发布之日起施行
    assert [a.num for a in d.attachments] == ["附件1", "附件2", "附件3", "附件4"]


def test_23_notice_without_signature_carries_measures_with_preface_and_lists():
    d = read_path(corpus("23"))
    meta = d.metadata
    assert meta.doc_number == "甬政办发〔2007〕153号"
    assert meta.title == "宁波市人民政府办公厅关于印发2007宁波市商贸流通服务业评价与奖励办法的通知"
    assert d.closing.signature == [] and d.closing.date_text == "二○○七年八月七日" and meta.signed_date == "2007-08-07"
    assert meta.issuers == ["宁波市人民政府办公厅"]  # from the wrapper's title, never from the 办法's lines
    (measures,) = d.components
    assert measures.title == "2007年宁波市商贸流通服务业评价与奖励办法" and measures.doc_type == "办法"
    assert measures.preamble.startswith("为进一步贯彻落实") and measures.preamble.endswith("特制定本办法。")
    assert [(u.num, u.heading) for u in measures.body] == [
        ("一、", "评价对象"), ("二、", "奖项设置及评价内容"), ("三、", "评价原则"), ("四、", "评价程序")]
    assert [u.num for u in measures.body[1].children] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    points = [u for u in measures.units() if u.kind == "point"]
    assert [u.ordinal for u in points] == list(range(1, 18))  # 1.–17. straight through
    assert all(u.heading is None for u in points)  # 3.亿元以上…增长13%。（25分） is an item sentence
    # 上述奖项… speaks of the list: the parent's wrap-up, not item 17's text.
    assert points[-1].text == "推进可再生资源回收实事工程。（10分）"
    assert measures.body[1].children[3].wrap_up.startswith("上述奖项分别设金奖一名")
    assert measures.postamble == "本办法执行过程中的有关问题由市领导小组办公室负责解释。"
    assert [(a.num, a.title) for a in d.attachments] == [("附件", "2007年宁波市商贸流通服务业评价内容与评分标准")]


def test_24_notice_carries_interim_measures_in_chapters_and_articles():
    d = read_path(corpus("24"))
    assert d.metadata.doc_number == "国发〔2018〕41号" and d.metadata.issuers == ["国务院"]
    assert d.closing.signature == ["国务院"] and d.metadata.notes == ["此件公开发布"]
    (measures,) = d.components
    assert measures.title == "个人所得税专项附加扣除暂行办法" and measures.doc_type == "办法"
    units = list(measures.units())
    assert kinds(units) == Counter(chapter=9, article=32, paragraph=14)
    assert [u.heading for u in measures.body][:2] == ["总则", "子女教育"]
    assert measures.effective_date == "2019-01-01" and d.metadata.effective_date == "2019-01-01"
    art17 = d.unit("cmp_1__chp_6__art_17")
    assert [u.num for u in art17.children] == ["（一）", "（二）"]
    assert art17.wrap_up.split("\n") == ["纳税人的配偶在纳税人的主要工作城市有自有住房的，视同纳税人在主要工作城市有自有住房。",
                                         "市辖区户籍人口，以国家统计局公布的数据为准。"]
    assert len(d.unit("cmp_1__chp_8__art_26").children) == 10
    found = {(t.comparator, t.value, t.unit, t.source_text) for u in units for t in u.thresholds}
    assert (">", 15000, "CNY", "超过15000元") in found


def test_25_letter_carries_a_plan_with_a_toc_and_decimal_numbering():
    d = read_path(corpus("25"))
    assert d.metadata.doc_number == "国办函〔2005〕57号" and d.metadata.doc_type == "函"
    assert d.metadata.signed_date == "2005-06-11" and d.closing.signature == ["国务院办公厅"]
    (plan,) = d.components
    assert plan.title == "国家粮食应急预案" and plan.doc_type == "预案"
    # The 目录 is kept as lines (its own line, 7 top headings + 21 n.n), never as units.
    assert len(plan.toc) == 29 and plan.toc[:3] == ["目录", "1 总则", "1.1 编制目的及依据"] and plan.toc[-1] == "7 附则"
    assert [(u.num, u.heading) for u in plan.body] == [
        ("1", "总则"), ("2", "组织机构和职责"), ("3", "预警监测"), ("4", "应急响应"), ("5", "应急保障"),
        ("6", "后期处置"), ("7", "附则")]
    units = list(plan.units())
    depth = Counter(u.num.count(".") for u in units if re.fullmatch(r"[\d.]+", u.num))
    # README: n.n = 24 in the body; n.n.n = 20 counts only the lines with U+3000 after the number — 5.1.2 and
    # 5.1.3 (lines 128–129) have an ASCII space, and are units all the same.
    assert depth == Counter({0: 7, 1: 24, 2: 22})
    assert d.unit("cmp_1__sec_1__para_2__point_1").num == "1.2.1"
    items = [u for u in units if u.kind == "item"]
    assert len(items) == 49 and items[0].num == "（1）" and items[0].heading == "统一领导、分级负责"
    assert [u.num for u in d.unit("cmp_1__sec_7").children] == ["7.1", "7.2", "7.3"]
    assert plan.effective_date == "2005-06-11"  # 自印发之日起实施
    assert not [w for w in d.warnings if w.code.startswith("numbering")]
    four_hours = [(t.comparator, t.value) for u in units for t in u.thresholds if "最迟不超过4个小时" in u.text]
    assert ("≤", 4) in four_hours


@pytest.mark.parametrize("prefix", ["06", "23", "24", "25"])
def test_check_reports_no_error_on_the_carried_document_texts(prefix):
    report = check_path(corpus(prefix))
    assert report.errors == 0, report.lines()


def test_a_notice_carrying_two_documents_with_labels_addressees_preface_toc_and_signatures():
    d = read_path(FIXTURES / "carried-two.txt")
    meta = d.metadata
    assert meta.title == "某市人民政府办公室关于印发《某市科技创新券管理办法》和《某市科技企业孵化器认定办法》的通知"
    assert meta.issuers == ["某市人民政府办公室"] and meta.signed_date == "2024-03-05"
    assert meta.notes == ["此件公开发布"] and meta.printed_date == "2024-03-05" and meta.cc == ["市委办公室"]
    assert d.closing.imprint == ["抄送：市委办公室。", "某市人民政府办公室2024年3月5日印发"]  # the wrapper's 版记
    first, second = d.components
    assert (first.eid, first.num, first.title, first.doc_type) == ("cmp_1", "附件1", "某市科技创新券管理办法", "办法")
    assert kinds(first.units()) == Counter(chapter=2, article=4, paragraph=2)
    assert d.unit("cmp_1__chp_2__art_3").wrap_up == "符合前款条件的企业，每年可以申领一次。"
    assert first.effective_date == "2024-04-01" and first.closing.signature == []
    assert (second.num, second.title, second.addressees) == ("附件2", "某市科技企业孵化器认定办法", ["各区科技主管部门"])
    assert second.preamble == "为规范孵化器认定工作，特制定以下规定："
    assert second.toc == ["目录", "一、认定条件", "二、认定程序"]
    assert [u.eid for u in second.body] == ["cmp_2__sec_1", "cmp_2__sec_2"]
    assert second.closing.signature == ["某市科学技术局"] and second.signed_date == "2024-03-01"
    assert first.source_lines == [11, 24] and second.source_lines[0] == 26
    assert schema_errors(d.to_dict()) == []
    assert d.to_dict()["components"][1]["closing"]["date_text"] == "2024年3月1日"


def test_an_announcement_carries_a_regulation_with_its_adoption_line():
    d = read_path(FIXTURES / "announcement-regulation.txt")
    assert d.metadata.doc_type == "公告" and d.metadata.issuers == ["某省人民代表大会常务委员会"]
    (regulation,) = d.components
    assert (regulation.title, regulation.doc_type) == ("某省促进中小企业发展条例", "条例")
    assert [u.eid for u in regulation.body] == ["cmp_1__chp_1", "cmp_1__chp_2"]
    assert regulation.effective_date == "2024-06-01" and regulation.source_lines == [5, 11]
    assert [(e.date, e.description) for e in regulation.events] == [
        ("2024-03-28", "某省第十四届人民代表大会常务委员会第五次会议通过")]


def test_a_forwarding_notice_carries_a_notice_with_its_own_number_addressees_and_signature():
    d = read_path(FIXTURES / "forwarded-notice.txt")
    assert d.metadata.doc_number == "某政办发〔2024〕9号" and d.metadata.issuers == ["某市人民政府办公室"]
    (carried,) = d.components
    assert (carried.title, carried.doc_type, carried.doc_number) == (
        "某市财政局关于加强专项资金管理的通知", "通知", "某财发〔2024〕21号")
    assert carried.addressees == ["各区财政局", "市级各部门"]
    assert carried.preamble == "为加强专项资金管理，现将有关事项通知如下："
    assert [u.heading for u in carried.body] == ["严格预算编制", "加强绩效评价"]
    assert carried.closing.signature == ["某市财政局"] and carried.signed_date == "2024-04-20"
    assert d.closing.signature == ["某市人民政府办公室"] and d.metadata.signed_date == "2024-05-06"


def test_a_line_with_a_number_or_about_is_never_a_signer():
    text = "某局关于某事的通知\n各单位：\n现将有关事项通知如下。\n某局\n2024年1月2日\n一、总体要求\n关于某事的说明\n".encode()
    d = read_bytes(text, "x.txt")
    assert d.metadata.issuers == ["某局"]


# --- class 2: run-in text -----------------------------------------------------------------------------------

@pytest.mark.parametrize("flatten", ["carried", "everything"])
def test_24_with_its_line_breaks_lost_reads_to_the_same_structure(flatten):
    original = read_path(corpus("24"))
    lines = corpus("24").read_text(encoding="utf-8").split("\n")
    if flatten == "carried":  # the 办法 on one line, the 通知 as it was
        text = "\n".join(lines[:10]) + "\n" + "".join(lines[10:]) + "\n"
    else:  # the whole file on one line: header, 主送, signature, date, 附注, title, 办法
        text = "".join(lines) + "\n"
    flat = read_bytes(text.encode("utf-8"), "24-flat.txt")
    assert shape(flat) == shape(original)
    assert [reading(u) for u in flat.top_units()] == [reading(u) for u in original.top_units()]  # every word, in order
    # A 款 after a list that speaks of it (上述…) is the 条's again; one that does not (第十七条: 纳税人的配偶…) cannot
    # be told from the last item's own sentences once the line break is gone.
    assert flat.unit("cmp_1__chp_8__art_26").wrap_up.startswith("上述数据信息")
    assert [c.title for c in flat.components] == ["个人所得税专项附加扣除暂行办法"]
    assert flat.components[0].effective_date == "2019-01-01"
    for field in ("title", "doc_number", "issuers", "signed_date", "notes", "addressees"):
        assert getattr(flat.metadata, field) == getattr(original.metadata, field), field
    cuts = [r for r in flat.provenance.repairs if r.kind == "run_in_split"]
    assert cuts and all(r.lines == [11 if flatten == "carried" else 1] * 2 for r in cuts)
    assert schema_errors(flat.to_dict()) == []


def test_a_run_in_measures_text_gets_chapters_articles_items_signature_and_date():
    d = read_path(FIXTURES / "runin.txt")
    assert kinds(d.units()) == Counter(chapter=3, article=5, paragraph=3)
    assert [u.heading for u in d.body] == ["总则", "奖励条件", "附则"]
    assert [u.text for u in d.unit("chp_2__art_3").children] == [
        "年销售收入在500万元以上；", "带动农户不少于100户；", "近三年未发生重大安全事故。"]
    # 「依照本办法第三条规定」 is a reference, not a new article.
    assert d.unit("chp_2__art_4").text.endswith("依照本办法第三条规定不符合条件的，不予奖励。")
    assert d.closing.signature == ["某县人民政府"] and d.metadata.signed_date == "2023-12-20"
    assert d.metadata.effective_date == "2024-01-01"
    assert not [w for w in d.warnings if w.code.startswith("numbering")]


@pytest.mark.parametrize("prefix", ["11", "13", "18", "22"])
def test_gongwen_with_their_line_breaks_lost_keep_sections_clauses_and_items(prefix):
    """一、 （一） 1. run into the text: the title block stays (4 lines), everything after it on one line."""
    original = read_path(corpus(prefix))
    lines = corpus(prefix).read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:4]) + "\n" + "".join(line.strip("\u3000 ") for line in lines[4:]) + "\n"
    flat = read_bytes(text.encode("utf-8"), "flat.txt")
    assert [(u.eid, u.num) for u in flat.units()] == [(u.eid, u.num) for u in original.units()]
    # Every word in place; a heading alone on its line (一、明确工作职责) runs into its text once the break is gone.
    assert [words(u) for u in flat.top_units()] == [words(u) for u in original.top_units()]


def test_23_measures_run_into_one_line_after_the_notice_date():
    """The 办法's title runs into its preface (…奖励办法为进一步…): cut after the title's 文种."""
    original = read_path(corpus("23"))
    lines = corpus("23").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:8] + ["".join(line.strip("\u3000 ") for line in lines[8:49])] + lines[49:])
    flat = read_bytes(text.encode("utf-8"), "flat.txt")
    assert [c.title for c in flat.components] == [c.title for c in original.components]
    assert flat.components[0].preamble == original.components[0].preamble
    assert [(u.eid, u.num) for u in flat.units()] == [(u.eid, u.num) for u in original.units()]


def test_ordinary_texts_are_not_cut():
    for path in sorted(CORPUS.glob("*.txt")):
        assert not [r for r in read_path(path).provenance.repairs if r.kind == "run_in_split"], path.name


# --- class 3: lists inside 条 and 款 ---------------------------------------------------------------------------

def test_two_lists_in_one_section_short_items_and_a_closing_remark():
    d = read_path(FIXTURES / "two-lists.txt")
    first = d.unit("sec_1")
    assert [u.num for u in first.children] == ["（一）", "（二）", "（一）", "（二）"]
    # The 款 between the lists opens the second one: it stands before its （一）, not after both lists.
    assert first.wrap_up == "" and first.children[2].lead_in == "有下列情形之一的，不予补贴："
    assert [u.eid for u in first.children] == ["sec_1__para_1", "sec_1__para_2", "sec_1__para_1-2", "sec_1__para_2-2"]
    xml = to_akn_string(d)
    assert '<hcontainer eId="sec_1__para_1-2__hcontainer_1" name="leadIn">' in xml
    assert xml.index("有下列情形之一的") < xml.index("弄虚作假骗取补贴的")
    assert not [w for w in d.warnings if w.code.startswith("numbering")]
    assert check_path(FIXTURES / "two-lists.txt").errors == 0
    second = d.unit("sec_2")
    assert [(u.heading, u.text) for u in second.children] == [(None, "岗位补贴申请表。"), (None, "营业执照复印件。")]
    assert second.wrap_up == "申请材料应当真实、完整。"
    # 特此通知。 closes the notice: not part of 三、.
    assert d.unit("sec_3").text.endswith("完成审核。") and d.postamble == "特此通知。"


def test_a_clause_title_alone_still_heads_the_text_that_follows():
    text = "某某意见\n一、总体要求\n（一）指导思想。\n以某某为指导，推进工作。\n（二）基本原则。\n坚持问题导向。\n".encode()
    d = read_bytes(text, "x.txt")
    assert [(u.heading, u.text) for u in d.unit("sec_1").children] == [
        ("指导思想", "以某某为指导，推进工作。"), ("基本原则", "坚持问题导向。")]


# --- every form of output carries the carried documents ----------------------------------------------------------

@pytest.mark.parametrize("path", [corpus("24"), corpus("25"), *sorted(FIXTURES.glob("*.txt"))],
                         ids=lambda p: p.stem[:12])
def test_fixtures_validate_as_json_and_akoma_ntoso(path):
    d = read_path(path)
    assert schema_errors(d.to_dict()) == []
    validate_akn(to_akn_string(d), path.name)
    eids = [u.eid for u in d.units()]
    assert len(eids) == len(set(eids))


def test_the_document_page_shows_the_carried_documents_with_their_toc_units_and_lead_ins(tmp_path):
    docs = [read_path(corpus("25")), read_path(FIXTURES / "carried-two.txt"), read_path(FIXTURES / "two-lists.txt")]
    resources = []
    for d in docs:
        data = json.dumps(d.to_dict(), ensure_ascii=False).encode()
        resources.append({"name": d.id, "path": f"{d.id}/{d.id}.json", "format": "json", "bytes": len(data),
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "document": d.id})
    build_site(docs, {"resources": resources}, tmp_path / "site", quiet=True)
    for d in docs:
        html = lxml.html.fromstring((tmp_path / "site" / d.id / "index.html").read_bytes())
        for unit in d.units():
            assert len(html.xpath(f'//*[@id="{unit.eid}"]')) == 1, (d.id, unit.eid)
        for component in d.components:
            (heading,) = html.xpath(f'//*[@id="{component.eid}"]')
            assert component.title in heading.text_content()
        text = html.xpath('//div[@id="text"]')[0].text_content()
        if d.components and d.components[0].toc:
            assert "目录" in text and text.index("1.1 编制目的及依据") < text.index("为了有效监测和控制")
        if "不予补贴" in text:  # two-lists.txt: the 款 that opens the second list stands between the lists
            assert text.index("按时足额缴纳社会保险费") < text.index("有下列情形之一的") < text.index("弄虚作假")


@pytest.mark.parametrize("remark", ["特此公告。", "以上意见，请结合实际认真贯彻执行。", "请各区结合实际认真贯彻落实。"])
def test_a_closing_remark_after_the_last_clause_is_not_part_of_it(remark):
    text = f"某某办法\n第一条　为了某事，制定本办法。\n第二条　本办法自2024年1月1日起施行。\n{remark}\n某局\n2024年1月2日\n"
    d = read_bytes(text.encode(), "x.txt")
    assert d.unit("art_2").text == "本办法自2024年1月1日起施行。" and d.postamble == remark


def test_decimal_numbers_need_a_space_or_to_be_the_number_expected_next():
    text = "某某预案\n1　总则\n5　年内完成。\n1.1　目的\n1.5倍以上的，按规定处理。\n1.2　依据\n2　附则\n".encode()
    d = read_bytes(text, "x.txt")
    assert [(u.num, u.heading) for u in d.units()] == [("1", "总则"), ("1.1", "目的"), ("1.2", "依据"), ("2", "附则")]
    assert d.unit("sec_1").text == "5　年内完成。".replace("　", "")
    assert d.unit("sec_1__para_1").text == "1.5倍以上的，按规定处理。"


def test_two_carried_documents_without_labels_or_signatures_split_at_the_titles_the_notice_names():
    d = read_path(FIXTURES / "carried-two-unlabelled.txt")
    assert [(c.eid, c.title, c.source_lines) for c in d.components] == [
        ("cmp_1", "某省专项资金管理办法", [7, 9]), ("cmp_2", "某省专项资金绩效评价办法", [10, 13])]
    assert [u.eid for u in d.units()] == [
        "cmp_1__art_1", "cmp_1__art_2", "cmp_2__art_1", "cmp_2__art_2", "cmp_2__art_3"]
    assert not [w for w in d.warnings if w.code.startswith("numbering")]


def test_06_rules_run_into_one_line_after_the_notice_date():
    original = read_path(corpus("06"))
    lines = corpus("06").read_text(encoding="utf-8").split("\n")
    flat = read_bytes("\n".join(lines[:8] + ["".join(lines[8:51])] + lines[51:]).encode("utf-8"), "flat.txt")
    assert [c.title for c in flat.components] == ["重庆市政策性粮食购销违法违规行为举报奖励实施细则（试行）"]
    assert [(u.eid, u.num) for u in flat.units()] == [(u.eid, u.num) for u in original.units()]
    assert [a.num for a in flat.attachments] == ["附件1", "附件2", "附件3", "附件4"]


def test_a_plan_with_a_toc_and_decimal_numbering_nests_1_11_121_and_items():
    d = read_path(FIXTURES / "plan-decimal.txt")
    assert d.metadata.title == "某县突发事件应急预案" and d.components == []
    assert d.toc == ["目录", "1 总则", "1.1 编制目的", "1.2 适用范围", "2 应急响应", "3 附则"]
    assert [(u.eid, u.num, u.heading) for u in d.units()] == [
        ("sec_1", "1", "总则"), ("sec_1__para_1", "1.1", "编制目的"), ("sec_1__para_2", "1.2", "适用范围"),
        ("sec_1__para_2__point_1", "1.2.1", None), ("sec_1__para_2__point_2", "1.2.2", None),
        ("sec_2", "2", "应急响应"), ("sec_2__para_1", "2.1", "响应程序"), ("sec_2__para_1__item_1", "（1）", "接报"),
        ("sec_2__para_1__item_2", "（2）", "处置"), ("sec_2__para_2", "2.2", "响应终止"), ("sec_3", "3", "附则")]
    assert d.postamble == "本预案自印发之日起实施。" and d.metadata.effective_date == "2024-03-01"
    assert not [w for w in d.warnings if w.code.startswith("numbering")]
    assert check_path(FIXTURES / "plan-decimal.txt").errors == 0
