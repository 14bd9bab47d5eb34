"""The reader on the seed document: structure, metadata, departments, thresholds, repairs, encodings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.reader import read_bytes, read_path
from toolkit.validate import schema_errors

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
CLEAN = ROOT / "tests" / "fixtures" / "zjzbf-2024-21-clean.txt"

HEADINGS = {
    "sec_1": "完善梯度培育机制", "sec_2": "提升创新发展能力", "sec_3": "推动提质增效发展",
    "sec_4": "助力拓展国内外市场", "sec_5": "加大金融支持力度", "sec_6": "强化要素服务保障",
    "sec_1__para_1": "建立梯度培育体系", "sec_1__para_2": "夯实培育基本盘", "sec_1__para_3": "招引发展新增量",
    "sec_1__para_4": "打造数字化培育平台", "sec_2__para_1": "鼓励开展研发攻关", "sec_2__para_2": "推进科技成果转化应用",
    "sec_2__para_3": "促进知识产权赋能增值", "sec_2__para_4": "促进大中小企业融通发展",
    "sec_3__para_1": "加强质量标准品牌赋能", "sec_3__para_2": "推动数字化转型", "sec_3__para_3": "促进绿色低碳发展",
    "sec_4__para_1": "加大采购支持力度", "sec_4__para_2": "提升国际化发展能力", "sec_5__para_1": "促进重点产业链融资",
    "sec_5__para_2": "助力对接资本市场", "sec_5__para_3": "完善融资担保增信机制", "sec_6__para_1": "打造专精特新产业园",
    "sec_6__para_2": "加强财税政策扶持", "sec_6__para_3": "加强人才服务保障", "sec_6__para_4": "加强企业管理服务",
}

# Every clause's departments, in the order written; the first is the lead unit.
DEPARTMENTS = {
    "sec_1__para_1": "省经信厅 省发展改革委 省科技厅 省建设厅 省商务厅 省市场监管局 各市、县〔市、区〕政府",
    "sec_1__para_2": "省经信厅 省教育厅 省科技厅 省建设厅 省商务厅 省市场监管局",
    "sec_1__para_3": "省商务厅 省发展改革委 省经信厅 省科技厅",
    "sec_1__para_4": "省经信厅 省发展改革委 省科技厅 省数据局",
    "sec_2__para_1": "省科技厅 省经信厅 省财政厅 省税务局",
    "sec_2__para_2": "省科技厅 省发展改革委 省经信厅",
    "sec_2__para_3": "省市场监管局 省经信厅 省财政厅 金融监管总局浙江监管局",
    "sec_2__para_4": "省经信厅 省委金融办 省科技厅 省市场监管局 人行浙江省分行 金融监管总局浙江监管局",
    "sec_3__para_1": "省市场监管局 省经信厅",
    "sec_3__para_2": "省经信厅",
    "sec_3__para_3": "省经信厅 省发展改革委 省生态环境厅 省能源局",
    "sec_4__para_1": "省发展改革委 省经信厅 省财政厅 省国资委",
    "sec_4__para_2": "省商务厅 省经信厅 省财政厅 省贸促会 杭州海关 宁波海关",
    "sec_5__para_1": "省经信厅 省委金融办 人行浙江省分行 金融监管总局浙江监管局",
    "sec_5__para_2": "省委金融办 省经信厅 省财政厅 人行浙江省分行 浙江证监局",
    "sec_5__para_3": "省委金融办 省经信厅 省财政厅 人行浙江省分行 金融监管总局浙江监管局",
    "sec_6__para_1": "省经信厅 省自然资源厅 省建设厅",
    "sec_6__para_2": "省经信厅 省发展改革委 省财政厅 省税务局 省市场监管局",
    "sec_6__para_3": "省委人才办 省委编办 省经信厅 省教育厅 省科技厅 省人社厅 省科协",
    "sec_6__para_4": "省经信厅",
}


@pytest.fixture(scope="module")
def seed():
    return read_path(SEED)


def test_six_sections_and_twenty_clauses(seed):
    assert [u.num for u in seed.body] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    clauses = [u for u in seed.units() if u.kind == "paragraph"]
    assert len(clauses) == 20
    assert all(u.kind == "section" for u in seed.body)
    assert [u.num for u in seed.body[1].children] == ["（一）", "（二）", "（三）", "（四）"]


def test_headings(seed):
    assert {u.eid: u.heading for u in seed.units()} == HEADINGS


def test_clause_text_starts_after_heading(seed):
    clause = seed.unit("sec_1__para_1")
    assert clause.text.startswith("按照“科技型、创新型中小企业—专精特新中小企业—专精特新‘小巨人’企业”梯度")
    assert clause.source_lines == [15, 17]


def test_departments_in_order_with_lead(seed):
    for eid, names in DEPARTMENTS.items():
        resp = seed.unit(eid).responsibilities
        assert [r.department for r in resp] == names.split(), eid
        assert [r.role for r in resp] == ["lead"] + ["participant"] * (len(resp) - 1), eid
        assert [r.order for r in resp] == list(range(1, len(resp) + 1))
    for section in seed.body:
        assert section.responsibilities == []


def test_registry_full_names(seed):
    by_name = {r.department: r for u in seed.units() for r in u.responsibilities}
    assert by_name["省经信厅"].full_name == "浙江省经济和信息化厅"
    assert by_name["金融监管总局浙江监管局"].full_name == "国家金融监督管理总局浙江监管局"
    assert by_name["省委金融办"].full_name == "中共浙江省委金融委员会办公室"
    # every department of the seed is in the registry: its id is a registry id, not a derived one
    assert all(not r.department_id.startswith("org-") for r in by_name.values())


def test_document_level_responsible_subject(seed):
    assert [(r.department, r.role) for r in seed.responsibilities] == [
        ("各市、县〔市、区〕政府", "responsible_subject")]


def test_exactly_five_thresholds(seed):
    found = [(u.eid, t.comparator, t.value, t.unit, t.source_text) for u in seed.units() for t in u.thresholds]
    assert found == [
        ("sec_2__para_1", "≥", 3, "%", "3%以上"),
        ("sec_2__para_1", "≥", 20, "%", "20%以上"),
        ("sec_2__para_1", ">", 10_000_000, "CNY", "超过1000万元"),
        ("sec_2__para_2", "≥", 80, "%", "不低于80%"),
        ("sec_5__para_2", "≥", 10_000_000_000, "CNY", "不低于100亿元"),
    ]
    metrics = [t.metric for u in seed.units() for t in u.thresholds]
    assert metrics[:3] == ["研发费用占营业收入比重", "研发费用年增长", "基础研究研发费用投入"]


def test_condition_groups_and_or(seed):
    clause = seed.unit("sec_2__para_1")
    groups = {g.id: g for g in clause.condition_groups}
    t1, t2, t3 = clause.thresholds
    assert t1.group == t2.group
    inner = groups[t1.group]
    assert inner.logic == "all" and inner.items == [t1.id, t2.id]
    outer = groups[t3.group]
    assert outer.logic == "any" and outer.items == [inner.id, t3.id]


def test_seven_page_break_repairs(seed):
    joins = [r for r in seed.provenance.repairs if r.kind == "page_break_join"]
    assert len(joins) == 7
    joined = [r.after for r in joins]
    for word in ("从孵化培育", "转移转化", "投早投小投创新", "专项资金", "服务券"):
        assert any(word in text for text in joined), word
    assert "构建从孵化培育、成长扶持" in seed.unit("sec_1__para_1").text
    assert "社会资本投早投小投创新" in seed.unit("sec_5__para_2").text


def test_metadata(seed):
    meta = seed.metadata
    assert meta.title == "浙江省人民政府办公厅关于进一步促进专精特新中小企业高质量发展的若干意见"
    assert meta.doc_number == "浙政办发〔2024〕21号"
    assert (meta.doc_number_parts.agency_code, meta.doc_number_parts.year, meta.doc_number_parts.serial) == (
        "浙政办发", 2024, 21)
    assert meta.doc_type == "意见"
    assert meta.issuer == "浙江省人民政府办公厅"
    assert meta.issuer_mark == "浙江省人民政府办公厅文件"
    assert meta.addressees == ["各市、县（市、区）人民政府", "省政府直属各单位"]
    assert (meta.signed_date, meta.printed_date, meta.effective_date) == ("2024-06-06", "2024-06-07", "2024-07-06")
    assert [(r.doc_number, r.title) for r in meta.repeals] == [(
        "浙政办发〔2022〕19号",
        "浙江省人民政府办公厅关于大力培育促进“专精特新”中小企业高质量发展的若干意见")]
    assert meta.cc == ["省委各部门", "省人大常委会", "省政协办公厅", "省军区", "省监委", "省法院", "省检察院"]
    assert meta.notes == ["此件公开发布"]
    assert meta.printing_office == "浙江省人民政府办公厅"
    assert meta.jurisdiction == "cn-zj"
    assert seed.id == "zjzbf-2024-21"


def test_preamble_and_postamble(seed):
    assert seed.preamble.startswith("为深入贯彻落实党中央、国务院")
    assert seed.preamble.endswith("制定如下意见。")
    assert seed.postamble.startswith("本意见自2024年7月6日起施行。")


def test_punctuation_is_full_width_in_output(seed):
    data = seed.to_dict()
    text = json.dumps([data["metadata"], data["body"], data["preamble"], data["postamble"]], ensure_ascii=False)
    clause = seed.unit("sec_1__para_2").text
    assert "（技术）" in clause and "(" not in clause and "," not in clause
    assert "3.0版" in seed.unit("sec_2__para_2").text  # a decimal point stays half-width
    assert "**" not in text and "##" not in text


def test_json_validates(seed):
    assert schema_errors(seed.to_dict()) == []


def test_provenance(seed):
    prov = seed.provenance
    assert prov.source_file == "zjzbf-2024-21.txt"
    assert prov.encoding == "utf-8" and prov.newline == "lf"
    assert len(prov.sha256) == 64


def _comparable(doc) -> dict:
    data = doc.to_dict()
    for unit in _walk(data["body"]):
        unit.pop("source_lines")
    data["closing"].pop("source_lines")
    for att in data["attachments"]:
        att.pop("source_lines")
    return {"metadata": data["metadata"], "body": data["body"], "preamble": data["preamble"],
            "postamble": data["postamble"], "responsibilities": data["responsibilities"]}


def _walk(units):
    for unit in units:
        yield unit
        yield from _walk(unit["children"])


@pytest.mark.parametrize("variant", ["gb18030", "bom-crlf", "clean"])
def test_encodings_and_clean_copy_give_the_same_document(seed, variant):
    raw = SEED.read_bytes()
    if variant == "gb18030":
        data = raw.decode("utf-8").encode("gb18030")
    elif variant == "bom-crlf":
        data = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    else:
        data = CLEAN.read_bytes()
    doc = read_bytes(data, "zjzbf-2024-21.txt")
    assert doc.provenance.encoding == {"gb18030": "gb18030", "bom-crlf": "utf-8-sig", "clean": "utf-8"}[variant]
    if variant == "bom-crlf":
        assert doc.provenance.newline == "crlf"
        assert doc.unit("sec_1__para_1").source_lines == seed.unit("sec_1__para_1").source_lines
    assert _comparable(doc) == _comparable(seed)


@pytest.mark.parametrize("written", ["浙政办发〔2024〕21号", "浙政办发[2024]21号", "浙政办发（2024）21号",
                                     "浙政办发(2024)21号", "浙政办发【2024】21号", "浙政办发 〔 2024 〕 21 号"])
def test_doc_number_brackets_are_normalised(written):
    from toolkit.vocabulary import parse_doc_number
    from toolkit.chinese import normalize_punctuation

    number, parts = parse_doc_number(normalize_punctuation(written))
    assert number == "浙政办发〔2024〕21号"
    assert (parts.agency_code, parts.year, parts.serial) == ("浙政办发", 2024, 21)


def test_doc_number_with_square_brackets_in_a_whole_document():
    text = SEED.read_text(encoding="utf-8").replace("浙政办发〔2024〕21号", "浙政办发[2024]21号", 1)
    doc = read_bytes(text.encode("utf-8"), "zjzbf-2024-21.txt")
    assert doc.metadata.doc_number == "浙政办发〔2024〕21号" and doc.id == "zjzbf-2024-21"
