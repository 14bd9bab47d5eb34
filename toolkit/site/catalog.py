"""What the site is built from, and the cross-document indexes its pages need.

The build gives `build_site` a list of documents, each with its published versions (oldest first; the last
one is current). Plain `Document`s are accepted too (one version each, dated by their 成文日期), which is
what tests and small scripts use. Nothing here touches the file system.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..chinese import normalize_brackets
from ..divisions import place_by_code
from ..errors import PolicykitError
from ..model import Document, Responsibility, Threshold, Unit
from .html import url_segment


@dataclass
class SiteVersion:
    """One published version of a document."""

    version: str  # stable label used in URLs (/<doc-id>/<version>/), e.g. 2024-06-06
    date: str  # ISO date the version was published; the feed's entry date
    document: Document
    amends: str | None = None  # the version this one revises (default: the one before it); see revisions.py


@dataclass
class SiteDocument:
    """A document and its versions, oldest first."""

    id: str
    versions: list[SiteVersion]
    status: str | None = None  # in_force | repealed; None: derived from the other documents' 废止 sentences
    repealed_by: list[str] = field(default_factory=list)  # doc ids, filled by catalog()
    repeals: list[str] = field(default_factory=list)  # 发文字号 of documents this one repeals or replaces

    @property
    def current(self) -> SiteVersion:
        return self.versions[-1]

    @property
    def doc(self) -> Document:
        return self.current.document


@dataclass
class ClauseRef:
    """A unit of a document, as linked from an index page."""

    doc: SiteDocument
    unit: Unit

    @property
    def url(self) -> str:
        return f"{self.doc.id}/#{self.unit.eid}"


@dataclass
class Department:
    id: str
    name: str  # official full name
    written: set[str] = field(default_factory=set)  # names as written in the documents
    clauses: dict[str, list[ClauseRef]] = field(default_factory=dict)  # role -> clauses
    documents: list[SiteDocument] = field(default_factory=list)  # document-wide responsibility
    places: set[str] = field(default_factory=set)  # where the documents naming it apply (广州市), when known


def _version_of(item) -> SiteDocument:
    """Accept our SiteDocument, a plain Document, or any object with .id and .versions (duck typing)."""
    if isinstance(item, SiteDocument):
        return item
    if isinstance(item, Document):
        date = item.metadata.signed_date or item.metadata.printed_date or "1970-01-01"
        return SiteDocument(id=item.id, versions=[SiteVersion(version=date, date=date, document=item)])
    versions = [
        v if isinstance(v, SiteVersion) else SiteVersion(version=str(v.version), date=str(v.date), document=v.document,
                                                         amends=getattr(v, "amends", None))
        for v in getattr(item, "versions", [])
    ]
    # Relations from the build's manifest (type repeals | replaces, doc_number) add to the text's 废止 sentences.
    relations = [r.doc_number for r in getattr(item, "relations", []) if r.type in ("repeals", "replaces")]
    return SiteDocument(id=item.id, versions=versions, status=getattr(item, "status", None), repeals=relations)


def number_key(doc_number: str | None) -> str:
    """发文字号 comparable across bracket styles and spacing: 浙政办发〔2022〕19号 = 浙政办发[2022] 19号."""
    return normalize_brackets("".join((doc_number or "").split())).replace("(", "（").replace(")", "）")


def catalog(documents) -> list[SiteDocument]:
    """Normalise the input, check ids, and work out which documents repeal which."""
    docs = [_version_of(d) for d in documents]
    seen: set[str] = set()
    for d in docs:
        url_segment(d.id, "document id")
        if d.id in seen:
            raise PolicykitError(f"document id {d.id!r} appears twice in the site")
        if not d.versions:
            raise PolicykitError(f"document {d.id!r} has no published version")
        if d.id in {"departments", "thresholds", "downloads", "about", "data", "search", "assets"}:
            raise PolicykitError(f"document id {d.id!r} clashes with a page of the site")
        seen.add(d.id)
    by_number = {number_key(d.doc.metadata.doc_number): d for d in docs if d.doc.metadata.doc_number}
    for d in docs:
        for number in [*(r.doc_number for r in d.doc.metadata.repeals), *d.repeals]:
            target = by_number.get(number_key(number)) if number else None
            if target is not None and target is not d and d.id not in target.repealed_by:
                target.repealed_by.append(d.id)
    for d in docs:
        if d.status is None:
            d.status = "repealed" if d.repealed_by else "in_force"
    return sorted(docs, key=lambda d: (d.doc.metadata.signed_date or "", d.id), reverse=True)


def departments(docs: list[SiteDocument]) -> list[Department]:
    """Every department named in the current versions, with its clauses by role. Groups (各有关单位, 各省级人民政府)
    are a class of units, not a department: they get no page."""
    found: dict[str, Department] = {}

    def entry(r: Responsibility, doc: Document) -> Department:
        url_segment(r.department_id, "department id")
        dept = found.setdefault(r.department_id, Department(id=r.department_id, name=r.full_name or r.department))
        dept.written.add(r.department)
        place = place_by_code(doc.metadata.jurisdiction_code, doc.metadata.jurisdiction)
        if place is not None:
            dept.places.add(place.name)
        return dept

    for d in docs:
        for unit in d.doc.units():
            for r in unit.responsibilities:
                if r.kind == "group":
                    continue
                refs = entry(r, d.doc).clauses.setdefault(r.role, [])
                if not any(ref.doc is d and ref.unit is unit for ref in refs):
                    refs.append(ClauseRef(d, unit))
        for r in d.doc.responsibilities:
            if r.kind == "group":
                continue
            dept = entry(r, d.doc)
            if d not in dept.documents:
                dept.documents.append(d)
    # Most involved first, so the index page starts with the departments a reader most likely looks for.
    return sorted(found.values(), key=lambda x: (-sum(len(v) for v in x.clauses.values()), x.id))


def thresholds(docs: list[SiteDocument]) -> list[tuple[ClauseRef, Threshold]]:
    """Every threshold of the current versions, in document order."""
    return [(ClauseRef(d, unit), t) for d in docs for unit in d.doc.units() for t in unit.thresholds]
