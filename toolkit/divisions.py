"""Administrative divisions (GB/T 2260) and a document's jurisdiction (适用地域).

A document's jurisdiction decides what its short department names mean: 市财政局 in a 广州 document is
广州市财政局, in a 丽水 document 丽水市财政局. The divisions are data (toolkit/data/divisions.tsv, format in
docs/departments.md); this module only looks names up in them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .datafiles import read_tsv

# Issuers of the central state and party: their documents are national (cn).
_NATIONAL_PREFIXES = ("国务院", "中华人民共和国", "全国人民代表大会", "全国人大", "中共中央", "中国共产党中央",
                      "中央", "国家", "最高人民法院", "最高人民检察院", "中国人民银行", "中国证券", "中国银行",
                      "中华全国", "共青团中央")


@dataclass(frozen=True)
class Division:
    code: str  # GB/T 2260, 6 digits
    name: str  # 浙江省, 广州市, 越秀区
    level: str  # province | prefecture | county
    parent: str | None


@dataclass(frozen=True)
class Place:
    """Where a document applies: the country (code None) or one division, with the divisions above it."""

    iso: str  # cn, or the province's ISO 3166-2 code (cn-zj); what Metadata.jurisdiction holds
    division: Division | None  # None: national

    @property
    def code(self) -> str | None:
        return self.division.code if self.division else None

    @property
    def name(self) -> str:
        return self.division.name if self.division else "中华人民共和国"

    def chain(self) -> list[Division]:
        """This division and those above it, innermost first (越秀区, 广州市, 广东省)."""
        out, division = [], self.division
        while division is not None:
            out.append(division)
            division = divisions().get(division.parent) if division.parent else None
        return out

    def at(self, level: str) -> Division | None:
        """The division of this level the document belongs to (the province of a city document…)."""
        return next((d for d in self.chain() if d.level == level), None)


NATIONAL = Place("cn", None)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    return {row["code"]: Division(row["code"], row["name"], row["level"], row["parent"] or None)
            for row in read_tsv("divisions.tsv")}


@lru_cache(maxsize=1)
def _province_iso() -> dict[str, str]:
    """浙江省 -> cn-zj, from provinces.tsv (the ISO 3166-2 codes the AKN IRIs use)."""
    return {row["name"]: row["code"] for row in read_tsv("provinces.tsv")}


@lru_cache(maxsize=1)
def _by_name() -> list[Division]:
    """Every division, longest name first: 吉林市 must win over 吉林省's short form 吉林."""
    return sorted(divisions().values(), key=lambda d: (-len(d.name), d.code))


def place_for(division: Division) -> Place:
    province = division
    while province.parent:
        province = divisions()[province.parent]
    return Place(_province_iso()[province.name], division)


def place_by_code(code: str | None, iso: str | None = None) -> Place | None:
    """The place a document's metadata records: its GB/T 2260 code, else its ISO code (cn, cn-zj)."""
    if code and code in divisions():
        return place_for(divisions()[code])
    if iso == "cn":
        return NATIONAL
    if iso:
        name = next((n for n, c in _province_iso().items() if c == iso), None)
        division = next((d for d in divisions().values() if d.name == name), None)
        return place_for(division) if division else None
    return None


@lru_cache(maxsize=1)
def _named() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for division in divisions().values():
        out.setdefault(division.name, []).append(division)
    return out


def division_named(name: str, within: Place | None = None) -> Division | None:
    """A division by its exact name (越秀区); a county name must belong to the document's place when one is given
    (many counties share a name across the country)."""
    hits = _named().get(name, [])
    if within is not None and within.division is not None:
        inside = {d.code for d in within.chain()}
        local = [d for d in hits if d.parent in inside or d.code in inside]
        if local:
            return local[0]
    return hits[0] if len(hits) == 1 and hits[0].level != "county" else None


@lru_cache(maxsize=4096)
def place_of_name(name: str) -> Place | None:
    """The place an organ's name belongs to: 广州市人民政府 -> 广州市, 浙江省物价局 -> 浙江省, 国务院办公厅 -> cn."""
    text = re.sub(r"^(中共|中国共产党)", "", name.strip())
    for division in _by_name():
        if text.startswith(division.name):
            # 广州市越秀区人民政府: the district inside the city, when the name goes on with one.
            rest = text[len(division.name):]
            inner = next((d for d in _by_name() if d.parent == division.code and rest.startswith(d.name)), None)
            return place_for(inner or division)
    for province, iso in _province_iso().items():
        # 浙江证监局, 广东银保监局: the province's name without 省.
        if len(province) > 2 and text.startswith(province[:2]):
            division = next((d for d in divisions().values() if d.name == province), None)
            return place_for(division) if division else Place(iso, None)
    if name.strip().startswith(_NATIONAL_PREFIXES):
        return NATIONAL
    return None


def place_of(*names: str | None) -> Place | None:
    """The first of the names (issuer, title, 发文机关标志) that tells where the document applies."""
    for name in names:
        if name:
            place = place_of_name(name)
            if place is not None:
                return place
    return None


# 根据《中共广州市委、广州市人民政府关于…》: organs of a government named in the text.
_ORGAN = re.compile(r"(?:中共)?(?P<division>[\u4e00-\u9fff]{2,10}?(?:省|市|自治区|自治州|县|区))"
                    r"(?:委|人民政府|政府|人大常委会)")


def place_in_text(citing: str, text: str) -> tuple[Place, str] | None:
    """A document without an issuer that bases itself on the decisions of one government (根据《中共广州市委、广州市
    人民政府关于…》) and names its own units relative to that level (市委组织部, 全市): that government's place, with
    the organ as written. citing is where the organs are looked for (the preamble), text the whole document.
    None when the citing text names organs of several places, or none."""
    found: dict[str, str] = {}
    for match in _ORGAN.finditer(citing):
        division = match.group("division")
        hit = next(iter(_named().get(division, [])), None)
        if hit is not None:
            found.setdefault(hit.code, match.group())
    if len(found) != 1:
        return None
    code, organ = next(iter(found.items()))
    place = place_for(divisions()[code])
    relative = {"province": "省", "prefecture": "市", "county": "县"}[place.division.level]
    if f"全{relative}" not in text and f"我{relative}" not in text and f"{relative}委" not in text:
        return None
    return place, organ
