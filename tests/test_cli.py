"""`policykit parse` and `policykit validate` from the command line, including bad input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_parse_prints_json_and_writes_file(tmp_path):
    result = run("parse", SEED)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == "1.0.0" and data["id"] == "zjzbf-2024-21"
    out = tmp_path / "seed.json"
    assert run("parse", SEED, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == data
    assert run("validate", out).exit_code == 0


def test_parse_is_deterministic(tmp_path):
    assert run("parse", SEED).stdout == run("parse", SEED).stdout


@pytest.mark.parametrize("content, words", [
    (b"", "空的"),
    (b"   \n\n  ", "空的"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "二进制"),
    (b"\xff\xfe\xfa\xfb\x81\x30\x81\xffabc" * 5, "无法解码"),
])
def test_bad_input_one_clear_line_exit_2_no_output(tmp_path, content, words):
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    out = tmp_path / "out.json"
    result = run("parse", src, "-o", out)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{src}:") and ": 错误: " in lines[0]
    assert words in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    result = run("parse", tmp_path / "nope.txt")
    assert result.exit_code == 2 and "文件不存在" in result.stderr


def test_validate_reports_json_paths(tmp_path):
    data = json.loads(run("parse", SEED).stdout)
    data["body"][1]["children"][0]["thresholds"][0]["comparator"] = ">="
    data["metadata"]["signed_date"] = "2024/06/06"
    data["extra"] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert "$.body[1].children[0].thresholds[0].comparator" in result.stderr
    assert "$.metadata.signed_date" in result.stderr
    assert "extra" in result.stderr


def test_validate_rejects_broken_json(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": ', encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2 and f"{bad}:1:" in result.stderr
