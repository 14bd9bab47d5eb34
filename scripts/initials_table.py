"""Writes toolkit/data/initials.tsv: the pinyin initial of each of the 6,763 GB 2312 characters, from pypinyin.

Document ids are built from the 发文字号's 机关代字 (浙政办发 -> zjzbf). Looking the initials up in this table keeps
pypinyin (0.16 s and ~55 MiB to load) out of every build; the reader falls back to pypinyin only for a character the
table does not have. Run again after upgrading pypinyin: `python scripts/initials_table.py`.
"""
from __future__ import annotations

from pathlib import Path

from pypinyin import Style, lazy_pinyin

TABLE = Path(__file__).resolve().parent.parent / "toolkit" / "data" / "initials.tsv"


def gb2312_hanzi() -> list[str]:
    """Levels 1 and 2 of GB 2312 (rows 0xB0-0xF7), in code order."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # the unassigned end of row 0xD7
    return chars


def main() -> None:
    import pypinyin

    lines = [f"# The pinyin initial of each GB 2312 character (pypinyin {pypinyin.__version__}, Style.FIRST_LETTER);",
             "# written by scripts/initials_table.py. Used for document ids (浙政办发 -> zjzbf).",
             "char\tinitial"]
    for ch in gb2312_hanzi():
        initial = "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore"))
        if initial:
            lines.append(f"{ch}\t{initial}")
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TABLE}: {len(lines) - 3} characters")


if __name__ == "__main__":
    main()
