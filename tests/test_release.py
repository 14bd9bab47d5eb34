"""The data release built from hand-made documents: CSV format, tables, catalog, data package, checksums, ZIP."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest

from release_samples import sample_document
from toolkit.release import (ARCHIVE, ARCHIVE_ROOT, CATALOG, CHECKSUMS, DATAPACKAGE, Release, ReleaseContext,
                             ReleaseDocument, ReleaseVersion, render, write)
from toolkit.sources import Relation
from toolkit.writers import csv_tables

V = "2024-06-06"
BASE = f"zjzbf-2024-21/{V}"
DATAPACKAGE_NAME_PREFIX = f"zjzbf-2024-21.{V}"  # resource names: <doc-id>.<version>.<table>


def one_release(doc=None, relations=()) -> Release:
    doc = doc or sample_document()
    return Release([ReleaseDocument(doc.id, [ReleaseVersion(V, None, Path("x.txt"), doc, akn="<akomaNtoso/>\n")],
                                    list(relations))])


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return render(one_release())


@pytest.fixture
def written(files, tmp_path) -> Path:
    write(files, tmp_path / "data")
    return tmp_path / "data"


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- CSV ---------------------------------------------------------------------------------------------------


def test_every_csv_starts_with_a_bom_and_uses_crlf(files):
    csv_files = [p for p in files if p.endswith(".csv")]
    assert len(csv_files) == 6  # four per version, and versions.csv and relations.csv for the corpus
    for path in csv_files:
        data = files[path]
        assert data.startswith(b"\xef\xbb\xbf"), path
        header = data[3:].split(b"\r\n", 1)[0].decode()
        table = next(t for t in (*csv_tables.TABLES, csv_tables.VERSIONS, csv_tables.RELATIONS) if path.split("/")[-1] == f"{t.name}.csv")
        assert header.split(",") == table.header
        assert data.endswith(b"\r\n")


def test_csv_round_trips_through_utf8_sig_including_quotes_commas_and_newlines(files):
    doc = sample_document()
    expected = csv_tables.tables(doc, V)
    for table in csv_tables.TABLES:
        rows = read_csv(files[f"{BASE}/{table.name}.csv"])
        assert list(rows[0]) == table.header if rows else True
        want = [{k: csv_tables._cell(r.get(k)) for k in table.header} for r in expected[table.name]]
        assert rows == want, table.name
    clause = next(r for r in read_csv(files[f"{BASE}/clauses.csv"]) if r["eid"] == "sec_2__para_1")
    assert clause["text"] == doc.unit("sec_2__para_1").text  # quotes, comma and \n survive
    assert '"' in clause["text"] and "\n" in clause["text"] and "," in clause["text"]


def test_header_names_are_snake_case_and_unique():
    for table in csv_tables.TABLES:
        assert len(set(table.header)) == len(table.header)
        for name in table.header:
            assert name.replace("_", "").isalnum() and name == name.lower() and name.isascii(), name


def test_clause_rows_carry_path_depth_parent_and_lines():
    rows = {r["eid"]: r for r in csv_tables.tables(sample_document(), V)["clauses"]}
    assert list(rows) == ["sec_1", "sec_2", "sec_2__para_1", "sec_2__para_2", "sec_2__para_2__point_1"]
    point = rows["sec_2__para_2__point_1"]
    assert point["path"] == "二、/（二）/1."
    assert (point["depth"], point["parent_eid"]) == (3, "sec_2__para_2")
    assert (point["source_line_start"], point["source_line_end"]) == (25, 25)
    assert rows["sec_2__para_2"]["wrap_up"] == "以上措施同步实施。"
    assert rows["sec_1"]["parent_eid"] is None


def test_responsibilities_include_document_wide_rows_without_eid():
    rows = csv_tables.tables(sample_document(), V)["responsibilities"]
    assert len(rows) == 7
    wide = [r for r in rows if r["eid"] is None]
    assert [(r["department_id"], r["role"]) for r in wide] == [("zj-local-gov", "responsible_subject")]
    lead = [r for r in rows if r["eid"] == "sec_2__para_1" and r["role"] == "lead"]
    assert [r["department"] for r in lead] == ["省科技厅"]


def test_departments_count_clauses_led_and_joined():
    rows = {r["department_id"]: r for r in csv_tables.tables(sample_document(), V)["departments"]}
    assert list(rows) == ["zj-jxt", "zj-local-gov", "zj-kjt", "zj-czt"]  # order of first appearance
    jxt = rows["zj-jxt"]
    assert (jxt["clauses_led"], jxt["clauses_joined"], jxt["clauses_total"]) == (2, 1, 3)
    assert (rows["zj-kjt"]["clauses_led"], rows["zj-kjt"]["clauses_joined"]) == (1, 0)
    local = rows["zj-local-gov"]  # named in one clause and document-wide: the latter is not a clause
    assert (local["clauses_led"], local["clauses_joined"], local["clauses_total"]) == (0, 1, 1)


def test_thresholds_carry_group_logic_and_plain_numbers(files):
    rows = {r["threshold_id"]: r for r in read_csv(files[f"{BASE}/thresholds.csv"])}
    assert rows["sec_2__para_1__thr_1"]["group_logic"] == "all"
    assert rows["sec_2__para_1__thr_2"]["group_logic"] == "any"
    assert rows["sec_2__para_1__thr_2"]["value"] == "10000000"  # 10000000.0 written without float noise
    assert rows["sec_2__para_1__thr_3"]["value"] == "0.5"
    assert rows["sec_2__para_1__thr_3"]["condition_group"] == ""
    assert csv_tables._cell(1e-07) == "0.0000001"


# --- data package, catalog, checksums, ZIP ------------------------------------------------------------------


def test_frictionless_validates_the_data_package(written):
    report = frictionless.validate(str(written / DATAPACKAGE))
    assert report.valid, report.flatten(["resourceName", "type", "note"])
    assert len(report.tasks) == 9  # json, akn, four tables, rules, versions.csv, relations.csv


def test_frictionless_notices_a_tampered_table(written):
    # The validation above only means something if the hashes and schemas are really checked.
    path = written / BASE / "thresholds.csv"
    path.write_bytes(path.read_bytes().replace(b",0.5,", b",zero point five,"))
    report = frictionless.validate(str(written / DATAPACKAGE))
    assert not report.valid
    types = {e[0] for e in report.flatten(["type"])}
    assert "hash-count" in types and "type-error" in types


def test_frictionless_checks_tables_against_a_shared_schema_file(written):
    # clauses.csv names its Table Schema by path (schemas/clauses.schema.json): frictionless must really load it.
    package = json.loads((written / DATAPACKAGE).read_text(encoding="utf-8"))
    clauses = next(r for r in package["resources"] if r["path"] == f"{BASE}/clauses.csv")
    assert clauses["schema"] == "schemas/clauses.schema.json"
    assert (written / clauses["schema"]).is_file()
    path = written / BASE / "clauses.csv"
    path.write_bytes(path.read_bytes().replace(b",section,\xe4\xb8\x80\xe3\x80\x81,\xe4\xb8\x80\xe3\x80\x81,1,",
                                               b",section,\xe4\xb8\x80\xe3\x80\x81,\xe4\xb8\x80\xe3\x80\x81,one,", 1))
    report = frictionless.validate(str(written / DATAPACKAGE))
    assert not report.valid
    assert "type-error" in {e[0] for e in report.flatten(["type"])}  # depth "one" is not an integer


def test_tables_with_foreign_keys_keep_their_schema_inline(files):
    # A foreign key names this version's clauses resource, so that schema cannot be shared between versions.
    package = json.loads(files[DATAPACKAGE])
    by_path = {r["path"]: r for r in package["resources"]}
    for table in csv_tables.TABLES:
        schema = by_path[f"{BASE}/{table.name}.csv"]["schema"]
        if table.foreign_keys:
            assert schema["foreignKeys"][0]["reference"]["resource"] == f"{DATAPACKAGE_NAME_PREFIX}.clauses"
        else:
            assert schema == f"schemas/{table.name}.schema.json" and schema in files


def test_the_website_gets_the_fields_of_shared_schemas():
    # The downloads page lists each table's fields: ReleaseContext.resources() reads the shared schema file for it.
    release = one_release()
    resources = {r["path"]: r for r in ReleaseContext(release, render(release)).resources()}
    for table in csv_tables.TABLES:
        fields = resources[f"{BASE}/{table.name}.csv"]["schema"]["fields"]
        assert [f["name"] for f in fields] == table.header
    assert resources["schemas/clauses.schema.json"]["format"] == "json"


def test_datapackage_is_v2_with_chinese_field_titles(files):
    package = json.loads(files[DATAPACKAGE])
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert "著作权法》第五条" in package["description"]
    tables = [r for r in package["resources"] if r.get("type") == "table"]
    assert len(tables) == 6  # four per version, versions.csv, relations.csv
    for res in package["resources"]:
        data = files[res["path"]]
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    for res in tables:
        assert res["encoding"] == "utf-8-sig" and res["mediatype"] == "text/csv"
        assert res["dialect"]["lineTerminator"] == "\r\n"
        schema = res["schema"]
        if isinstance(schema, str):  # a shared Table Schema file, next to datapackage.json
            schema = json.loads(files[schema])
        for field in schema["fields"]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in field["title"]), field
            assert field["description"]


def test_catalog_lists_versions_files_and_relations(files):
    catalog = json.loads(files[CATALOG])
    assert catalog["license"]["name"] == "CC0-1.0"
    (doc,) = catalog["documents"]
    assert (doc["id"], doc["current_version"], doc["doc_number"]) == ("zjzbf-2024-21", V, "浙政办发〔2024〕21号")
    (version,) = doc["versions"]
    assert set(version["files"]) == {"json", "akn", "clauses", "responsibilities", "departments", "thresholds",
                                     "rules"}
    for entry in version["files"].values():
        assert entry["sha256"] == hashlib.sha256(files[entry["url"]]).hexdigest()
    assert version["counts"] == {"clauses": 5, "responsibilities": 7, "thresholds": 3, "warnings": 0}
    # The text's own 废止 sentence, not linked: that document is not in the release.
    assert doc["relations"] == [{"type": "repeals", "document_id": None, "version": None,
                                 "doc_number": "浙政办发〔2022〕19号", "title": None, "text": None, "eid": None,
                                 "origin": "text", "resolved_by": None}]


def test_catalog_links_relations_between_documents_in_the_release():
    new = sample_document()
    old = sample_document("zjzbf-2022-19", "旧意见", "浙政办发〔2022〕19号", "2022-03-01")
    old.metadata.repeals = []
    release = Release([
        ReleaseDocument(new.id, [ReleaseVersion(V, None, Path("a.txt"), new)],
                        [Relation("repeals", "浙政办发[2022]19号")]),  # other brackets: still the same number
        ReleaseDocument(old.id, [ReleaseVersion("2022-03-01", None, Path("b.txt"), old)]),
    ])
    catalog = json.loads(render(release, base_url="https://example.org/data/")[CATALOG])
    docs = {d["id"]: d for d in catalog["documents"]}
    assert list(docs) == ["zjzbf-2022-19", "zjzbf-2024-21"]  # sorted by id
    (rel,) = docs["zjzbf-2024-21"]["relations"]  # manifest and text say the same: listed once
    assert (rel["type"], rel["document_id"], rel["origin"]) == ("repeals", "zjzbf-2022-19", "manifest")
    (inverse,) = docs["zjzbf-2022-19"]["relations"]
    assert (inverse["type"], inverse["document_id"]) == ("repealed_by", "zjzbf-2024-21")
    url = docs["zjzbf-2022-19"]["versions"][0]["files"]["clauses"]["url"]
    assert url == "https://example.org/data/zjzbf-2022-19/2022-03-01/clauses.csv"


def test_checksums_cover_every_file_and_match(written):
    lines = (written / CHECKSUMS).read_text(encoding="ascii").splitlines()
    listed = {}
    for line in lines:
        digest, path = line.split("  ", 1)
        listed[path] = digest
    on_disk = {p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {CHECKSUMS}
    for path, digest in listed.items():
        assert hashlib.sha256((written / path).read_bytes()).hexdigest() == digest, path
    assert list(listed) == sorted(listed)


def test_zip_holds_everything_with_fixed_dates_and_its_own_checksums(files):
    with zipfile.ZipFile(io.BytesIO(files[ARCHIVE])) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert set(names) == {f"{ARCHIVE_ROOT}/{p}" for p in files if p != ARCHIVE}
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == zipfile.ZIP_DEFLATED
            rel = info.filename.removeprefix(ARCHIVE_ROOT + "/")
            if rel != CHECKSUMS:
                assert archive.read(info) == files[rel], rel
        inner = archive.read(f"{ARCHIVE_ROOT}/{CHECKSUMS}").decode()
    # Inside the ZIP the checksums cover the ZIP's own files (everything but the ZIP itself).
    assert files[CHECKSUMS].decode() == "".join(sorted(
        inner.splitlines(keepends=True) + [f"{hashlib.sha256(files[ARCHIVE]).hexdigest()}  {ARCHIVE}\n"],
        key=lambda line: line.split("  ", 1)[1]))


def test_render_is_deterministic():
    assert render(one_release()) == render(one_release())


def test_release_refuses_unsafe_ids():
    doc = sample_document("../escape")
    with pytest.raises(ValueError):
        Release([ReleaseDocument(doc.id, [ReleaseVersion(V, None, Path("x.txt"), doc)])])
    doc = sample_document()
    with pytest.raises(ValueError):
        Release([ReleaseDocument(doc.id, [ReleaseVersion("../../etc", None, Path("x.txt"), doc)])])


def test_write_refuses_a_non_empty_folder(tmp_path, files):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        write(files, tmp_path)


def test_docs_describe_every_column_of_every_table():
    """docs/data.md is the field dictionary users read: a column added to a table must be documented."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "data.md").read_text(encoding="utf-8")
    for table in csv_tables.TABLES:
        section = text.split(f"### {table.name}.csv", 1)[1].split("\n### ", 1)[0]
        for col in table.columns:
            assert f"| `{col.name}` |" in section, (table.name, col.name)
    for name in (CATALOG, DATAPACKAGE, CHECKSUMS, ARCHIVE):
        assert name in text


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised():
    """OWASP CSV injection: a text cell starting with = + - @ TAB or CR gets a leading ', reversibly."""
    import csv as csv_module
    import io

    from toolkit.writers.csv_tables import CLAUSES, FORMULA_PREFIXED, FORMULA_START, to_csv

    texts = ['=HYPERLINK("http://x","点击")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''@x",
             "普通文本", "a=1", "'普通", "一、-1"]
    data = to_csv(CLAUSES, [{"text": t} for t in texts]).decode("utf-8-sig")
    read = [row["text"] for row in csv_module.DictReader(io.StringIO(data, newline=""))]
    assert read[:8] == ["'" + t for t in texts[:8]]
    assert read[8:] == texts[8:]
    assert [cell[1:] if FORMULA_PREFIXED.match(cell) else cell for cell in read] == texts
    assert not any(FORMULA_START.match(cell) and not cell.startswith("'") for cell in read)


def test_match_csv_neutralises_quoted_texts_too():
    from toolkit.match import to_csv

    sets = [{"document": {"id": "d", "version": "v"}, "rules": [{"id": "r1"}]}]
    result = {"results": [{"doc_id": "d", "version": "v", "doc_number": None, "label": "=1+1", "eid": "sec_1",
                           "rule": "r1", "verdict": "met", "benefit": "@SUM(A1)", "failed": [], "missing": []}]}
    row = to_csv(result, sets).splitlines()[1]
    assert row == "d,v,,'=1+1,sec_1,r1,met,'@SUM(A1),,"
