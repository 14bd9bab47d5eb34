"""Departments across jurisdictions: the place of a document, names resolved in it, groups, roles, stable ids."""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.datafiles import read_tsv
from toolkit.divisions import divisions, place_by_code, place_for, place_of
from toolkit.reader import read_bytes, read_path
from toolkit.readers.responsibilities import Context, find_responsibilities
from toolkit.registry import is_group, resolve
from toolkit.site.catalog import catalog, departments
from toolkit.writers.csv_tables import tables

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SEED = ROOT / "source" / "zjzbf-2024-21.txt"


@lru_cache(maxsize=None)
def corpus_doc(prefix: str):
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return read_path(path)


def all_docs():
    return [read_path(p) for p in sorted(CORPUS.glob("*.txt"))] + [read_path(SEED)]


def listed(doc):
    return [(u, r) for u in doc.units() for r in u.responsibilities]


# --- jurisdiction ---------------------------------------------------------------------------------------

def test_jurisdiction_comes_from_the_issuer_with_its_gb2260_code():
    expect = {"01": ("cn", None), "18": ("cn", None), "13": ("cn", None), "06": ("cn-cq", "500000"),
              "26": ("cn-zj", "331100"), "27": ("cn-zj", "330000"), "23": ("cn-zj", "330200")}
    for prefix, (iso, code) in expect.items():
        meta = corpus_doc(prefix).metadata
        assert (meta.jurisdiction, meta.jurisdiction_code) == (iso, code), prefix
    seed = read_path(SEED).metadata
    assert (seed.jurisdiction, seed.jurisdiction_code) == ("cn-zj", "330000")


def test_a_document_without_issuer_gets_its_place_only_from_a_plain_statement_and_says_so():
    doc = corpus_doc("07")  # no title block, no signature; the preamble cites 《中共广州市委、广州市人民政府关于…》
    assert (doc.metadata.jurisdiction, doc.metadata.jurisdiction_code) == ("cn-gd", "440100")
    (warning,) = [w for w in doc.warnings if w.code == "jurisdiction-from-text"]
    assert warning.line == 2 and "广州市" in warning.message
    # The same text without the citation: nothing tells, so no place and a warning; names stay as written.
    text = (CORPUS / next(p.name for p in CORPUS.glob("07_*.txt"))).read_text(encoding="utf-8")
    blind = read_bytes(text.replace("《中共广州市委、广州市人民政府关于全面推进新型城市化发展的决定》", "上级决定")
                       .encode("utf-8"), "blind.txt")
    assert blind.metadata.jurisdiction is None and blind.metadata.jurisdiction_code is None
    assert any(w.code == "jurisdiction-unknown" for w in blind.warnings)
    assert {r.full_name for _, r in listed(blind) if r.department == "市财政局"} == {"市财政局"}


def test_a_city_named_in_passing_is_not_a_place():
    assert place_of("关于推进人才集聚工程的实施意见") is None
    assert place_of("吉林市人民政府").division.name == "吉林市"  # not 吉林省
    assert place_of("浙江证监局").iso == "cn-zj"


# --- names resolved in the place -------------------------------------------------------------------------

def test_07_every_list_resolves_with_guangzhou_full_names():
    doc = corpus_doc("07")
    units = [u for u in doc.units() if u.responsibilities]
    assert len(units) == 44
    unresolved = set()
    for _, r in listed(doc):
        if r.kind == "group":
            continue
        if r.department_id.startswith("org-"):
            unresolved.add(r.department)
            assert r.full_name == r.department
            continue
        assert re.match(r"^(中共|共青团)?广州市", r.full_name), r
        assert r.department_id.startswith("gd-440"), r
    # 市留交办: the text never gives its full name, and the registry does not know it: kept as written.
    assert unresolved == {"市留交办"}
    names = {r.department: r.full_name for _, r in listed(doc)}
    assert names["市财政局"] == "广州市财政局"
    assert names["市委组织部"] == "中共广州市委组织部"
    assert names["团市委"] == "共青团广州市委员会"
    assert names["越秀区"] == "广州市越秀区人民政府"
    assert names["市人力资源和社会保障局"] == "广州市人力资源和社会保障局"


def test_18_ministries_resolve_to_national_full_names():
    doc = corpus_doc("18")
    full = {r.department: r.full_name for _, r in listed(doc) if r.kind == "department"}
    assert full == {
        "人力资源社会保障部": "中华人民共和国人力资源和社会保障部", "财政部": "中华人民共和国财政部",
        "工业和信息化部": "中华人民共和国工业和信息化部", "人民银行": "中国人民银行",
        "银保监会": "中国银行保险监督管理委员会", "科技部": "中华人民共和国科学技术部",
        "住房城乡建设部": "中华人民共和国住房和城乡建设部", "市场监管总局": "国家市场监督管理总局",
        "教育部": "中华人民共和国教育部", "税务总局": "国家税务总局", "医保局": "国家医疗保障局",
        "民政部": "中华人民共和国民政部"}


def test_a_short_name_means_the_unit_of_the_documents_own_place():
    guangzhou, lishui, liuhe = (place_by_code(c) for c in ("440100", "331100", "220524"))
    assert resolve("市财政局", guangzhou).full_name == "广州市财政局"
    assert resolve("市财政局", lishui).full_name == "丽水市财政局"
    assert resolve("省财政厅", guangzhou).full_name == "广东省财政厅"
    assert resolve("县财政局", liuhe).full_name == "柳河县财政局"
    assert resolve("市财政局", liuhe).full_name == "通化市财政局"  # the city above the county
    assert resolve("自治区财政厅", place_by_code("450000")).full_name == "广西壮族自治区财政厅"
    assert resolve("市财政局", place_by_code("110000")).full_name == "北京市财政局"  # a municipality
    assert not resolve("省财政厅", place_by_code("500000")).known  # 重庆市 has no 省 level
    assert resolve("发展改革委", place_by_code(None, "cn")).full_name == "国家发展和改革委员会"
    assert not resolve("发展改革委", guangzhou).known  # a city document writes 市发展改革委
    assert resolve("财政部", guangzhou).id == resolve("财政部", place_by_code(None, "cn")).id  # one unit everywhere


def test_renamed_units_keep_both_names_with_dates():
    rows = {r["short_name"]: r for r in read_tsv("departments.tsv")}
    assert rows["银保监会"]["until"] == rows["金融监管总局"]["since"] == "2023-05-18"
    assert rows["工商总局"]["until"] == rows["市场监管总局"]["since"]
    national = place_by_code(None, "cn")
    assert resolve("卫生计生委", national, "2015-01-01").full_name == "国家卫生和计划生育委员会"
    assert resolve("卫生健康委", national, "2020-01-01").full_name == "国家卫生健康委员会"


# --- groups ---------------------------------------------------------------------------------------------

def test_groups_are_recorded_with_their_role_but_are_not_departments():
    for name in ("各市、县（市、区）政府", "各区、县级市", "各有关单位", "各项目牵头单位", "各省级人民政府",
                 "有关部门和单位", "各有关部门和单位"):
        assert is_group(name), name
    for name in ("市财政局", "人力资源社会保障部", "越秀区", "市委组织部"):
        assert not is_group(name), name
    doc07 = corpus_doc("07")
    kinds = {r.department: r.kind for _, r in listed(doc07)}
    assert {n for n, k in kinds.items() if k == "group"} == {"各区、县级市", "各有关单位", "各有关区、县级市",
                                                              "各项目牵头单位"}
    site = catalog([doc07, corpus_doc("18"), read_path(SEED)])
    pages = {d.id for d in departments(site)}
    group_ids = {r.department_id for d in site for _, r in listed(d.doc) if r.kind == "group"}
    group_ids |= {r.department_id for d in site for r in d.doc.responsibilities if r.kind == "group"}
    assert group_ids and not pages & group_ids
    assert "gd-440100-czj" in pages and "cn-rsb" in pages


def test_the_seed_keeps_its_26_units_and_ids():
    doc = read_path(SEED)
    ids = {r.department_id for _, r in listed(doc)} | {r.department_id for r in doc.responsibilities}
    assert ids == {"zj-jxt", "zj-fgw", "zj-kjt", "zj-jst", "zj-swt", "zj-scjgj", "zj-local-gov", "zj-jyt", "zj-sjj",
                   "zj-czt", "zj-swj", "zj-jrjgj", "zj-swjrb", "zj-rhfh", "zj-sthjt", "zj-nyj", "zj-gzw", "zj-mch",
                   "zj-hzhg", "zj-nbhg", "zj-zjj", "zj-zrzyt", "zj-swrcb", "zj-swbb", "zj-rlsbt", "zj-kx"}
    assert {r.department_id for _, r in listed(doc) if r.kind == "group"} == {"zj-local-gov"}
    (wide,) = doc.responsibilities
    assert (wide.department_id, wide.role, wide.kind) == ("zj-local-gov", "responsible_subject", "group")


# --- ids never shared by two places -------------------------------------------------------------------

def test_no_department_id_is_shared_by_units_of_two_jurisdictions_in_the_corpus():
    names: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    for doc in all_docs():
        place = doc.metadata.jurisdiction_code or doc.metadata.jurisdiction or f"doc:{doc.id}"
        for r in [r for _, r in listed(doc)] + doc.responsibilities:
            names[r.department_id].add(r.full_name)
            if not r.department_id.startswith("cn-"):  # a national unit is the same unit in every document
                places[r.department_id].add(place)
    assert {i: n for i, n in names.items() if len(n) > 1} == {}
    assert {i: p for i, p in places.items() if len(p) > 1} == {}


_CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=6)
_CITIES = sorted(code for code, d in divisions().items() if d.level == "prefecture")


@settings(max_examples=60, deadline=None)
@given(_CJK, st.sampled_from(_CITIES), st.sampled_from(_CITIES), st.sampled_from(["局", "办", "委", "中心", ""]))
def test_the_same_short_name_in_two_cities_never_shares_an_id(body, a, b, suffix):
    name = "市" + body + suffix
    first, second = place_for(divisions()[a]), place_for(divisions()[b])
    one, two = resolve(name, first), resolve(name, second)
    assert resolve(name, first) == one  # stable
    if a != b:
        assert one.id != two.id
        if one.known:
            assert divisions()[a].name in one.full_name


def test_a_name_in_two_documents_of_unknown_place_is_not_merged():
    text = "一、工作\n\n（一）做好工作。（责任单位：市财政局）\n"
    one, two = read_bytes(text.encode("utf-8"), "a.txt"), read_bytes(text.encode("utf-8"), "b.txt")
    assert listed(one)[0][1].department_id != listed(two)[0][1].department_id


# --- responsibility clauses in the State Council's shape ------------------------------------------------

def test_18_fifteen_clauses_each_with_its_lead():
    doc = corpus_doc("18")
    clauses = [u for u in doc.units() if u.kind == "paragraph"]
    assert len(clauses) == 15 and all(u.responsibilities for u in clauses)
    for unit in clauses:
        assert [r.role for r in unit.responsibilities][0] == "lead", unit.num
        assert all(r.role == "participant" for r in unit.responsibilities[1:]), unit.num
    by_num = {u.num: u for u in clauses}
    assert [(r.department, r.role) for r in by_num["（一）"].responsibilities] == [
        ("人力资源社会保障部", "lead"), ("财政部", "participant")]
    four = by_num["（四）"].responsibilities
    assert [r.department for r in four] == ["人力资源社会保障部", "科技部", "财政部", "住房城乡建设部", "市场监管总局",
                                            "各省级人民政府"]
    assert [r.kind for r in four][-1] == "group"
    (twelve,) = by_num["（十二）"].responsibilities
    assert (twelve.department, twelve.kind) == ("各省级人民政府", "group")
    five = by_num["（五）"].responsibilities  # 人力资源社会保障部等有关部门和单位负责
    assert [(r.department, r.kind) for r in five] == [("人力资源社会保障部", "department"), ("有关部门和单位", "group")]


def clause_roles(text: str, ctx: Context | None = None):
    ctx = ctx or Context(place_by_code(None, "cn"))
    return [(r.department, r.role) for r in find_responsibilities(text, ctx).responsibilities], ctx


def test_without_a_stated_rule_nobody_is_the_lead():
    roles, _ = clause_roles("做好工作。（财政部、教育部按职责分工负责）")
    assert roles == [("财政部", "responsible"), ("教育部", "responsible")]


def test_a_lead_rule_without_下同_holds_for_its_clause_only():
    roles, ctx = clause_roles("做好工作。（财政部、教育部负责。列第一位者为牵头单位）")
    assert roles == [("财政部", "lead"), ("教育部", "participant")]
    assert clause_roles("再做工作。（教育部、财政部负责）", ctx)[0] == [("教育部", "responsible"),
                                                                   ("财政部", "responsible")]


def test_下同_and_a_rule_in_the_preamble_hold_for_later_clauses():
    _, ctx = clause_roles("做好工作。（财政部、教育部负责。列第一位者为牵头单位，下同）")
    assert clause_roles("再做工作。（教育部、财政部负责）", ctx)[0] == [("教育部", "lead"), ("财政部", "participant")]
    ctx = Context(place_by_code(None, "cn"))
    ctx.read_rules("各地区、各部门要抓好落实（排在第一位的部门为牵头部门）。")
    assert clause_roles("再做工作。（教育部、财政部负责）", ctx)[0] == [("教育部", "lead"), ("财政部", "participant")]


def test_a_bracket_inside_a_sentence_or_a_sentence_in_brackets_is_no_list():
    assert clause_roles("资金（由财政部负责）要及时拨付。")[0] == []
    assert clause_roles("做好工作。（具体办法由财政部另行负责）")[0] == []


def test_handlers_of_a_proposal_are_not_leads_or_participants():
    text = ("您提出的关于加快发展的建议收悉。发展改革委会同财政部、商务部研究提出了办理意见。\n"
            "财政部意见：\n同意。")
    roles, _ = clause_roles(text)
    assert roles == [("发展改革委", "handler_lead"), ("财政部", "handler"), ("商务部", "handler"),
                     ("财政部", "handler")]
    doc = read_bytes(("国务院办公厅关于办理建议的函\n\n一、办理情况\n\n" + text + "\n").encode("utf-8"), "h.txt")
    rows = tables(doc, "current")["departments"]
    assert rows and all(r["clauses_led"] == 0 and r["clauses_joined"] == 0 for r in rows)


# --- the data files -----------------------------------------------------------------------------------

def test_registry_rows_are_well_formed():
    ids: dict[str, str] = {}
    for row in read_tsv("departments.tsv"):
        assert re.fullmatch(r"[a-z][a-z0-9-]*", row["id"]), row
        assert ids.setdefault(row["id"], row["full_name"]) == row["full_name"], row
        assert row["kind"] in ("department", "group")
        for date in (row["since"], row["until"]):
            assert not date or re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), row
        scope = row["jurisdiction"]
        assert scope in ("*", "cn") or re.fullmatch(r"cn-[a-z]{2}", scope) or scope in divisions(), row
    assert len({i for i in ids if i.startswith("cn-")}) >= 80
    for row in read_tsv("department_patterns.tsv"):
        assert row["level"] in ("province", "city", "county") and "{division}" in row["full_name"], row
        assert row["short_name"].startswith(("省", "市", "县", "团省委", "团市委", "团县委")), row
    for division in divisions().values():
        assert re.fullmatch(r"[1-8]\d{5}", division.code)
        assert division.parent is None or division.parent in divisions(), division
    assert sum(d.level == "prefecture" for d in divisions().values()) >= 330


def test_department_pages_group_clauses_by_role_and_groups_get_no_link():
    from toolkit.site import document_page, index_pages

    reply = read_bytes(("国务院办公厅关于办理建议的函\n\n一、办理情况\n\n发展改革委会同财政部、商务部研究提出了办理意见。"
                        "\n\n二、其他\n\n做好工作。（财政部、教育部按职责分工负责）\n").encode("utf-8"), "reply.txt")
    site = catalog([corpus_doc("18"), reply])
    by_id = {d.id: d for d in departments(site)}
    page = index_pages.department_pages(by_id["cn-czb"])[0]
    for heading in ("牵头的条款", "参与的条款", "负责的条款", "会办的事项"):
        assert heading in page, heading
    assert "主办的事项" in index_pages.department_pages(by_id["cn-fgw"])[0]
    index = index_pages.departments_index(list(by_id.values()))
    assert "各省级人民政府" not in index
    group = next(r for _, r in listed(corpus_doc("18")) if r.kind == "group")
    chip = document_page._chip(group, "x/")
    assert chip.startswith("<span") and "departments/" not in chip


def test_a_list_that_states_each_parts_role():
    assert clause_roles("做好工作。（财政部牵头，教育部、民政部配合）")[0] == [
        ("财政部", "lead"), ("教育部", "participant"), ("民政部", "participant")]
    assert clause_roles("做好工作。（财政部牵头负责，教育部等有关部门按职责分工负责）")[0] == [
        ("财政部", "lead"), ("教育部", "participant"), ("有关部门", "participant")]
    assert clause_roles("做好工作。（中华人民共和国商务部、对外贸易经济合作局负责）")[0] == [
        ("中华人民共和国商务部", "responsible"), ("对外贸易经济合作局", "responsible")]


def test_an_issuer_inside_a_city_is_placed_in_its_district():
    assert place_of("广州市越秀区人民政府").division.name == "越秀区"
    assert place_of("丽水市莲都区人民政府办公室").code == "331102"
    assert place_of("广州市财政局").code == "440100"


def test_an_unresolved_name_says_whose_unit_it_is_on_its_page():
    from toolkit.site import index_pages

    (dept,) = [d for d in departments(catalog([corpus_doc("07")])) if d.name == "市留交办"]
    assert dept.places == {"广州市"}
    assert "广州市的单位" in index_pages.department_pages(dept)[0]


def test_a_unit_whose_name_starts_like_a_group_word_is_still_a_department():
    assert not is_group("地方金融监管局") and not is_group("省地方金融监管局")
    assert is_group("地方各级人民政府") and is_group("各级人民政府")
