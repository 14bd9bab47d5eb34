"""A small corpus whose documents have every legal status: a revision, a repeal by 发文字号 (another bracket style),
a repeal by exact title, an expiry, a future 施行日期 and citations. Used by tests/test_status.py and the
consistency test of catalog.json, JSON-LD and pages."""
from __future__ import annotations

from pathlib import Path

ISSUER = "浙江省人民政府办公厅"


def text(number: str, title: str, body: list[str], signed: str) -> str:
    """A short 通知 laid out as GB/T 9704 lays it out."""
    return "\n".join([f"{ISSUER}文件", number, title, "各市、县（市、区）人民政府，省政府直属各单位：", *body, ISSUER,
                      signed, ""])


FILES = {
    # Repealed by title (by d-2020-1).
    "a.txt": text("浙政办发〔2019〕5号", "浙江省人民政府办公厅关于加强乙项工作的通知",
                  ["一、加强乙项工作。", "二、本通知自印发之日起施行。"], "2019年3月1日"),
    # Repeals a.txt by its exact title; valid for 2 years from 2020-02-01: expired on 2022-02-01.
    "b.txt": text("浙政办发〔2020〕1号", "浙江省人民政府办公厅关于促进甲产业发展的通知",
                  ["一、加大支持力度，对企业给予补助。",
                   "二、本通知自2020年2月1日起施行，有效期2年。《浙江省人民政府办公厅关于加强乙项工作的通知》同时废止。"],
                  "2020年1月1日"),
    # Repealed by number, written with other brackets (by the first version of d).
    "c.txt": text("浙政办发〔2018〕7号", "浙江省人民政府办公厅关于丙项工作的意见",
                  ["一、做好丙项工作。", "二、本意见自印发之日起施行。"], "2018年5月1日"),
    # Version 1 of d: repeals c by number; cites b (《title》（发文字号）).
    "d-v1.txt": text("浙政办发〔2023〕2号", "浙江省人民政府办公厅关于丁项工作的通知",
                     ["一、根据《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号），做好丁项工作。",
                      "二、本通知自2023年2月1日起施行。浙政办发[2018]7号同时废止。"], "2023年1月10日"),
    # Version 2 of d (a revision): takes effect on issue, so version 1 is 历史版本 from 2023-05-01.
    "d-v2.txt": text("浙政办发〔2023〕6号", "浙江省人民政府办公厅关于丁项工作的通知",
                     ["一、根据《浙江省人民政府办公厅关于促进甲产业发展的通知》（浙政办发〔2020〕1号），做好丁项工作，"
                      "加强考核。",
                      "二、本通知自印发之日起施行。浙政办发[2018]7号同时废止。"], "2023年5月1日"),
    # Signed before as_of, takes effect after it; cites d by number alone.
    "e.txt": text("浙政办发〔2023〕9号", "浙江省人民政府办公厅关于戊项工作的通知",
                  ["一、按照浙政办发〔2023〕6号的要求，做好戊项工作。", "二、本通知自2024年1月1日起施行。"],
                  "2023年5月20日"),
}

MANIFEST = """
[[document]]
id = "a"
[[document.version]]
file = "a.txt"
version = "2019-03-01"

[[document]]
id = "b"
[[document.version]]
file = "b.txt"
version = "2020-01-01"

[[document]]
id = "c"
[[document.version]]
file = "c.txt"
version = "2018-05-01"

[[document]]
id = "d"
[[document.version]]
file = "d-v1.txt"
version = "2023-01-10"
[[document.version]]
file = "d-v2.txt"
version = "2023-05-01"

[[document]]
id = "e"
[[document.version]]
file = "e.txt"
version = "2023-05-20"
"""

AS_OF = "2023-06-01"

# (document, version) -> (code, since, by): what each version's status must be as of AS_OF.
EXPECTED = {
    ("a", "2019-03-01"): ("repealed", "2020-02-01", "b"),
    ("b", "2020-01-01"): ("expired", "2022-02-01", None),
    ("c", "2018-05-01"): ("repealed", "2023-02-01", "d"),
    ("d", "2023-01-10"): ("superseded", "2023-05-01", "d"),
    ("d", "2023-05-01"): ("in_force", "2023-05-01", None),
    ("e", "2023-05-20"): ("not_yet_in_force", "2024-01-01", None),
}


def write(folder: Path, manifest_extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "manifest.toml").write_text(MANIFEST + manifest_extra, encoding="utf-8")
    return folder
