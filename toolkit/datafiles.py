"""The reference tables shipped in toolkit/data/ (tab-separated, # comment lines; formats in docs/departments.md)."""
from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if line.strip() and not line.startswith("#"))
        return [{key: (value or "") for key, value in row.items()}
                for row in csv.DictReader(rows, delimiter="\t")]
