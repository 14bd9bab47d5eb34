"""Legal status (效力状态) of every document version, computed once for the whole release.

The status is a fact about the corpus, not about one text: a document is 已废止 because *another* document says
so. It is computed as of one date (`as_of`), never the clock, so the same sources always give the same release:
by default the newest version date in the corpus (see default_as_of), or the date the publisher passes
(`policykit build --as-of`).

Every version first gets its Period in force (period(): independent of any date), and its Status as of a date is
read off that Period (status_on()), so the calculator, `policykit match` and the status badge can never disagree:
1. A manifest override ([document.status] in source/manifest.toml) wins for the current version: someone checked
   the official source, and says who, when and where (docs/manifest.md).
2. Otherwise the period starts on the 施行日期 (or valid_from, else the version date) and ends at the earliest
   of: the successor version's start (历史版本); a repeal by any document in the corpus (its 废止 sentence naming
   this document by 发文字号 or by exact title, or a manifest relation: relations.py), effective from the
   repealing version's start (已废止); the day after valid_until, read by readers/validity.py (已失效).
3. Before its start a version is 尚未施行, in the period 现行有效.

Pure functions over the release's version summaries: no document is loaded.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
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
    since: str | None  # when the repeal takes effect (None: the repealing version's start is unknown)
    basis: str


def default_as_of(dates: Iterable[str]) -> str:
    """The newest version date in the corpus: deterministic (no clock), and a fresh corpus is judged as of its
    newest document. A publisher who wants today's status passes --as-of."""
    return max((d for d in dates if d and d != UNKNOWN_DATE), default=UNKNOWN_DATE)


def version_date(version: str, meta) -> str:
    """When a version was issued: its key if that is a date, else 成文日期 / 印发日期; UNKNOWN_DATE when none is
    known."""
    if version[:4].isdigit():
        return version
    return meta.signed_date or meta.printed_date or UNKNOWN_DATE


def own_period(meta, version_date: str) -> tuple[str | None, str | None]:
    """What the text itself says about when it applies: (first day, first day it no longer applies). The start is
    the later of 施行日期 and the start of its 有效期 (readers/validity.py), else the version date (公文 take effect
    when issued unless they say otherwise); the end is the day after valid_until. None: unknown / no end written.
    rules.json's `document` block and period() both start from this, so they cannot disagree."""
    start = max(filter(None, [meta.effective_date, meta.valid_from]), default=None)
    if start is None and version_date and version_date != UNKNOWN_DATE:
        start = version_date
    until = _day_after(meta.valid_until) if meta.valid_until else None
    return start, until


def start_of(meta, version_date: str) -> str | None:
    """When a version takes effect (own_period's start): a repeal it makes, or a revision it is, starts then."""
    return own_period(meta, version_date)[0]


def _day_after(day: str) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Period:
    """When one document version is in force: from `start` (inclusive) to `until` (exclusive).

    start None: no 施行日期, 有效期 start or version date is known. Such a version is never counted as in force (the
    calculator and `policykit match` list it as left out): we cannot say it applies.
    until None with `ending` None: no end known. until None with `ending` set: it has ended, on a date nobody
    knows (a manifest override without `since`, a repeal by a document whose own start is unknown).
    The three Status values are what status_on() returns before `start`, while in force, and from `until` on
    (their as_of is filled in then)."""

    start: str | None
    until: str | None
    ending: Status | None  # repealed | expired | superseded, or the manifest's word
    pending: Status  # before start: 尚未施行
    during: Status  # in force (or, for a manifest override, what it says)

    def in_force_on(self, day: str) -> bool:
        """Whether the version applies on the ISO date `day`."""
        return in_force_on(self.to_dict(), day)

    def to_dict(self) -> dict:
        """catalog.json `period` (the contract `policykit match --data` and the calculator read)."""
        return {"from": self.start, "until": self.until, "end": self.ending.code if self.ending else None}


def in_force_on(period: dict, day: str) -> bool:
    """Whether a version applies on the ISO date `day`, given its period as published (Period.to_dict(), catalog.json
    `period`): the one test `policykit match` and the calculator use (assets/calculator/eligibility.js inForce is its
    twin). Unknown start: never; ended on an unknown date: never; otherwise from <= day < until."""
    if period["from"] is None or period["from"] > day:
        return False
    if period["end"] is None:
        return period["until"] is None or day < period["until"]
    return period["until"] is not None and day < period["until"]


def status_on(period: Period, as_of: str) -> Status:
    """The Status of a version as of a date, read off its Period (so the two never disagree)."""
    if period.ending is not None and (period.until is None or period.until <= as_of):
        return replace(period.ending, as_of=as_of)
    if period.start is not None and period.start > as_of:
        return replace(period.pending, as_of=as_of)
    return replace(period.during, as_of=as_of)


def compute(documents, as_of: str, relations) -> dict[tuple[str, str], Status]:
    """(document id, version key) -> Status for every version of `documents` (ReleaseDocument-like: .id,
    .versions with .version, .date and .summary, .status_override), given the release's relations.py list."""
    return {key: status_on(p, as_of) for key, p in periods(documents, relations).items()}


def periods(documents, relations) -> dict[tuple[str, str], Period]:
    """(document id, version key) -> Period for every version: independent of any as_of date."""
    repeals = _repeals(documents, relations)
    out: dict[tuple[str, str], Period] = {}
    for doc in documents:
        successor: Period | None = None
        following = None
        for rv in reversed(doc.versions):  # newest first: a version ends when its successor starts
            override = getattr(doc, "status_override", None) if following is None else None
            out[(doc.id, rv.version)] = period(rv.summary.metadata, rv.date, repeals.get(doc.id, []),
                                               following, successor, override, documents, doc.id)
            following, successor = rv, out[(doc.id, rv.version)]
    return out


def period(meta, version_date: str, repeals: list[Repeal], following=None, successor: Period | None = None,
           override: StatusOverride | None = None, documents=(), doc_id: str | None = None) -> Period:
    """The period in force of one version. It starts at own_period's start and ends at the earliest of: its
    successor's start (历史版本), a repeal taking effect (已废止), the day after valid_until (已失效). A manifest
    override on the current version is the checked word: repealed/expired end it on `since` (or on an unknown date
    without one); in_force/not_yet_in_force keep it in force from `since`, whatever the texts say."""
    start, expiry = own_period(meta, version_date)
    pending = Status(NOT_YET_IN_FORCE, LABELS[NOT_YET_IN_FORCE], start, UNKNOWN_DATE,
                     basis=meta.effective_text or meta.validity_text)
    during = Status(IN_FORCE, LABELS[IN_FORCE], start, UNKNOWN_DATE, basis=meta.effective_text)
    if override is not None:
        stated = _from_override(override, UNKNOWN_DATE, documents)
        if override.code in (REPEALED, EXPIRED):
            return Period(start, override.since, stated, pending, during)
        if override.code == NOT_YET_IN_FORCE:
            start = override.since
            return Period(start, None, None, stated,
                          replace(stated, code=IN_FORCE, label=LABELS[IN_FORCE]) if start else stated)
        start = override.since or start
        return Period(start, None, None, replace(pending, since=start), stated)
    ends: list[tuple[str | None, int, Status]] = []
    if following is not None and successor is not None:
        fm = following.summary.metadata
        ends.append((successor.start, 0, Status(
            SUPERSEDED, LABELS[SUPERSEDED], successor.start, UNKNOWN_DATE, by=doc_id, by_doc_number=fm.doc_number,
            by_title=fm.title, by_version=following.version, basis=f"被 {following.version} 版本取代")))
    for r in repeals:
        ends.append((r.since, 1, Status(REPEALED, LABELS[REPEALED], r.since, UNKNOWN_DATE, by=r.by,
                                        by_doc_number=r.by_doc_number, by_title=r.by_title, basis=r.basis)))
    if expiry:
        ends.append((expiry, 2, Status(EXPIRED, LABELS[EXPIRED], expiry, UNKNOWN_DATE, basis=meta.validity_text)))
    dated = [e for e in ends if e[0] is not None]
    if dated:
        until, _, ending = min(dated, key=lambda e: (e[0], e[1], e[2].by or ""))
        return Period(start, until, ending, pending, during)
    if ends:  # ended by something whose date is unknown
        return Period(start, None, ends[0][2], pending, during)
    return Period(start, None, None, pending, during)


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
    each effective from the repealing version's start (None: unknown)."""
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
