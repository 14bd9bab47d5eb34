"""Reference data shipped as plain files in toolkit/data/: departments and provincial divisions."""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .chinese import normalize_brackets

DATA_DIR = Path(__file__).parent / "data"


def _read_tsv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        rows = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t"))


@dataclass(frozen=True)
class Department:
    name: str  # as written
    full_name: str
    id: str
    known: bool  # found in the registry


def _key(name: str) -> str:
    return normalize_brackets(name).replace(" ", "")


@lru_cache(maxsize=1)
def _departments() -> dict[tuple[str, str], tuple[str, str]]:
    return {(row["jurisdiction"], _key(row["short_name"])): (row["full_name"], row["id"])
            for row in _read_tsv("departments.tsv")}


def department_id_for(name: str) -> str:
    """A stable id for a name the registry does not know: same name, same id, on every build."""
    return "org-" + hashlib.sha1(_key(name).encode("utf-8")).hexdigest()[:10]


def lookup_department(name: str, jurisdiction: str | None) -> Department:
    table = _departments()
    for scope in (jurisdiction or "", "*"):
        hit = table.get((scope, _key(name)))
        if hit:
            return Department(name, hit[0], hit[1], True)
    return Department(name, name, department_id_for(name), False)


def covers(jurisdiction: str | None) -> bool:
    """True when the registry lists departments of this jurisdiction (so an unknown name there is news)."""
    return any(scope == jurisdiction for scope, _ in _departments()) if jurisdiction else False


@lru_cache(maxsize=1)
def provinces() -> list[dict[str, str]]:
    return _read_tsv("provinces.tsv")


def jurisdiction_of(*names: str | None) -> str | None:
    """cn-zj for a text naming 浙江省…, cn for national organs, None when nothing tells."""
    for name in names:
        if not name:
            continue
        for row in provinces():
            if name.startswith((row["name"], row["name"][:2])):
                return row["code"]
        if name.startswith(("国务院", "中华人民共和国", "全国人民代表大会", "中共中央", "中央", "国家")):
            return "cn"
    return None


def province_initials(abbreviation: str) -> str | None:
    for row in provinces():
        if row["abbreviation"] == abbreviation:
            return row["initials"]
    return None
