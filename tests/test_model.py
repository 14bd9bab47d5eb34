"""The document model's conversions."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from corpus_files import FIRST_BATCH
from toolkit.model import Document, plain
from toolkit.reader import read_path

SEED = Path(__file__).resolve().parent.parent / "source" / "zjzbf-2024-21.txt"


def test_plain_is_dataclasses_asdict_without_copies():
    for path in [SEED, *FIRST_BATCH]:
        doc = read_path(path)
        assert plain(doc) == dataclasses.asdict(doc)
        assert plain(doc) is not plain(doc)
        assert Document.from_dict(doc.to_dict()) == doc
