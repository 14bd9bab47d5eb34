/* policykit eligibility: the evaluator of rules.json for the browser (and Node).
 *
 * The twin of toolkit/eligibility.py and of parse_value in toolkit/profile.py, line for line: Kleene's
 * three-valued logic over the JsonLogic operators rules.json uses (and, or, var, >=, >, <=, <, ==), so a profile
 * with missing figures gives 缺少信息 unless the known ones decide. tests/browser/test_calculator.py checks
 * that Python and this file give identical verdicts on generated profiles. No dependencies, no network.
 * Licence: MIT, as policykit.
 */
(function (root) {
  "use strict";

  var MET = "符合", NOT_MET = "不符合", UNKNOWN = "缺少信息";
  var VERDICT_ORDER = {};
  VERDICT_ORDER[MET] = 0; VERDICT_ORDER[UNKNOWN] = 1; VERDICT_ORDER[NOT_MET] = 2;

  var COMPARE = {
    ">=": function (a, b) { return a >= b; }, ">": function (a, b) { return a > b; },
    "<=": function (a, b) { return a <= b; }, "<": function (a, b) { return a < b; },
    "==": function (a, b) { return a === b; }
  };

  function fail(message) { throw new Error(message); }

  function evalNode(node, values, counter) {
    if (node === null || typeof node !== "object" || Array.isArray(node) || Object.keys(node).length !== 1) {
      fail("not a JsonLogic operation: " + JSON.stringify(node));
    }
    var op = Object.keys(node)[0], args = node[op], i, p;
    if (op === "and" || op === "or") {
      var parts = [];
      for (i = 0; i < args.length; i++) parts.push(evalNode(args[i], values, counter));
      var decisive = op !== "and";
      var failedOf = function (which) {
        var out = [];
        parts.forEach(function (q) { if (q.value === which) out = out.concat(q.failed); });
        return out;
      };
      var metOf = function (which) {
        var out = [];
        parts.forEach(function (q) { if (which === undefined || q.value === which) out = out.concat(q.met); });
        return out;
      };
      if (parts.some(function (q) { return q.value === decisive; })) {
        if (op === "and") return { value: false, failed: failedOf(false), missing: [], met: [] };
        return { value: true, failed: [], missing: [], met: metOf(true) };
      }
      if (parts.some(function (q) { return q.value === null; })) {
        var missing = [];
        parts.forEach(function (q) {
          if (q.value !== null) return;
          q.missing.forEach(function (v) { if (missing.indexOf(v) < 0) missing.push(v); });
        });
        return { value: null, failed: failedOf(false), missing: missing, met: [] };
      }
      if (op === "and") return { value: true, failed: [], missing: [], met: metOf() };
      var all = [];
      parts.forEach(function (q) { all = all.concat(q.failed); });
      return { value: false, failed: all, missing: [], met: [] };
    }
    if (Object.prototype.hasOwnProperty.call(COMPARE, op)) {
      var index = counter.n++;
      var varNode = args[0], bound = args[1];
      if (varNode === null || typeof varNode !== "object" || Object.keys(varNode).join() !== "var") {
        fail("the left side of " + op + " must be a var: " + JSON.stringify(varNode));
      }
      var name = varNode["var"];
      var actual = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : null;
      if (actual === null || actual === undefined) return { value: null, failed: [], missing: [name], met: [] };
      if (COMPARE[op](actual, bound)) return { value: true, failed: [], missing: [], met: [index] };
      var gap = (op === ">=" || op === ">") ? bound - actual
        : (op === "<=" || op === "<") ? actual - bound : Math.abs(actual - bound);
      return { value: false, failed: [{ index: index, var: name, op: op, bound: bound, actual: actual, gap: gap }],
               missing: [], met: [] };
    }
    fail("operator " + JSON.stringify(op) + " is not one rules.json uses");
  }

  function evaluate(logic, values) { return evalNode(logic, values, { n: 0 }); }

  function verdict(outcome) { return outcome.value === true ? MET : outcome.value === false ? NOT_MET : UNKNOWN; }

  /* The verdict on one rule: the same object as toolkit.eligibility.judge. */
  function judge(rule, values) {
    var outcome = evaluate(rule.logic, values);
    return {
      rule: rule.id,
      verdict: verdict(outcome),
      failed: outcome.failed.map(function (f) {
        return { condition: rule.conditions[f.index].id, var: f["var"], actual: f.actual, bound: f.bound, gap: f.gap };
      }),
      missing: outcome.missing,
      met: outcome.met.map(function (i) {
        var c = rule.conditions[i];
        return { condition: c.id, var: c["var"], actual: values[c["var"]] };
      })
    };
  }

  /* Whether a document applies on the ISO date `on`, from the period the release computed (toolkit/status.py
     in_force_on, line for line): unknown start, or ended on an unknown date: never; else from <= on < until. */
  function inForce(doc, on) {
    var p = doc.period;
    if (!p || p.from === null || p.from > on) return false;
    if (p.end === null) return p.until === null || on < p.until;
    return p.until !== null && on < p.until;
  }

  /* --- profile values (toolkit/profile.py) ------------------------------------------------------------ */

  var CNY = { "元": 0, "千元": 3, "万元": 4, "亿元": 8 };

  function unitWords(unit) {
    var out = {}, w;
    if (unit === "CNY") { for (w in CNY) out[w] = CNY[w]; return out; }
    if (unit === "%") return { "%": 0, "％": 0 };
    if (unit.indexOf("CNY/") === 0) {
      for (w in CNY) out[w + "/" + unit.slice(4)] = CNY[w];
      return out;
    }
    if (unit === "人") return { "人": 0, "名": 0 };
    out[unit] = 0;
    return out;
  }

  function displayUnit(unit) { return unit.indexOf("CNY") === 0 ? "元" + unit.slice(3) : unit; }

  /* "1.25" shifted by k decimal places as a decimal string: exact, like Decimal.scaleb, so 1.1万元 is 11000. */
  function shiftDecimal(number, k) {
    var sign = "";
    if (number[0] === "+" || number[0] === "-") { sign = number[0] === "-" ? "-" : ""; number = number.slice(1); }
    var dot = number.indexOf("."), intPart = dot < 0 ? number : number.slice(0, dot);
    var frac = dot < 0 ? "" : number.slice(dot + 1);
    while (frac.length < k) frac += "0";
    var digits = (intPart + frac.slice(0, k)).replace(/^0+(?=\d)/, "") || "0";
    var rest = frac.slice(k);
    return sign + digits + (rest ? "." + rest : "");
  }

  var VALUE = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(\S*?)\s*$/;

  /* A value in the metric's canonical unit; null when unknown; throws Error(message naming field). */
  function parseValue(raw, unit, field) {
    if (raw === null || raw === undefined) return null;
    if (typeof raw === "number") {
      if (!isFinite(raw)) fail(field + ": 不是有限的数字");
      return raw;
    }
    if (typeof raw !== "string") fail(field + ": 应为数字或带单位的文字");
    var words = unitWords(unit);
    var m = VALUE.exec(raw.replace(/[,，]/g, ""));
    if (!m || (m[2] && !Object.prototype.hasOwnProperty.call(words, m[2]))) {
      fail(field + ": 无法识别“" + raw + "”：应为数字，可带单位 " + Object.keys(words).join("、"));
    }
    var number = m[1].replace(/\.$/, "");
    if (number[0] === ".") number = "0" + number;
    if (number.slice(0, 2) === "-." || number.slice(0, 2) === "+.") number = number[0] + "0" + number.slice(1);
    return Number(shiftDecimal(number, m[2] ? words[m[2]] : 0));
  }

  /* Canonical values of a profile {values: {metric_id: raw}}; `variables` gives each metric's unit. */
  function profileValues(profile, variables) {
    var out = {}, raw = (profile && profile.values) || {};
    Object.keys(raw).forEach(function (key) {
      if (!variables[key]) fail("values." + key + ": 不是已知的指标");
      var value = parseValue(raw[key], variables[key].unit, "values." + key + "（" + variables[key].name + "）");
      if (value !== null) out[key] = value;
    });
    return out;
  }

  var api = {
    MET: MET, NOT_MET: NOT_MET, UNKNOWN: UNKNOWN, VERDICT_ORDER: VERDICT_ORDER,
    evaluate: evaluate, verdict: verdict, judge: judge, inForce: inForce,
    unitWords: unitWords, displayUnit: displayUnit, parseValue: parseValue, profileValues: profileValues
  };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.PolicykitEligibility = api;
})(this);
