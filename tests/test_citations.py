"""Citations of other documents (toolkit/readers/citations.py): forms, kinds, spans, and what is not a citation."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus_files import CORPUS_DIR, EVERY
from toolkit.reader import read_bytes, read_path

SEED = Path(__file__).resolve().parent.parent / "source" / "zjzbf-2024-21.txt"


def _doc(*body: str, title: str = "浙江省人民政府办公厅关于某项工作的通知", number: str = "浙政办发〔2024〕3号"):
    text = "\n".join(["浙江省人民政府办公厅文件", number, title, "各市人民政府：", *body, "浙江省人民政府办公厅",
                      "2024年1月5日", ""])
    return read_bytes(text.encode(), "x.txt")


def _texts(doc):
    """The text a citation's (eid, field) names."""
    out = {(None, "preamble"): doc.preamble, (None, "postamble"): doc.postamble}
    for u in doc.units():
        out[(u.eid, "heading")], out[(u.eid, "text")], out[(u.eid, "wrap_up")] = u.heading, u.text, u.wrap_up
    for n, a in enumerate(doc.attachments, 1):
        out[(f"att_{n}", "attachment")] = a.text
    return out


@pytest.mark.parametrize("path", [SEED, *EVERY], ids=lambda p: p.name[:2])
def test_every_span_is_the_text_it_names(path):
    doc = read_path(path)
    texts = _texts(doc)
    for c in doc.citations:
        assert texts[(c.eid, c.field)][c.start:c.end] == c.text


def test_the_seed_repeals_by_title_and_number():
    (c,) = read_path(SEED).citations
    assert (c.kind, c.doc_number, c.field) == ("repeals", "浙政办发〔2022〕19号", "postamble")
    assert c.title == "浙江省人民政府办公厅关于大力培育促进“专精特新”中小企业高质量发展的若干意见"


def test_forms_and_kinds():
    doc = _doc("根据《中华人民共和国中小企业促进法》《浙江省促进中小企业发展条例》和《国务院关于甲的意见》"
               "（国发〔2020〕5号），结合实际，现通知如下：",
               "一、按照浙政办发[2023]6号的要求，做好工作。",
               "二、为贯彻落实《浙江省人民政府关于乙的意见》（浙政发〔2021〕9号）精神，参照《丙办法》执行。",
               "三、本通知自2024年2月1日起施行。《浙江省人民政府办公厅关于丁的通知》（浙政办发〔2019〕2号）、"
               "浙政办发〔2018〕7号同时废止。")
    found = [(c.kind, c.title, c.doc_number, c.eid) for c in doc.citations]
    assert found == [
        ("implements", "中华人民共和国中小企业促进法", None, None),
        ("implements", "浙江省促进中小企业发展条例", None, None),
        ("implements", "国务院关于甲的意见", "国发〔2020〕5号", None),
        ("cites", None, "浙政办发〔2023〕6号", "sec_1"),
        ("implements", "浙江省人民政府关于乙的意见", "浙政发〔2021〕9号", "sec_2"),
        ("cites", "丙办法", None, "sec_2"),
        ("repeals", "浙江省人民政府办公厅关于丁的通知", "浙政办发〔2019〕2号", "sec_3"),
        ("repeals", None, "浙政办发〔2018〕7号", "sec_3"),
    ]
    assert doc.citations[3].text == "浙政办发[2023]6号"  # as written; doc_number normalised


def test_the_document_itself_and_what_it_transmits_are_not_citations():
    doc = _doc("现将《某项工作管理办法》印发给你们，请认真贯彻执行。浙政办发〔2024〕3号文件另行通知。",
               title="浙江省人民政府办公厅关于印发某项工作管理办法的通知")
    assert doc.citations == []


def test_same_title_but_another_number_is_another_document():
    doc = read_path(CORPUS_DIR / "28_mohrss-laoshebufa-2008-3-working-days-wage-notice.txt")
    repeal = [c for c in doc.citations if c.kind == "repeals"]
    assert [(c.doc_number, c.title) for c in repeal] == [("劳社部发〔2000〕8号", doc.metadata.title)]


def test_akn_names_cited_documents_and_links_the_citation():
    from toolkit.validate import validate_akn
    from toolkit.writers.akn import to_akn_string

    doc = _doc("一、根据《国务院关于甲的意见》（国发〔2020〕5号）和《丙办法》，按照浙政办发[2023]6号的要求做好工作。")
    xml = to_akn_string(doc)
    validate_akn(xml, name="x.txt")
    assert ('<TLCReference eId="cited_1" href="/akn/cn/doc/2020/gf-2020-5" '
            'showAs="《国务院关于甲的意见》（国发〔2020〕5号）" name="implements"/>') in xml
    assert 'name="cites"' in xml and "/akn/cn-zj/doc/2023/zjzbf-2023-6" in xml
    assert '根据<ref href="/akn/cn/doc/2020/gf-2020-5">《国务院关于甲的意见》（国发〔2020〕5号）</ref>' in xml
    assert "《丙办法》" in xml and "丙办法》</ref>" not in xml  # no 发文字号, no IRI: plain text
