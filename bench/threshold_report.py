"""Precision, recall and metric accuracy of the threshold extractor against the hand-annotated gold set.

    python bench/threshold_report.py            # a table per document and overall
    python bench/threshold_report.py --misses   # also every missed, spurious and wrongly typed item

The gold set is tests/gold/thresholds/*.tsv (docs/thresholds.md). Each file names its document and the lines it
covers (`# scope: all` or `# scope: lines 8,11,17-21`); only thresholds of clauses inside the scope count.

Matching: a gold item and an extracted threshold match when they are in the same clause (the gold line lies in the
clause's source lines) and have the same comparator, value and unit. Extracted thresholds that match no gold item
are false positives. A match is "metric right" when the metric_id agrees (gold with a metric_id) or, for gold
items without one, when no metric_id was given and the metric text (two characters or more) is part of one of
the gold's |-separated phrases.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD_DIR = REPO / "tests" / "gold" / "thresholds"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from toolkit.model import Threshold, Unit  # noqa: E402
from toolkit.reader import read_path  # noqa: E402


@dataclass
class GoldItem:
    line: int
    source_text: str
    comparator: str
    value: float
    unit: str
    kind: str
    metric: str
    metric_id: str | None

    @property
    def label(self) -> str:
        return f"{self.line}:{self.source_text} {self.comparator} {self.value:g} {self.unit}"


@dataclass
class GoldFile:
    name: str
    document: Path
    lines: set[int] | None  # None: the whole document
    items: list[GoldItem]
    held_out: bool = False  # annotated after the rules were written, never used to change them


@dataclass
class Match:
    gold: GoldItem
    found: Threshold | None  # None: missed


@dataclass
class Result:
    name: str
    matches: list[Match] = field(default_factory=list)
    spurious: list[tuple[int, Threshold]] = field(default_factory=list)  # (first line of the clause, threshold)

    @property
    def gold(self) -> int:
        return len(self.matches)

    @property
    def found(self) -> int:
        return sum(m.found is not None for m in self.matches)

    @property
    def extracted(self) -> int:
        return self.found + len(self.spurious)

    @property
    def metric_right(self) -> int:
        return sum(m.found is not None and metric_right(m.gold, m.found) for m in self.matches)

    @property
    def kind_right(self) -> int:
        return sum(m.found is not None and m.found.kind == m.gold.kind for m in self.matches)


def _scope(text: str) -> set[int] | None:
    text = text.strip()
    if text.startswith("all"):
        return None
    lines: set[int] = set()
    for part in text.removeprefix("lines").split("(")[0].strip().split(","):
        first, _, last = part.strip().partition("-")
        lines.update(range(int(first), int(last or first) + 1))
    return lines


def load_gold(path: Path) -> GoldFile:
    document, scope, held_out = None, None, False
    rows: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("# document:"):
            document = REPO / raw.split(":", 1)[1].strip()
        elif raw.startswith("# set:"):
            held_out = raw.split(":", 1)[1].strip().startswith("held-out")
        elif raw.startswith("# scope:"):
            scope = _scope(raw.split(":", 1)[1])
        elif raw.strip() and not raw.startswith("#"):
            rows.append(raw)
    if document is None:
        raise ValueError(f"{path}: no '# document:' line")
    items = [GoldItem(int(r["line"]), r["source_text"], r["comparator"], float(r["value"]), r["unit"], r["kind"],
                      r["metric"], r["metric_id"] or None)
             for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return GoldFile(path.stem, document, scope, items, held_out)


def gold_files() -> list[GoldFile]:
    return [load_gold(p) for p in sorted(GOLD_DIR.glob("*.tsv"))]


def metric_right(gold: GoldItem, found: Threshold) -> bool:
    if gold.metric_id:
        return found.metric_id == gold.metric_id
    # No vocabulary entry: no id may be claimed, and the phrase must be a clean part of the annotated one.
    return found.metric_id is None and len(found.metric) >= 2 and any(
        found.metric in phrase for phrase in gold.metric.split("|"))


def _same(gold: GoldItem, found: Threshold) -> bool:
    return (found.comparator == gold.comparator and found.unit == gold.unit
            and math.isclose(float(found.value), gold.value, rel_tol=1e-6))


def evaluate(gold: GoldFile) -> Result:
    doc = read_path(gold.document)
    result = Result(gold.name)
    unmatched = list(gold.items)
    for unit in doc.units():  # the body, then the units of carried documents (06's 细则, 24's 办法)
        first, last = (unit.source_lines + [0, 0])[:2] if unit.source_lines else (0, 0)
        span = set(range(first, last + 1))
        if gold.lines is not None and not span <= gold.lines:
            # a clause partly in scope would count thresholds of lines nobody annotated
            continue
        mine = [g for g in unmatched if g.line in span]
        for thr in unit.thresholds:
            # prefer the gold item that also agrees on kind and metric, then the first in line order
            candidates = [g for g in mine if _same(g, thr)]
            if not candidates:
                result.spurious.append((first, thr))
                continue
            best = next((g for g in candidates if g.kind == thr.kind and metric_right(g, thr)), candidates[0])
            mine.remove(best)
            unmatched.remove(best)
            result.matches.append(Match(best, thr))
    result.matches += [Match(g, None) for g in unmatched]
    result.matches.sort(key=lambda m: (m.gold.line, gold.items.index(m.gold)))
    return result


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def _row(r: Result) -> str:
    return (f"{r.name:<32} {r.gold:>5} {r.found:>6} {len(r.spurious):>6} {_ratio(r.found, r.extracted):>9} "
            f"{_ratio(r.found, r.gold):>7} {_ratio(r.metric_right, r.found):>7} {_ratio(r.kind_right, r.found):>6}")


def report(results: list[Result], misses: bool = False, held_out: set[str] = frozenset()) -> str:
    out = [f"{'document':<32} {'gold':>5} {'found':>6} {'spur.':>6} {'precision':>9} {'recall':>7} "
           f"{'metric':>7} {'kind':>6}"]
    totals = {"dev": Result("overall, dev set"), "held-out": Result("overall, held-out set"),
              "all": Result("overall, both sets")}
    for r in results:
        out.append(_row(r))
        for key in ("held-out" if r.name in held_out else "dev", "all"):
            totals[key].matches += r.matches
            totals[key].spurious += r.spurious
    out += [_row(t) for t in totals.values() if t.matches]
    out.append("precision = found / extracted; recall = found / gold; metric and kind: right among the found.")
    if misses:
        for r in results:
            for m in r.matches:
                if m.found is None:
                    out.append(f"{r.name}: MISSED {m.gold.label} [{m.gold.kind} {m.gold.metric_id}]")
                elif not metric_right(m.gold, m.found) or m.found.kind != m.gold.kind:
                    out.append(f"{r.name}: WRONG {m.gold.label}: kind {m.found.kind} (gold {m.gold.kind}), "
                               f"metric {m.found.metric!r} {m.found.metric_id} (gold {m.gold.metric_id or m.gold.metric})")
            for line, thr in r.spurious:
                out.append(f"{r.name}: SPURIOUS clause line {line}: {thr.source_text} {thr.comparator} {thr.value} "
                           f"{thr.unit} [{thr.kind} {thr.metric!r} {thr.metric_id}]")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list missed, spurious and wrongly typed items")
    args = parser.parse_args(argv)
    golds = gold_files()
    print(report([evaluate(g) for g in golds], args.misses, {g.name for g in golds if g.held_out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
