"""Document ids from 发文字号 use a shipped table of pinyin initials; pypinyin is only the fallback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from toolkit import initials
from toolkit.model import DocNumber
from toolkit.reader import id_for_doc_number


def test_the_table_agrees_with_pypinyin_for_every_character_it_lists():
    table = initials._table()
    assert len(table) == 6763
    disagree = {ch: i for ch, i in table.items()
                if i != "".join(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore"))}
    assert disagree == {}


def test_ids_of_doc_numbers():
    assert id_for_doc_number(DocNumber("浙政办发", 2024, 21)) == "zjzbf-2024-21"
    assert id_for_doc_number(DocNumber("国办函", 2005, 57)) == "gbh-2005-57"
    assert id_for_doc_number(DocNumber("劳社部发", 2008, 3)) == "lsbf-2008-3"


def test_a_character_outside_the_table_falls_back_to_pypinyin():
    assert "𠀾" not in initials._table() and "鿏" not in initials._table()
    assert initials.initial("鿏") == "".join(lazy_pinyin("鿏", style=Style.FIRST_LETTER, errors="ignore"))
    assert initials.initial("A") == ""


def test_reading_a_document_does_not_load_pypinyin():
    seed = Path(__file__).resolve().parent.parent / "source" / "zjzbf-2024-21.txt"
    code = (f"import sys; from toolkit.reader import read_path; read_path({str(seed)!r}); "
            "print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
