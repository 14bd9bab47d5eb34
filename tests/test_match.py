"""`policykit match` and the profile it reads (toolkit/profile.py, toolkit/match.py): units, errors naming the
field, documents in force on the date, the three output formats."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.profile import ProfileError, check_profile, parse_value, schema_text

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("raw", "unit", "expected"), [
    ("500万元", "CNY", 5_000_000), ("1.2亿元", "CNY", 120_000_000), ("3千元", "CNY", 3000), ("1,000元", "CNY", 1000),
    (5_000_000, "CNY", 5_000_000), ("1.1万元", "CNY", 11_000), ("0.0001万元", "CNY", 1),
    ("3%", "%", 3), (3, "%", 3), ("3", "%", 3), ("3.5％", "%", 3.5), ("-5%", "%", -5),
    ("120人", "人", 120), ("120名", "人", 120), ("100万元/亩", "CNY/亩", 1_000_000), (None, "CNY", None),
])
def test_values_are_converted_to_the_canonical_unit(raw, unit, expected):
    value = parse_value(raw, unit, "values.x")
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(("raw", "unit", "words"), [
    ("3万元", "%", "%"), ("3%", "CNY", "万元"), ("五百万元", "CNY", "万元"), (True, "CNY", "500万元"),
    ("", "CNY", "万元"), ("12岁", "人", "人"), (float("nan"), "%", "有限"), (float("inf"), "CNY", "有限"),
])
def test_a_value_in_the_wrong_unit_is_refused_with_the_units_it_takes(raw, unit, words):
    with pytest.raises(ProfileError) as err:
        parse_value(raw, unit, "values.x（某指标）")
    assert err.value.message.startswith("values.x（某指标）: ") and words in err.value.message


@pytest.mark.parametrize(("data", "field"), [
    ({"values": {"rd_intensity": "3万元"}}, "values.rd_intensity（研发费用占营业收入比重）"),
    ({"values": {"no_such_metric": 1}}, "values.no_such_metric"),
    ({"values": {"employees": [1]}}, "values.employees（从业人员数）"),
    ({"value": {}}, "顶层"),
    ({"name": "x"}, "values"),
    ([], "顶层"),
])
def test_a_bad_profile_names_the_field(data, field):
    with pytest.raises(ProfileError) as err:
        check_profile(data, "p.json")
    assert str(err.value).startswith("p.json: 错误: ") and field in err.value.message


def test_the_published_profile_schema_is_the_one_generated_from_the_vocabulary():
    published = (REPO / "schema" / "profile.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "run: python -m toolkit.profile > schema/profile.schema.json"
    schema = json.loads(published)
    rd = schema["properties"]["values"]["properties"]["rd_intensity"]
    assert (rd["title"], rd["x-unit"]) == ("研发费用占营业收入比重", "%")


@pytest.fixture
def source(tmp_path) -> Path:
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(REPO / "source" / "manifest.toml", src)
    shutil.copy(REPO / "source" / "zjzbf-2024-21.txt", src)
    return src


def run(args, tmp_path, profile) -> tuple[int, str, str]:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["match", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_match_text_names_the_measure_its_benefit_and_what_failed(source, tmp_path):
    code, out, _ = run(["--date", "2025-01-01", "--source", str(source)], tmp_path,
                       {"values": {"rd_intensity": "2.9%", "rd_expense_growth": "25%",
                                   "basic_research_expense": "200万元"}})
    assert code == 0
    assert out.startswith("2025-01-01 施行中的文件 1 份")
    block = out.split("【不符合】浙政办发〔2024〕21号 二（一） 鼓励开展研发攻关\n")[1].split("\n\n")[0]
    assert "可获：按上年度研发费用或基础研究研发费用一定比例给予财政奖励" in block
    assert "未满足：研发费用占营业收入比重 3%以上（填报 2.9%，差 0.1个百分点）" in block
    assert "未满足：基础研究研发费用投入 超过1000万元（填报 200万元，差 800万元）" in block
    assert "原文：zjzbf-2024-21/#sec_2__para_1" in block


def test_match_puts_what_the_company_qualifies_for_first(source, tmp_path):
    code, out, _ = run(["--date", "2025-01-01", "--source", str(source), "--format", "json"], tmp_path,
                       {"values": {"rd_intensity": "3.5%", "rd_expense_growth": 25}})
    data = json.loads(out)
    assert code == 0 and data["documents"] == ["zjzbf-2024-21"]
    verdicts = [r["verdict"] for r in data["results"]]
    assert verdicts[0] == "符合" and verdicts == sorted(verdicts, key=["符合", "缺少信息", "不符合"].index)
    first = data["results"][0]
    assert (first["eid"], first["label"], first["failed"], first["missing"]) == ("sec_2__para_1", "二（一）", [], [])
    code, out, _ = run(["--date", "2025-01-01", "--source", str(source)], tmp_path,
                       {"values": {"rd_intensity": "3.5%", "rd_expense_growth": 25}})
    assert "  已满足：研发费用占营业收入比重 3%以上（填报 3.5%）\n  已满足：研发费用年增长 20%以上（填报 25%）\n" in out


def test_match_csv_lists_missing_inputs(source, tmp_path):
    code, out, _ = run(["--date", "2025-01-01", "--source", str(source), "--format", "csv"], tmp_path, {"values": {}})
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    row = next(r for r in rows if r["eid"] == "sec_2__para_1")
    assert code == 0 and row["verdict"] == "缺少信息"
    assert row["missing"] == "研发费用占营业收入比重（%）；研发费用年增长率（%）；基础研究研发费用投入（元）"


def test_match_counts_only_documents_in_force_on_the_date(source, tmp_path):
    code, out, _ = run(["--date", "2024-07-05", "--source", str(source), "--format", "json"], tmp_path,
                       {"values": {}})
    assert code == 0 and json.loads(out)["documents"] == [] and json.loads(out)["results"] == []
    code, out, _ = run(["--date", "2024-07-06", "--source", str(source), "--format", "json"], tmp_path,
                       {"values": {}})
    assert json.loads(out)["documents"] == ["zjzbf-2024-21"]


def test_a_repealed_document_is_not_in_force_after_the_repealing_one_starts(source, tmp_path):
    """The seed repeals 浙政办发〔2022〕19号 (同时废止): that document's measures stop when the seed takes effect."""
    old = (REPO / "source" / "zjzbf-2024-21.txt").read_text(encoding="utf-8")
    old = (old.replace("浙政办发〔2024〕21号", "浙政办发〔2022〕19号").replace("2024 年 6 月 6 日", "2022年5月1日")
           .replace("2024年6月7日印发", "2022年5月2日印发")
           .replace("本意见自 2024 年 7 月 6 日起施行", "本意见自2022年6月1日起施行"))
    (source / "old.txt").write_text(old, encoding="utf-8")
    code, out, _ = run(["--date", "2023-01-01", "--source", str(source), "--format", "json"], tmp_path,
                       {"values": {}})
    assert code == 0 and json.loads(out)["documents"] == ["zjzbf-2022-19"]
    code, out, _ = run(["--date", "2024-07-06", "--source", str(source), "--format", "json"], tmp_path,
                       {"values": {}})
    assert json.loads(out)["documents"] == ["zjzbf-2024-21"]


@pytest.mark.parametrize(("profile", "message"), [
    ({"values": {"operating_revenue": "五百万"}}, "values.operating_revenue（营业收入）: 无法识别“五百万”"),
    ({"values": {"revenue": 1}}, "values.revenue: 不是已知的指标"),
])
def test_a_bad_profile_exits_2_naming_the_field_and_prints_nothing(source, tmp_path, profile, message):
    code, out, err = run(["--source", str(source)], tmp_path, profile)
    assert code == 2 and out == ""
    assert err.startswith(f"{tmp_path / 'profile.json'}: 错误: {message}")


def test_a_bad_date_exits_2(source, tmp_path):
    code, out, err = run(["--date", "2025-02-30", "--source", str(source)], tmp_path, {"values": {}})
    assert code == 2 and out == "" and "--date 2025-02-30" in err


def test_validate_checks_a_rules_file_against_the_rules_schema(tmp_path):
    from toolkit.reader import read_path
    from toolkit.rules import rules_json

    good = tmp_path / "rules.json"
    good.write_bytes(rules_json(read_path(REPO / "source" / "zjzbf-2024-21.txt"), "2024-06-06", name="rules.json"))
    assert CliRunner().invoke(main, ["validate", str(good)]).exit_code == 0
    data = json.loads(good.read_text(encoding="utf-8"))
    data["rules"][0]["logic"] = {"between": [{"var": "rd_intensity"}, 3]}
    bad = tmp_path / "bad-rules.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2 and "不符合 rules 的 schema" in result.stderr
    assert "$.rules[0].logic" in result.stderr


def test_match_reads_a_published_data_release_as_the_sources_give(source, tmp_path):
    """--data site/data: the rules.json files of the release, no text parsed; the same verdicts as --source."""
    from toolkit.build import build

    old = (REPO / "source" / "zjzbf-2024-21.txt").read_text(encoding="utf-8")
    (source / "old.txt").write_text(
        old.replace("浙政办发〔2024〕21号", "浙政办发〔2022〕19号").replace("2024 年 6 月 6 日", "2022年5月1日")
        .replace("2024年6月7日印发", "2022年5月2日印发").replace("本意见自 2024 年 7 月 6 日起施行", "本意见自2022年6月1日起施行"),
        encoding="utf-8")
    site = tmp_path / "site"
    build(source, site, website=False)
    profile = {"values": {"rd_intensity": "3.5%", "rd_expense_growth": 25}}
    for day in ("2023-01-01", "2025-01-01"):
        from_data = run(["--date", day, "--data", str(site / "data"), "--format", "json"], tmp_path, profile)
        from_source = run(["--date", day, "--source", str(source), "--format", "json"], tmp_path, profile)
        assert from_data[0] == 0 and json.loads(from_data[1]) == json.loads(from_source[1])
    assert json.loads(from_data[1])["documents"] == ["zjzbf-2024-21"]
    code, out, err = run(["--data", str(tmp_path)], tmp_path, profile)
    assert code == 2 and out == "" and "没有 catalog.json" in err


def test_match_source_follows_a_manifest_status_from_its_date(source, tmp_path):
    """The period comes from the release model: a [document.status] someone checked ends the document on `since`."""
    manifest = source / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version = "2024-06-06"  # 成文日期\n', (
        'version = "2024-06-06"\n[document.status]\ncode = "repealed"\nsince = 2025-01-01\n'
        'checked_by = "省政府办公厅 王五"\nchecked_on = 2025-03-01\nurl = "https://www.zj.gov.cn/"\n')),
        encoding="utf-8")
    for day, expected in (("2024-12-31", ["zjzbf-2024-21"]), ("2025-01-01", [])):
        code, out, _ = run(["--date", day, "--source", str(source), "--format", "json"], tmp_path, {"values": {}})
        assert code == 0 and json.loads(out)["documents"] == expected, day


def test_match_data_reads_the_period_the_release_published(source, tmp_path):
    """--data takes each version's period from catalog.json as published: it does not work it out again."""
    from toolkit.build import build

    site = tmp_path / "site"
    build(source, site, website=False)
    catalog_path = site / "data" / "catalog.json"
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    (version,) = catalog["documents"][0]["versions"]
    assert version["period"] == {"from": "2024-07-06", "until": None, "end": None}
    version["period"] = {"from": "2024-07-06", "until": "2025-01-01", "end": "repealed"}
    catalog_path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    for day, expected in (("2024-12-31", ["zjzbf-2024-21"]), ("2025-01-01", [])):
        code, out, _ = run(["--date", day, "--data", str(site / "data"), "--format", "json"], tmp_path,
                           {"values": {}})
        assert code == 0 and json.loads(out)["documents"] == expected, day
    del version["period"]
    catalog_path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(["--data", str(site / "data")], tmp_path, {"values": {}})
    assert code == 2 and out == "" and "period" in err
