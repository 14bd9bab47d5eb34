"""`policykit match`: which measures of the documents in force on a date a company's profile meets.

rule_sets(): the rules.json of every version of every document in a source folder, with what repeals it.
match(): per document the version in force on the date, every rule evaluated (toolkit/eligibility.py), what the
company qualifies for first. to_text / to_json / to_csv: the three output formats.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from . import metrics as vocabulary
from .chinese import normalize_brackets
from .eligibility import VERDICT_ORDER, judge
from .profile import display_unit
from .rules import document_rules
from .sources import load_sources, safe_id, unlisted_version_key
from .writers.csv_tables import neutralise

# Rules a company's profile is matched against: penalties are about breaking rules, not qualifying for them.
MATCHED_KINDS = ("condition", "benefit")


def _number_key(text: str | None) -> str | None:
    return normalize_brackets("".join(text.split())) if text else None


def rule_sets(source_dir: Path) -> list[dict]:
    """rules.json of every version in `source_dir`, each with `repealed_on`: the start of the first document that
    repeals or replaces it (by 发文字号, from the text's …同时废止 or the manifest), or null."""
    from .reader import read_path

    metrics = {m.id: m for m in vocabulary.load()}
    sets: list[dict] = []
    repeals: list[tuple[str, str, str | None]] = []  # (repealing document, repealed 发文字号, from when)
    for spec in load_sources(source_dir).documents:
        docs = [(v, read_path(v.file)) for v in spec.versions]
        doc_id = spec.id or safe_id(docs[-1][1].id) or safe_id(spec.versions[0].file.stem)
        for v, doc in docs:
            doc.id = doc_id
            version = v.version if spec.listed else unlisted_version_key(doc.metadata.signed_date)
            rules = document_rules(doc, version, metrics)
            sets.append(rules)
            start = rules["document"]["effective_from"]
            repeals += [(doc_id, r.doc_number, start) for r in doc.metadata.repeals if r.doc_number]
        start = sets[-1]["document"]["effective_from"]
        repeals += [(doc_id, r.doc_number, start) for r in spec.relations if r.type in ("repeals", "replaces")]
    for rules in sets:
        key = _number_key(rules["document"]["doc_number"])
        # A version repealing an earlier text of its own document (same 发文字号 reused) is a new version, not a repeal.
        dates = [d for by, number, d in repeals
                 if key and _number_key(number) == key and d and by != rules["document"]["id"]]
        rules["document"]["repealed_on"] = min(dates) if dates else None
    return sets


def published_rule_sets(data_dir: Path) -> list[dict]:
    """The rules.json of every version of a published data release (site/data/: catalog.json and the files it
    lists), each with `repealed_on` from the catalog's repealed_by / replaced_by relations: no text is parsed."""
    from .errors import ConfigError
    from .validate import validate_rules

    data_dir = Path(data_dir)
    catalog_path = data_dir / "catalog.json"
    try:
        catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("没有 catalog.json：--data 应为发布的数据目录（如 site/data）", str(data_dir)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"catalog.json 无法读取：{err}", str(catalog_path)) from None
    sets, by_doc = [], {}
    for doc in catalog["documents"]:
        for version in doc["versions"]:
            entry = version["files"].get("rules")
            if entry is None:
                continue  # a release made before rules.json existed
            path = data_dir / entry["url"]
            rules = json.loads(path.read_text(encoding="utf-8"))
            validate_rules(rules, str(path))
            sets.append(rules)
            by_doc.setdefault(doc["id"], []).append(rules)
    starts = {doc_id: max((r["document"]["effective_from"] or "" for r in versions), default="") or None
              for doc_id, versions in by_doc.items()}
    for doc in catalog["documents"]:
        dates = [starts.get(rel["document_id"]) for rel in doc["relations"]
                 if rel["type"] in ("repealed_by", "replaced_by") and rel["document_id"]]
        dates = [d for d in dates if d]
        for rules in by_doc.get(doc["id"], []):
            rules["document"]["repealed_on"] = min(dates) if dates else None
    return sets


def in_force_versions(sets: list[dict], on: str) -> list[dict]:
    """Per document, the latest version that has taken effect by `on`, if the document is in force then."""
    from .eligibility import in_force

    latest: dict[str, dict] = {}
    for rules in sets:
        doc = rules["document"]
        if doc["effective_from"] is None or doc["effective_from"] > on:
            continue
        current = latest.get(doc["id"])
        if current is None or doc["effective_from"] >= current["document"]["effective_from"]:
            latest[doc["id"]] = rules
    return [r for _, r in sorted(latest.items()) if in_force(r["document"], on)]


def match(sets: list[dict], values: dict, on: str) -> dict:
    """Verdicts for every matched rule of every document in force on `on`; qualifying first."""
    documents = in_force_versions(sets, on)
    results = []
    for rules in documents:
        doc = rules["document"]
        for rule in rules["rules"]:
            if rule["kind"] not in MATCHED_KINDS:
                continue
            verdict = judge(rule, values)
            results.append({
                "doc_id": doc["id"], "version": doc["version"], "doc_number": doc["doc_number"],
                "title": doc["title"], **verdict,
                "label": rule["label"], "heading": rule["heading"], "eid": rule["eid"],
                "benefit": benefit_text(rule), "source_text": rule["source_text"],
            })
    results.sort(key=lambda r: VERDICT_ORDER[r["verdict"]])  # stable: document and clause order within a verdict
    unknown_start = sorted({s["document"]["id"] for s in sets if s["document"]["effective_from"] is None})
    return {"date": on, "documents": [r["document"]["id"] for r in documents], "results": results,
            "undated_documents": unknown_start}


def benefit_text(rule: dict) -> str | None:
    """What meeting the rule gives, in words: the consequence as written, after any gated amount it does not
    already quote (eligibility.js benefitText is the same)."""
    consequence = rule["consequence"] or ""
    parts = [b["source_text"] for b in rule["benefits"] if b["source_text"] not in consequence]
    if consequence:
        parts.append(consequence)
    return "；".join(dict.fromkeys(parts)) or None


def _metric_name(var: str) -> tuple[str, str]:
    metric = vocabulary.by_id(var)
    return (metric.name, display_unit(metric.unit)) if metric else ("", "")


def number(value) -> str:
    """A number for a reader: no float noise (0.10000000000000009 -> 0.1), no trailing .0."""
    text = f"{value:.10g}" if isinstance(value, float) else str(value)
    return text if "e" not in text else f"{value:f}".rstrip("0").rstrip(".")


def amount(value, unit: str) -> str:
    """An amount in the unit a reader expects: 元 amounts of 10,000 or more in 万元."""
    if unit == "元" and abs(value) >= 10_000:
        return f"{number(round(value / 10_000, 6))}万元"
    if unit == "%":
        return f"{number(value)}%"
    return f"{number(value)}{unit}"


def failure_text(failure: dict, rule: dict) -> str:
    cond = rule_condition(rule, failure["condition"])
    _, unit = _metric_name(failure["var"])
    gap_unit = "个百分点" if unit == "%" else unit
    gap = "恰在界限上，不含本数" if failure["gap"] == 0 else f"差 {amount(failure['gap'], gap_unit)}"
    metric = cond["metric"] or _metric_name(failure["var"])[0]
    return f"{metric} {cond['source_text']}（填报 {amount(failure['actual'], unit)}，{gap}）"


def met_text(met: dict, rule: dict) -> str:
    cond = rule_condition(rule, met["condition"])
    name, unit = _metric_name(met["var"])
    return f"{cond['metric'] or name} {cond['source_text']}（填报 {amount(met['actual'], unit)}）"


def missing_text(var: str, rule: dict) -> str:
    """An input the verdict waits for; a condition whose metric was not recognised is quoted from the text."""
    metric = vocabulary.by_id(var)
    if metric is not None:
        return f"{metric.name}（{display_unit(metric.unit)}）"
    cond = next(c for c in rule["conditions"] if c["var"] == var)
    return f"{cond['metric'] or '原文条件'} {cond['source_text']}（指标未能识别，请对照原文）"


def rule_condition(rule: dict, condition_id: str) -> dict:
    return next(c for c in rule["conditions"] if c["id"] == condition_id)


def to_text(result: dict, sets: list[dict]) -> str:
    rules = {(s["document"]["id"], s["document"]["version"], r["id"]): r for s in sets for r in s["rules"]}
    counts = {v: sum(1 for r in result["results"] if r["verdict"] == v) for v in VERDICT_ORDER}
    lines = [f"{result['date']} 施行中的文件 {len(result['documents'])} 份，措施 {len(result['results'])} 条："
             + "，".join(f"{v} {counts[v]}" for v in VERDICT_ORDER)]
    for r in result["results"]:
        rule = rules[(r["doc_id"], r["version"], r["rule"])]
        where = " ".join(filter(None, [r["doc_number"] or r["title"] or r["doc_id"], r["label"], r["heading"]]))
        lines.append("")
        lines.append(f"【{r['verdict']}】{where}")
        if r["benefit"]:
            lines.append(f"  可获：{r['benefit']}")
        lines.append(f"  条件：{r['source_text']}")
        for met in r["met"]:
            lines.append(f"  已满足：{met_text(met, rule)}")
        for failure in r["failed"]:
            lines.append(f"  未满足：{failure_text(failure, rule)}")
        if r["missing"]:
            lines.append("  缺少：" + "、".join(missing_text(v, rule) for v in r["missing"]))
        lines.append(f"  原文：{r['doc_id']}/#{r['eid']}")
    if result["undated_documents"]:
        lines.append("")
        lines.append("未计入（施行日期和成文日期都不明）：" + "、".join(result["undated_documents"]))
    return "\n".join(lines) + "\n"


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("doc_id", "version", "doc_number", "label", "eid", "rule", "verdict", "benefit", "failed", "missing")


def to_csv(result: dict, sets: list[dict]) -> str:
    """One row per rule; failed and missing as the text lines of the text format, joined by ；."""
    rules = {(s["document"]["id"], s["document"]["version"], r["id"]): r for s in sets for r in s["rules"]}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in result["results"]:
        rule = rules[(r["doc_id"], r["version"], r["rule"])]
        # Texts quoted from the documents: neutralised as in the release's tables (OWASP CSV injection).
        writer.writerow([r["doc_id"], r["version"], r["doc_number"] or "", neutralise(r["label"]), r["eid"], r["rule"],
                         r["verdict"], neutralise(r["benefit"] or ""),
                         neutralise("；".join(failure_text(f, rule) for f in r["failed"])),
                         neutralise("；".join(missing_text(v, rule) for v in r["missing"]))])
    return "\ufeff" + out.getvalue()
