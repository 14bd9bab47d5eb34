"""The 政策计算器 page (/calculator/): a form for a company's figures and, in the browser, the verdict on every
measure of every document in force on a date.

`page_data(docs)` is the one JSON file the page fetches (calculator/rules.json): the rules of every version of
each document (toolkit/rules.py, the same as data/<doc-id>/<version>/rules.json), each with the period in force the
release computed for it (status.Period: repeals, revisions, 有效期, manifest), and the variables the form asks
for. `page(data)` is the form, built here so it works with the keyboard
and screen readers as plain HTML; assets/calculator/*.js evaluates it (docs/rules.md).
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import metrics as vocabulary
from .. import urls
from ..match import MATCHED_KINDS
from ..profile import display_unit, profile_schema, unit_words
from ..rules import document_rules
from . import catalog as cat
from .document_page import front_matter
from .html import text

ASSETS = Path(__file__).resolve().parent / "assets" / "calculator"
ASSET_FILES = ("eligibility.js", "calculator.js", "calculator.css")
PAGE = "calculator/index.md"
DATA = "calculator/rules.json"
SCHEMA = "calculator/profile.schema.json"
CALCULATOR_FORMAT = 1
# CNY amounts are typed in 万元 by default: what companies report in.
DEFAULT_CNY_WORD = "万元"


def page_data(docs: list[cat.SiteDocument]) -> dict:
    """Every published version with its rules and its period in force (as the release computed it), so the page
    shows, for any date, the version in force then, as `policykit match` does."""
    metrics = {m.id: m for m in vocabulary.load()}
    documents, rules, used = [], [], set()
    for d in docs:
        for v in d.versions:
            period = v.period  # computed once, by the release (status.py)
            if period.ending is not None and period.until is None:
                continue  # ended on a date nobody knows (a manifest override without `since`): never in force
            found = document_rules(v.document, v.version, metrics)
            documents.append({**found["document"], "period": period.to_dict(),
                              "url": "../" + urls.version_page(d.id, v.version, v is d.current)})
            for rule in found["rules"]:
                if rule["kind"] not in MATCHED_KINDS:
                    continue
                rules.append({"doc": d.id, "version": v.version, **rule})
                used.update(c["var"] for c in rule["conditions"] if c["var"] in metrics)
    variables = {}
    for m in vocabulary.load():  # vocabulary order: related metrics stay together in the form
        if m.id in used:
            variables[m.id] = {"name": m.name, "unit": m.unit, "display_unit": display_unit(m.unit),
                               "help": m.description}
    return {"calculator_format": CALCULATOR_FORMAT, "variables": variables, "documents": documents, "rules": rules}


def _field(key: str, var: dict) -> str:
    words = list(unit_words(var["unit"]))
    input_tag = (f'<input id="pk-v-{key}" data-metric="{key}" type="text" inputmode="decimal" '
                 f'aria-describedby="pk-h-{key} pk-e-{key}" autocomplete="off"')
    if var["unit"] == "CNY" or var["unit"].startswith("CNY/"):
        default = DEFAULT_CNY_WORD + var["unit"][3:]
        opts = "".join(f'<option value="{text(w)}"{" selected" if w == default else ""}'
                       f'{" data-canonical" if w == "元" + var["unit"][3:] else ""}>{text(w)}</option>'
                       for w in words)
        unit = f'<select id="pk-u-{key}" aria-label="{text(var["name"])}的单位">{opts}</select>'
        input_tag += ">"
    else:
        input_tag += f' data-unit-word="{text(words[0])}">'
        unit = f'<span class="pk-calc__unit" aria-hidden="true">{text(var["display_unit"])}</span>'
    return (f'<div class="pk-calc__field"><label for="pk-v-{key}">{text(var["name"])}'
            f'<span class="pk-calc__label-unit">（{text(var["display_unit"])}）</span></label>'
            f'<div class="pk-calc__input">{input_tag}{unit}</div>'
            f'<p class="pk-calc__help" id="pk-h-{key}">{text(var["help"])}</p>'
            f'<p class="pk-calc__error" id="pk-e-{key}" role="alert"></p></div>')


def page(data: dict) -> str:
    fields = "".join(_field(k, v) for k, v in data["variables"].items())
    return front_matter("政策计算器") + "".join([
        '<div id="pk-calculator" class="pk-calc" data-rules="rules.json">',
        '<h1 id="title">政策计算器</h1>',
        '<p class="pk-lead">填写企业的情况，查看现行政策文件中每一条带数值条件的措施：<strong>符合</strong>、'
        '<strong>不符合</strong>（哪一条件未满足、差多少）或<strong>缺少信息</strong>（还需填写哪些情况）。'
        '不知道的项目可以不填。条件直接取自文件原文，以原文为准；'
        '填写的内容只在您的浏览器中计算，不会发送到任何地方。</p>',
        '<noscript><p>本页需要启用 JavaScript。也可以用命令行：<code>policykit match 企业情况.json</code>。</p></noscript>',
        '<form id="pk-calc-form" class="pk-calc__form" autocomplete="off" onsubmit="return false">',
        '<fieldset class="pk-calc__fields"><legend>企业情况</legend>', fields, '</fieldset>',
        '<fieldset class="pk-calc__filters"><legend>日期和筛选</legend>',
        '<div class="pk-calc__field"><label for="pk-calc-date">日期</label>'
        '<input id="pk-calc-date" type="date" aria-describedby="pk-calc-date-help">'
        '<p class="pk-calc__help" id="pk-calc-date-help">显示这一天已施行、未废止的文件中的措施，默认为今天。</p></div>',
        '<div class="pk-calc__field"><label for="pk-calc-document">文件</label>'
        '<select id="pk-calc-document"><option value="">全部文件</option></select></div>',
        '<div class="pk-calc__field"><label for="pk-calc-department">部门</label>'
        '<select id="pk-calc-department"><option value="">全部部门</option></select></div>',
        '</fieldset>',
        '<div class="pk-calc__actions">',
        '<button type="button" id="pk-calc-save" class="md-button">保存为文件</button>',
        '<label class="md-button pk-calc__load">读取文件<input id="pk-calc-file" type="file" '
        'accept="application/json,.json"></label>',
        '<button type="button" id="pk-calc-share-button" class="md-button">分享链接</button>',
        '<button type="button" id="pk-calc-clear" class="md-button">清空</button>',
        '</div>',
        '</form>',
        '<input id="pk-calc-share" class="pk-calc__share" type="text" readonly hidden aria-label="分享链接">',
        '<h2 id="results">结果</h2>',
        '<p id="pk-calc-summary" class="pk-calc__summary" role="status" aria-live="polite">正在载入规则……</p>',
        '<ol id="pk-calc-results" class="pk-calc__results"></ol>',
        '<p class="pk-calc__note">计算器只核对原文中的数值条件；资格认定、行业、地域、申报时间等要求请对照条款原文。'
        f'企业情况文件的格式见 <a href="profile.schema.json">profile.schema.json</a>，规则数据见 '
        '<a href="rules.json">rules.json</a>。</p>',
        '<link rel="stylesheet" href="../assets/calculator/calculator.css">',
        '<script src="../assets/calculator/eligibility.js"></script>',
        '<script src="../assets/calculator/calculator.js"></script>',
        '</div>',
    ]) + "\n"


def write_pages(docs: list[cat.SiteDocument], write) -> None:
    """The page, its rules and the profile schema, and the scripts; `write(rel, text)` as in build.compose."""
    data = page_data(docs)
    write(PAGE, page(data))
    write(DATA, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    write(SCHEMA, json.dumps(profile_schema(), ensure_ascii=False, indent=2) + "\n")
    for name in ASSET_FILES:
        write(f"assets/calculator/{name}", (ASSETS / name).read_text(encoding="utf-8"))
