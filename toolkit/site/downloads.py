"""The open-data files of a release, and the downloads page that lists them.

The release is given as a Frictionless Data Package descriptor (the `datapackage.json` the build writes
into site/data/: resources with path, format, mediatype, bytes, hash "sha256:…" and a table schema), or
as a plain list of such resource dicts. Paths are relative to site/data/.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .. import urls
from ..errors import PolicykitError
from . import labels
from .html import relative, tag, text

DATA_DIR = urls.DATA_DIR

_MEDIATYPES = {
    "json": "application/json",
    "xml": "application/akn+xml",
    "csv": "text/csv",
    "txt": "text/plain",
    "zip": "application/zip",
}


@dataclass
class ReleaseFile:
    path: str  # relative to site/data/
    format: str  # json | xml | csv | txt | zip …
    bytes: int
    sha256: str
    name: str
    title: str | None = None
    description: str | None = None
    mediatype: str = "application/octet-stream"
    fields: list[dict] = field(default_factory=list)  # table schema fields: name, type, title, description
    document_id: str | None = None  # the document this file encodes, if it is about one

    @property
    def url(self) -> str:
        return urls.data_file(self.path)


def release_files(release, document_ids: set[str]) -> list[ReleaseFile]:
    """Normalise the release description; files under <doc-id>/, named <doc-id>.* or with a `document` key are
    linked from that document's page."""
    if release is None:
        return []
    resources = release.get("resources", []) if isinstance(release, dict) else list(release)
    files = []
    for res in resources:
        if not isinstance(res, dict):
            res = vars(res)
        path = res.get("path")
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/"):
            raise PolicykitError(f"release file has an unusable path: {path!r}")
        digest = res.get("sha256") or res.get("hash") or ""
        if digest.startswith("sha256:"):
            digest = digest[len("sha256:"):]
        if len(digest) != 64:
            raise PolicykitError(f"release file {path} has no sha256 checksum")
        size = res.get("bytes", res.get("size"))
        if not isinstance(size, int):
            raise PolicykitError(f"release file {path} has no size in bytes")
        fmt = (res.get("format") or posixpath.splitext(path)[1].lstrip(".")).lower()
        base = posixpath.basename(path)
        top = path.split("/", 1)[0]
        doc_id = (res.get("document") or (top if top in document_ids and "/" in path else None)
                  or next((d for d in document_ids if base.startswith(d + ".")), None))
        schema = res.get("schema")
        fields = schema.get("fields", []) if isinstance(schema, dict) else []
        files.append(ReleaseFile(
            path=path, format=fmt, bytes=size, sha256=digest.lower(),
            name=res.get("name") or base, title=res.get("title"), description=res.get("description"),
            mediatype=res.get("mediatype") or _MEDIATYPES.get(fmt, "application/octet-stream"),
            fields=[f for f in fields if isinstance(f, dict)], document_id=doc_id,
        ))
    return files


def render(files: list[ReleaseFile], here: str = "downloads/", document_ids: set[str] = frozenset()) -> str:
    """The downloads page body: a table of the files about the whole corpus (catalog, data package, ZIP, tables
    of all versions, schemas), then one field dictionary per kind of table (every version of a document has the
    same clauses.csv columns, so each is described once). A document's own files are listed on its page, not
    here: this page must not grow with the corpus (at 1,000 documents it listed 7,000 files, 4.5 MB)."""
    dictionaries: dict[str, ReleaseFile] = {}
    for f in files:
        if f.fields:
            dictionaries.setdefault(_table_name(f), f)
    head = tag("tr", "".join(tag("th", text(h)) for h in ("文件", "格式", "大小", "SHA-256")))
    rows = []
    for f in files:
        if f.document_id in document_ids:
            continue  # on the document's page
        link = tag("a", text(f.path), href=relative(here, f.url), download=posixpath.basename(f.path))
        about = "".join(tag("div", text(x), class_="pk-file-about") for x in (f.title, f.description) if x)
        fmt = text(labels.file_format(f.path, f.format))
        if f.fields:
            fmt += tag("div", tag("a", "字段说明", href=f"#fields-{_slug(_table_name(f))}"))
        rows.append(tag("tr", tag("td", link + about) + tag("td", fmt) + tag("td", text(labels.file_size(f.bytes)))
                        + tag("td", tag("code", text(f.sha256), class_="pk-sha"))))
    table = tag("table", tag("thead", head) + tag("tbody", "".join(rows)))
    out = [tag("div", table, class_="pk-scroll", id="files")]
    if document_ids:
        out.append(tag("p", text("每个文件各版本的数据文件（JSON、Akoma Ntoso XML、CSV 表、rules.json）列在该文件页面的"
                                 "“下载”一栏；全部文件也在上面的 ZIP 包中，catalog.json 列出每个文件的地址和 SHA-256。"),
                       class_="pk-note"))
    for name, f in dictionaries.items():
        out.append(tag("h2", text(f"字段说明：{name}"), id=f"fields-{_slug(name)}"))
        fhead = tag("tr", "".join(tag("th", text(h)) for h in ("字段", "类型", "名称", "说明")))
        frows = "".join(
            tag("tr", tag("td", tag("code", text(x.get("name", "")))) + tag("td", text(x.get("type", "")))
                + tag("td", text(x.get("title") or "")) + tag("td", text(x.get("description") or "")))
            for x in f.fields
        )
        out.append(tag("div", tag("table", tag("thead", fhead) + tag("tbody", frows)),
                       class_="pk-scroll"))
    return "\n\n".join(out)


def _table_name(f: ReleaseFile) -> str:
    return posixpath.basename(f.path)


def _slug(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in name).strip("-") or "file"
