"""Crawled copies (issue 11, classes 4 and 5) and the no-silent-loss invariant.

Dev-corpus texts 20, 21, 22, 26, 27, 28 (ground truth in tests/fixtures/corpus/README.md) and small fixtures of
our own in tests/fixtures/reader/: a saved web page with furniture and a metadata table, a PDF-spaced 办法, and
measures without numbers.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from corpus_files import EVERY
from toolkit.check import check_path
from toolkit.reader import read_bytes, read_path
from toolkit.readers.accounting import unplaced_lines
from toolkit.readers.decode import decode
from toolkit.validate import schema_errors
from toolkit.validate import validate_akn
from toolkit.writers.akn import to_akn_string

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "tests" / "fixtures" / "reader"
SEED = ROOT / "source" / "zjzbf-2024-21.txt"


def corpus(prefix: str):
    (path,) = [p for p in EVERY if p.name.startswith(prefix)]
    return read_path(path)


def kinds(doc) -> Counter:
    return Counter(u.kind for u in doc.units())


def repairs(doc, kind: str) -> list:
    return [r for r in doc.provenance.repairs if r.kind == kind]


def akn_units(doc) -> None:
    """The Akoma Ntoso is valid and carries every unit of the JSON."""
    xml = to_akn_string(doc)
    validate_akn(xml, name=doc.id)
    for unit in doc.units():
        assert f'eId="{unit.eid}"' in xml


# --- the dev corpus ----------------------------------------------------------------------------------------

def test_26_full_web_page():
    d = corpus("26")
    md = d.metadata
    assert md.title == "丽水市人民政府关于下达2023年市区符合政府安排工作条件退役士兵和退出消防员安置任务的通知"
    assert md.doc_number == "丽政发〔2023〕30号" and d.id == "lzf-2023-30"  # from the metadata table
    assert md.index_number == "113325000026455663/2023-43887"
    assert (md.publisher, md.classification, md.disclosure) == ("市政府", "市政府文件", "主动公开")
    assert md.published_date == "2023-10-23"  # the page's 发布时间 line
    assert md.signed_date == "2023-10-16" and md.issuers == ["丽水市人民政府"]
    assert md.addressees == ["莲都区人民政府", "市直各单位"]
    assert md.notes == ["此件公开发布"]
    assert md.attachment_list == ["2023年市区符合政府安排工作条件退役士兵和退出消防员安置任务"]
    assert "20名" in d.preamble and "29个岗位" in d.preamble
    (attachment,) = d.attachments
    assert attachment.title == "2023年市区符合政府安排工作条件退役士兵和退出消防员安置任务"
    rows = attachment.text.split("\n")
    assert rows[:6] == ["序号", "安置单位名称", "安置", "任务", "岗位", "类别"]
    assert rows[-2:] == ["合计", "29"] and "29" in rows and "浙江京安爆破工程有限公司" in rows
    furniture = {n for r in repairs(d, "page_furniture_removed") for n in r.lines}
    assert furniture == {1, 2, 3, 4, 5, 6, 7, 8, 159, 160, 161}
    assert {n for r in repairs(d, "page_metadata_read") for n in r.lines} == set(range(9, 21)) | {22}
    assert not d.body and [w.code for w in d.warnings] == ["no-units"]  # one paragraph: nothing is numbered


def test_27_crawler_markers_two_issuers_tables_as_attachment_lines():
    d = corpus("27")
    md = d.metadata
    assert md.doc_number == "浙价费〔2007〕136号"  # in brackets on its own line
    assert md.issuers == ["浙江省物价局", "浙江省财政厅"]
    assert md.signed_date == "2007-05-08" and d.closing.date_text == "二○○七年五月八日"
    assert md.effective_date == "2007-06-01"
    assert [u.num for u in d.body] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert kinds(d) == Counter(section=7, paragraph=9)
    assert [r.lines for r in repairs(d, "crawler_marker_removed")] == [[8], [10], [12], [14], [28], [36], [38]]
    assert [a.num for a in d.attachments] == ["附件1", "附件2"]
    assert md.attachment_list == ["浙江省城市道路占道收费项目和标准", "浙江省城市道路挖掘修复费收费标准"]
    first, second = d.attachments
    assert first.text.split("\n")[:4] == ["单位：元/天·平方米", "收费项目", "收费标准", "主干道"]
    assert "说明：1、不足1平方米的按1平方米计收。" in first.text.split("\n")
    assert "3、挖掘平、侧石长度不足1米的按1米计收。" in second.text.split("\n")
    assert not [w for w in d.warnings if w.code == "unexpected-closing-text"]


def test_28_bare_markdown_number_and_repeal_by_number():
    d = corpus("28")
    assert d.metadata.doc_number == "劳社部发〔2008〕3号"
    assert [u.num for u in d.body] == ["一、", "二、", "三、"]
    third = d.body[2]
    assert third.heading is None and third.text.endswith("同时废止。")
    assert [(r.doc_number, r.title) for r in d.metadata.repeals] == [
        ("劳社部发〔2000〕8号", "关于职工全年月平均工作时间和工资折算问题的通知")]
    assert [r.lines for r in repairs(d, "number_mark_added")] == [[31]]
    first, second = d.body[0].text, d.body[1].text
    assert all(fact in first for fact in ("＝250天", "62.5天/季", "20.83天/月", "11天（法定节假日）"))
    assert "21.75天" in second and "11天法定节假日" in second


def test_20_body_only_copy():
    d = corpus("20")
    assert d.metadata.addressees == ["各区、县人民政府", "市政府各委、办、局", "临港地区管委会"]
    assert kinds(d) == Counter(section=6, paragraph=17)
    assert [u.ordinal for u in d.units() if u.kind == "paragraph"] == list(range(1, 18))
    assert d.preamble.startswith("“十三五”期间")
    assert not d.unit("sec_4__para_11").text.endswith("\u3000")  # the trailing U+3000 goes
    assert (d.metadata.title, d.metadata.doc_number, d.metadata.signed_date) == (None, None, None)


def test_21_measures_without_numbers():
    d = corpus("21")
    assert kinds(d) == Counter(paragraph=10)
    assert [u.eid for u in d.body] == [f"para_{i}" for i in range(1, 11)]
    assert all(u.num == "" for u in d.body)
    assert d.body[0].heading == "设立智能制造产业引导基金"
    assert d.body[1].heading == "支持智能制造功能平台建设" and d.body[1].text.startswith("鼓励境内外")
    assert d.body[4].heading == "支持智能制造装备首台突破、示范应用和系统集成"
    # README: paragraphs = 12 (preamble + 10 measures + closing)
    assert len([p for p in (d.preamble, d.postamble) if p]) + len(d.body) == 12
    assert d.postamble.startswith("本规定实行年限为2016至2020年")
    assert [w.code for w in d.warnings] == ["no-title"]  # true of this copy: the title was not in the body
    akn_units(d)


def test_22_body_without_title():
    d = corpus("22")
    assert kinds(d) == Counter(section=5, paragraph=11, point=4)
    assert [u.num for u in d.unit("sec_2__para_1").children] == ["1.", "2.", "3.", "4."]
    assert d.metadata.repeals == []  # 以前出台的…政策同时废止 names no document


@pytest.mark.parametrize("prefix", ["20", "21", "22", "26", "27", "28"])
def test_crawled_corpus_validates_and_check_reports_no_false_error(prefix):
    (path,) = [p for p in EVERY if p.name.startswith(prefix)]
    d = read_path(path)
    assert schema_errors(d.to_dict()) == []
    akn_units(d)
    codes = {f.code for f in check_path(path).findings if f.severity == "error"}
    # What is left is true of the copy: 20 has no title, 字号 or date; 21 and 22 no title; 28 no date.
    assert codes <= {"missing-title", "missing-doc-number", "missing-signed-date"}


# --- fixtures of our own -------------------------------------------------------------------------------------

def test_saved_web_page_fixture():
    d = read_path(READER / "webpage-notice.txt")
    md = d.metadata
    assert md.title == "青田县人民政府办公室关于印发青田县促进农村电子商务发展若干措施的通知"
    assert md.index_number == "002671842/2024-00123"  # 索引号：value on the same line
    assert md.doc_number == "青政办发〔2024〕12号"  # label alone, value on the next line
    assert md.published_date == "2024-03-08" and md.signed_date == "2024-03-05"
    assert md.publisher == "青田县人民政府办公室" and md.disclosure == "主动公开"
    assert md.classification is None  # 主题分类： with an empty cell
    assert [u.num for u in d.body] == ["一、", "二、", "三、"]
    assert "500万元以上" in d.body[1].text and "1%给予奖励" in d.body[1].text
    assert [(r.doc_number, r.title) for r in md.repeals] == [
        ("青政办发〔2019〕8号", "青田县人民政府办公室关于加快电子商务发展的意见"),
        (None, "青田县电子商务专项资金管理办法")]
    removed = {n for r in repairs(d, "page_furniture_removed") for n in r.lines}
    assert removed == {1, 2, 3, 4, 17, 27, 28, 29, 30, 31}
    assert d.closing.signature == ["青田县人民政府办公室"] and md.notes == ["此件公开发布"]
    assert not d.warnings
    akn_units(d)


def test_govcn_style_page_two_pairs_a_line_and_padded_labels():
    d = read_path(READER / "govcn-page.txt")
    md = d.metadata
    assert md.title == "国务院办公厅关于进一步优化县域营商环境的意见"  # the page title with _site suffix went
    assert (md.index_number, md.classification) == ("000014349/2025-00031", "综合政务\\其他")
    assert (md.publisher, md.published_date, md.signed_date) == ("国务院办公厅", "2025-02-14", "2025-02-10")
    assert md.doc_number == "国办发〔2025〕4号" and [u.num for u in d.body] == ["一、", "二、", "三、"]
    assert [r.lines for r in repairs(d, "page_metadata_read")] == [[3], [4], [5], [6]]
    assert {n for r in repairs(d, "page_furniture_removed") for n in r.lines} == {1, 2, 17, 18}
    assert not d.warnings


def test_body_only_copy_takes_title_number_and_date_from_the_page_table():
    text = ("标　　题：某市人民政府关于某事的意见\n发文字号：某政发〔2024〕9号\t成文日期：2024年05月06日\n"
            "各区人民政府：\n一、做好某事。\n二、做好另一件事。\n")
    d = read_bytes(text.encode(), "x.txt")
    md = d.metadata
    assert (md.title, md.doc_number, md.signed_date) == ("某市人民政府关于某事的意见", "某政发〔2024〕9号", "2024-05-06")
    assert md.doc_type == "意见" and md.issuers == ["某市人民政府"] and d.id == "mzf-2024-9"


def test_page_metadata_that_disagrees_with_the_text_is_a_warning():
    text = ("索引号\n0001/2024-1\n文号\n某政发〔2024〕3号\n成文日期\n2024-01-02\n"
            "某市人民政府关于某事的通知\n某政发〔2024〕5号\n各区人民政府：\n一、做好某事。\n某市人民政府\n2024年1月3日\n")
    d = read_bytes(text.encode(), "page.txt")
    assert d.metadata.doc_number == "某政发〔2024〕5号" and d.metadata.signed_date == "2024-01-03"
    conflicts = [w for w in d.warnings if w.code == "page-metadata-conflict"]
    assert [w.line for w in conflicts] == [4, 6]


def test_a_lone_label_word_in_a_text_is_not_a_metadata_table():
    text = "某市人民政府关于某事的通知\n各区人民政府：\n一、下列事项写明文号\n文号\n二、其他事项。\n"
    d = read_bytes(text.encode(), "x.txt")
    assert d.metadata.index_number is None and not repairs(d, "page_metadata_read")
    assert "文号" in d.body[0].text


def test_pdf_spaced_fixture():
    d = read_path(READER / "pdf-spaced-rules.txt")
    assert d.metadata.title == "永嘉县科技创新券管理办法"
    assert [u.heading for u in d.body] == ["总则", "使用与兑付"]
    articles = [u for u in d.units() if u.kind == "article"]
    assert [u.ordinal for u in articles] == list(range(1, 11)) and articles[-1].num == "第10条"
    assert articles[0].text == "为了激发中小企业创新活力，根据有关规定，制定本办法。"  # 第1条 alone on its line
    assert [u.num for u in articles[2].children] == ["（1）", "（2）", "（3）"]  # half-width (1)
    assert "不超过2000万元" in articles[2].children[1].text
    assert [u.num for u in articles[3].children] == ["1、", "2、", "3、"]
    assert articles[4].text == "每家企业每年使用创新券不超过20万元，按服务合同金额的50%兑付。"  # U+3000 at the end
    assert d.metadata.effective_date == "2024-01-01"
    assert d.metadata.signed_date == "2023-12-20"  # 二○二三年 with ○ U+25CB
    assert [(r.doc_number, r.title) for r in d.metadata.repeals] == [("永科〔2019〕5号", "永嘉县科技创新券实施办法（试行）")]
    assert repairs(d, "pdf_spacing") and not [w for w in d.warnings if w.severity == "error"]
    assert any(t.value == 20_000_000 for u in d.units() for t in u.thresholds)
    akn_units(d)


def test_unnumbered_measures_fixture():
    d = read_path(READER / "unnumbered-measures.txt")
    assert d.metadata.title == "滨江区关于支持现代物流产业发展的若干措施"
    assert [u.heading for u in d.body] == ["支持物流企业做大做强", "鼓励建设智慧仓储设施", "推动多式联运发展",
                                           "强化物流人才支撑"]
    assert d.preamble.startswith("为加快培育") and d.postamble.startswith("本措施自发布之日起实施")
    akn_units(d)


def test_two_lead_sentences_are_not_a_list_of_measures():
    text = "某区关于某事的意见\n加强领导。各部门要提高认识，落实责任。\n强化保障。各部门要加大投入。\n"
    assert not read_bytes(text.encode(), "x.txt").body


def test_numbered_text_never_gets_lead_sentence_units():
    d = corpus("18")
    assert all(u.num for u in d.units())


def test_legislature_issuer_kept_whole():
    text = ("浙江省人民代表大会常务委员会关于加强某项工作的决定\n"
            "（2023年11月24日浙江省第十四届人民代表大会常务委员会第六次会议通过）\n"
            "为了加强某项工作，作如下决定：\n一、各级人民政府应当加强领导。\n二、本决定自公布之日起施行。\n")
    d = read_bytes(text.encode(), "x.txt")
    assert d.metadata.title == "浙江省人民代表大会常务委员会关于加强某项工作的决定"
    assert d.metadata.issuers == ["浙江省人民代表大会常务委员会"]
    assert d.metadata.events[0].date == "2023-11-24" and d.metadata.signed_date == "2023-11-24"
    law = corpus("01")
    assert law.metadata.issuers == ["全国人民代表大会常务委员会"]


def test_several_repeals_by_title_and_number():
    text = ("某市人民政府关于某事的通知\n某政发〔2024〕1号\n各区人民政府：\n一、做好某事。\n"
            "二、本通知自2024年2月1日起施行。《某市甲办法》（某政发〔2010〕2号）、《某市乙规定》和"
            "《某市丙细则》（某政办发[2012]7号）同时废止。\n某市人民政府\n2024年1月3日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert [(r.doc_number, r.title) for r in d.metadata.repeals] == [
        ("某政发〔2010〕2号", "某市甲办法"), (None, "某市乙规定"), ("某政办发〔2012〕7号", "某市丙细则")]


# --- no silent loss -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [*EVERY, SEED, *sorted(READER.glob("*.txt"))], ids=lambda p: p.name[:12])
def test_no_source_line_is_silently_lost(path):
    data = path.read_bytes()
    d = read_bytes(data, path.name)
    assert unplaced_lines(d, decode(data, path.name).text) == []
    assert not [w for w in d.warnings if w.code == "unplaced-text"]


def test_lost_text_is_found_and_reported():
    data = SEED.read_bytes()
    d = read_bytes(data, SEED.name)
    text = decode(data, SEED.name).text
    unit = d.unit("sec_2__para_1")
    unit.text = unit.text[:10]  # drop the rest, as a reader bug would
    assert unplaced_lines(d, text) == unit.source_lines[:1]
    preamble_line = next(n for n, line in enumerate(text.split("\n"), 1) if line.strip().startswith("为深入贯彻"))
    d.preamble = ""
    assert unplaced_lines(d, text) == sorted([preamble_line, unit.source_lines[0]])


def test_removed_lines_count_only_when_recorded():
    data = (READER / "webpage-notice.txt").read_bytes()
    d = read_bytes(data, "webpage-notice.txt")
    d.provenance.repairs = [r for r in d.provenance.repairs if r.kind != "page_furniture_removed"]
    # Line 1, the page's title, is the document's title too: its words are in the output either way.
    assert unplaced_lines(d, decode(data, "x").text) == [2, 3, 4, 17, 27, 28, 29, 30, 31]


def test_measures_without_numbers_publish_a_valid_data_package(tmp_path):
    """The clauses table allows an empty num (and path): frictionless validates the release of 21."""
    import shutil

    import frictionless

    from toolkit.build import build

    source = tmp_path / "source"
    source.mkdir()
    (path,) = [p for p in EVERY if p.name.startswith("21")]
    shutil.copy(path, source / path.name)
    build(source, tmp_path / "site", website=False)
    report = frictionless.validate(str(tmp_path / "site" / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:3]


def test_unknown_labels_inside_a_metadata_table_go_with_it():
    text = ("某市人民政府关于某事的通知\n您当前的位置：首页 > 政府信息公开\n索引号\n0001/2024-1\n有效性\n有效\n"
            "发布单位\n市政府办公室\n生成日期\n2024-01-05\n某市人民政府关于某事的通知\n各区人民政府：\n一、做好某事。\n"
            "某市人民政府\n2024年1月3日\n")
    d = read_bytes(text.encode(), "x.txt")
    md = d.metadata
    assert (md.title, md.index_number, md.publisher, md.published_date) == (
        "某市人民政府关于某事的通知", "0001/2024-1", "市政府办公室", "2024-01-05")
    assert {n for r in repairs(d, "page_metadata_read") for n in r.lines} == set(range(3, 11))
    assert not d.warnings


def test_a_line_that_gives_an_address_is_the_documents_not_furniture():
    text = ("某市科学技术局关于申报2024年科技项目的通知\n各区科技局：\n一、申报网址：https://kj.example.gov.cn/apply.html\n"
            "二、申报材料见附件。\n附件：申报表.docx\n某市科学技术局\n2024年3月1日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert not repairs(d, "page_furniture_removed")
    assert "申报网址：https://kj.example.gov.cn/apply.html" in d.body[0].text  # the address keeps its colon
    assert d.metadata.attachment_list == ["申报表.docx"]


def test_text_of_carried_documents_counts_and_its_loss_is_found():
    (path,) = [p for p in EVERY if p.name.startswith("24")]
    data = path.read_bytes()
    d = read_bytes(data, path.name)
    text = decode(data, path.name).text
    assert d.components and unplaced_lines(d, text) == []
    component = d.components[0]
    lost = component.body[-1].children[-1]
    component.body[-1].children.pop()
    assert unplaced_lines(d, text) == list(range(lost.source_lines[0], lost.source_lines[1] + 1))


def test_spaced_labels_start_units_and_spaced_numbers_join():
    text = ("某县关于促进消费的若干措施\n一 、 发 放 消 费 券\n（ 一 ）对 在 本 县 消 费 满 2 0 0 元 的 ，补 贴 2 0 元 。\n"
            "（ 二 ）补 贴 总 额 不 超 过 200 万元 。\n二 、 其 他\n本 措 施 自 2 0 2 4 年 5 月 1 日 起 施 行 。\n")
    d = read_bytes(text.encode(), "x.txt")
    assert [u.num for u in d.units()] == ["一、", "（一）", "（二）", "二、"]
    assert d.body[0].heading == "发放消费券"
    assert d.unit("sec_1__para_1").text == "对在本县消费满200元的，补贴20元。"
    assert d.unit("sec_1__para_2").text == "补贴总额不超过200万元。"
    assert d.metadata.effective_date == "2024-05-01"
    assert {t.value for u in d.units() for t in u.thresholds} >= {2_000_000}


def test_pdf_spacing_leaves_tables_of_numbers_alone():
    from toolkit.readers.clean import Line
    from toolkit.readers.pdf_spacing import repair_spacing

    lines, fixes = repair_spacing([Line(1, "2022 2023 2024"), Line(2, "1 2 3"), Line(3, "版本 1.2 3")])
    assert [ln.text for ln in lines] == ["2022 2023 2024", "1 2 3", "版本 1.2 3"] and fixes == []


def test_zero_width_characters_do_not_split_labels():
    text = "某市关于某事的通知\n各区：\n\ufeff一、做好\u200b某事。\n（\u200b一）具体要求。\n二\u2060、做好另一件事。\n"
    d = read_bytes(text.encode(), "x.txt")
    assert [u.num for u in d.units()] == ["一、", "（一）", "二、"]
    assert d.body[0].heading == "做好某事"
    fixes = repairs(d, "invisible_removed")
    assert [r.lines for r in fixes] == [[3], [4], [5]]
    assert fixes[0].before == "⟨BOM⟩一、做好⟨ZWSP⟩某事。" and fixes[0].after == "一、做好某事。"


def test_letter_spaced_signature_is_one_issuer():
    text = ("某市人民代表大会常务委员会关于某事的决定\n一、做好某事。\n二、本决定自公布之日起施行。\n"
            "某 市 人 民 代 表 大 会 常 务 委 员 会\n2024年1月3日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert d.metadata.issuers == ["某市人民代表大会常务委员会"]
    assert corpus("13").metadata.issuers == ["国务院办公厅", "中央军委办公厅"]  # joint issuers stay two


def test_a_run_in_line_is_placed_across_the_units_it_was_cut_into():
    data = (READER / "runin.txt").read_bytes()
    text = decode(data, "runin.txt").text
    d = read_bytes(data, "runin.txt")
    assert unplaced_lines(d, text) == []
    item = next(u for u in d.units() if u.num == "（二）")
    item.text = ""  # one item of the line lost
    assert unplaced_lines(d, text) == [2]


def test_byline_lines_and_a_page_title_with_the_sites_name():
    text = ("某市人民政府关于某事的通知 - 某市人民政府门户网站\n首页 > 政务公开\n某市人民政府关于某事的通知\n"
            "发布日期：2024-02-01\n来源：市政府办公室\n浏览次数：1024\n各区人民政府：\n一、做好某事。\n"
            "某市人民政府\n2024年1月30日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert d.metadata.title == "某市人民政府关于某事的通知" and d.metadata.published_date == "2024-02-01"
    assert {n for r in repairs(d, "page_furniture_removed") for n in r.lines} == {1, 2, 5, 6}
    assert [r.lines for r in repairs(d, "page_metadata_read")] == [[4]]
    assert not d.warnings


def test_check_reports_text_the_reader_could_not_place():
    from toolkit.check import check_bytes

    text = ("某市人民政府关于某事的通知\n2024年1月2日\n某政发〔2024〕1号\n各区人民政府：\n一、做好某事。\n"
            "某市人民政府\n2024年1月3日\n")
    report = check_bytes(text.encode(), "x.txt")
    (finding,) = [f for f in report.findings if f.code == "unplaced-text"]
    assert (finding.line, finding.severity) == (2, "error") and "2024年1月2日" in finding.message


def test_a_revision_of_measures_without_numbers_names_each_by_its_heading():
    from toolkit.diff import diff

    old_text = (READER / "unnumbered-measures.txt").read_text(encoding="utf-8")
    new_text = old_text.replace("每条线路奖励30万元", "每条线路奖励50万元")
    old, new = (read_bytes(t.encode(), "x.txt") for t in (old_text, new_text))
    result = diff(old, new)
    (changed,) = result.units
    assert changed.changes == ["modified"] and [r.label for r in changed.new] == ["推动多式联运发展"]


def test_the_index_number_is_an_alias_of_the_work_in_akoma_ntoso():
    from lxml import etree

    d = corpus("26")
    xml = to_akn_string(d)
    validate_akn(xml, name="26")
    root = etree.fromstring(xml.encode())
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    aliases = {a.get("name"): a.get("value") for a in root.iterfind(".//a:FRBRWork/a:FRBRalias", ns)}
    assert aliases == {"title": d.metadata.title, "index_number": "113325000026455663/2023-43887"}
    assert 'name="index_number"' not in to_akn_string(corpus("27"))


def test_repeals_announced_as_a_list():
    text = ("某市人民政府关于某事的通知\n某政发〔2024〕1号\n各区人民政府：\n一、做好某事。\n"
            "二、本通知自2024年2月1日起施行，下列文件同时废止：\n（一）《某市甲办法》（某政发〔2010〕2号）；\n"
            "（二）《某市乙规定》和《某市丙细则》。\n三、各区要抓好落实，按照《某市丁条例》执行。\n某市人民政府\n2024年1月3日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert [(r.doc_number, r.title) for r in d.metadata.repeals] == [
        ("某政发〔2010〕2号", "某市甲办法"), (None, "某市乙规定"), (None, "某市丙细则")]


def test_pdf_page_numbers_go_and_the_sentence_they_cut_is_joined():
    text = ("某县关于促进消费的若干措施\n一、发放消费券。对在本县商户消费的居民，按消费金额的\n\n— 2 —\n\n"
            "10%给予补贴。\n二、其他。\n－3－\n")
    d = read_bytes(text.encode(), "x.txt")
    assert d.body[0].text == "对在本县商户消费的居民，按消费金额的10%给予补贴。"
    assert [r.lines for r in repairs(d, "page_number_removed")] == [[4], [8]]
    assert not d.warnings


def test_a_metadata_table_on_one_line():
    text = ("信息索引号：0011/2024-7 文件编号：某政办发〔2024〕7号 发文日期：2024年03月05日 发布日期：2024-03-08\n"
            "某市人民政府办公室关于某事的通知\n各区人民政府：\n一、做好某事。\n某市人民政府办公室\n2024年3月5日\n")
    d = read_bytes(text.encode(), "x.txt")
    md = d.metadata
    assert (md.index_number, md.doc_number, md.signed_date, md.published_date) == (
        "0011/2024-7", "某政办发〔2024〕7号", "2024-03-05", "2024-03-08")
    assert [r.lines for r in repairs(d, "page_metadata_read")] == [[1]] and not d.warnings


def test_a_short_title_between_table_rows_stays_the_title():
    text = ("索引号\n0001/2024-1\n发布机构\n市政府\n某市关于某事的通知\n公开方式\n主动公开\n"
            "各区：\n一、做好某事。\n某市人民政府\n2024年1月3日\n")
    d = read_bytes(text.encode(), "x.txt")
    assert d.metadata.title == "某市关于某事的通知" and d.metadata.disclosure == "主动公开"


def test_page_with_a_plain_menu_unread_rows_and_a_carried_plan():
    d = read_path(READER / "zfxxgk-page-carried.txt")
    md = d.metadata
    assert md.title == "温州市人民政府办公室关于印发温州市加快培育新型消费实施方案的通知"
    assert (md.doc_number, md.index_number, md.published_date) == ("温政办〔2024〕33号", "001008003/2024-123456",
                                                                   "2024-05-20")
    assert md.signed_date == "2024-05-16" and md.issuers == ["温州市人民政府办公室"]
    (plan,) = d.components
    assert plan.title == "温州市加快培育新型消费实施方案" and plan.postamble == "本方案自印发之日起实施。"
    assert {n for r in repairs(d, "page_furniture_removed") for n in r.lines} == {1, 2, 3, 31, 32, 33}
    # 有效性 is a row of the table we do not read into a field: recorded as written, out of the title.
    assert [r.after for r in repairs(d, "page_metadata_read") if r.before == "有效性 有效"] == ["有效性=有效"]
    assert not d.warnings


def test_a_line_of_nothing_but_a_crawler_marker_goes():
    text = "某市关于某事的通知\n各区：\n@@\n一、做好某事。\n@@  二、其他。\n"
    d = read_bytes(text.encode(), "x.txt")
    assert [u.num for u in d.body] == ["一、", "二、"] and d.preamble == ""
    assert [r.lines for r in repairs(d, "crawler_marker_removed")] == [[3], [5]]
