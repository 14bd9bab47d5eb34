"""The open-data release: every file under site/data/, computed in memory, then written in one go.

    data/
      catalog.json                     documents, versions, metadata, download URLs
      datapackage.json                 Frictionless Data Package v2 describing every file below
      SHA256SUMS                       sha256 of every file, the ZIP included
      policykit-data.zip               everything above and below, under policykit-data/
      <doc-id>/<version>/
        <doc-id>.json                  the document model (toolkit/schemas/document.schema.json)
        <doc-id>.akn.xml               Akoma Ntoso 3.0
        clauses.csv responsibilities.csv departments.csv thresholds.csv
        rules.json                     each measure's conditions as JsonLogic (toolkit/schemas/rules.schema.json)
        diff-from-<old-version>.json   what changed since the version it amends (toolkit/schemas/diff.schema.json)

`render(release)` is pure (documents in, {path: bytes} out) and deterministic: no clock, sorted everything, a ZIP
with fixed timestamps. `write(files, out_dir)` puts them on disk. docs/data.md describes the layout for users; keep
it in step with this module.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__, urls
from .archive import sha256_hex, zip_bytes
from .diff import diff as compare
from .errors import ConfigError
from .resources import schema_path
from .model import SCHEMA_VERSION, Citation, Document, Metadata
from .relations import DocumentRelation
from .relations import compute as compute_relations
from .relations import Index as RelationIndex
from .rules import RULES_FILE, rules_json
from .sources import Relation, is_safe_id
from .status import Period, Status, StatusOverride, default_as_of, periods, status_on, version_date
from .writers import csv_tables
from .writers.diff_json import to_json as diff_to_json
from .writers.diff_json import validate_diff
from .writers.json_writer import to_json

CATALOG = "catalog.json"
DATAPACKAGE = "datapackage.json"
CHECKSUMS = "SHA256SUMS"
ARCHIVE = "policykit-data.zip"
ARCHIVE_ROOT = "policykit-data"  # the folder the ZIP unpacks into
SCHEMAS = "schemas"  # Table Schemas that every version's CSV of a table shares (see table_schema_path)
CATALOG_FORMAT = 1  # bump when catalog.json changes incompatibly
VERSIONS_CSV = "versions.csv"  # every version with its status (csv_tables.VERSIONS)
RELATIONS_CSV = "relations.csv"  # every relation between documents (csv_tables.RELATIONS)

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSE = {
    "name": "CC0-1.0",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
    "title": "CC0 1.0 通用（公有领域贡献）",
}
LICENSE_STATEMENT = (
    "原文为国家机关的公文，依《中华人民共和国著作权法》第五条不受著作权保护。"
    "policykit 对其所作的结构化数据（JSON、Akoma Ntoso XML、CSV 表格及目录）以 CC0 1.0 贡献至公有领域，"
    "可自由复制、修改、发布和商用，无需署名。数据由程序自动提取，以原文为准。"
)
# 1980-01-01 is the earliest date a ZIP entry can carry; any fixed date makes the archive reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644  # a regular file, rw-r--r--

MEDIA_TYPES = {"json": "application/json", "xml": "application/akn+xml", "csv": "text/csv", "zip": "application/zip",
               "txt": "text/plain"}


@dataclass(frozen=True)
class VersionSummary:
    """What the catalog, the data package and the build's progress lines need of a version. Small: a rebuild takes
    it from the build cache without loading the whole document (most of the time of an unchanged rebuild)."""

    metadata: Metadata
    source_file: str
    source_sha256: str
    clauses: int  # numbered units
    responsibilities: int
    thresholds: int
    warnings: int
    citations: tuple[Citation, ...] = ()  # the relations of the corpus are computed from these (relations.py)

    @classmethod
    def of(cls, doc: Document) -> VersionSummary:
        units = list(doc.units())
        return cls(doc.metadata, doc.provenance.source_file, doc.provenance.sha256, len(units),
                   sum(len(u.responsibilities) for u in units) + len(doc.responsibilities),
                   sum(len(u.thresholds) for u in units), len(doc.warnings), tuple(doc.citations))


@dataclass
class ReleaseVersion:
    version: str  # YYYY-MM-DD or "current"
    amends: str | None
    source: Path
    # The document, already validated, document.id the release id. None: not loaded yet; `document` calls `load`.
    loaded: Document | None
    akn: str | None = None  # validated Akoma Ntoso XML; None: already in `files` (or not made, in tests)
    files: dict[str, bytes] | None = None  # version_files() made beforehand (build workers, build cache)
    summary: VersionSummary | None = None  # None: made from the document
    load: Callable[[], Document] | None = field(default=None, repr=False)
    status: Status | None = None  # 效力状态 as of the release date: set by Release (status.py), never by hand
    period: Period | None = None  # when it is in force (status.py); `status` is read off it. Set by Release

    @property
    def in_force_from(self) -> str | None:
        return self.period.start

    @property
    def in_force_until(self) -> str | None:
        """The first day it is no longer in force (exclusive); None: no end known (see status.Period)."""
        return self.period.until

    def __post_init__(self):
        if self.summary is None:
            self.summary = VersionSummary.of(self.document)

    @property
    def document(self) -> Document:
        if self.loaded is None:
            self.loaded = self.load()
        return self.loaded

    @property
    def date(self) -> str:
        """When this version was issued: the version key if it is a date, else 成文日期 / 印发日期."""
        return version_date(self.version, self.summary.metadata)  # 1970-01-01: unknown


@dataclass
class ReleaseDocument:
    id: str
    versions: list[ReleaseVersion]  # oldest first
    relations: list[Relation] = field(default_factory=list)  # from the manifest
    status_override: StatusOverride | None = None  # [document.status] in the manifest
    former_ids: list[str] = field(default_factory=list)  # ids it was published under before (their URLs redirect)
    _revisions: dict = field(default_factory=dict, repr=False, compare=False)  # version -> DocumentDiff (revision)

    @property
    def current(self) -> ReleaseVersion:
        return self.versions[-1]

    @property
    def status(self) -> Status:
        """The status of the current (newest) version."""
        return self.current.status

    def amended(self, rv: ReleaseVersion) -> ReleaseVersion | None:
        """The version `rv` revises (manifest `amends`), or None."""
        return next((v for v in self.versions if v.version == rv.amends), None) if rv.amends else None

    def revision(self, rv: ReleaseVersion):
        """The clause-level diff (diff.DocumentDiff) from the version `rv` amends, computed once and shared by the
        published diff JSON and the site's 修订对照 pages; None for a version that amends none."""
        old = self.amended(rv)
        if old is None:
            return None
        if rv.version not in self._revisions:
            self._revisions[rv.version] = compare(old.document, rv.document, old_version=old.version,
                                                  new_version=rv.version)
        return self._revisions[rv.version]


@dataclass
class Release:
    """Everything about the corpus, computed once: the data writers and every site page read it.

    as_of: the date statuses are computed for (YYYY-MM-DD); None: the newest version date in the corpus, so the same
    sources always give the same release (status.default_as_of).
    """

    documents: list[ReleaseDocument]
    as_of: str | None = None
    relations: list[DocumentRelation] = field(default_factory=list)  # computed: relations.py
    related: RelationIndex | None = None  # the same, by document, both ways

    def __post_init__(self):
        # Sorted by id so the catalog and the data package do not depend on the order sources were read.
        self.documents = sorted(self.documents, key=lambda d: d.id)
        for doc in self.documents:
            if not is_safe_id(doc.id):
                raise ValueError(f"unsafe document id {doc.id!r}")  # sources.py guarantees this; a bug if not
            for v in doc.versions:
                if not is_safe_id(v.version):
                    raise ValueError(f"unsafe version key {v.version!r}")
        ids = {doc.id for doc in self.documents}
        for doc in self.documents:
            for old in doc.former_ids:
                if old in ids or not is_safe_id(old):
                    raise ConfigError(f"{doc.id!r} 的旧 id {old!r} 是一份已发布文件的 id："
                                      "一个网址只能指向一份文件")
        if self.as_of is None:
            self.as_of = default_as_of(v.date for d in self.documents for v in d.versions)
        self.relations = compute_relations(self.documents)
        self.related = RelationIndex.of(self.relations)
        computed = periods(self.documents, self.relations)
        for doc in self.documents:
            for v in doc.versions:
                v.period = computed[(doc.id, v.version)]
                v.status = status_on(v.period, self.as_of)


@dataclass
class ReleaseContext:
    """What the website builder receives: the documents and the rendered data release it links to."""

    release: Release
    files: dict[str, bytes]  # the data release, keyed by path relative to data_dir (catalog.json, …)
    data_dir: str = "data"  # where those files live inside the site
    site_config: Path | None = None  # the publisher's mkdocs.yml (site/build.py PUBLISHER_KEYS), None: template's

    @property
    def catalog(self) -> dict:
        return json.loads(self.files[CATALOG])

    def resources(self) -> list[dict]:
        """Every file of the release as a data-package-style resource (path, format, mediatype, bytes, hash,
        title, schema), corpus-level files included; `document` names the document a file belongs to."""
        package = json.loads(self.files[DATAPACKAGE])
        shared = {path: json.loads(self.files[path]) for path in schema_files()}
        out = []
        for res in package["resources"]:
            doc_id = res["path"].split("/", 1)[0] if "/" in res["path"] else None  # versions.csv: the corpus
            schema = res.get("schema")
            if isinstance(schema, str):  # a shared Table Schema file: give the website the fields themselves
                res = {**res, "schema": shared[schema]}
            out.append({**res, "document": doc_id})
        corpus_files = [
            (CATALOG, "json", "目录", "全部文件、版本、元数据和下载地址。"),
            (DATAPACKAGE, "json", "数据包描述", "Frictionless Data Package v2：每个文件的字段、大小和 SHA-256。"),
            (ARCHIVE, "zip", "全部数据（ZIP）", f"以上全部文件，解压到 {ARCHIVE_ROOT}/ 文件夹。"),
            (CHECKSUMS, "txt", "SHA-256 校验和", "每个文件的 SHA-256，可用 sha256sum -c SHA256SUMS 校验。"),
        ]
        corpus_files += [(path, "json", f"表结构：{table.title}",
                          f"{table.name}.csv 的 Table Schema（字段、类型、约束），各版本共用。")
                         for table, path in _shared_schema_tables()]
        corpus_files += [(json_schema_path(name), "json", f"JSON Schema：{what}",
                          f"{what} 的 JSON Schema（2020-12），不允许未知字段；policykit validate 用的就是它。")
                         for name, what in JSON_SCHEMAS.items() if json_schema_path(name) in self.files]
        for path, fmt, title, description in corpus_files:
            out.append({"name": path.lower().replace("_", "-"), "path": path, "format": fmt,
                        "mediatype": MEDIA_TYPES[fmt], "title": title, "description": description,
                        **_integrity(self.files[path])})
        return out


def version_dir(doc_id: str, version: str) -> str:
    return urls.version_dir(doc_id, version)


def version_files(doc_id: str, rv: ReleaseVersion) -> dict[str, bytes]:
    """The files of one document version, keyed by path relative to data/."""
    if rv.files is not None:
        return rv.files
    base = version_dir(doc_id, rv.version)
    files = {urls.document_file(doc_id, rv.version, ".json"): to_json(rv.document).encode("utf-8")}
    if rv.akn is not None:
        files[urls.document_file(doc_id, rv.version, ".akn.xml")] = rv.akn.encode("utf-8")
    rows = csv_tables.tables(rv.document, rv.version)
    for table in csv_tables.TABLES:
        files[f"{base}/{table.name}.csv"] = csv_tables.to_csv(table, rows[table.name])
    files[f"{base}/{RULES_FILE}"] = rules_json(rv.document, rv.version, name=f"{base}/{RULES_FILE}")
    return files


def diff_path(doc_id: str, rv: ReleaseVersion) -> str:
    return f"{version_dir(doc_id, rv.version)}/diff-from-{rv.amends}.json"


def diff_files(doc: ReleaseDocument) -> dict[str, bytes]:
    """For each version that amends another: the clause-level diff from that version (toolkit/diff.py)."""
    files = {}
    for rv in doc.versions:
        result = doc.revision(rv)
        if result is None:
            continue
        validate_diff(result.to_dict(), name=diff_path(doc.id, rv))
        files[diff_path(doc.id, rv)] = diff_to_json(result).encode("utf-8")
    return files


def render(release: Release, base_url: str | None = None) -> dict[str, bytes]:
    """Every file of the release, keyed by path relative to data/. Pure and deterministic.

    base_url: absolute URL of data/ on the public site (e.g. https://example.org/data/); without it the catalog's
    download URLs are relative to catalog.json itself.
    """
    files: dict[str, bytes] = {}
    for doc in release.documents:
        for rv in doc.versions:
            files.update(version_files(doc.id, rv))
        files.update(diff_files(doc))
    files.update(schema_files())
    files.update(json_schema_files())
    files[VERSIONS_CSV] = csv_tables.to_csv(csv_tables.VERSIONS, version_rows(release))
    files[RELATIONS_CSV] = csv_tables.to_csv(csv_tables.RELATIONS, relation_rows(release))
    files[CATALOG] = _json_bytes(catalog(release, files, base_url))
    files[DATAPACKAGE] = _json_bytes(datapackage(release, files))
    # The ZIP carries checksums of its own contents; the published SHA256SUMS adds the ZIP's line, so
    # `sha256sum -c SHA256SUMS` works both in data/ and in the unpacked archive.
    inner_sums = checksums(files)
    archive = zip_archive({**files, CHECKSUMS: inner_sums})
    files[ARCHIVE] = archive
    files[CHECKSUMS] = checksums({k: v for k, v in files.items() if k != CHECKSUMS})
    return dict(sorted(files.items()))


def version_rows(release: Release) -> list[dict]:
    """versions.csv: one row per document version, the status as the release computed it."""
    rows = []
    for doc in release.documents:
        for rv in doc.versions:
            m, st = rv.summary.metadata, rv.status
            rows.append({"doc_id": doc.id, "version": rv.version, "current": rv is doc.current, "title": m.title,
                         "doc_number": m.doc_number, "signed_date": m.signed_date,
                         "effective_date": m.effective_date, "valid_until": m.valid_until, "status": st.code,
                         "status_label": st.label, "status_since": st.since, "status_by": st.by,
                         "status_by_doc_number": st.by_doc_number, "status_source": st.source,
                         "status_checked_by": st.checked_by, "status_checked_on": st.checked_on,
                         "status_url": st.url, "as_of": st.as_of,
                         "in_force_from": rv.period.start, "in_force_until": rv.period.until,
                         "in_force_end": rv.period.ending.code if rv.period.ending else None})
    return rows


def relation_rows(release: Release) -> list[dict]:
    """relations.csv: every relation the release computed (relations.py), in its order."""
    return [{"source_id": r.source, "source_version": r.source_version, "type": r.type, "target_id": r.target,
             "target_version": r.target_version, "doc_number": r.doc_number, "title": r.title, "text": r.text,
             "eid": r.eid, "origin": r.origin, "resolved_by": r.resolved_by} for r in release.relations]


def write(files: dict[str, bytes], out_dir: Path) -> None:
    """Write rendered files under out_dir (which must be new or empty: the build gives a fresh temp folder)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    for rel, data in files.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def sha256(data: bytes) -> str:
    return sha256_hex(data)  # a PreparedFile knows its own


def checksums(files: dict[str, bytes]) -> bytes:
    """`sha256sum` format: hex, two spaces, path; sorted by path; LF line ends."""
    return "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files)).encode("ascii")


def zip_archive(files: dict[str, bytes]) -> bytes:
    """A reproducible ZIP: sorted entries under ARCHIVE_ROOT/, fixed dates and permissions, deflate.

    archive.zip_bytes reuses the deflated data of PreparedFiles; it writes what _zipfile_archive writes."""
    entries = {f"{ARCHIVE_ROOT}/{rel}": files[rel] for rel in sorted(files)}
    return zip_bytes(entries, ZIP_DATE, ZIP_FILE_MODE, fallback=lambda _: _zipfile_archive(files))


def _zipfile_archive(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{ARCHIVE_ROOT}/{rel}", date_time=ZIP_DATE)
            info.create_system = 3  # Unix, whatever the building machine is
            info.external_attr = ZIP_FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[rel], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def _json_bytes(data, depth: int = 2) -> bytes:
    """UTF-8 JSON, indented down to `depth` levels, each value below that on one line: catalog.json has one document
    per line, datapackage.json one resource per line. Readable, greppable, and written by the json module's C
    encoder: with indentation at every level json falls back to pure Python, ~1.5 s for the 1,000-document data
    package instead of ~0.1 s."""
    chunks: list[str] = []
    _encode(data, depth, "", chunks)
    chunks.append("\n")
    return "".join(chunks).encode("utf-8")


def _encode(value, depth: int, indent: str, out: list[str]) -> None:
    if depth <= 0 or not isinstance(value, (dict, list)) or not value:
        out.append(json.dumps(value, ensure_ascii=False))
        return
    inner = indent + "  "
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    out.append("{" if isinstance(value, dict) else "[")
    for i, (key, item) in enumerate(items):
        out.append(("\n" if i == 0 else ",\n") + inner)
        if key is not None:
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
        _encode(item, depth - 1, inner, out)
    out.append("\n" + indent + ("}" if isinstance(value, dict) else "]"))


def _file_entry(path: str, data: bytes, base_url: str | None) -> dict:
    kind = path.rsplit(".", 1)[-1]
    return {"url": (base_url or "") + path, "mediatype": MEDIA_TYPES[kind], "bytes": len(data),
            "sha256": sha256(data)}


def catalog(release: Release, files: dict[str, bytes], base_url: str | None = None) -> dict:
    """catalog.json: what a developer reads first. `files` holds the per-version files already rendered."""
    by_folder: dict[str, list[str]] = {}  # version folder -> its files: one pass, not one scan per version
    for path in sorted(files):
        by_folder.setdefault(path.rsplit("/", 1)[0] + "/", []).append(path)
    documents = []
    for doc in release.documents:
        meta = doc.current.summary.metadata
        versions = []
        for rv in doc.versions:
            summary = rv.summary
            m = summary.metadata
            prefix = version_dir(doc.id, rv.version) + "/"
            versions.append({
                "version": rv.version,
                "url": _page_url(urls.version(doc.id, rv.version), base_url),
                "amends": rv.amends,
                "title": m.title,
                "doc_number": m.doc_number,
                "signed_date": m.signed_date,
                "printed_date": m.printed_date,
                "effective_date": m.effective_date,
                "valid_from": m.valid_from,
                "valid_until": m.valid_until,
                "status": rv.status.to_dict(),
                "period": rv.period.to_dict(),
                "source_file": summary.source_file,
                "source_sha256": summary.source_sha256,
                "counts": {
                    "clauses": summary.clauses,
                    "responsibilities": summary.responsibilities,
                    "thresholds": summary.thresholds,
                    "warnings": summary.warnings,
                },
                "files": {_file_kind(p[len(prefix):], doc.id): _file_entry(p, files[p], base_url)
                          for p in by_folder.get(prefix, [])},
            })
        documents.append({
            "id": doc.id,
            "url": _page_url(urls.document(doc.id), base_url),
            "title": meta.title,
            "doc_number": meta.doc_number,
            "doc_type": meta.doc_type,
            "issuer": meta.issuer,
            "issuers": meta.issuers,
            "jurisdiction": meta.jurisdiction,
            "jurisdiction_code": meta.jurisdiction_code,
            "current_version": doc.current.version,
            "former_ids": doc.former_ids,
            "status": doc.status.to_dict(),
            "relations": release.related.catalog(doc.id),
            "versions": versions,
        })
    return {
        "catalog_format": CATALOG_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "generator": f"policykit {__version__}",
        "as_of": release.as_of,
        "license": {**LICENSE, "statement": LICENSE_STATEMENT},
        "schemas": {name: (base_url or "") + json_schema_path(name) for name in JSON_SCHEMAS
                    if json_schema_path(name) in files},
        "datapackage": (base_url or "") + DATAPACKAGE,
        "checksums": (base_url or "") + CHECKSUMS,
        "archive": (base_url or "") + ARCHIVE,
        "documents": documents,
    }


def _page_url(path: str, base_url: str | None) -> str:
    """A site page as catalog.json links it: relative to catalog.json (../<doc-id>/), or absolute when the data's
    base URL is known and ends in data/ (the site root is then the part before it)."""
    data_dir = urls.DATA_DIR + "/"
    if base_url and base_url.endswith("/" + data_dir):
        return urls.absolute(base_url[: -len(data_dir)], path)
    return urls.from_data(path)


def _file_kind(name: str, doc_id: str) -> str:
    """Key of a file in the catalog: json, akn, or the table name."""
    if name == f"{doc_id}.json":
        return "json"
    if name == f"{doc_id}.akn.xml":
        return "akn"
    if name.startswith("diff-from-"):
        return "diff"
    if name == RULES_FILE:
        return "rules"
    return name.removesuffix(".csv")


def datapackage(release: Release, files: dict[str, bytes]) -> dict:
    """datapackage.json (Frictionless Data Package v2) describing every per-version file.

    catalog.json is not a resource: it is metadata like this file (and frictionless would read a file of that name
    as its own catalog format).
    """
    resources = []
    sources = []
    for doc in release.documents:
        for rv in doc.versions:
            m = rv.summary.metadata
            label = m.title or doc.id
            label_full = f"{label}（{m.doc_number}）" if m.doc_number else label
            sources.append({"title": f"{label_full}，版本 {rv.version}"})
            base = version_dir(doc.id, rv.version)
            name = f"{doc.id}.{rv.version}"
            json_path = urls.document_file(doc.id, rv.version, ".json")
            resources.append({**_plain_resource(f"{name}.json", json_path, files[json_path], "json",
                                                f"{label_full} 文件模型（JSON）",
                                                "policykit 文件模型，见 schemas/document.schema.json。"),
                              "jsonSchema": json_schema_path("document")})
            akn_path = urls.document_file(doc.id, rv.version, ".akn.xml")
            if akn_path in files:
                resources.append(_plain_resource(f"{name}.akn", akn_path, files[akn_path], "xml",
                                                 f"{label_full} Akoma Ntoso XML",
                                                 "OASIS Akoma Ntoso 3.0 / LegalDocML。"))
            for table in csv_tables.TABLES:
                path = f"{base}/{table.name}.csv"
                resources.append(_table_resource(name, path, files[path], table,
                                                 f"{label_full} {table.title}"))
            rules_path = f"{base}/{RULES_FILE}"
            if rules_path in files:
                resources.append(_plain_resource(f"{name}.rules", rules_path, files[rules_path], "json",
                                                 f"{label_full} 政策规则（JsonLogic）",
                                                 "每条措施的数值条件（JsonLogic，变量为指标 id）及其可获得的支持，"
                                                 "见 schemas/rules.schema.json 和 docs/rules.md。"))
            if rv.amends and diff_path(doc.id, rv) in files:
                resources.append({**_plain_resource(
                    f"{name}.diff", diff_path(doc.id, rv), files[diff_path(doc.id, rv)], "json",
                    f"{label_full} 修订对照（与 {rv.amends} 版本相比）",
                    "逐条比较：新增、删除、修改、重新编号的条款，文字、数值条件、责任单位和元数据的变化，"
                    "见 schemas/diff.schema.json。"), "jsonSchema": json_schema_path("diff")})
    if VERSIONS_CSV in files:
        resources.append(_table_resource("versions", VERSIONS_CSV, files[VERSIONS_CSV], csv_tables.VERSIONS,
                                         csv_tables.VERSIONS.title, name="versions",
                                         schema=table_schema(csv_tables.VERSIONS, "")))
    if RELATIONS_CSV in files:
        resources.append(_table_resource("relations", RELATIONS_CSV, files[RELATIONS_CSV], csv_tables.RELATIONS,
                                         csv_tables.RELATIONS.title, name="relations",
                                         schema=table_schema(csv_tables.RELATIONS, "")))
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": "policykit-data",
        "title": "policykit 政策文件开放数据",
        "description": "政府公文的结构化开放数据：条款、责任分工、部门、数量条件，以及完整的 JSON 与 Akoma Ntoso XML。"
                       + LICENSE_STATEMENT,
        "keywords": ["公文", "政策文件", "open data", "Akoma Ntoso"],
        "licenses": [LICENSE],
        "sources": sources,
        "resources": resources,
    }


def _integrity(data: bytes) -> dict:
    return {"bytes": len(data), "hash": f"sha256:{sha256(data)}"}


def _plain_resource(name: str, path: str, data: bytes, fmt: str, title: str, description: str) -> dict:
    return {"name": name, "path": path, "title": title, "description": description, "scheme": "file",
            "format": fmt, "mediatype": MEDIA_TYPES[fmt], "encoding": "utf-8", **_integrity(data)}


def table_schema_path(table: csv_tables.Table) -> str | None:
    """Where the Table Schema of `table` is published once for every version, or None when each version needs its
    own: foreign keys name the version's own resources (<doc-id>.<version>.clauses), so those stay inline.
    Sharing saves ~5 kB per version in datapackage.json (a third of it)."""
    return None if table.foreign_keys else f"{SCHEMAS}/{table.name}.schema.json"


def _shared_schema_tables() -> list[tuple[csv_tables.Table, str]]:
    return [(t, table_schema_path(t)) for t in csv_tables.TABLES if table_schema_path(t)]


# The JSON Schemas of what the release holds, shipped with it (data/schemas/): name -> what they describe.
JSON_SCHEMAS = {"document": "文件模型 JSON（<doc-id>.json）", "diff": "修订对照 JSON（diff-from-*.json）",
                "catalog": "目录 catalog.json", "datapackage": "数据包描述 datapackage.json",
                "rules": "规则 JSON（rules.json）", "profile": "企业画像（政策计算器与 policykit match 的输入）"}


def json_schema_path(name: str) -> str:
    return f"{SCHEMAS}/{name}.schema.json"


def json_schema_files() -> dict[str, bytes]:
    """The package's JSON Schemas (toolkit/schemas/), published so a user can check every file without policykit.
    A schema the package does not ship (yet) is simply not published."""
    out = {}
    for name in JSON_SCHEMAS:
        try:
            out[json_schema_path(name)] = schema_path(name).read_bytes()
        except ConfigError:
            continue
    return out


def schema_files() -> dict[str, bytes]:
    """The shared Table Schema files, referenced by path from datapackage.json (relative to it, as Frictionless
    resolves them)."""
    return {path: (json.dumps(table_schema(t, ""), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for t, path in _shared_schema_tables()}


def table_schema(table: csv_tables.Table, resource_prefix: str) -> dict:
    """The Table Schema of one table; foreign keys point at the resources named resource_prefix.<table>."""
    fields = []
    for col in table.columns:
        spec = {"name": col.name, "type": col.type, "title": col.title, "description": col.description}
        constraints = {}
        if col.required:
            constraints["required"] = True
        if col.enum:
            constraints["enum"] = list(col.enum)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        # Each table file holds one document version, so a single column identifies the row it points to.
        schema["foreignKeys"] = [{"fields": [column], "reference": {"resource": f"{resource_prefix}.{other}",
                                                                    "fields": [other_column]}}
                                 for column, other, other_column in table.foreign_keys]
    return schema


def _table_resource(resource_prefix: str, path: str, data: bytes, table: csv_tables.Table, title: str,
                    name: str | None = None, schema: dict | None = None) -> dict:
    name = name or f"{resource_prefix}.{table.name}"
    return {
        "name": name, "type": "table", "path": path, "title": title, "description": table.description,
        "scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
        **_integrity(data),
        "dialect": {"header": True, "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                    "doubleQuote": True},
        "schema": schema or table_schema_path(table) or table_schema(table, resource_prefix),
    }
