"""Legal status (效力状态) of every document version, computed once for the whole release.

The status is a fact about the corpus, not about one text: a document is 已废止 because *another* document says
so. It is computed as of one date (`as_of`), never the clock, so the same sources always give the same release:
by default the newest version date in the corpus (see default_as_of), or the date the publisher passes
(`policykit build --as-of`). In order:

1. A manifest override ([document.status] in source/manifest.toml) wins for the current version: someone checked
   the official source, and says who, when and where (docs/manifest.md).
2. An older version is 历史版本 (superseded) from the day its successor takes effect.
3. Otherwise the earliest of: a repeal by any document in the corpus (its 废止 sentence naming this document by
   发文字号 or by exact title, or a manifest relation: relations.py), effective from the repealing version's
   施行日期; the end of
   the period of validity (valid_until, read by readers/validity.py) -> 已失效 the day after.
4. Otherwise 尚未施行 while the 施行日期 (or valid_from) is after as_of, else 现行有效.

Pure functions over the release's version summaries: no document is loaded.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Iterable

from .vocabulary import doc_number_key

IN_FORCE = "in_force"
NOT_YET_IN_FORCE = "not_yet_in_force"
REPEALED = "repealed"
EXPIRED = "expired"
SUPERSEDED = "superseded"
CODES = (IN_FORCE, NOT_YET_IN_FORCE, REPEALED, EXPIRED, SUPERSEDED)
LABELS = {IN_FORCE: "现行有效", NOT_YET_IN_FORCE: "尚未施行", REPEALED: "已废止", EXPIRED: "已失效",
          SUPERSEDED: "历史版本"}
# schema.org LegalForceStatus: only a version in force is InForce.
SCHEMA_ORG = {IN_FORCE: "https://schema.org/InForce"}
SCHEMA_ORG_NOT_IN_FORCE = "https://schema.org/NotInForce"
COMPUTED, MANIFEST = "computed", "manifest"
UNKNOWN_DATE = "1970-01-01"


@dataclass(frozen=True)
class Status:
    """效力状态 of one document version as of a date. Field names are the catalog.json contract."""

    code: str  # one of CODES
    label: str  # 现行有效 | 尚未施行 | 已废止 | 已失效 | 历史版本
    since: str | None  # YYYY-MM-DD the status began (for 尚未施行: the day it takes effect), None when unknown
    as_of: str  # the date the status was computed for
    by: str | None = None  # id of the repealing / superseding document when it is in the release
    by_doc_number: str | None = None  # its 发文字号
    by_title: str | None = None
    by_version: str | None = None  # superseded: the version that replaced this one
    basis: str | None = None  # the sentence or fact it rests on (废止 sentence, 有效期 sentence, manifest)
    source: str = COMPUTED  # computed | manifest
    checked_by: str | None = None  # manifest only: who checked the official source
    checked_on: str | None = None
    url: str | None = None  # manifest only: the official source

    @property
    def in_force(self) -> bool:
        return self.code == IN_FORCE

    @property
    def schema_org(self) -> str:
        """schema.org `legislationLegalForce` value."""
        return SCHEMA_ORG.get(self.code, SCHEMA_ORG_NOT_IN_FORCE)

    def to_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "since": self.since, "as_of": self.as_of, "by": self.by,
                "by_doc_number": self.by_doc_number, "by_title": self.by_title, "by_version": self.by_version,
                "basis": self.basis, "source": self.source, "checked_by": self.checked_by,
                "checked_on": self.checked_on, "url": self.url}


@dataclass(frozen=True)
class StatusOverride:
    """[document.status] in the manifest: a status someone checked against the official source."""

    code: str  # in_force | not_yet_in_force | repealed | expired
    checked_by: str
    checked_on: str  # YYYY-MM-DD
    url: str
    since: str | None = None
    by_doc_number: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Repeal:
    """One document (version) ending another: by its 废止 sentence or a manifest relation."""

    by: str  # repealing document id
    by_doc_number: str | None
    by_title: str | None
    since: str  # when the repeal takes effect
    basis: str


def default_as_of(dates: Iterable[str]) -> str:
    """The newest version date in the corpus: deterministic (no clock), and a fresh corpus is judged as of its
    newest document. A publisher who wants today's status passes --as-of."""
    return max((d for d in dates if d and d != UNKNOWN_DATE), default=UNKNOWN_DATE)


def start_of(meta, version_date: str) -> str:
    """When a version takes effect: its 施行日期, else the version date."""
    return meta.effective_date or version_date


def compute(documents, as_of: str, relations) -> dict[tuple[str, str], Status]:
    """(document id, version key) -> Status for every version of `documents` (ReleaseDocument-like: .id,
    .versions with .version, .date and .summary, .status_override), given the release's relations.py list."""
    repeals = _repeals(documents, relations)
    out: dict[tuple[str, str], Status] = {}
    for doc in documents:
        versions = doc.versions
        for i, rv in enumerate(versions):
            meta = rv.summary.metadata
            following = versions[i + 1] if i + 1 < len(versions) else None
            if following is not None:
                successor_start = start_of(following.summary.metadata, following.date)
                if successor_start <= as_of:
                    out[(doc.id, rv.version)] = Status(
                        SUPERSEDED, LABELS[SUPERSEDED], successor_start, as_of, by=doc.id,
                        by_doc_number=following.summary.metadata.doc_number,
                        by_title=following.summary.metadata.title, by_version=following.version,
                        basis=f"被 {following.version} 版本取代")
                    continue
            override = getattr(doc, "status_override", None)
            if override is not None and following is None:
                out[(doc.id, rv.version)] = _from_override(override, as_of, documents)
                continue
            out[(doc.id, rv.version)] = _own_status(meta, rv.date, repeals.get(doc.id, []), as_of)
    return out


def _own_status(meta, version_date: str, repeals: list[Repeal], as_of: str) -> Status:
    ends: list[tuple[str, int, Status]] = []
    for r in repeals:
        if r.since <= as_of:
            ends.append((r.since, 0, Status(REPEALED, LABELS[REPEALED], r.since, as_of, by=r.by,
                                            by_doc_number=r.by_doc_number, by_title=r.by_title, basis=r.basis)))
    if meta.valid_until and meta.valid_until < as_of:
        day_after = (datetime.date.fromisoformat(meta.valid_until) + datetime.timedelta(days=1)).isoformat()
        ends.append((day_after, 1, Status(EXPIRED, LABELS[EXPIRED], day_after, as_of, basis=meta.validity_text)))
    if ends:
        return min(ends, key=lambda e: (e[0], e[1], e[2].by or ""))[2]
    starts = max(filter(None, [meta.effective_date, meta.valid_from]), default=None)
    if starts and starts > as_of:
        return Status(NOT_YET_IN_FORCE, LABELS[NOT_YET_IN_FORCE], starts, as_of,
                      basis=meta.effective_text or meta.validity_text)
    since = starts or (version_date if version_date != UNKNOWN_DATE else None)
    return Status(IN_FORCE, LABELS[IN_FORCE], since, as_of, basis=meta.effective_text)


def _from_override(override: StatusOverride, as_of: str, documents) -> Status:
    by = None
    if override.by_doc_number:
        key = doc_number_key(override.by_doc_number)
        by = next((d.id for d in documents for v in d.versions
                   if doc_number_key(v.summary.metadata.doc_number) == key), None)
    return Status(override.code, LABELS[override.code], override.since, as_of, by=by,
                  by_doc_number=override.by_doc_number, basis=override.note, source=MANIFEST,
                  checked_by=override.checked_by, checked_on=override.checked_on, url=override.url)


def _repeals(documents, relations) -> dict[str, list[Repeal]]:
    """Target document id -> the repeals naming it (relations.py resolved them: by 发文字号, then exact title),
    each effective from the repealing version's 施行日期."""
    versions = {(d.id, v.version): v for d in documents for v in d.versions}
    out: dict[str, list[Repeal]] = {}
    for rel in relations:
        if rel.type not in ("repeals", "replaces") or rel.target is None or rel.target == rel.source:
            continue
        rv = versions[(rel.source, rel.source_version)]
        meta = rv.summary.metadata
        if rel.origin == "manifest":
            basis = "source/manifest.toml"
        elif rel.text and meta.effective_text and rel.text in meta.effective_text:
            basis = meta.effective_text  # the closing sentence: 本意见自…起施行。《…》同时废止。
        else:
            basis = rel.text or meta.effective_text
        out.setdefault(rel.target, []).append(Repeal(rel.source, meta.doc_number, meta.title,
                                                     start_of(meta, rv.date), basis))
    return out
