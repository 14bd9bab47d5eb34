"""Limits on what one input may make the toolkit build, so that memory grows with the text, not faster.

A numbered unit costs about 1.5 KB in the reader (and more in the JSON, Akoma Ntoso and website built from it),
whatever the few bytes of its label: a 7 MB text of 1,000,000 lines `一、` took 6.5 GB to parse and 8.1 GB to
build. A document with more units than any real one is refused with a clear error instead.
"""
from __future__ import annotations

from .errors import StructureError

# The largest real documents have a few thousand units; the 50 MB generated law of tests/test_scale.py ~105,000.
MAX_UNITS = 150_000


def check_unit_count(count: int, file: str, line: int | None) -> None:
    """Called with the number of units read so far, each time one is opened (a comparison: costs nothing)."""
    if count > MAX_UNITS:
        raise StructureError(f"一份文件中带编号的条目（一、 （一） 1. 第X条 …）超过 {MAX_UNITS:,} 个，"
                             "真实文件没有这么多：请把文本拆分为几份文件",
                             file=file, line=line)
