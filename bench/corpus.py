"""A deterministic synthetic corpus for the benchmarks: N documents made by perturbing the seven real texts.

Document i is a copy of real text i % 7 (the seed, then the six corpus fixtures) with
  - its own 发文字号 renumbered: year moved back 0-3 years, serial i + 1, so every id is different;
  - for a provincial document, the province renamed (浙江 -> 江苏, 浙政办发 -> 苏政办发): other names, other ids;
  - counts and amounts changed (3%以上 -> 6%以上, 500万元 -> 250万元), so thresholds differ;
  - the departments of a responsibility list reordered (another lead department);
  - its length changed: sentences dropped from, or repeated in, long paragraphs (about 0.7x to 1.7x).
Numbered headings, dates and the closing are left alone, so every copy parses like its original
(tests/test_bench_corpus.py runs the real reader and validators over a sample).

The same n and seed always give the same bytes. Files go to a folder the caller chooses (never source/).

    python bench/corpus.py 1000 /tmp/corpus-1000
"""
from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python bench/corpus.py` from a checkout
    sys.path.insert(0, str(REPO))

from toolkit.reader import read_bytes  # noqa: E402
from toolkit.readers.decode import decode  # noqa: E402
from toolkit.registry import provinces  # noqa: E402

SEED = 20240606
# The seed and the first corpus batch (01–13): the same templates in every run, so results stay comparable.
TEMPLATES = [REPO / "source" / "zjzbf-2024-21.txt",
             *sorted(p for p in (REPO / "tests" / "fixtures" / "corpus").glob("*.txt") if int(p.name[:2]) < 18)]

# A count or an amount: a number directly before one of these units. Numbering (1. / （1）) and dates
# (2024年6月6日) are never followed by them, so they are left alone.
_UNITS = "%|％|万元|亿元|元|家|名|人|项|个|所|次|岁|倍|平方米|亩|吨|户|台|套"
_AMOUNT = re.compile(rf"(?<![\d.．])(\d+)(?:\.(\d+))?(?=\s*(?:{_UNITS}))")
_RESPONSIBLE = re.compile(r"([（(](?:责任单位|牵头单位)[：:])([^）)，,。；;〔\[（(]*)")
_SENTENCE = re.compile(r"[^。]*。|[^。]+$")
# Sentences that carry what the reader extracts besides plain text: never dropped.
_KEEP = ("责任单位", "牵头单位", "配合单位", "施行", "废止", "附件", "印发", "以上", "以下", "不少于", "不超过", "超过")


@dataclass(frozen=True)
class Template:
    name: str  # file name of the real text
    text: str  # decoded, newlines as \n
    agency: str | None  # 机关代字 of its 发文字号, None when it has none
    year: int | None
    serial: int | None
    province: dict | None  # the provinces.tsv row of a provincial issuer


@lru_cache(maxsize=None)
def templates() -> tuple[Template, ...]:
    out = []
    for path in TEMPLATES:
        data = path.read_bytes()
        doc = read_bytes(data, path.name)
        parts = doc.metadata.doc_number_parts
        code = doc.metadata.jurisdiction or ""
        province = next((row for row in provinces() if row["code"] == code), None)
        out.append(Template(path.name, decode(data, path.name).text, parts.agency_code if parts else None,
                            parts.year if parts else None, parts.serial if parts else None, province))
    return tuple(out)


def _renamable_provinces() -> list[dict]:
    """Provinces whose short name is the full name less 省/市 (浙江省 -> 浙江): safe to substitute in text."""
    return [row for row in provinces()
            if len(row["name"]) == 3 and row["name"][-1] in "省市" and row["code"] not in ("cn-tw", "cn-hk", "cn-mo")]


def _renumber(text: str, t: Template, agency: str, year: int, serial: int) -> str:
    """Replace the document's own 发文字号 (its first occurrence: the header), whatever brackets it uses."""
    pattern = re.compile(rf"{re.escape(t.agency)}\s*[〔\[（(【]\s*{t.year}\s*[〕\]）)】]\s*{t.serial}\s*号")
    return pattern.sub(f"{agency}〔{year}〕{serial}号", text, count=1)


def _rename_province(text: str, old: dict, new: dict) -> str:
    old_short, new_short = old["name"][:-1], new["name"][:-1]
    return text.replace(old["name"], new["name"]).replace(old_short, new_short)


def _change_amounts(text: str, rng: random.Random) -> str:
    def change(match: re.Match) -> str:
        if rng.random() < 0.5:
            return match[0]
        factor = rng.choice((0.5, 0.8, 1.5, 2, 3))
        if match[2] is not None:  # keep one decimal place: 1.5 -> 2.3
            return f"{float(match[0]) * factor:.1f}"
        return str(max(1, round(int(match[1]) * factor)))
    return _AMOUNT.sub(change, text)


def _reorder_departments(text: str, rng: random.Random) -> str:
    def shuffle(match: re.Match) -> str:
        names = match[2].split("、")
        if len(names) < 2 or any(not n.strip() for n in names):
            return match[0]
        rng.shuffle(names)
        return match[1] + "、".join(names)
    return _RESPONSIBLE.sub(shuffle, text)


def _change_length(text: str, rng: random.Random, mode: str) -> str:
    """Drop ('short') or repeat ('long') middle sentences of paragraphs with three sentences or more."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        sentences = _SENTENCE.findall(line)
        if len(sentences) < 3 or "".join(sentences) != line:
            continue
        # The first sentence holds the clause number and heading; the last may be a responsibility list.
        middle = [k for k in range(1, len(sentences) - 1)
                  if sentences[k].endswith("。") and not any(word in sentences[k] for word in _KEEP)]
        if not middle:
            continue
        if mode == "short":
            drop = set(rng.sample(middle, k=max(1, len(middle) // 2)))
            sentences = [s for k, s in enumerate(sentences) if k not in drop]
        else:
            for k in sorted(rng.sample(middle, k=min(len(middle), rng.randint(1, 3))), reverse=True):
                sentences[k:k + 1] = [sentences[k]] * rng.randint(2, 3)
        lines[index] = "".join(sentences)
    return "\n".join(lines)


def document(i: int, seed: int = SEED) -> tuple[str, str]:
    """Synthetic document number i (0-based): (file name, text)."""
    t = templates()[i % len(templates())]
    rng = random.Random(f"{seed}:{i}")
    text = t.text
    agency = t.agency
    if t.province is not None and rng.random() < 0.75:
        new = rng.choice(_renamable_provinces())
        if t.province["name"] in text:
            text = _rename_province(text, t.province, new)
            if agency and agency[0] == t.province["abbreviation"]:
                agency = new["abbreviation"] + agency[1:]
    if t.agency is not None:
        text = _renumber(text, t, agency, t.year - rng.randint(0, 3), i + 1)
    text = _change_amounts(text, rng)
    text = _reorder_departments(text, rng)
    mode = rng.choice(("short", "same", "long"))
    if mode != "same":
        text = _change_length(text, rng, mode)
    stem = Path(t.name).stem.split("_", 1)[-1]
    return f"syn-{i + 1:05d}-{stem}.txt", text


def generate(n: int, out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write n synthetic documents (UTF-8) into out_dir, which must not exist or be empty."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    paths = []
    for i in range(n):
        name, text = document(i, seed)
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/corpus.py N OUT_DIR")
    written = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(written)} documents in {sys.argv[2]}")
