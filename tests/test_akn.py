"""Akoma Ntoso 3.0 writer: strict-schema validity, and that the XML carries what the JSON carries."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.cli import main
from toolkit.errors import ValidationError
from toolkit.model import (Attachment, Closing, Document, Metadata, Provenance, Repeal, Responsibility,
                           Threshold, Unit)
from toolkit.reader import read_path
from toolkit.vocabulary import ACT_TYPES
from toolkit.validate import validate_file
from toolkit.validate import akn_schema, safe_parser, validate_akn
from toolkit.writers.akn import to_akn, to_akn_string
from toolkit.writers.akn_inline import Mark, paragraphs, place
from toolkit.writers.akn_names import COMPARATORS, KINDS, format_number
from corpus_files import EVERY

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
CORPUS = EVERY  # both batches: carried documents (06, 23, 24, 25) are written as attachments with units
READER_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "reader").glob("*.txt"))  # carried texts, lists, 目录
DOCUMENTS = [SEED, *CORPUS, *READER_FIXTURES]

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
A = {"a": NS}


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"), safe_parser())


@pytest.fixture(scope="module", params=DOCUMENTS,
                ids=lambda p: "seed" if p == SEED else p.stem if p in READER_FIXTURES else p.name[:2])
def converted(request):
    doc = read_path(request.param)
    text = to_akn_string(doc)
    return doc, text, parse(text)


def owner(element: etree._Element) -> etree._Element:
    """The nearest ancestor with an eId: the unit an inline element belongs to."""
    return element.xpath("ancestor::*[@eId][1]")[0]


def unit_element(root, eid: str) -> etree._Element:
    (element,) = root.xpath("//a:body//*[@eId=$e] | //a:mainBody//*[@eId=$e]", namespaces=A, e=eid)
    return element


def lines(block: etree._Element) -> list[str]:
    return ["".join(p.itertext()) for p in block.findall(q("p"))]


# --- every document: valid, and the same content as the JSON -------------------------------------------

def test_validates_against_the_strict_oasis_schema(converted):
    doc, text, root = converted
    validate_akn(text, name=doc.provenance.source_file)  # raises on any problem
    assert akn_schema().validate(root)


def test_root_is_act_for_laws_and_doc_named_after_the_type_for_other_gongwen(converted):
    doc, _, root = converted
    (main_element,) = root
    expected = "act" if doc.metadata.doc_type in ACT_TYPES else "doc"  # 法, 条例, 办法… (runin.txt is a 办法)
    assert etree.QName(main_element).localname == expected
    assert main_element.get("name") == (doc.metadata.doc_type or "公文")  # 公文 when the text has no title
    body = "body" if expected == "act" else "mainBody"
    assert main_element.find(q(body)) is not None


def test_same_units_in_the_same_order_with_identical_eids(converted):
    doc, _, root = converted
    units = list(doc.units())
    # A measure without a number (readers/measures.py) has a heading and no <num>.
    in_xml = [e for e in root.xpath("//a:body//*[a:num or a:heading] | //a:mainBody//*[a:num or a:heading]",
                                    namespaces=A)]
    assert [e.get("eId") for e in in_xml] == [u.eid for u in units]
    for unit, element in zip(units, in_xml):
        assert (element.findtext(q("num")) or "") == unit.num
        assert element.findtext(q("heading")) == unit.heading
        expected_tag = unit.kind if unit.kind != "item" else "hcontainer"
        assert etree.QName(element).localname == expected_tag
        children = [c.get("eId") for c in element if c.get("eId") and c.get("name") != "leadIn"]
        assert children == [c.eid for c in unit.children]


def test_text_of_every_clause_survives_exactly(converted):
    doc, _, root = converted
    for unit in doc.units():
        element = unit_element(root, unit.eid)
        if unit.children:
            intro = element.find(q("intro"))
            assert (lines(intro) if intro is not None else []) == (unit.text.split("\n") if unit.text else [])
            wrap = element.find(q("wrapUp"))
            assert (lines(wrap) if wrap is not None else []) == (unit.wrap_up.split("\n") if unit.wrap_up else [])
        else:
            expected = unit.text.split("\n") + (unit.wrap_up.split("\n") if unit.wrap_up else [])
            assert lines(element.find(q("content"))) == expected


def test_the_paragraph_that_opens_a_second_list_stands_before_it(converted):
    doc, _, root = converted
    for unit in (u for u in doc.units() if u.lead_in):
        (lead,) = root.xpath("//a:hcontainer[@eId=$e]/a:content", namespaces=A, e=f"{unit.eid}__hcontainer_1")
        assert lines(lead) == unit.lead_in.split("\n")
        assert lead.getparent().getnext().get("eId") == unit.eid


def test_preamble_and_postamble_text_survive(converted):
    doc, _, root = converted
    preamble = root.find(f".//{q('preamble')}")
    if doc.preamble:
        assert lines(preamble) == doc.preamble.split("\n")
    post = root.xpath("/a:akomaNtoso/*/*/a:hcontainer[@name='postamble']/a:content", namespaces=A)
    assert [lines(p) for p in post] == ([doc.postamble.split("\n")] if doc.postamble else [])


def test_carried_documents_are_attachments_with_their_own_title_units_and_closing(converted):
    doc, _, root = converted
    for component in doc.components:
        (element,) = root.xpath("//a:attachment[@eId=$e]", namespaces=A, e=component.eid)
        assert element.findtext(q("heading")) == component.title
        (inner,) = [child for child in element if etree.QName(child).localname in ("act", "doc")]
        assert inner.get("name") == (component.doc_type or "公文")
        body = inner.find(q("body" if etree.QName(inner).localname == "act" else "mainBody"))
        assert [e.get("eId") for e in body if e.find(q("num")) is not None] == [u.eid for u in component.body]
        toc = inner.xpath("a:preface/a:container[@name='toc']", namespaces=A)
        assert [lines(t) for t in toc] == ([component.toc] if component.toc else [])
        post = body.xpath("a:hcontainer[@name='postamble']/a:content", namespaces=A)
        assert [lines(p) for p in post] == ([component.postamble.split("\n")] if component.postamble else [])
        dates = inner.xpath(".//a:conclusions//a:docDate/@date", namespaces=A)
        assert dates == ([component.signed_date] if component.signed_date else [])


def test_departments_one_tlc_organization_each_and_marked_in_their_units(converted):
    doc, _, root = converted
    tlcs = {t.get("eId"): t for t in root.iterfind(f".//{q('references')}/{q('TLCOrganization')}")}
    responsibilities = [r for u in doc.units() for r in u.responsibilities] + doc.responsibilities
    departments = {r.department_id: r.full_name for r in responsibilities}
    for department_id, full_name in departments.items():
        assert tlcs[department_id].get("showAs") == full_name  # registry ids are used as eIds unchanged
    # Only the converter and the issuers are organizations besides the departments.
    issuers = {t for t, e in tlcs.items()
               if e.get("showAs") in doc.metadata.issuers or e.get("shortForm") in doc.metadata.issuers
               or t == "policykit"}
    assert set(tlcs) - set(departments) <= issuers
    for unit in doc.units():
        marked = [o for o in unit_element(root, unit.eid).iter(q("organization"))
                  if owner(o).get("eId") == unit.eid]
        assert [o.get("refersTo") for o in marked] == [f"#{r.department_id}" for r in unit.responsibilities]
        assert [o.text for o in marked] == [r.department for r in unit.responsibilities]
    for organization in root.iter(q("organization")):
        assert organization.get("refersTo")[1:] in tlcs


def test_thresholds_as_quantities_with_ids_values_and_comparators(converted):
    doc, _, root = converted
    thresholds = [t for u in doc.units() for t in u.thresholds]
    # A threshold in a unit's wrap-up (a 款 after its list) comes after the children in the XML.
    by_id = {t.id: t for t in thresholds}
    quantities = list(root.iter(q("quantity")))
    assert sorted(x.get("eId") for x in quantities) == sorted(by_id)
    thresholds = [by_id[x.get("eId")] for x in quantities]
    concepts = {c.get("eId"): c for c in root.iter(q("TLCConcept"))}
    for threshold, quantity in zip(thresholds, quantities):
        assert quantity.text == threshold.source_text
        assert float(quantity.get("normalized")) == threshold.value
        comparator, unit, kind = quantity.get("refersTo").split()
        assert comparator == "#" + COMPARATORS[threshold.comparator][0]
        assert concepts[comparator[1:]].get("shortForm") == threshold.comparator
        assert unit[1:] in concepts
        assert kind == "#" + KINDS[threshold.kind][0] and concepts[kind[1:]].get("showAs") == KINDS[threshold.kind][1]
        assert owner(quantity).get("eId") == threshold.id.rsplit("__thr_", 1)[0]
    used = {COMPARATORS[t.comparator][0] for t in thresholds}
    assert used == {e for e in concepts if e in {"gte", "gt", "lte", "lt", "eq"}}
    assert {KINDS[t.kind][0] for t in thresholds} == {e for e in concepts if e in {k for k, _ in KINDS.values()}}


def test_every_internal_reference_resolves(converted):
    _, _, root = converted
    eids = {e.get("eId") for e in root.iter() if e.get("eId")}
    for element in root.iter():
        for attribute in ("refersTo", "href", "source", "start", "period"):
            for value in (element.get(attribute) or "").split():
                if value.startswith("#"):
                    assert value[1:] in eids, f"{etree.QName(element).localname} {attribute}={value}"


def test_output_is_deterministic_and_utf8(converted):
    doc, text, _ = converted
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso')
    assert to_akn_string(doc) == text  # same document, same bytes (no clock, no random ids)
    assert "\r" not in text and text.endswith("</akomaNtoso>\n")


def test_frbr_uris_follow_the_naming_convention(converted):
    doc, _, root = converted
    work = root.find(f".//{q('FRBRWork')}")
    uri = work.find(q("FRBRuri")).get("value")
    parts = uri.split("/")
    assert parts[:2] == ["", "akn"] and parts[2] == (doc.metadata.jurisdiction or "cn")
    assert parts[3] in ("act", "doc") and parts[-1] == doc.id
    expression = root.find(f".//{q('FRBRExpression')}/{q('FRBRuri')}").get("value")
    assert expression.startswith(uri + "/zho@")
    assert root.find(f".//{q('FRBRlanguage')}").get("language") == "zho"
    for date in root.iter(q("FRBRdate")):
        assert len(date.get("date")) == 10  # full YYYY-MM-DD, as the strict schema requires


# --- the seed, in detail ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    doc = read_path(SEED)
    return doc, parse(to_akn_string(doc))


def test_seed_identification_and_dates(seed):
    _, root = seed
    find = lambda path: root.xpath(path, namespaces=A)  # noqa: E731
    assert find("//a:FRBRWork/a:FRBRthis/@value") == ["/akn/cn-zj/doc/2024/zjzbf-2024-21/!main"]
    assert find("//a:FRBRWork/a:FRBRdate/@date") == ["2024-06-06"]
    assert find("//a:FRBRWork/a:FRBRcountry/@value") == ["cn-zj"]
    assert find("//a:FRBRWork/a:FRBRnumber/@value") == ["浙政办发〔2024〕21号"]
    assert find("//a:FRBRExpression/a:FRBRuri/@value") == ["/akn/cn-zj/doc/2024/zjzbf-2024-21/zho@2024-06-06"]
    assert find("//a:publication/@date") == ["2024-06-07"]
    assert [(e.get("date"), e.get("type")) for e in find("//a:lifecycle/a:eventRef")] == [
        ("2024-06-06", "generation"), ("2024-07-06", None)]
    (interval,) = find("//a:temporalData//a:timeInterval")
    (start,) = find(f"//a:eventRef[@eId='{interval.get('start')[1:]}']")
    assert start.get("date") == "2024-07-06"


def test_seed_repeal_points_at_the_repealed_document(seed):
    doc, root = seed
    (mod,) = root.xpath("//a:activeModifications/a:textualMod", namespaces=A)
    assert mod.get("type") == "repeal"
    target = "/akn/cn-zj/doc/2022/zjzbf-2022-19"
    assert mod.find(q("destination")).get("href") == target
    source = mod.find(q("source")).get("href")[1:]
    (stated,) = root.xpath(f"//*[@eId='{source}']", namespaces=A)
    assert "浙政办发〔2022〕19号" in "".join(stated.itertext())
    (date,) = stated.iter(q("date"))  # the 施行日期 in the same sentence
    assert (date.text, date.get("date"), date.get("refersTo")) == ("2024年7月6日", "2024-07-06", "#entryIntoForce")
    (ref,) = stated.iter(q("ref"))
    assert (ref.text, ref.get("href")) == ("浙政办发〔2022〕19号", target)
    (active,) = root.xpath("//a:references/a:activeRef", namespaces=A)
    assert active.get("href") == target and "浙政办发〔2022〕19号" in active.get("showAs")


def test_seed_front_and_end_matter(seed):
    _, root = seed
    assert root.findtext(f".//{q('docNumber')}") == "浙政办发〔2024〕21号"
    assert root.findtext(f".//{q('docTitle')}").endswith("若干意见")
    assert root.findtext(f".//{q('docAuthority')}") == "浙江省人民政府办公厅文件"
    conclusions = root.find(f".//{q('conclusions')}")
    assert conclusions.find(f".//{q('docDate')}").get("date") == "2024-06-06"
    (signature,) = conclusions.iter(q("signature"))
    assert "".join(signature.itertext()) == "浙江省人民政府办公厅"
    imprint = conclusions.find(f"{q('container')}[@name='imprint']")
    assert lines(imprint)[0].startswith("抄送：省委各部门") and lines(imprint)[-1] == "2024年6月7日印发"


def test_seed_counts(seed):
    doc, root = seed
    departments = {r.department_id for u in doc.units() for r in u.responsibilities}
    assert len(departments) == 26
    # one TLCOrganization per department, plus the issuer (signature, FRBRauthor) and the converter
    assert len(list(root.iter(q("TLCOrganization")))) == 26 + 2
    assert len(list(root.iter(q("organization")))) == 85 + 1  # 85 responsibilities + the signature
    assert len(list(root.iter(q("quantity")))) == 5
    assert [x.get("normalized") for x in root.iter(q("quantity"))] == ["3", "20", "10000000", "80", "10000000000"]


# --- hand-built documents: the cases the corpus does not have ----------------------------------------------

def make(**changes) -> Document:
    items = [Unit(eid="sec_1__para_1__point_1__item_1", kind="item", num="（1）", ordinal=1, text="甲项。")]
    point = Unit(eid="sec_1__para_1__point_1", kind="point", num="1.", ordinal=1, text="前言：",
                 children=items, wrap_up="后语。")
    para = Unit(eid="sec_1__para_1", kind="paragraph", num="（一）", ordinal=1, heading="标题",
                text="不在文中的单位。（责任单位：省甲厅）\n第二段超过5万元。", children=[point],
                responsibilities=[Responsibility("省乙厅", "浙江省乙厅", "zj-yt", "lead", 1),
                                  Responsibility("省甲厅", "浙江省甲厅", "zj-jt", "participant", 2)],
                thresholds=[Threshold("sec_1__para_1__thr_1", "金额", ">", 50000.0, "CNY", "超过5万元", "wording"),
                            Threshold("sec_1__para_1__thr_2", "人数", "<", 3, "名", "不满3名", "wording")])
    section = Unit(eid="sec_1", kind="section", num="一、", ordinal=1, children=[para])
    doc = Document(id="test-2024-1", metadata=Metadata(title="测试意见", doc_type="意见", signed_date="2024-01-02",
                                                       jurisdiction="cn-zj"),
                   provenance=Provenance("test.txt", "0" * 64, "utf-8", "lf", 1),
                   body=[section], closing=Closing(signature=["测试厅"]),
                   attachments=[Attachment(num="附件", title="表格", text="第一行\n第二行")])
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


def test_hand_built_nesting_intro_wrapup_item_and_attachment_are_valid():
    doc = make()
    text = to_akn_string(doc)
    validate_akn(text, "test")
    root = parse(text)
    (item,) = root.xpath("//*[@eId='sec_1__para_1__point_1__item_1']")
    assert etree.QName(item).localname == "hcontainer" and item.get("name") == "item"
    point = unit_element(root, "sec_1__para_1__point_1")
    assert lines(point.find(q("intro"))) == ["前言："] and lines(point.find(q("wrapUp"))) == ["后语。"]
    (attachment,) = root.iter(q("attachment"))
    assert attachment.findtext(q("heading")) == "表格"
    assert lines(attachment.find(f"{q('doc')}/{q('mainBody')}")) == ["第一行", "第二行"]


def test_names_not_found_in_the_text_are_still_referenced_and_text_is_unchanged():
    root = parse(to_akn_string(make()))
    para = unit_element(root, "sec_1__para_1")
    marked = [o for o in para.iter(q("organization")) if owner(o) is para]
    assert [(o.text, o.get("refersTo")) for o in marked] == [("省甲厅", "#zj-jt")]  # 省乙厅 is not written
    assert {"zj-yt", "zj-jt"} <= {t.get("eId") for t in root.iter(q("TLCOrganization"))}
    assert [x.text for x in root.iter(q("quantity"))] == ["超过5万元"]  # 不满3名 is not written
    assert {"lt", "unit_名"} <= {c.get("eId") for c in root.iter(q("TLCConcept"))}
    assert lines(para.find(q("intro"))) == ["不在文中的单位。（责任单位：省甲厅）", "第二段超过5万元。"]


def test_a_duplicate_eid_fails_validation_with_the_schema_message():
    doc = make()
    doc.body.append(Unit(eid="sec_1", kind="section", num="二、", ordinal=2, text="重复。"))
    with pytest.raises(ValidationError) as err:
        validate_akn(to_akn_string(doc), "dup.xml")
    assert err.value.file == "dup.xml" and err.value.line
    assert any("eId" in d or "unique" in d.lower() or "Duplicate" in d for d in err.value.details)


def test_text_that_xml_cannot_hold_is_refused_with_its_place():
    doc = make()
    doc.body[0].children[0].text = "坏\x0c字符"
    with pytest.raises(ValidationError, match=r"\$\.body\[0\]\.children\[0\]\.text .*U\+000C"):
        to_akn(doc)


def test_repeal_without_doc_number_is_not_a_modification_and_without_effective_date_has_no_force():
    doc = make()
    doc.metadata.repeals = [Repeal(doc_number=None, title="旧文件"), Repeal("国办发〔2019〕7号", "某某办法")]
    doc.postamble = "《某某办法》（国办发〔2019〕7号）同时废止。"
    text = to_akn_string(doc)
    validate_akn(text, "t")
    root = parse(text)
    (mod,) = root.iter(q("textualMod"))
    assert mod.find(q("destination")).get("href") == "/akn/cn/act/2019/gbf-2019-7"  # 办法 -> act, 国 -> cn
    assert mod.find(q("force")) is None


def test_document_without_units_is_still_valid():
    doc = make(body=[], preamble="全文没有编号。")
    text = to_akn_string(doc)
    validate_akn(text, "t")
    assert lines(parse(text).find(f".//{q('preamble')}")) == ["全文没有编号。"]


def test_undated_document_gets_an_explicitly_unknown_full_date():
    doc = make()
    doc.metadata.signed_date = None
    root = parse(to_akn_string(doc))
    dates = root.xpath("/a:akomaNtoso/*/a:meta//a:FRBRWork/a:FRBRdate", namespaces=A)
    assert [(d.get("date"), d.get("name")) for d in dates] == [("0001-01-01", "unknown")]


def test_format_number():
    assert [format_number(v) for v in (3, 3.0, 0.5, 1e-7, 10_000_000.0)] == ["3", "3", "0.5", "0.0000001",
                                                                            "10000000"]


# --- validation of XML from outside -------------------------------------------------------------------

def test_validate_reports_malformed_xml_with_its_line(tmp_path):
    with pytest.raises(ValidationError) as err:
        validate_akn(b"<akomaNtoso>\n<doc>\n</akomaNtoso>", "bad.xml")
    assert err.value.line == 3 and "XML 格式不正确" in err.value.message


def test_validate_reports_schema_errors_with_lines():
    xml = f'<akomaNtoso xmlns="{NS}">\n  <doc name="x">\n    <mainBody><p/></mainBody>\n  </doc>\n</akomaNtoso>'
    with pytest.raises(ValidationError) as err:
        validate_akn(xml, "nometa.xml")
    assert err.value.line == 3
    assert err.value.details and err.value.details[0].startswith("第 3 行：")
    assert "meta" in err.value.details[0]


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xml = (f'<?xml version="1.0"?>\n<!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
           f'<akomaNtoso xmlns="{NS}"><doc name="x">&x;</doc></akomaNtoso>')
    parsed = etree.fromstring(xml.encode("utf-8"), safe_parser())
    assert "TOP-SECRET" not in etree.tostring(parsed, encoding="unicode")
    with pytest.raises(ValidationError) as err:
        validate_akn(xml, "xxe.xml")
    assert "TOP-SECRET" not in str(err.value) and "DOCTYPE" in err.value.message


# --- command line -------------------------------------------------------------------------------------

def test_cli_parse_akn_and_validate_xml(tmp_path):
    runner = CliRunner()
    out = tmp_path / "seed.xml"
    result = runner.invoke(main, ["parse", str(SEED), "--format", "akn", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == to_akn_string(read_path(SEED))
    result = runner.invoke(main, ["validate", str(out)])
    assert result.exit_code == 0 and "valid" in result.output
    validate_file(out)


def test_cli_validate_rejects_invalid_xml_with_location(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<akomaNtoso xmlns="{NS}">\n<doc name="x"/>\n</akomaNtoso>\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output and "错误: 不是有效的 Akoma Ntoso 3.0" in result.output


def test_the_excerpt_in_the_docs_is_real_output():
    page = (ROOT / "docs" / "akn.md").read_text(encoding="utf-8")
    excerpt = page.split("```xml\n", 1)[1].split("```", 1)[0]
    output = {line.strip() for line in to_akn_string(read_path(SEED)).splitlines()}
    shown = [line.strip() for line in excerpt.splitlines() if line.strip() != "…"]
    assert len(shown) > 40
    assert [line for line in shown if line not in output] == []


# --- inline placement, for any text --------------------------------------------------------------------

# Characters XML can hold, including the ones it must escape; newlines separate paragraphs.
_TEXT = st.text(alphabet=st.sampled_from(list("省厅局市委甲乙丙、，（）：。%<>&\"']]\n 12")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, needles=st.lists(st.text(alphabet=st.sampled_from(list("省厅局甲乙、12<&")), max_size=4),
                                     max_size=6), anchored=st.booleans())
def test_marking_never_changes_the_text_and_never_overlaps(text, needles, anchored):
    marks = [Mark(n, "organization", (("refersTo", f"#o{i}"),)) for i, n in enumerate(needles)]
    placed = place(text, marks, from_last_anchor=anchored)
    spans = placed.spans
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start:s.end] == s.mark.needle for s in spans)
    assert len(spans) + len(placed.missing) == len([m for m in marks if m.needle])
    parent = etree.Element(q("content"))
    paragraphs(parent, q("p"), text, spans)
    round_trip = parse(etree.tostring(parent, encoding="unicode"))
    assert lines(round_trip) == text.split("\n")
