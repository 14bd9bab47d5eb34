"""The build cache: each document version, parsed, validated and rendered, kept on disk under a key made from its
source bytes, so the next build does not read an unchanged document again.

    key = sha256(fingerprint, file name, source bytes)

The fingerprint stands for everything else the output depends on: policykit's version, the schema version, the
bytes of every file of the toolkit package (schemas and site template included), the versions of the libraries that shape the output,
and the names of the functions doing the work (a test that swaps in another reader or validator never sees
entries the real ones made). Change any of them and every key changes.

Layout: <cache dir>/<fingerprint[:16]>/<key[:2]>/<key>.entry. An entry is data only, never code (pickles were
used once: anyone able to write the cache folder could then run code in the next build):

    b"policykit-cache 1\n" | header length (8 bytes, big-endian) | header (JSON) | blobs

The header holds the ids, the version summary, and for each rendered file its path, SHA-256, CRC-32 and the sizes of
its bytes and its deflated bytes, which follow as blobs in that order; the document's JSON comes last. An unchanged
rebuild needs the rendered files and the summary of every document but rarely the document itself: `get` notes
where the document starts and `Entry.document` reads it when asked. The Akoma Ntoso XML is not kept either: it is
among the rendered files. The folders of the few most recently used fingerprints are kept, older ones are removed,
so the cache does not grow with every code change. The cache is an optimisation only: an entry is written to a
temp file and renamed into place; an entry that cannot be read, or whose blobs do not match their CRC-32, is
treated as absent.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path

from . import __version__
from .archive import PreparedFile
from .model import SCHEMA_VERSION, Citation, Document, Metadata, _build, plain
from .release import VersionSummary

DEFAULT_DIR = Path(".cache") / "policykit"  # relative to the working folder, like source/ and site/
KEEP_FINGERPRINTS = 4
# Libraries whose version can change the bytes we publish.
LIBRARIES = ("lxml", "jsonschema", "jsonschema-rs", "cobalt", "pypinyin")
MAGIC = b"policykit-cache 1\n"
_LENGTH = 8  # bytes of the header length
PACKAGE_DIR = Path(__file__).resolve().parent


class Entry:
    """One source file's results. The rendered part is for one (document id, version key) pair."""

    def __init__(self, read_id: str | None, document: Document | None, doc_id: str | None = None,
                 version: str | None = None, akn: str | None = None, files: dict[str, bytes] | None = None,
                 summary: VersionSummary | None = None):
        self.read_id = read_id  # Document.id as the reader derived it (the build may publish under another)
        self.doc_id, self.version = doc_id, version
        self.akn = akn  # None in an entry from the cache (files has it)
        self.files = files  # release.version_files() as archive.PreparedFiles
        self._document = document
        self._document_at: tuple[Path, int] | None = None  # (cache file, offset) while not loaded
        self.summary = summary or VersionSummary.of(document)

    @property
    def document(self) -> Document:
        if self._document is None:
            self._document = _load_document(*self._document_at)
            self._document_at = None
        return self._document



def _load_document(path: Path, offset: int) -> Document:
    """The document stored at `offset` of the entry file at `path`. If another build has replaced the file meanwhile
    (same key, so the same content), the offset may not fit: read the entry again from the start then."""
    with open(path, "rb") as handle:
        try:
            handle.seek(offset)
            return Document.from_dict(json.loads(handle.read()))
        except (ValueError, TypeError, KeyError):
            handle.seek(0)
            _, at = _read_entry(handle)
            handle.seek(at)
            return Document.from_dict(json.loads(handle.read()))


class _Damaged(Exception):
    """An entry file that is not one this version wrote, or whose contents do not match their checksums."""


def _read_entry(handle) -> tuple[Entry, int]:
    """The entry stored in an open entry file, and the offset where its document's JSON starts."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise _Damaged("not a policykit cache entry")
    size = int.from_bytes(handle.read(_LENGTH), "big")
    header = json.loads(handle.read(size).decode("utf-8"))
    files = {}
    for path, digest, crc32, length, deflated_length in header["files"]:
        data, deflated = handle.read(length), handle.read(deflated_length)
        # CRC-32 (several times faster than SHA-256) catches damage; it is no signature, nor needs to be one.
        if len(data) != length or len(deflated) != deflated_length or zlib.crc32(data) != crc32:
            raise _Damaged(f"{path} does not match its checksum")
        prepared = PreparedFile(data)
        prepared.sha256, prepared.crc32, prepared.deflated = digest, crc32, deflated
        files[path] = prepared
    summary = header["summary"]
    summary = VersionSummary(**{**summary, "metadata": _build(Metadata, summary["metadata"]),
                                "citations": tuple(_build(Citation, c) for c in summary["citations"])})
    entry = Entry(header["read_id"], None, header["doc_id"], header["version"], None, files or None, summary)
    return entry, handle.tell()


def _entry_bytes(entry: Entry) -> tuple[list[bytes], int]:
    """The chunks of an entry file and the offset of the document's JSON in it."""
    files = entry.files or {}
    prepared = {path: data if isinstance(data, PreparedFile) else PreparedFile.of(data) for path, data in files.items()}
    header = {"read_id": entry.read_id, "doc_id": entry.doc_id, "version": entry.version,
              "summary": plain(entry.summary),
              "files": [[path, f.sha256, f.crc32, len(f), len(f.deflated)] for path, f in prepared.items()]}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    chunks = [MAGIC, len(head).to_bytes(_LENGTH, "big"), head]
    for f in prepared.values():
        chunks += [bytes(f), f.deflated]
    offset = sum(len(c) for c in chunks)
    chunks.append(json.dumps(entry.document.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return chunks, offset


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):  # the schemas and site template are in the package too
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _library_versions() -> list[str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return versions


def _qualified_name(function) -> str:
    named = function if hasattr(function, "__qualname__") else type(function)  # a callable object: its class
    return f"{named.__module__}.{named.__qualname__}"


def fingerprint(*functions) -> str:
    """What, besides the source bytes, decides a cache entry's content (see the module docstring)."""
    parts = [f"policykit={__version__}", f"schema={SCHEMA_VERSION}", f"python={sys.version_info[:2]}",
             f"zlib={zlib.ZLIB_RUNTIME_VERSION}", f"code={_code_digest()}", *_library_versions()]
    parts += [_qualified_name(f) for f in functions]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _last_used(folder: Path) -> int:
    try:
        return folder.stat().st_mtime_ns
    except OSError:  # removed meanwhile by another build
        return 0


class Cache:
    def __init__(self, directory: Path, fingerprint: str):
        self.root = Path(directory)
        self.folder = self.root / fingerprint[:16]
        self.fingerprint = fingerprint

    def key(self, name: str, data: bytes) -> str:
        digest = hashlib.sha256(self.fingerprint.encode("ascii") + b"\0" + name.encode("utf-8") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.entry"

    def get(self, key: str) -> Entry | None:
        try:
            path = self._path(key)
            with open(path, "rb") as handle:
                entry, offset = _read_entry(handle)
                size = os.fstat(handle.fileno()).st_size
        except (OSError, _Damaged, ValueError, TypeError, KeyError):
            return None  # absent, damaged, or written by an incompatible policykit: rebuild it
        if offset >= size:
            return None
        entry._document_at = (path, offset)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        target = self._path(key)
        chunks, offset = _entry_bytes(entry)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.writelines(chunks)
                os.replace(tmp, target)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            return  # a full disk or a removed folder costs a re-parse next time, never the build
        # Stored: the entry now reads its document back from the cache when asked, like an entry from `get`; a
        # worker sends the main process no document, and the main process holds none it does not need.
        entry._document, entry._document_at = None, (target, offset)

    def prune(self) -> None:
        """Mark this fingerprint's folder as used; remove all but the KEEP_FINGERPRINTS most recently used."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.utime(self.folder)
            folders = [p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 16]
        except OSError:
            return
        folders.sort(key=_last_used, reverse=True)
        for old in folders[KEEP_FINGERPRINTS:]:
            if old != self.folder:
                shutil.rmtree(old, ignore_errors=True)
