"""The reader: an official text (bytes of a .txt file) -> Document.

Stages, each in its own module under readers/: decode (encoding, newlines) -> clean (markup, punctuation,
page-break repairs, paragraphs with source lines) -> gongwen (metadata and the numbered body tree,
responsibilities, thresholds). Only undecodable or empty input is fatal; everything else is read as well
as it can be, with problems recorded in Document.warnings.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import DecodeError
from .model import Document, Metadata, Provenance, Repair
from .readers.accounting import unplaced_findings
from .readers.clean import Para, clean_lines, paragraphs
from .readers.decode import decode
from .readers.gongwen import build_document
from .readers.pdf_spacing import repair_spacing
from .readers.runin import split_run_in
from .readers.webpage import PageFacts, strip_page
from .vocabulary import id_for_doc_number, slug


def document_id(meta: Metadata, provenance: Provenance) -> str:
    """The id from the 发文字号; the file name when the text has none."""
    if meta.doc_number_parts:
        return id_for_doc_number(meta.doc_number_parts)
    return slug(Path(provenance.source_file).stem)


def prepare(text: str) -> tuple[list[Para], list[Repair], PageFacts]:
    """Decoded text -> paragraphs with their source lines, every repair made on the way, and what a saved
    web page said about the document (its metadata table)."""
    lines, repairs = clean_lines(text)
    lines, page_repairs, facts = strip_page(lines)
    lines, spacing_repairs = repair_spacing(lines)
    repairs += page_repairs + spacing_repairs
    return split_run_in(paragraphs(lines, repairs), repairs), repairs, facts


def read_bytes(data: bytes, name: str) -> Document:
    decoded = decode(data, name)
    paras, repairs, facts = prepare(decoded.text)
    if not paras:
        raise DecodeError("去掉标记符号后，文件中没有文字", name)
    provenance = Provenance(source_file=Path(name).name, sha256=hashlib.sha256(data).hexdigest(),
                            encoding=decoded.encoding, newline=decoded.newline,
                            line_count=decoded.text.count("\n") + (not decoded.text.endswith("\n")),
                            repairs=sorted(repairs, key=lambda r: (r.lines, r.kind)))
    doc = build_document(paras, provenance, document_id, facts)
    doc.warnings.extend(unplaced_findings(doc, decoded.text))
    return doc


def read_file_bytes(path: str | Path, what: str = "文本文件") -> bytes:
    """The bytes of a file, or a DecodeError saying in plain words why it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DecodeError("文件不存在", str(path)) from None
    except IsADirectoryError:
        raise DecodeError(f"这是一个文件夹，不是{what}", str(path)) from None
    except OSError as err:
        raise DecodeError(f"无法读取文件：{err.strerror}", str(path)) from None


def read_path(path: str | Path) -> Document:
    return read_bytes(read_file_bytes(path), str(path))
