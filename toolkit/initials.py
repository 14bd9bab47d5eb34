"""Pinyin initials of Chinese characters, for document ids made from a 发文字号 (浙政办发 -> zjzbf).

The initials of the 6,763 GB 2312 characters are shipped in data/initials.tsv (scripts/initials_table.py writes it
from pypinyin); pypinyin itself is loaded only for a character outside that table, which keeps it (0.16 s, ~55 MiB)
out of ordinary builds. Both give the same letter for a character, so ids do not depend on which answered.
"""
from __future__ import annotations

from functools import lru_cache

from .datafiles import read_tsv


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return {row["char"]: row["initial"] for row in read_tsv("initials.tsv")}


def initial(char: str) -> str:
    """The first letter of the character's pinyin; "" for what is not a Chinese character."""
    found = _table().get(char)
    if found is not None:
        return found
    from pypinyin import Style, lazy_pinyin  # rare characters only

    return "".join(lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore"))
