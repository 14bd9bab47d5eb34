"""The 政策计算器 page as built (toolkit/site/calculator.py), without a browser: its rules file covers every
published condition with a metric, the form asks for exactly those metrics, source text stays text, the bytes are
reproducible, and the wheel ships the scripts."""
from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

import lxml.html
import pytest

from toolkit import metrics as vocabulary
from toolkit.reader import read_path
from toolkit.rules import document_rules
from toolkit.release import Release, ReleaseDocument, ReleaseVersion
from toolkit.site import build_site
from toolkit.site import catalog as cat
from toolkit.status import StatusOverride, status_on
from toolkit.site.calculator import ASSET_FILES, page, page_data

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "zjzbf-2024-21.txt"
HOSTILE = REPO / "tests" / "fixtures" / "hostile-text.txt"
CORPUS = sorted((REPO / "tests" / "fixtures" / "corpus").glob("*.txt"))
METRICS = {m.id: m for m in vocabulary.load()}


def release_doc(doc, override: StatusOverride | None = None) -> ReleaseDocument:
    return ReleaseDocument(doc.id, [ReleaseVersion(doc.metadata.signed_date or "current", None,
                                                   Path(doc.provenance.source_file), doc)], status_override=override)


def site_docs(docs, overrides: dict | None = None, as_of: str | None = None) -> list:
    """SiteDocuments as a build makes them: through the release model, which computes every period and status."""
    overrides = overrides or {}
    return cat.catalog(Release([release_doc(d, overrides.get(d.id)) for d in docs], as_of=as_of))


@pytest.fixture(scope="module")
def corpus_docs():
    return [read_path(p) for p in [SEED, *CORPUS]]


def test_the_page_rules_cover_every_condition_with_a_metric(corpus_docs):
    data = page_data(site_docs(corpus_docs))
    covered = {(r["doc"], c["id"]) for r in data["rules"] for c in r["conditions"]}
    expected = set()
    for doc in corpus_docs:
        for unit in doc.units():
            for t in unit.thresholds:
                if t.kind == "condition" and t.metric_id in METRICS:
                    expected.add((doc.id, t.id))
    assert expected and expected <= covered
    # The form asks for exactly the metrics those conditions read, each with its unit and help.
    used = {c["var"] for r in data["rules"] for c in r["conditions"] if c["var"] in METRICS}
    assert set(data["variables"]) == used
    assert data["variables"]["rd_intensity"] == {"name": "研发费用占营业收入比重", "unit": "%", "display_unit": "%",
                                                 "help": METRICS["rd_intensity"].description}


def test_the_page_rules_are_the_release_rules_of_the_version(corpus_docs):
    seed = corpus_docs[0]
    (site,) = site_docs([seed])
    data = page_data([site])
    release = document_rules(seed, seed.metadata.signed_date, METRICS)
    assert [{k: v for k, v in r.items() if k not in ("doc", "version")} for r in data["rules"]] == \
        [r for r in release["rules"] if r["kind"] in ("condition", "benefit")]
    assert {(r["doc"], r["version"]) for r in data["rules"]} == {(seed.id, site.current.version)}
    # The period is the release's (status.py), not worked out again by the page.
    assert site.current.period.to_dict() == {"from": "2024-07-06", "until": None, "end": None}
    assert data["documents"] == [{**release["document"], "period": site.current.period.to_dict(),
                                  "url": "../zjzbf-2024-21/"}]


def test_a_document_repealed_by_another_stops_when_that_one_starts(corpus_docs):
    seed = corpus_docs[0]
    old = read_path(SEED)
    old.id, old.metadata.doc_number = "zjzbf-2022-19", "浙政办发〔2022〕19号"
    old.metadata.signed_date, old.metadata.effective_date = "2022-05-01", "2022-06-01"
    docs = site_docs([seed, old], as_of="2025-01-01")
    by_id = {d["id"]: d for d in page_data(docs)["documents"]}
    assert by_id["zjzbf-2022-19"]["period"] == {"from": "2022-06-01", "until": "2024-07-06", "end": "repealed"}
    assert by_id["zjzbf-2024-21"]["period"] == {"from": "2024-07-06", "until": None, "end": None}
    # The status the release shows on the document's page (as of 2025-01-01) is read off the same period.
    status = next(d for d in docs if d.id == "zjzbf-2022-19").status
    assert (status.code, status.since, status.by) == ("repealed", "2024-07-06", "zjzbf-2024-21")


def test_each_version_is_offered_for_its_own_period_as_match_does(corpus_docs):
    """A revision: the older version is in force until the newer one starts, and links to its own page."""
    new = corpus_docs[0]
    old = read_path(SEED)
    old.metadata.signed_date, old.metadata.effective_date = "2022-05-01", "2022-06-01"
    doc = ReleaseDocument(new.id, [ReleaseVersion("2022-05-01", None, Path("old.txt"), old),
                                   ReleaseVersion("2024-06-06", "2022-05-01", Path("new.txt"), new)])
    data = page_data(cat.catalog(Release([doc])))
    assert [(d["version"], d["period"], d["url"]) for d in data["documents"]] == [
        ("2022-05-01", {"from": "2022-06-01", "until": "2024-07-06", "end": "superseded"},
         "../zjzbf-2024-21/2022-05-01/"),
        ("2024-06-06", {"from": "2024-07-06", "until": None, "end": None}, "../zjzbf-2024-21/")]
    assert {r["version"] for r in data["rules"]} == {"2022-05-01", "2024-06-06"}


def test_every_field_has_a_label_its_unit_and_help(corpus_docs):
    data = page_data(site_docs(corpus_docs))
    html = lxml.html.fromstring(page(data).split("---\n", 2)[2])
    for key, var in data["variables"].items():
        field = html.get_element_by_id(f"pk-v-{key}")
        (label,) = html.xpath(f'//label[@for="pk-v-{key}"]')
        assert var["name"] in label.text_content() and f"（{var['display_unit']}）" in label.text_content()
        assert f"pk-h-{key}" in field.get("aria-describedby")
        assert html.get_element_by_id(f"pk-h-{key}").text_content() == var["help"]
        if var["unit"] == "CNY":
            select = html.get_element_by_id(f"pk-u-{key}")
            assert [o.get("value") for o in select.findall("option")] == ["元", "千元", "万元", "亿元"]
            assert select.xpath("option[@selected]")[0].get("value") == "万元"


def test_the_built_site_has_the_page_its_data_and_scripts_and_is_reproducible(tmp_path):
    docs = [read_path(SEED), read_path(HOSTILE)]
    sites = []
    for name in ("a", "b"):
        out = tmp_path / name
        build_site(docs, {"resources": []}, out, quiet=True)
        sites.append(out)
    for rel in ("calculator/index.html", "calculator/rules.json", "calculator/profile.schema.json",
                *(f"assets/calculator/{n}" for n in ASSET_FILES)):
        assert (sites[0] / rel).read_bytes() == (sites[1] / rel).read_bytes(), rel
    data = json.loads((sites[0] / "calculator" / "rules.json").read_text(encoding="utf-8"))
    assert {d["id"] for d in data["documents"]} == {d.id for d in docs}
    html = (sites[0] / "calculator" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../assets/calculator/eligibility.js"></script>' in html
    assert "<script>window.__pwned" not in html  # source text reaches the page only as data, via textContent
    nav = lxml.html.fromstring(html).xpath('//a[contains(@class, "md-tabs__link")]/text()')
    assert any("政策计算器" in t for t in nav)


def test_the_wheel_ships_the_calculator_scripts():
    """No CDN: the page's scripts come with the package (setuptools package-data)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["toolkit"]
    for name in ASSET_FILES:
        assert any(fnmatch.fnmatch(f"site/assets/calculator/{name}", p) for p in patterns), name
        text = (REPO / "toolkit" / "site" / "assets" / "calculator" / name).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text  # nothing fetched from elsewhere


def _override(since: str | None) -> StatusOverride:
    return StatusOverride(code="repealed", checked_by="省政府办公厅 王五", checked_on="2025-03-01",
                          url="https://www.zj.gov.cn/", since=since)


def test_a_document_marked_repealed_without_a_date_is_left_out(corpus_docs):
    """Repealed by something not in this release, on a date nobody wrote down: no day from which to stop it, so
    not offered at all."""
    seed = corpus_docs[0]
    data = page_data(site_docs([seed], {seed.id: _override(None)}))
    assert data["documents"] == [] and data["rules"] == [] and data["variables"] == {}


def test_a_document_marked_repealed_on_a_date_is_left_out_from_that_date(corpus_docs):
    seed = corpus_docs[0]
    (site,) = site_docs([seed], {seed.id: _override("2025-01-01")}, as_of="2025-06-01")
    (doc,) = page_data([site])["documents"]
    assert doc["period"] == {"from": "2024-07-06", "until": "2025-01-01", "end": "repealed"}
    assert (site.status.code, site.status.since, site.status.source) == ("repealed", "2025-01-01", "manifest")
    assert status_on(site.current.period, "2024-12-31").code == "in_force"  # the same period, another day
