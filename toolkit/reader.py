"""The reader: an official text (bytes of a .txt file) -> Document.

Stages, each in its own module under readers/: decode (encoding, newlines) -> clean (markup, punctuation,
page-break repairs, paragraphs with source lines) -> gongwen (metadata and the numbered body tree,
responsibilities, thresholds). Only undecodable or empty input is fatal; everything else is read as well
as it can be, with problems recorded in Document.warnings.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .chinese import gb2312_share
from .errors import DecodeError, StructureError, plain_os_error
from .model import Document, Finding, Metadata, Provenance, Repair
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
    try:
        doc = build_document(paras, provenance, document_id, facts)
    except StructureError as err:
        err.file = name  # the path as given, not only the file name the document records
        raise
    doc.warnings.extend(unplaced_findings(doc, decoded.text))
    if decoded.encoding == "gb18030":
        doc.warnings.extend(_implausible_decode(decoded.text))
    return doc


# Below this share of GB 2312 characters (and with this many ideographs to judge), text read as GB18030 is probably
# another encoding: published as it is, it would be mojibake.
PLAUSIBLE_GB2312_SHARE = 0.9
MIN_IDEOGRAPHS = 20


def _implausible_decode(text: str) -> list[Finding]:
    ideographs, share = gb2312_share(text)
    if ideographs < MIN_IDEOGRAPHS or share >= PLAUSIBLE_GB2312_SHARE:
        return []
    return [Finding(code="implausible-encoding", line=1, column=None, severity="warning",
                    message=f"文件按 GB18030 编码读取，但 {ideographs} 个汉字中只有 {share:.0%} 是常用字（真实公文为 "
                    "100%）：很可能是其他编码（如 Big5 或 Shift-JIS），请转换为 UTF-8 后核对文字")]


def read_file_bytes(path: str | Path, what: str = "文本文件") -> bytes:
    """The bytes of a file, or a DecodeError saying in plain words why it cannot be read."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it (and devices such
        # as /dev/zero, which would be read until memory runs out) before anything is read.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise DecodeError("文件不存在", str(path)) from None
    except IsADirectoryError:
        raise DecodeError(f"这是一个文件夹，不是{what}", str(path)) from None
    except OSError as err:
        raise DecodeError(f"无法读取文件：{plain_os_error(err)}", str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DecodeError(f"这是一个文件夹，不是{what}", str(path))
        if not stat.S_ISREG(mode):
            kind = "命名管道（FIFO）" if stat.S_ISFIFO(mode) else \
                "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "套接字或其他特殊文件"
            raise DecodeError(f"这是{kind}，不是{what}：只读取普通文件", str(path))
        try:
            return handle.read()
        except OSError as err:
            raise DecodeError(f"无法读取文件：{plain_os_error(err)}", str(path)) from None


def read_path(path: str | Path) -> Document:
    return read_bytes(read_file_bytes(path), str(path))
