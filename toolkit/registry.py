"""The department registry: a name as a document writes it -> the unit's official full name and stable id.

A name is resolved in the document's place (divisions.Place): 市财政局 in a 广州 document is 广州市财政局. What
resolves it, in order: a row of departments.tsv for that place (or the country); the same by full name; the
pattern of a province's or city's departments (department_patterns.tsv: 省财政厅 -> {division}财政厅); a
prefix rule for names already written in full but for the division (市人力资源和社会保障局); the name of a division
inside the place (越秀区 -> 广州市越秀区人民政府). A name nothing resolves keeps its text, and its id is scoped by
the place, so 市财政局 of two cities never shares an id. Collective names (各有关单位) are groups, not departments.
Formats and sources of the data files: docs/departments.md.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from .chinese import normalize_brackets
from .datafiles import read_tsv
from .divisions import NATIONAL, Division, Place, division_named, divisions, place_by_code, place_of

DEPARTMENT = "department"
GROUP = "group"

# Collective names: a class of units, never one department (各市、县（市、区）政府, 各有关单位, 有关部门和单位).
_GROUP = re.compile(r"^(各|有关|相关|其他|其它|地方各级|省级|市级|县级)|(有关部门|有关单位|相关部门|各部门|各单位|"
                    r"牵头单位|各级人民政府|各级政府)$")
# A name written in full but for its division: 市人力资源和社会保障局 is 广州市人力资源和社会保障局.
_FULL_FORM = re.compile(r"^.{4,}(局|厅|委员会|办公室|管理处|中心)$")


@dataclass(frozen=True)
class Department:
    name: str  # as written
    full_name: str
    id: str
    known: bool  # resolved by the registry
    kind: str = DEPARTMENT  # department | group
    tried: str = ""  # the place it was looked up in (广州市, 中华人民共和国): what check reports when unresolved


def _key(name: str) -> str:
    return normalize_brackets(name).replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True)
class _Row:
    scope: str
    full_name: str
    id: str
    kind: str
    since: str
    until: str


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, list[_Row]], dict[str, list[_Row]]]:
    """(short name -> rows, full name -> rows) of departments.tsv."""
    by_short: dict[str, list[_Row]] = {}
    by_full: dict[str, list[_Row]] = {}
    for row in read_tsv("departments.tsv"):
        entry = _Row(row["jurisdiction"], row["full_name"], row["id"], row["kind"] or DEPARTMENT,
                     row["since"], row["until"])
        by_short.setdefault(_key(row["short_name"]), []).append(entry)
        by_full.setdefault(_key(row["full_name"]), []).append(entry)
    return by_short, by_full


@lru_cache(maxsize=1)
def _patterns() -> dict[tuple[str, str], list[dict[str, str]]]:
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in read_tsv("department_patterns.tsv"):
        out.setdefault((row["level"], _key(row["short_name"])), []).append(row)
    return out


def _in_force(since: str, until: str, date: str | None) -> bool:
    return date is None or ((not since or since <= date) and (not until or date < until))


def _pick(candidates: list, date: str | None, since=lambda c: c.since, until=lambda c: c.until):
    """The candidate whose name was in use on the document's date; else the first (the name is still that unit's)."""
    if not candidates:
        return None
    return next((c for c in candidates if _in_force(since(c), until(c), date)), candidates[0])


def _scope_rank(scope: str, place: Place | None) -> int | None:
    """How closely a row's jurisdiction fits the place (lower is closer); None when it does not apply."""
    if scope == "*":
        return 9
    if place is None:
        return None
    if scope == "cn":
        return 8 if place.division is None else None
    chain = place.chain()
    if scope.isdigit():
        codes = [d.code for d in chain]
        return codes.index(scope) if scope in codes else None
    if place.iso != scope or place.division is None:
        return None
    return 0 if place.division.level == "province" else 7  # the province itself, or a city inside it


def _from_rows(rows: list[_Row], place: Place | None, date: str | None) -> _Row | None:
    ranked = []
    for row in rows:
        rank = _scope_rank(row.scope, place)
        # A group row (各市、县（市、区）政府 of a province) means that group only in the place it was written for.
        if rank is None or (row.kind == GROUP and rank not in (0, 8, 9)):
            continue
        ranked.append((rank, row))
    ranked.sort(key=lambda pair: pair[0])
    return _pick([row for _, row in ranked], date)


def division_prefix(division: Division) -> str:
    """The first part of the ids of a division's departments: zj for 浙江省 (as the ids published before cities
    were known), then the GB/T 2260 code for a city or county: gd-440100. It starts with a letter, so an id is
    also a valid XML name (the Akoma Ntoso eId)."""
    province = place_by_code(division.code).iso.removeprefix("cn-")
    return province if division.level == "province" else f"{province}-{division.code}"


def _level_of(key: str, place: Place) -> tuple[Division, str, str] | None:
    """(division, pattern level, the name with that level's standard prefix) for a name written relative to a
    level: 省财政厅 / 自治区财政厅 (province), 市财政局 (city), 县财政局 / 区财政局 (county)."""
    if key.startswith(("团省委", "团市委")):
        level, standard = ("province" if key[1] == "省" else "city"), key
    elif key.startswith(("团县委", "团区委")):
        level, standard = "county", "团县委" + key[3:]
    elif key.startswith("自治区"):
        level, standard = "province", "省" + key[3:]
    elif key[:1] in ("省", "市"):
        level, standard = ("province" if key[0] == "省" else "city"), key
    elif key[:1] in ("县", "区"):
        level, standard = "county", "县" + key[1:]
    else:
        return None
    province = place.at("province")
    municipality = province is not None and province.name.endswith("市")  # 北京市: its departments are 市…局
    if level == "province":
        division = None if municipality else province
    elif level == "city":
        division = place.at("prefecture") or (province if municipality else None)
    else:
        division = place.at("county")
    return (division, level, standard) if division is not None else None


def _from_patterns(key: str, place: Place, date: str | None) -> Department | None:
    found = _level_of(key, place)
    if found is None:
        return None
    division, level, standard = found
    row = _pick(_patterns().get((level, standard), []), date, lambda r: r["since"], lambda r: r["until"])
    if row is not None:
        return Department(key, row["full_name"].format(division=division.name),
                          f"{division_prefix(division)}-{row['suffix']}", True)
    rest = standard[1:]
    if standard[0] in "省市县" and _FULL_FORM.match(rest) and not rest.startswith("委"):
        # Written in full but for the division (市人力资源和社会保障局): the division's name completes it.
        digest = hashlib.sha1(rest.encode("utf-8")).hexdigest()[:8]
        return Department(key, division.name + rest, f"{division_prefix(division)}-{digest}", True)
    return None


def _division_government(key: str, place: Place) -> Department | None:
    """越秀区 in a 广州 document: the district's people's government."""
    division = division_named(key, place)
    if division is None or division.level == "province":
        return None
    parent = divisions().get(division.parent) if division.level == "county" and division.parent else None
    full = (parent.name if parent else "") + division.name + "人民政府"
    return Department(key, full, f"{division_prefix(division)}-gov", True)


def scope_of(name: str, place: Place | None, fallback: str = "") -> str:
    """What scopes the id of a name the registry does not know. A name that says where it belongs (浙江省人民政府
    办公厅, 国家…) needs nothing: it is the same unit in every document. Any other (市留交办, 临港地区管委会) is
    scoped by the document's place, or by the fallback (the document) when the place is unknown."""
    if place_of(name) is not None:
        return ""
    if place is None:
        return fallback
    return place.code or place.iso


def department_id_for(name: str, scope: str = "") -> str:
    """A stable id for a name the registry does not know: same name in the same place, same id, on every build."""
    text = _key(name) if not scope else f"{scope}|{_key(name)}"
    return "org-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def group_id_for(name: str, scope: str = "") -> str:
    return "grp-" + hashlib.sha1(f"{scope}|{_key(name)}".encode("utf-8")).hexdigest()[:10]


def is_group(name: str) -> bool:
    return bool(_GROUP.search(_key(name)))


@lru_cache(maxsize=8192)  # a document names the same units again and again; Department is immutable
def resolve(name: str, place: Place | None, date: str | None = None, fallback_scope: str = "") -> Department:
    """The unit a name stands for in a document of this place and date (ISO, or None)."""
    key = _key(name)
    by_short, by_full = _rows()
    tried = place.name if place is not None else ""
    row = _from_rows(by_short.get(key, []), place, date) or _from_rows(by_full.get(key, []), place, date)
    if row is not None:
        return Department(name, row.full_name, row.id, True, row.kind, tried)
    if is_group(key):
        return Department(name, name, group_id_for(name, scope_of(name, place, fallback_scope)), True, GROUP, tried)
    if place is not None:
        found = _from_patterns(key, place, date) or _division_government(key, place)
        if found is not None:
            return Department(name, found.full_name, found.id, True, DEPARTMENT, tried)
    return Department(name, name, department_id_for(name, scope_of(name, place, fallback_scope)), False, DEPARTMENT, tried)


def lookup_department(name: str, jurisdiction: str | None, code: str | None = None,
                      date: str | None = None) -> Department:
    """resolve() for callers that hold the metadata's jurisdiction (cn-zj) and GB/T 2260 code."""
    return resolve(name, place_by_code(code, jurisdiction), date)


def covers(jurisdiction: str | None, code: str | None = None) -> bool:
    """True when the registry can resolve names of this place (so an unknown name there is news)."""
    return place_by_code(code, jurisdiction) is not None


@lru_cache(maxsize=1)
def provinces() -> list[dict[str, str]]:
    return read_tsv("provinces.tsv")


def jurisdiction_of(*names: str | None) -> str | None:
    """cn-zj for a text naming 浙江省…, cn for national organs, None when nothing tells."""
    place = place_of(*names)
    return place.iso if place is not None else None


def province_initials(abbreviation: str) -> str | None:
    for row in provinces():
        if row["abbreviation"] == abbreviation:
            return row["initials"]
    return None


__all__ = ["NATIONAL", "Department", "resolve", "lookup_department", "covers", "department_id_for",
           "group_id_for", "is_group", "jurisdiction_of", "province_initials", "provinces", "scope_of"]
