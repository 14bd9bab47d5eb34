"""Names in our Akoma Ntoso output: the root element, document IRIs, dates, and the eIds of things in <references>.

IRIs follow the Akoma Ntoso Naming Convention 1.0 (OASIS, 2019); docs/akn.md explains each choice.
Pure functions of the document model: the same document always gets the same names.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..model import Document, Repeal
from ..vocabulary import ACT_TYPES, doc_type_of, id_for_doc_number, parse_doc_number
from ..registry import provinces

LANGUAGE = "zho"  # ISO 639-2 alpha-3, as the naming convention requires
DEFAULT_COUNTRY = "cn"  # every document we read is Chinese; used when the reader found no jurisdiction
UNKNOWN_DATE = "0001-01-01"  # FRBRdate is required and must be a full date; name="unknown" goes with it

# Threshold.comparator -> (TLCConcept eId, Chinese label). The label says what the sign means, whatever
# wording (以上, 不低于, 超过…) the text used.
COMPARATORS = {
    "≥": ("gte", "大于或等于"),
    ">": ("gt", "大于"),
    "≤": ("lte", "小于或等于"),
    "<": ("lt", "小于"),
    "=": ("eq", "等于"),
}

# Threshold.kind -> (TLCConcept eId, Chinese label): what the number is in the policy.
KINDS = {
    "condition": ("condition", "条件"),
    "benefit": ("benefit", "待遇"),
    "deadline": ("deadline", "期限"),
    "penalty": ("penalty", "处罚"),
    "target": ("target", "目标"),
}

# Threshold.unit values with a fixed concept eId; other counters (名, 家, 个工作日…) become unit_<counter>.
UNIT_CONCEPTS = {"%": ("percent", "百分比"), "CNY": ("cny", "人民币元")}

AGENT_ID = "policykit"  # the TLCOrganization that every `source` attribute names: the converter

# eIds the writer itself gives to elements other than units and thresholds. A department id equal to one of
# them (none of the registry's are) gets the org_ prefix instead.
_FIXED_EIDS = {AGENT_ID, "original", "inForce", "signature", "entryIntoForce", "gte", "gt", "lte", "lt", "eq",
               "percent", "cny", *(eid for eid, _ in KINDS.values())}
_NUMBERED_EID = re.compile(r"(eref|tmpg|amod|hcontainer|att|repealed|event)_\d+")

# Close enough to XML's NCName for our inputs: a letter or _ first, then letters, digits, _ . -
_NCNAME = re.compile(r"[^\W\d][\w.-]*")


def root_element(doc_type: str | None) -> tuple[str, str]:
    """(element, name attribute): ("act", "法") for laws and regulations, ("doc", "意见") for any other 公文."""
    if doc_type in ACT_TYPES:
        return "act", doc_type
    return "doc", doc_type or "公文"


def country(doc: Document) -> str:
    return doc.metadata.jurisdiction or DEFAULT_COUNTRY


def work_date(doc: Document) -> str | None:
    """Date of the Work: the first recorded event (a law's adoption), else 成文日期, else 印发日期."""
    meta = doc.metadata
    events = sorted(event.date for event in meta.events)
    return (events[0] if events else None) or meta.signed_date or meta.printed_date


def expression_date(doc: Document) -> str | None:
    """Date of this version of the text: the latest of its dates before publication (a revision, or 成文日期)."""
    dates = [d for d in [work_date(doc), doc.metadata.signed_date, *(e.date for e in doc.metadata.events)] if d]
    return max(dates) if dates else None


def work_uri(doc: Document) -> str:
    """/akn/cn-zj/doc/2024/zjzbf-2024-21 — country, document type, date, number.

    The number is our document id (the same id as in the JSON and the site's URLs). A 发文字号 identifies its
    document by year (serial numbers restart every year), so a document that has one uses the year alone: that
    is also all a reference built from a bare 发文字号 can know (see repealed_uri), and the two must agree.
    Other documents use the full work date, or 0001 when the text has no date at all.
    """
    element, _ = root_element(doc.metadata.doc_type)
    parts = doc.metadata.doc_number_parts
    date = f"{parts.year:04d}" if parts else (work_date(doc) or UNKNOWN_DATE[:4])
    return f"/akn/{country(doc)}/{element}/{date}/{doc.id}"


def expression_uri(doc: Document) -> str:
    """Work IRI + /zho@date of this version."""
    return f"{work_uri(doc)}/{LANGUAGE}@{expression_date(doc) or ''}"


def manifestation_uri(doc: Document) -> str:
    """The XML file: expression IRI + .xml (its components are …/!main.xml, …/!att_1.xml)."""
    return f"{expression_uri(doc)}.xml"


def component_uri(base: str, component: str) -> str:
    """The IRI of a component (an attachment) of a work or expression: base/!att_1."""
    return f"{base}/!{component}"


def _country_of_agency(agency_code: str, fallback: str) -> str:
    """Jurisdiction from the first character of a 机关代字: 浙 -> cn-zj, 国 -> cn, else our own."""
    if agency_code.startswith("国"):
        return "cn"
    for row in provinces():
        if agency_code.startswith(row["abbreviation"]):
            return row["code"]
    return fallback


def repealed_uri(doc: Document, repeal: Repeal) -> str | None:
    """Work IRI of a document this one repeals, built from its 发文字号; None without one.

    Built the way work_uri names that document when it is converted itself: the id the reader derives from
    the 发文字号, the year alone, and act/doc from the type its title ends with.
    """
    return other_uri(doc, repeal.doc_number, repeal.title)


def other_uri(doc: Document, doc_number: str | None, title: str | None) -> str | None:
    """Work IRI of another document known by its 发文字号 (a repeal, a citation); None without one."""
    parsed = parse_doc_number(doc_number) if doc_number else None
    if not parsed:
        return None
    _, parts = parsed
    other_id = id_for_doc_number(parts)
    element, _ = root_element(doc_type_of(title))
    jurisdiction = _country_of_agency(parts.agency_code, country(doc))
    return f"/akn/{jurisdiction}/{element}/{parts.year:04d}/{other_id}"


def ontology_uri(kind: str, name: str) -> str:
    """IRI of a non-document concept: /akn/ontology/organization/zj-jxt, /akn/ontology/concept/gte."""
    return f"/akn/ontology/{kind}/{name}"


def is_writer_eid(text: str) -> bool:
    return text in _FIXED_EIDS or bool(_NUMBERED_EID.fullmatch(text)) or text.startswith("unit_")


def is_ncname(text: str) -> bool:
    return bool(_NCNAME.fullmatch(text))


def safe_eid(text: str, prefix: str) -> str:
    """text itself when it can serve as an eId (an NCName), else prefix + text with other characters as _."""
    if is_ncname(text):
        return text
    return prefix + re.sub(r"[^\w.-]", "_", text)


def unit_concept(unit: str) -> tuple[str, str]:
    """(eId, label) of the TLCConcept for a threshold's unit: percent, cny, unit_名, unit_个工作日."""
    if unit in UNIT_CONCEPTS:
        return UNIT_CONCEPTS[unit]
    return safe_eid("unit_" + unit, "unit_"), unit


def format_number(value: int | float) -> str:
    """A threshold value for @normalized: 10000000, 3, 0.5 (never 1e7 or 3.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)), "f")
