"""Relations between the documents of a release, resolved once against the whole corpus.

Kinds (what the *source* document does to the *target*):

    repeals      its 废止 sentence (any version) or a manifest relation names the target
    replaces     a manifest relation
    revises      a version revises an earlier version of the same document (manifest `amends`)
    implements   its current version cites the target after 依据 / 根据 / 依照 / 贯彻落实
    cites        its current version mentions the target in any other way

Each relation names the other document as the text does (发文字号, title, the citation as written, the clause eid)
and, when that document is in the release, its id: resolved by 发文字号 first (any bracket style), then by
exact title. Unresolved relations are kept with their text. Status (status.py), catalog.json, relations.csv, the
AKN references and the site's 引用本文的文件 / 本文引用的文件 all read this one list.
"""
from __future__ import annotations

import dataclasses

from dataclasses import dataclass

from .vocabulary import doc_number_key, title_key

KINDS = ("repeals", "replaces", "revises", "implements", "cites")
INVERSE = {"repeals": "repealed_by", "replaces": "replaced_by", "revises": "revised_by",
           "implements": "implemented_by", "cites": "cited_by"}
LABELS = {"repeals": "废止", "replaces": "替代", "revises": "修订", "implements": "依据", "cites": "引用",
          "repealed_by": "被废止", "replaced_by": "被替代", "revised_by": "被修订", "implemented_by": "被依据",
          "cited_by": "被引用"}


@dataclass(frozen=True)
class DocumentRelation:
    """One relation, from `source` (a document id, at `source_version`) to another document."""

    type: str  # one of KINDS
    source: str
    source_version: str
    target: str | None  # document id when the other document is in the release
    target_version: str | None  # revises: the version revised; else None
    doc_number: str | None  # the other document's 发文字号 as the source gives it (normalised to 〔〕)
    title: str | None  # its title as the source gives it
    text: str | None  # the citation as written, None for manifest relations and revisions
    eid: str | None  # where the citation stands in the source (unit eid, att_N), None: preamble/postamble/none
    field: str | None  # citations.Citation.field
    origin: str  # text | manifest | versions
    resolved_by: str | None  # number | title | id (revisions) | None: not in the release

    def as_catalog(self, inverse: bool = False) -> dict:
        """The relation as catalog.json and relations.csv give it, seen from the source (or, inverse, from the
        target: the type becomes repealed_by, cited_by …)."""
        return {"type": INVERSE[self.type] if inverse else self.type,
                "document_id": self.source if inverse else self.target,
                "version": self.source_version if inverse else self.target_version,
                "doc_number": self.doc_number, "title": self.title, "text": self.text, "eid": self.eid,
                "origin": self.origin, "resolved_by": self.resolved_by}


def compute(documents) -> list[DocumentRelation]:
    """Every relation of the release (documents: ReleaseDocument-like, sorted by id), in a stable order."""
    by_number: dict[str, str] = {}
    by_title: dict[str, str] = {}
    numbers: dict[str, set[str]] = {}  # document id -> the 发文字号 of its versions
    for doc in documents:
        for rv in doc.versions:
            meta = rv.summary.metadata
            if key := doc_number_key(meta.doc_number):
                by_number.setdefault(key, doc.id)
                numbers.setdefault(doc.id, set()).add(key)
            if key := title_key(meta.title):
                by_title.setdefault(key, doc.id)

    def resolve(number: str | None, title: str | None) -> tuple[str | None, str | None]:
        if number and (target := by_number.get(doc_number_key(number))):
            return target, "number"
        if title and (target := by_title.get(title_key(title))):
            if number and numbers.get(target):
                return None, None  # same title, another 发文字号: a different document (reissued under that title)
            return target, "title"
        return None, None

    out: list[DocumentRelation] = []
    for doc in documents:
        repealed: dict[tuple, int] = {}  # one repeal per other document, whatever says it (manifest first)

        def add_repeal(kind, number, title, text, eid, field, origin, version):
            target, how = resolve(number, title)
            key = (("id", target) if target else ("number", doc_number_key(number)) if number
                   else ("title", title_key(title)))
            if target == doc.id and origin == "text":
                return  # the text repeals an earlier version of this very document (a revision)
            if key in repealed:
                # Said twice (the manifest and the 废止 sentence): one relation, with what the text adds — the
                # title and the words as written, shown on the page instead of a bare 发文字号.
                first = out[repealed[key]]
                out[repealed[key]] = dataclasses.replace(
                    first, doc_number=first.doc_number or number, title=first.title or title,
                    text=first.text or text, eid=first.eid or eid, field=first.field or field)
                return
            repealed[key] = len(out)
            out.append(DocumentRelation(kind, doc.id, version, target, None, number, title, text, eid, field,
                                        origin, how))

        for rel in getattr(doc, "relations", []):
            add_repeal(rel.type, rel.doc_number, rel.title, None, None, None, "manifest", doc.current.version)
        for rv in doc.versions:
            citations = [c for c in rv.summary.citations if c.kind == "repeals"]
            for c in citations:
                add_repeal("repeals", c.doc_number, c.title, c.text, c.eid, c.field, "text", rv.version)
            # 废止 sentences the citation reader did not see as citations (e.g. a 发文字号 split oddly)
            for r in rv.summary.metadata.repeals:
                add_repeal("repeals", r.doc_number, r.title, None, None, None, "text", rv.version)
        for rv in doc.versions:
            if rv.amends:
                out.append(DocumentRelation("revises", doc.id, rv.version, doc.id, rv.amends, None, None, None,
                                            None, None, "versions", "id"))
        current = doc.current
        for c in current.summary.citations:
            if c.kind == "repeals":
                continue
            target, how = resolve(c.doc_number, c.title)
            if target == doc.id:
                target, how = None, None  # names itself in another way (an earlier 发文字号): not a link
                continue
            out.append(DocumentRelation(c.kind, doc.id, current.version, target, None, c.doc_number, c.title,
                                        c.text, c.eid, c.field, "text", how))
    return out


@dataclass(frozen=True)
class Index:
    """The relations of each document, both ways, found in one pass (a thousand documents ask for theirs)."""

    outgoing: dict[str, list[DocumentRelation]]  # source id -> what it does to others (revisions left out)
    incoming: dict[str, list[DocumentRelation]]  # target id -> what other documents do to it

    @classmethod
    def of(cls, relations: list[DocumentRelation]) -> Index:
        outgoing: dict[str, list[DocumentRelation]] = {}
        incoming: dict[str, list[DocumentRelation]] = {}
        for r in relations:
            if r.type != "revises":
                outgoing.setdefault(r.source, []).append(r)
            if r.target and r.target != r.source:
                incoming.setdefault(r.target, []).append(r)
        return cls(outgoing, incoming)

    def catalog(self, doc_id: str) -> list[dict]:
        """A document's relations as catalog.json lists them: its own, then those of other documents that name it
        (inverse types), each in release order."""
        return ([r.as_catalog() for r in self.outgoing.get(doc_id, [])]
                + [r.as_catalog(inverse=True) for r in self.incoming.get(doc_id, [])])
