"""`policykit match`: which measures of the documents in force on a date a company's profile meets.

rule_sets(): the rules.json of every version of every document in a source folder, each with its period in force
from the release model (published_rule_sets(): the same, read from a published release).
match(): per document the version in force on the date, every rule evaluated (toolkit/eligibility.py), what the
company qualifies for first. to_text / to_json / to_csv: the three output formats.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from . import metrics as vocabulary
from .eligibility import VERDICT_ORDER, judge
from .profile import display_unit
from .release import Release, ReleaseDocument, ReleaseVersion
from .rules import document_rules
from .sources import load_sources, safe_id, unlisted_version_key
from .status import in_force_on
from .writers.csv_tables import neutralise

# Rules a company's profile is matched against: penalties are about breaking rules, not qualifying for them.
MATCHED_KINDS = ("condition", "benefit")


def rule_sets(source_dir: Path) -> list[dict]:
    """rules.json of every version in `source_dir`, each `document` with the `period` in force the release model
    computes for it (status.Period: repeals, revisions, 有效期, manifest overrides), as a build would publish it."""
    from .reader import read_path

    metrics = {m.id: m for m in vocabulary.load()}
    documents = []
    for spec in load_sources(source_dir).documents:
        docs = [(v, read_path(v.file)) for v in spec.versions]
        doc_id = spec.id or safe_id(docs[-1][1].id) or safe_id(spec.versions[0].file.stem)
        versions = []
        for v, doc in docs:
            doc.id = doc_id
            version = v.version if spec.listed else unlisted_version_key(doc.metadata.signed_date)
            versions.append(ReleaseVersion(version, v.amends, v.file, doc))
        documents.append(ReleaseDocument(doc_id, versions, list(spec.relations), spec.status, list(spec.former_ids)))
    sets = []
    for rd in Release(documents).documents:
        for rv in rd.versions:
            rules = document_rules(rv.document, rv.version, metrics)
            rules["document"]["period"] = rv.period.to_dict()
            sets.append(rules)
    return sets


def published_rule_sets(data_dir: Path) -> list[dict]:
    """The rules.json of every version of a published data release (site/data/: catalog.json and the files it
    lists), each `document` with the `period` catalog.json publishes for that version: nothing is parsed or
    recomputed."""
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
    sets = []
    for doc in catalog["documents"]:
        for version in doc["versions"]:
            entry = version["files"].get("rules")
            if entry is None:
                continue  # a release made before rules.json existed
            if "period" not in version:
                raise ConfigError(f"{doc['id']} {version['version']}：catalog.json 没有施行期间（period），"
                                  "这份数据由旧版 policykit 发布，请重新发布", str(catalog_path))
            path = data_dir / entry["url"]
            rules = json.loads(path.read_text(encoding="utf-8"))
            validate_rules(rules, str(path))
            rules["document"]["period"] = version["period"]
            sets.append(rules)
    return sets


def in_force_versions(sets: list[dict], on: str) -> list[dict]:
    """Per document, the version in force on `on` (status.in_force_on over its period), by document id."""
    found: dict[str, dict] = {}
    for rules in sets:
        if in_force_on(rules["document"]["period"], on):
            found[rules["document"]["id"]] = rules  # periods of one document's versions do not overlap
    return [r for _, r in sorted(found.items())]


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
    unknown_start = sorted({s["document"]["id"] for s in sets if s["document"]["period"]["from"] is None})
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
        lines.append("未计入（施行日期、有效期起始日和版本日期都不明）：" + "、".join(result["undated_documents"]))
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
