/* policykit 政策计算器: the form and the results of /calculator/.
 *
 * Loads rules.json (next to the page) once; after that nothing leaves the browser: the profile is evaluated
 * here (eligibility.js), saved to a file with a download link made in the page, loaded with a file picker,
 * and shared as a link whose fragment (#profile=…&date=…) holds it: browsers never send a fragment to a server.
 * Every piece of data is put into the page as text (textContent), never as markup. Licence: MIT, as policykit.
 */
(function () {
  "use strict";
  var E = window.PolicykitEligibility;
  var root = document.getElementById("pk-calculator");
  if (!root || !E) return;
  var form = document.getElementById("pk-calc-form");
  var results = document.getElementById("pk-calc-results");
  var summary = document.getElementById("pk-calc-summary");
  var dateInput = document.getElementById("pk-calc-date");
  var docSelect = document.getElementById("pk-calc-document");
  var deptSelect = document.getElementById("pk-calc-department");
  var fileInput = document.getElementById("pk-calc-file");
  var shareOutput = document.getElementById("pk-calc-share");
  var data = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function today() {
    var d = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* --- numbers for a reader (toolkit/match.py: number, amount) ------------------------------------------ */
  function number(v) { return String(parseFloat(Number(v).toPrecision(10))); }
  function amount(v, unit) {
    if (unit === "元" && Math.abs(v) >= 10000) return number(Math.round(v / 10000 * 1e6) / 1e6) + "万元";
    if (unit === "%") return number(v) + "%";
    return number(v) + unit;
  }

  /* --- the profile in the form ------------------------------------------------------------------------ */
  function fields() { return Array.prototype.slice.call(form.querySelectorAll("input[data-metric]")); }

  function unitSelect(input) { return document.getElementById("pk-u-" + input.dataset.metric); }

  /* The profile as `policykit match` reads it: {"values": {metric: "500万元"}}. */
  function readProfile() {
    var values = {};
    fields().forEach(function (input) {
      var raw = input.value.trim();
      if (!raw) return;
      var select = unitSelect(input);
      var word = select ? select.value : input.dataset.unitWord;
      values[input.dataset.metric] = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.replace(/[,，]/g, "")) ? raw + word : raw;
    });
    return { values: values };
  }

  function fillProfile(profile) {
    var values = (profile && profile.values) || {};
    fields().forEach(function (input) {
      var raw = values[input.dataset.metric], select = unitSelect(input);
      if (raw === undefined || raw === null) { input.value = ""; return; }
      if (typeof raw === "number") {
        input.value = String(raw);
        if (select) select.value = select.querySelector("option[data-canonical]").value;
        return;
      }
      var m = /^\s*(\S*?\d\.?)\s*(\D*)\s*$/.exec(String(raw)) || [null, "", ""];
      var known = select && Array.prototype.some.call(select.options, function (o) { return o.value === m[2]; });
      if (select && m[2] && known) {
        input.value = m[1];
        select.value = m[2];
      } else if (select && m[1] && !m[2]) {  // "5000000": a bare number is in the canonical unit (元)
        input.value = m[1];
        select.value = select.querySelector("option[data-canonical]").value;
      } else if (!select && m[1] && m[2] === input.dataset.unitWord) {
        input.value = m[1];
      } else {
        input.value = String(raw);
      }
    });
  }

  /* Canonical values; a field that cannot be read is marked and left out (unknown). */
  function values(profile) {
    var out = {};
    fields().forEach(function (input) {
      var key = input.dataset.metric, error = document.getElementById("pk-e-" + key);
      var raw = profile.values[key];
      input.removeAttribute("aria-invalid");
      error.textContent = "";
      if (raw === undefined) return;
      try {
        var v = E.parseValue(raw, data.variables[key].unit, data.variables[key].name);
        if (v !== null) out[key] = v;
      } catch (err) {
        input.setAttribute("aria-invalid", "true");
        error.textContent = err.message;
      }
    });
    return out;
  }

  /* --- results ------------------------------------------------------------------------------------------ */
  function conditionOf(rule, id) {
    for (var i = 0; i < rule.conditions.length; i++) if (rule.conditions[i].id === id) return rule.conditions[i];
    return null;
  }

  function failureText(f, rule) {
    var cond = conditionOf(rule, f.condition), variable = data.variables[f["var"]];
    var unit = variable ? E.displayUnit(variable.unit) : "";
    var gapUnit = unit === "%" ? "个百分点" : unit;
    var gap = f.gap === 0 ? "恰在界限上，不含本数" : "差 " + amount(f.gap, gapUnit);
    return (cond.metric || (variable && variable.name) || "") + " " + cond.source_text +
      "（填报 " + amount(f.actual, unit) + "，" + gap + "）";
  }

  function metText(m, rule) {
    var cond = conditionOf(rule, m.condition), variable = data.variables[m["var"]];
    var unit = variable ? E.displayUnit(variable.unit) : "";
    return (cond.metric || (variable && variable.name) || "") + " " + cond.source_text +
      "（填报 " + amount(m.actual, unit) + "）";
  }

  function missingText(name, rule) {
    var variable = data.variables[name];
    if (variable) return variable.name + "（" + E.displayUnit(variable.unit) + "）";
    var cond = rule.conditions.filter(function (c) { return c["var"] === name; })[0];
    return (cond.metric || "原文条件") + " " + cond.source_text + "（指标未能识别，请对照原文）";
  }

  /* toolkit/match.py benefit_text: the consequence as written, after any gated amount it does not quote. */
  function benefitText(rule) {
    var consequence = rule.consequence || "";
    var parts = rule.benefits.map(function (b) { return b.source_text; })
      .filter(function (t) { return consequence.indexOf(t) < 0; });
    if (consequence) parts.push(consequence);
    return parts.filter(function (p, i) { return parts.indexOf(p) === i; }).join("；");
  }

  function selected(select) { return select.value; }

  function render() {
    var profile = readProfile(), vals = values(profile), on = dateInput.value || today();
    var docs = data.documents.filter(function (d) { return E.inForce(d, on); });
    var byVersion = {};  /* periods of one document's versions do not overlap: one version per document */
    docs.forEach(function (d) { byVersion[d.id + "/" + d.version] = d; });
    var wantDoc = selected(docSelect), wantDept = selected(deptSelect);
    var items = [];
    data.rules.forEach(function (rule, order) {
      var doc = byVersion[rule.doc + "/" + rule.version];
      if (!doc) return;
      if (wantDoc && rule.doc !== wantDoc) return;
      if (wantDept && doc.issuers.indexOf(wantDept) < 0 &&
          !rule.departments.some(function (d) { return d.name === wantDept; })) return;
      items.push({ rule: rule, doc: doc, result: E.judge(rule, vals), order: order });
    });
    items.sort(function (a, b) {
      return (E.VERDICT_ORDER[a.result.verdict] - E.VERDICT_ORDER[b.result.verdict]) || (a.order - b.order);
    });
    var counts = {};
    counts[E.MET] = 0; counts[E.UNKNOWN] = 0; counts[E.NOT_MET] = 0;
    items.forEach(function (it) { counts[it.result.verdict] += 1; });
    summary.textContent = on + " 施行中的文件 " + docs.length + " 份，措施 " + items.length + " 条：" +
      [E.MET, E.UNKNOWN, E.NOT_MET].map(function (v) { return v + " " + counts[v]; }).join("，");
    results.textContent = "";
    items.forEach(function (it) {
      var rule = it.rule, r = it.result;
      var cls = r.verdict === E.MET ? "met" : r.verdict === E.NOT_MET ? "not-met" : "unknown";
      var li = el("li", "pk-calc__result pk-calc__result--" + cls);
      li.dataset.rule = it.doc.id + "/" + rule.id;
      li.dataset.verdict = r.verdict;
      var head = el("p", "pk-calc__head");
      head.appendChild(el("span", "pk-calc__verdict", r.verdict));
      var link = el("a", null, [it.doc.doc_number || it.doc.title || it.doc.id, rule.label, rule.heading]
        .filter(Boolean).join(" "));
      link.href = it.doc.url + "#" + rule.eid;
      head.appendChild(link);
      li.appendChild(head);
      var benefit = benefitText(rule);
      if (benefit) li.appendChild(el("p", "pk-calc__benefit", "可获：" + benefit));
      r.met.forEach(function (m) { li.appendChild(el("p", "pk-calc__met", "已满足：" + metText(m, rule))); });
      r.failed.forEach(function (f) { li.appendChild(el("p", "pk-calc__failed", "未满足：" + failureText(f, rule))); });
      if (r.missing.length) {
        li.appendChild(el("p", "pk-calc__missing", "缺少：" + r.missing.map(function (m) {
          return missingText(m, rule);
        }).join("、")));
      }
      var details = el("details", "pk-calc__source");
      details.appendChild(el("summary", null, "条件原文"));
      details.appendChild(el("p", null, rule.source_text));
      li.appendChild(details);
      results.appendChild(li);
    });
  }

  /* --- sharing, saving, loading --------------------------------------------------------------------------- */
  /* The link to this page with the profile in its fragment. The page's own address is left alone: changing it
   * (history.replaceState) makes Chromium fetch the favicon again, a request after load. */
  function shareLink(profile, date) {
    var parts = [];
    if (Object.keys(profile.values).length) parts.push("profile=" + encodeURIComponent(JSON.stringify(profile)));
    if (date) parts.push("date=" + date);
    return location.href.replace(/#.*$/, "") + (parts.length ? "#" + parts.join("&") : "");
  }

  function readFragment() {
    var hash = location.hash.replace(/^#/, "");
    hash.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) return;
      var key = part.slice(0, eq), value = decodeURIComponent(part.slice(eq + 1));
      if (key === "profile") {
        try { fillProfile(JSON.parse(value)); } catch (err) { summary.textContent = "链接中的企业情况无法读取。"; }
      } else if (key === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        dateInput.value = value;
      }
    });
  }

  function save() {
    var profile = readProfile();
    var blob = new Blob([JSON.stringify(profile, null, 2) + "\n"], { type: "application/json" });
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "企业情况.json";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function load(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var profile;
      try {
        profile = JSON.parse(String(reader.result).replace(/^\ufeff/, ""));
      } catch (err) {
        summary.textContent = "文件无法读取：不是有效的 JSON（" + err.message + "）。";
        return;
      }
      if (!profile || typeof profile !== "object" || typeof profile.values !== "object" || !profile.values) {
        summary.textContent = "文件无法读取：应为企业情况文件，如 {\"values\": {\"rd_intensity\": \"3%\"}}。";
        return;
      }
      fillProfile(profile);
      render();  // a value this page cannot read is marked at its field
      var unused = Object.keys(profile.values).filter(function (k) { return !data.variables[k]; });
      if (unused.length) {
        summary.textContent += "（文件中的 " + unused.join("、") + " 没有用于已发布的条件，未显示。）";
      }
    };
    reader.readAsText(file, "utf-8");
  }

  function share() {
    shareOutput.hidden = false;
    shareOutput.value = shareLink(readProfile(), dateInput.value);
    shareOutput.focus();
    shareOutput.select();
  }

  function options(select, entries) {
    entries.forEach(function (entry) {
      var option = el("option", null, entry[1]);
      option.value = entry[0];
      select.appendChild(option);
    });
  }

  function start(loaded) {
    data = loaded;
    var seen = {};
    var label = {}, ids = [];  /* one entry per document, named as its newest version */
    data.documents.forEach(function (d) {
      if (!(d.id in label)) ids.push(d.id);
      label[d.id] = (d.doc_number ? d.doc_number + " " : "") + (d.title || d.id);
    });
    options(docSelect, ids.map(function (id) { return [id, label[id]]; }));
    var depts = [];
    data.documents.forEach(function (d) { d.issuers.forEach(function (n) { if (!seen[n]) { seen[n] = 1; depts.push(n); } }); });
    data.rules.forEach(function (r) {
      r.departments.forEach(function (d) { if (!seen[d.name]) { seen[d.name] = 1; depts.push(d.name); } });
    });
    options(deptSelect, depts.map(function (n) { return [n, n]; }));
    dateInput.value = today();
    readFragment();
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    document.getElementById("pk-calc-save").addEventListener("click", save);
    document.getElementById("pk-calc-share-button").addEventListener("click", share);
    document.getElementById("pk-calc-clear").addEventListener("click", function () {
      fillProfile({ values: {} });
      render();
    });
    fileInput.addEventListener("change", function () {
      if (fileInput.files[0]) load(fileInput.files[0]);
      fileInput.value = "";  // choosing the same file again (edited meanwhile) must load it again
    });
    root.classList.add("pk-calc--ready");
    render();
  }

  fetch(root.dataset.rules).then(function (r) {
    if (!r.ok) throw new Error(r.status + " " + r.statusText);
    return r.json();
  }).then(start).catch(function (err) {
    summary.textContent = "规则数据未能载入（" + err.message + "）。";
  });
})();
