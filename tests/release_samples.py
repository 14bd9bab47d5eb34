"""Hand-built documents for the release tests: small, but with every feature the tables carry
(nested clauses, lead/participant/document-wide responsibilities, thresholds in an any-group, text that needs
CSV quoting)."""
from __future__ import annotations

from toolkit.model import (ConditionGroup, Document, Metadata, Provenance, Repeal, Responsibility, Threshold,
                           Unit)


def resp(name: str, role: str, order: int, full: str | None = None) -> Responsibility:
    return Responsibility(department=name, full_name=full or name, department_id=_dep_id(name), role=role,
                          order=order)


def _dep_id(name: str) -> str:
    return {"省经信厅": "zj-jxt", "省科技厅": "zj-kjt", "省财政厅": "zj-czt",
            "各市、县（市、区）政府": "zj-local-gov"}.get(name, "dep-" + str(len(name)))


def sample_document(doc_id: str = "zjzbf-2024-21", title: str = "关于进一步促进专精特新中小企业高质量发展的若干意见",
                    doc_number: str = "浙政办发〔2024〕21号", signed: str | None = "2024-06-06") -> Document:
    thr1 = Threshold(id="sec_2__para_1__thr_1", metric="研发费用占营业收入比重", comparator="≥", value=3, unit="%",
                     source_text="3%以上", rule="civil_code_1259", group="sec_2__para_1__grp_2")
    thr2 = Threshold(id="sec_2__para_1__thr_2", metric="基础研究研发费用投入", comparator=">", value=10000000.0,
                     unit="CNY", source_text="超过1000万元", rule="wording", group="sec_2__para_1__grp_1")
    thr3 = Threshold(id="sec_2__para_1__thr_3", metric="兑付补助比例", comparator="≥", value=0.5, unit="%",
                     source_text="不低于0.5%", rule="wording", group=None)
    para21 = Unit(
        eid="sec_2__para_1", kind="paragraph", num="（一）", ordinal=1, heading="鼓励开展研发攻关",
        text='对研发费用占营业收入比重3%以上的企业，或基础研究研发费用投入超过1000万元的企业，给予"奖励"，\n第二段，含逗号,和引号"。',
        responsibilities=[resp("省科技厅", "lead", 1), resp("省经信厅", "participant", 2),
                          resp("省财政厅", "participant", 3)],
        thresholds=[thr1, thr2, thr3],
        condition_groups=[ConditionGroup(id="sec_2__para_1__grp_1", logic="any",
                                         items=["sec_2__para_1__grp_2", "sec_2__para_1__thr_2"]),
                          ConditionGroup(id="sec_2__para_1__grp_2", logic="all", items=["sec_2__para_1__thr_1"])],
        source_lines=[20, 22],
    )
    point = Unit(eid="sec_2__para_2__point_1", kind="point", num="1.", ordinal=1, text="具体措施。",
                 source_lines=[25, 25])
    para22 = Unit(eid="sec_2__para_2", kind="paragraph", num="（二）", ordinal=2, heading=None, text="推进成果转化。",
                  children=[point], wrap_up="以上措施同步实施。",
                  responsibilities=[resp("省经信厅", "lead", 1)], source_lines=[24, 26])
    sec1 = Unit(eid="sec_1", kind="section", num="一、", ordinal=1, heading="完善梯度培育机制", text="",
                responsibilities=[resp("省经信厅", "lead", 1), resp("各市、县（市、区）政府", "participant", 2)],
                source_lines=[10, 18])
    sec2 = Unit(eid="sec_2", kind="section", num="二、", ordinal=2, heading="提升创新发展能力",
                children=[para21, para22], source_lines=[19, 26])
    return Document(
        id=doc_id,
        metadata=Metadata(title=title, doc_number=doc_number, doc_type="意见", issuer="浙江省人民政府办公厅",
                          issuers=["浙江省人民政府办公厅"], signed_date=signed, jurisdiction="cn-zj",
                          repeals=[Repeal(doc_number="浙政办发〔2022〕19号", title=None)]),
        provenance=Provenance(source_file=f"{doc_id}.txt", sha256="0" * 64, encoding="utf-8", newline="lf",
                              line_count=40),
        preamble="为深入贯彻落实……制定如下意见。",
        body=[sec1, sec2],
        postamble="本意见自2024年7月6日起施行。",
        responsibilities=[resp("各市、县（市、区）政府", "responsible_subject", 1)],
    )
