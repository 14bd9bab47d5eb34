"""rules.json (toolkit/rules.py) and its evaluation (toolkit/eligibility.py): schema-valid for every corpus text,
and the verdicts a company would expect for hand-written profiles, at each bound."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from json_logic import jsonLogic
from jsonschema import Draft202012Validator

from toolkit import metrics as vocabulary
from toolkit.eligibility import MET, NOT_MET, UNKNOWN, evaluate, judge
from toolkit.profile import check_profile
from toolkit.reader import read_path
from toolkit.release import Release, ReleaseDocument, ReleaseVersion
from toolkit.rules import UNRECOGNISED, document_rules
from toolkit.status import in_force_on

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "source" / "zjzbf-2024-21.txt"
CORPUS = sorted((REPO / "tests" / "fixtures" / "corpus").glob("*.txt"))
METRICS = {m.id: m for m in vocabulary.load()}
SCHEMA = Draft202012Validator(json.loads((REPO / "schema" / "rules.schema.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def seed_rules() -> dict:
    return document_rules(read_path(SEED), "2024-06-06", METRICS)


def rule_of(rules: dict, eid: str) -> dict:
    (rule,) = [r for r in rules["rules"] if r["eid"] == eid]
    return rule


def verdict(rule: dict, profile: dict) -> dict:
    return judge(rule, check_profile({"values": profile}))


def test_seed_rules_are_schema_valid_and_name_the_document(seed_rules):
    assert not list(SCHEMA.iter_errors(seed_rules))
    doc = seed_rules["document"]
    assert (doc["id"], doc["doc_number"], doc["effective_from"], doc["effective_from_field"]) == (
        "zjzbf-2024-21", "浙政办发〔2024〕21号", "2024-07-06", "effective_date")


def test_seed_2_1_is_an_or_of_an_and_and_a_strict_bound(seed_rules):
    rule = rule_of(seed_rules, "sec_2__para_1")
    assert (rule["label"], rule["heading"]) == ("二（一）", "鼓励开展研发攻关")
    assert rule["logic"] == {"or": [
        {"and": [{">=": [{"var": "rd_intensity"}, 3]}, {">=": [{"var": "rd_expense_growth"}, 20]}]},
        {">": [{"var": "basic_research_expense"}, 10_000_000]},
    ]}
    assert [c["source_text"] for c in rule["conditions"]] == ["3%以上", "20%以上", "超过1000万元"]
    assert rule["consequence"] == "按上年度研发费用或基础研究研发费用一定比例给予财政奖励"
    assert rule["source_text"].startswith("鼓励有条件的地区，对研发费用占营业收入比重3%以上")
    assert [d["department_id"] for d in rule["departments"]][0] == "zj-kjt"
    assert set(seed_rules["variables"]) >= {"rd_intensity", "rd_expense_growth", "basic_research_expense"}
    assert seed_rules["variables"]["rd_intensity"] == {"name": "研发费用占营业收入比重", "unit": "%"}


def test_seed_2_1_verdicts_for_hand_written_profiles(seed_rules):
    rule = rule_of(seed_rules, "sec_2__para_1")
    met = verdict(rule, {"rd_intensity": "3.5%", "rd_expense_growth": "25%"})
    assert met["verdict"] == MET
    assert [(m["condition"], m["actual"]) for m in met["met"]] == [("sec_2__para_1__thr_1", 3.5),
                                                                   ("sec_2__para_1__thr_2", 25)]
    # Only the branch that decides is named: a failed 且 beside a met 或 branch is not why it is 符合.
    other = verdict(rule, {"rd_intensity": 1, "rd_expense_growth": 25, "basic_research_expense": "1200万元"})
    assert (other["verdict"], [m["condition"] for m in other["met"]], other["failed"]) == (
        MET, ["sec_2__para_1__thr_3"], [])
    # The 或 is decided by its met branch: the missing 基础研究 figure does not matter.
    assert verdict(rule, {"rd_intensity": 3.5, "rd_expense_growth": 25})["missing"] == []
    failed = verdict(rule, {"rd_intensity": "2.9%", "rd_expense_growth": 25, "basic_research_expense": "200万元"})
    assert failed["verdict"] == NOT_MET
    assert [(f["condition"], f["actual"], f["bound"]) for f in failed["failed"]] == [
        ("sec_2__para_1__thr_1", 2.9, 3), ("sec_2__para_1__thr_3", 2_000_000, 10_000_000)]
    assert failed["failed"][0]["gap"] == pytest.approx(0.1)
    assert failed["failed"][1]["gap"] == 8_000_000
    assert failed["met"] == []
    empty = verdict(rule, {})
    assert (empty["verdict"], empty["failed"], empty["met"]) == (UNKNOWN, [], [])
    assert empty["missing"] == ["rd_intensity", "rd_expense_growth", "basic_research_expense"]
    # 2.9% fails the 且 whatever the growth: only the other branch is still open.
    open_branch = verdict(rule, {"rd_intensity": "2.9%"})
    assert (open_branch["verdict"], open_branch["missing"]) == (UNKNOWN, ["basic_research_expense"])
    assert [f["condition"] for f in open_branch["failed"]] == ["sec_2__para_1__thr_1"]


@pytest.mark.parametrize(("profile", "expected"), [
    ({"rd_intensity": 3, "rd_expense_growth": 20, "basic_research_expense": 0}, MET),  # 以上 includes the number
    ({"rd_intensity": "2.99%", "rd_expense_growth": 20, "basic_research_expense": 0}, NOT_MET),
    ({"rd_intensity": 3, "rd_expense_growth": 19.99, "basic_research_expense": 0}, NOT_MET),
    ({"rd_intensity": 0, "rd_expense_growth": 0, "basic_research_expense": "1000万元"}, NOT_MET),  # 超过: excluded
    ({"rd_intensity": 0, "rd_expense_growth": 0, "basic_research_expense": 10_000_001}, MET),
    ({"rd_intensity": 0, "rd_expense_growth": 0, "basic_research_expense": "0.1亿元"}, NOT_MET),
    ({"basic_research_expense": "1000.01万元"}, MET),
])
def test_seed_2_1_at_each_bound(seed_rules, profile, expected):
    assert verdict(rule_of(seed_rules, "sec_2__para_1"), profile)["verdict"] == expected


def test_a_value_exactly_on_an_excluded_bound_fails_by_zero(seed_rules):
    result = verdict(rule_of(seed_rules, "sec_2__para_1"),
                     {"rd_intensity": 1, "rd_expense_growth": 1, "basic_research_expense": "1000万元"})
    assert [f["gap"] for f in result["failed"]] == [2, 19, 0]


def test_the_documents_own_rule_sets_the_bound_of_each_band():
    """Corpus 06 says “以上”包含本数，“以下”不包含本数: its reward bands by fine amount follow it."""
    rules = document_rules(read_path(CORPUS[[p.name[:2] for p in CORPUS].index("06")]), "current", METRICS)
    bands = [r for r in rules["rules"] if r["eid"].startswith("cmp_1__art_7__para_")
             and all(c["metric_id"] == "fine_amount" for c in r["conditions"])]
    assert len(bands) >= 4
    band = next(r for r in bands if len(r["conditions"]) == 2)
    low, high = (c["value"] for c in band["conditions"])
    assert band["logic"] == {"and": [{">=": [{"var": "fine_amount"}, low]}, {"<": [{"var": "fine_amount"}, high]}]}
    assert judge(band, {"fine_amount": low})["verdict"] == MET
    assert judge(band, {"fine_amount": high})["verdict"] == NOT_MET
    assert judge(band, {"fine_amount": high - 1})["verdict"] == MET


@pytest.mark.parametrize("path", CORPUS + [SEED], ids=lambda p: p.name[:40])
def test_every_corpus_text_gives_schema_valid_rules(path):
    rules = document_rules(read_path(path), "current", METRICS)
    assert not [e.message for e in SCHEMA.iter_errors(rules)]
    for rule in rules["rules"]:
        leaves = []

        def walk(node):
            (op, args), = node.items()
            if op in ("and", "or"):
                for arg in args:
                    walk(arg)
            else:
                leaves.append(args[0]["var"])
        walk(rule["logic"])
        assert leaves == [c["var"] for c in rule["conditions"]]
        for var in leaves:
            assert var in rules["variables"] or var.startswith(UNRECOGNISED + ".")
        assert rule["source_text"] and all(c["source_text"] in rule["source_text"] for c in rule["conditions"])
    read = {c["var"] for r in rules["rules"] for c in r["conditions"]}
    assert set(rules["variables"]) == read - {v for v in read if v.startswith(UNRECOGNISED + ".")}


def test_a_condition_without_a_known_metric_stays_unknown():
    """Dropping it would make an 且 look met; it is 缺少信息 unless the rest decides."""
    logic = {"and": [{">=": [{"var": "rd_intensity"}, 3]}, {">=": [{"var": f"{UNRECOGNISED}.x__thr_2"}, 5]}]}
    assert evaluate(logic, {"rd_intensity": 4}).value is None
    assert evaluate(logic, {"rd_intensity": 2}).value is False


@pytest.mark.parametrize(("values", "value", "missing"), [
    ({"a": 1, "b": 1}, True, []), ({"a": 0, "b": 1}, False, []), ({"a": 1}, None, ["b"]),
    ({"a": 0}, False, []), ({}, None, ["a", "b"]),
])
def test_and_is_three_valued(values, value, missing):
    outcome = evaluate({"and": [{">=": [{"var": "a"}, 1]}, {">=": [{"var": "b"}, 1]}]}, values)
    assert (outcome.value, outcome.missing) == (value, missing)


@pytest.mark.parametrize(("values", "value", "missing"), [
    ({"a": 1}, True, []), ({"a": 0, "b": 0}, False, []), ({"a": 0}, None, ["b"]), ({}, None, ["a", "b"]),
])
def test_or_is_three_valued(values, value, missing):
    outcome = evaluate({"or": [{">=": [{"var": "a"}, 1]}, {"<": [{"var": "b"}, 0]}]}, values)
    assert (outcome.value, outcome.missing) == (value, missing)


@pytest.mark.parametrize(("op", "bound", "actual", "value", "gap"), [
    (">=", 3, 3, True, None), (">=", 3, 2.5, False, 0.5), (">", 3, 3, False, 0), (">", 3, 3.5, True, None),
    ("<=", 60, 60, True, None), ("<=", 60, 61, False, 1), ("<", 60, 60, False, 0), ("<", 60, 59, True, None),
    ("==", 1500, 1500, True, None), ("==", 1500, 1000, False, 500),
])
def test_each_comparison_at_and_beside_its_bound(op, bound, actual, value, gap):
    outcome = evaluate({op: [{"var": "x"}, bound]}, {"x": actual})
    assert outcome.value is value
    assert [f.gap for f in outcome.failed] == ([] if gap is None else [gap])


@pytest.mark.parametrize(("period", "on", "expected"), [
    ({"from": "2024-07-06", "until": None, "end": None}, "2024-07-05", False),
    ({"from": "2024-07-06", "until": None, "end": None}, "2024-07-06", True),
    ({"from": None, "until": None, "end": None}, "2030-01-01", False),  # start unknown: never counted
    ({"from": "2024-07-06", "until": "2026-01-01", "end": "repealed"}, "2025-12-31", True),
    ({"from": "2024-07-06", "until": "2026-01-01", "end": "repealed"}, "2026-01-01", False),
    ({"from": "2024-07-06", "until": "2027-07-06", "end": "expired"}, "2027-07-05", True),
    ({"from": "2024-07-06", "until": "2027-07-06", "end": "expired"}, "2027-07-06", False),
    ({"from": "2024-07-06", "until": None, "end": "repealed"}, "2024-08-01", False),  # ended, date unknown
])
def test_in_force_on_a_published_period(period, on, expected):
    """The one test of "in force on D" that policykit match and the calculator use (status.in_force_on)."""
    assert in_force_on(period, on) is expected


def _corpus_rules() -> list[dict]:
    return [r for path in CORPUS + [SEED] for r in document_rules(read_path(path), "current", METRICS)["rules"]]


CORPUS_RULES = _corpus_rules()
KNOWN_RULES = [r for r in CORPUS_RULES if all(c["var"] in METRICS for c in r["conditions"])]


@st.composite
def full_profiles(draw, rule):
    """A value for every variable of the rule: on, just beside or far from one of its bounds."""
    values = {}
    for cond in rule["conditions"]:
        if cond["var"] in values:
            continue
        (op, (var, bound)), = _leaf(rule["logic"], cond["var"]).items()
        values[cond["var"]] = bound + draw(st.sampled_from([0, 1, -1, 0.5, -0.5, 10**9, -10**9]))
    return values


def _leaf(node, var):
    (op, args), = node.items()
    if op in ("and", "or"):
        return next(found for a in args if (found := _leaf(a, var)) is not None) if any(
            _leaf(a, var) is not None for a in args) else None
    return node if args[0]["var"] == var else None


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_rules_are_plain_jsonlogic_a_standard_evaluator_agrees_on_full_profiles(data):
    """With every input known, a standard JsonLogic evaluator (panzi-json-logic) and ours agree on every rule.
    (With inputs missing they cannot: JsonLogic reads a missing var as null, and null < 3 is true; so no rule with an
    unrecognised.* condition, which is never known, is drawn.)"""
    rule = data.draw(st.sampled_from(KNOWN_RULES))
    values = data.draw(full_profiles(rule))
    assert bool(jsonLogic(rule["logic"], values)) is (judge(rule, values)["verdict"] == MET)


def test_a_term_in_years_ends_the_day_before_its_anniversary():
    """Corpus 06: 本实施细则自发布之日起施行，有效期5年. rules.json states the term readers/validity.py read."""
    text = read_path(CORPUS[[p.name[:2] for p in CORPUS].index("06")])
    doc = document_rules(text, "current", METRICS)["document"]
    assert doc["effective_until_text"] == text.metadata.validity_text
    assert doc["effective_until_text"].endswith("本实施细则自发布之日起施行，有效期5年。")
    start = doc["effective_from"]
    anniversary = f"{int(start[:4]) + 5}{start[4:]}"
    assert doc["effective_until"] == (date.fromisoformat(anniversary) - timedelta(days=1)).isoformat()
    period = Release([ReleaseDocument("x", [ReleaseVersion("current", None, Path("x.txt"), text)])]).documents[0]
    period = period.current.period.to_dict()
    assert period == {"from": start, "until": anniversary, "end": "expired"}
    assert in_force_on(period, doc["effective_until"]) and not in_force_on(period, anniversary)


@pytest.mark.parametrize(("sentence", "signed", "until"), [
    ("本意见自2024年7月6日起施行，有效期至2027年12月31日。", "2024年7月6日", "2027-12-31"),
    ("本办法有效期三年。", "2024年7月6日", "2027-07-05"),
    ("本办法有效期为2年。", "2024年2月29日", "2026-02-28"),
    ("本意见自2024年7月6日起施行。", "2024年7月6日", None),
    ("高新技术企业资格有效期3年。", "2024年7月6日", None),  # a status's term, not the document's
    ("认定后有效期3年。本意见自印发之日起施行，有效期至2026年6月30日。", "2024年7月6日", "2026-06-30"),
])
def test_effective_until_is_the_documents_own_term_as_the_reader_read_it(sentence, signed, until):
    from toolkit.reader import read_bytes

    text = "\n".join(["浙江省人民政府办公厅文件", "浙政办发〔2024〕1号", "浙江省人民政府办公厅关于某项工作的通知",
                      "各市、县（市、区）人民政府：", "一、做好工作。", "二、" + sentence, "浙江省人民政府办公厅",
                      signed, ""])
    doc = read_bytes(text.encode("utf-8"), "x.txt")
    assert doc.metadata.valid_until == until
    assert document_rules(doc, "current", METRICS)["document"]["effective_until"] == until
