"""What the site is built from, and the cross-document indexes its pages need.

The build gives `build_site` the release's documents (release.ReleaseDocument), each with its published versions
(oldest first; the last one is current) and everything computed about the corpus: status, relations. The site
computes none of that itself. Plain `Document`s and hand-made SiteDocuments are accepted too (tests, small
scripts): they are put into a release.Release first, so their statuses come from the same code.
Nothing here touches the file system.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import urls
from ..divisions import place_by_code
from ..errors import PolicykitError
from ..model import Document, Responsibility, Threshold, Unit
from ..relations import DocumentRelation, Index
from ..relations import compute as compute_relations
from ..release import Release, ReleaseDocument, ReleaseVersion
from ..status import Period, Status
from .html import url_segment


@dataclass
class SiteVersion:
    """One published version of a document."""

    version: str  # stable label used in URLs (/<doc-id>/<version>/), e.g. 2024-06-06
    date: str  # ISO date the version was published; the feed's entry date
    document: Document
    amends: str | None = None  # the version this one revises (default: the one before it); see revisions.py
    status: Status | None = None  # from the release (status.py); filled by catalog() when None
    period: Period | None = None  # when it is in force (status.Period), from the release like `status`


@dataclass
class SiteDocument:
    """A document and its versions, oldest first."""

    id: str
    versions: list[SiteVersion]
    repeals: list[str] = field(default_factory=list)  # 发文字号 of documents this one repeals or replaces (manifest)
    release: ReleaseDocument | None = field(default=None, repr=False)  # what the release knows of it
    former_ids: list[str] = field(default_factory=list)  # earlier ids: their URLs redirect here
    cites: list[DocumentRelation] = field(default_factory=list)  # 本文引用的文件: what this one repeals, cites…
    cited_by: list[DocumentRelation] = field(default_factory=list)  # 引用本文的文件: other documents naming this one

    @property
    def current(self) -> SiteVersion:
        return self.versions[-1]

    @property
    def status(self) -> Status:
        """Status of the current version, as the release computed it."""
        return self.current.status

    @property
    def repealed_by(self) -> list[str]:
        """Ids of the documents in the site that repealed this one (from the release's status)."""
        by = self.status.by if self.status.code == "repealed" else None
        return [by] if by else []

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
        return urls.clause(self.doc.id, self.unit.eid)


@dataclass
class Department:
    id: str
    name: str  # official full name
    written: set[str] = field(default_factory=set)  # names as written in the documents
    clauses: dict[str, list[ClauseRef]] = field(default_factory=dict)  # role -> clauses
    documents: list[SiteDocument] = field(default_factory=list)  # document-wide responsibility
    places: set[str] = field(default_factory=set)  # where the documents naming it apply (广州市), when known


def _site_document(item) -> SiteDocument:
    """Accept a release.ReleaseDocument, our SiteDocument, or a plain Document."""
    if isinstance(item, SiteDocument):
        return item
    if isinstance(item, Document):
        date = item.metadata.signed_date or item.metadata.printed_date or "1970-01-01"
        return SiteDocument(id=item.id, versions=[SiteVersion(version=date, date=date, document=item)])
    versions = [SiteVersion(version=str(v.version), date=str(v.date), document=v.document,
                            amends=getattr(v, "amends", None), status=getattr(v, "status", None),
                            period=getattr(v, "period", None))
                for v in getattr(item, "versions", [])]
    relations = [r.doc_number for r in getattr(item, "relations", []) if r.type in ("repeals", "replaces")]
    return SiteDocument(id=item.id, versions=versions, repeals=relations,
                        release=item if isinstance(item, ReleaseDocument) else None,
                        former_ids=list(getattr(item, "former_ids", [])))


def _from_release(docs: list[SiteDocument], release: Release | None, as_of: str | None) -> None:
    """Statuses and relations, as the release computed them. Documents that do not come from a build are put into
    a Release first: one computation whatever the input."""
    if release is None and all(v.status is not None and v.period is not None and d.release is not None
                               for d in docs for v in d.versions):
        relations = compute_relations(sorted((d.release for d in docs), key=lambda r: r.id))
    else:
        if release is None:
            release = Release([d.release or ReleaseDocument(
                d.id, [ReleaseVersion(v.version, v.amends, Path(v.document.provenance.source_file), v.document)
                       for v in d.versions], relations=[_Relation(number) for number in d.repeals])
                for d in docs], as_of=as_of)
        relations = release.relations
        computed = {(rd.id, rv.version): rv for rd in release.documents for rv in rd.versions}
        for d in docs:
            for v in d.versions:
                v.status = v.status or computed[(d.id, v.version)].status
                v.period = v.period or computed[(d.id, v.version)].period
    related = release.related if release is not None else Index.of(relations)
    for d in docs:
        d.cites = related.outgoing.get(d.id, [])
        d.cited_by = related.incoming.get(d.id, [])


@dataclass(frozen=True)
class _Relation:
    doc_number: str
    type: str = "repeals"
    title: str | None = None


def catalog(documents, as_of: str | None = None) -> list[SiteDocument]:
    """Normalise the input (a release.Release, or a list of documents), check ids, and take every version's status
    and every relation from the release (as_of: for documents that do not come from a build, the date their
    statuses are computed for; see release.Release)."""
    release = documents if isinstance(documents, Release) else None
    docs = [_site_document(d) for d in (release.documents if release else documents)]
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
    _from_release(docs, release, as_of)
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
