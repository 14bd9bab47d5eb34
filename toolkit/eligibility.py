"""Three-valued evaluation of rules.json: 符合 / 不符合 / 缺少信息, which condition failed and by how much.

The rules are plain JsonLogic; this evaluates the operators rules.py emits (and, or, var, >=, >, <=, <, ==) with
Kleene's three-valued logic, because a company's profile is usually incomplete: a missing input makes a condition
unknown, and a rule is 缺少信息 unless the known inputs decide it anyway (an 或 with one branch met, an 且 with one
branch failed). `toolkit/site/assets/calculator/eligibility.js` is the same evaluator for the browser, line for
line; tests/browser/test_calculator.py checks that both agree on generated profiles.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MET, NOT_MET, UNKNOWN = "符合", "不符合", "缺少信息"
# Sort order of verdicts: what the company qualifies for first.
VERDICT_ORDER = {MET: 0, UNKNOWN: 1, NOT_MET: 2}

_COMPARE = {
    ">=": lambda a, b: a >= b, ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b, "<": lambda a, b: a < b, "==": lambda a, b: a == b,
}


@dataclass
class Failure:
    """A condition the profile does not meet. gap: how far the value is from the bound, in the condition's unit
    (0 when it sits exactly on a bound the condition excludes, e.g. 超过1000万元 and exactly 1000万元)."""

    index: int  # position of the leaf in the rule's conditions (depth first)
    var: str
    op: str
    bound: float | int
    actual: float | int
    gap: float | int


@dataclass
class Outcome:
    value: bool | None  # None: unknown
    failed: list[Failure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # variables, in the order the rule reads them
    met: list[int] = field(default_factory=list)  # when true: the leaves that make it so (a met 或 branch, all of an 且)


class RuleError(ValueError):
    """rules.json uses an operator or shape this evaluator does not know."""


def evaluate(logic: dict, values: dict) -> Outcome:
    """Evaluate one JsonLogic expression against `values` (variable -> number); absent or None means unknown."""
    counter = [0]
    return _eval(logic, values, counter)


def _eval(node, values: dict, counter: list[int]) -> Outcome:
    if not isinstance(node, dict) or len(node) != 1:
        raise RuleError(f"not a JsonLogic operation: {node!r}")
    (op, args), = node.items()
    if op in ("and", "or"):
        parts = [_eval(arg, values, counter) for arg in args]
        if any(p.value is (op == "or") for p in parts):  # decided: a false part of an 且, a true one of an 或
            if op == "and":
                return Outcome(False, [f for p in parts if p.value is False for f in p.failed])
            return Outcome(True, met=[i for p in parts if p.value is True for i in p.met])
        if any(p.value is None for p in parts):
            failed = [f for p in parts if p.value is False for f in p.failed]
            return Outcome(None, failed, _unique(v for p in parts if p.value is None for v in p.missing))
        if op == "and":
            return Outcome(True, met=[i for p in parts for i in p.met])
        return Outcome(False, [f for p in parts for f in p.failed])
    if op in _COMPARE:
        index = counter[0]
        counter[0] += 1
        var_node, bound = args
        if not isinstance(var_node, dict) or list(var_node) != ["var"]:
            raise RuleError(f"the left side of {op} must be a var: {var_node!r}")
        var = var_node["var"]
        actual = values.get(var)
        if actual is None:
            return Outcome(None, missing=[var])
        if _COMPARE[op](actual, bound):
            return Outcome(True, met=[index])
        gap = bound - actual if op in (">=", ">") else actual - bound if op in ("<=", "<") else abs(actual - bound)
        return Outcome(False, [Failure(index, var, op, bound, actual, gap)])
    raise RuleError(f"operator {op!r} is not one rules.json uses")


def _unique(items) -> list:
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def verdict(outcome: Outcome) -> str:
    return {True: MET, False: NOT_MET, None: UNKNOWN}[outcome.value]


def judge(rule: dict, values: dict) -> dict:
    """The verdict on one rule of rules.json: what the command line prints and the website shows.

    failed: the conditions not met (their id, the variable, the profile's value, the bound and the gap);
    missing: the variables the verdict waits for (empty unless 缺少信息);
    met: for 符合, the conditions that make it so (id, variable, the profile's value)."""
    outcome = evaluate(rule["logic"], values)
    conditions = rule["conditions"]
    return {
        "rule": rule["id"],
        "verdict": verdict(outcome),
        "failed": [{"condition": conditions[f.index]["id"], "var": f.var, "actual": f.actual, "bound": f.bound,
                    "gap": f.gap} for f in outcome.failed],
        "missing": outcome.missing,
        "met": [{"condition": conditions[i]["id"], "var": conditions[i]["var"],
                 "actual": values[conditions[i]["var"]]} for i in outcome.met],
    }
