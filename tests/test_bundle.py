"""The research data bundle (`python -m pipeline export`), written from the session's warehouse.

Facts checked against data/raw/ (1-based lines, as `sed -n Np`):
  003_27142058ae3706f5.txt l. 143  "... Laporan Kinerja Dinas Tenaga Kerja Tribulan I Tahun 2023 ..."  Lumajang is a Q1 report
  003_27142058ae3706f5.txt l. 608  "<b>Total Pagu Anggaran</b> ... <b>11.58</b>"  Lumajang's Q1 absorption 11.58 %
  001_579666cb9ad43d5a.txt l. 634  "... Jumlah tenaga kerja bersertifikat kompetensi yang ditempatkan ÷ ... memiliki
                                    sertifikat kompetensi ..."  Paser's placement rate is placed ÷ certified workers
  000_dca929226cb0e028.txt l. 404  "- Sub Kegiatan Penyusunan Dokumen Perencanaan ..."  a cited line starting with "-"
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.reconcile.rank import RULE_TEXT
from pipeline.warehouse import bundle as B
from pipeline.warehouse import bundle_metadata as M
from pipeline.warehouse.bundle import PARTITIONED, TABLES, Column, csv_select, parquet_glob, write_bundle


@pytest.fixture(scope="module")
def bundle(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "bundle"
    result = CliRunner().invoke(app, ["export", "--db", str(built), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def package(bundle) -> dict:
    return json.loads((bundle / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def duck(built):
    """An in-memory DuckDB with the warehouse attached read-only as `w`."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{built}' AS w (READ_ONLY)")
    yield con
    con.close()


def _q(name: str) -> str:
    return '"' + name + '"'


def _warehouse_columns(duck, table: str) -> list[tuple[str, str]]:
    return [(n, t) for n, t, *_ in duck.execute(f"DESCRIBE w.main.{table}").fetchall()]


def _same_rows(duck, table: str, relation: str) -> None:
    cols = ", ".join(_q(n) for n, _ in _warehouse_columns(duck, table))
    n = duck.execute(f"SELECT count(*) FROM w.main.{table}").fetchone()[0]
    assert duck.execute(f"SELECT count(*) FROM {relation}").fetchone()[0] == n
    for a, b in ((f"w.main.{table}", relation), (relation, f"w.main.{table}")):
        extra = duck.execute(f"SELECT {cols} FROM {a} EXCEPT ALL SELECT {cols} FROM {b}").fetchall()
        assert extra == [], f"{table}: rows of {a} missing from {b}: {extra[:2]}"


# ---- round trips ----------------------------------------------------------------------------------

@pytest.mark.parametrize("table", TABLES)
def test_parquet_reads_back_the_warehouse_rows_and_types(bundle, duck, table):
    relation = f"read_parquet('{parquet_glob(bundle, table)}', hive_partitioning = {table in PARTITIONED})"
    got = dict((n, t) for n, t, *_ in duck.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall())
    assert got == dict(_warehouse_columns(duck, table))
    _same_rows(duck, table, relation)


@pytest.mark.parametrize("table", PARTITIONED)
def test_partitions_are_one_hive_folder_per_regency(bundle, duck, table):
    folders = sorted(p.name for p in (bundle / "parquet" / table).iterdir())
    regencies = [r for (r,) in duck.execute(f"SELECT DISTINCT regency FROM w.main.{table} ORDER BY 1").fetchall()]
    assert folders == sorted("regency=" + r.replace(" ", "%20") for r in regencies)
    assert "regency=Muara%20Enim" in folders
    one = next((bundle / "parquet" / table / "regency=Lumajang").glob("*.parquet"))
    inside = [n for (n,) in duck.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('{one}', "
                                         "hive_partitioning = false))").fetchall()]
    assert "regency" not in inside  # the column lives in the folder name, as hive readers expect


def _csv_relation(bundle: Path, package: dict, table: str) -> str:
    """The CSV read back with the types datapackage.json declares, formula neutralising undone."""
    fields = next(r for r in package["resources"] if r["name"] == table)["schema"]["fields"]
    exprs = []
    for f in fields:
        col, typ = _q(f["name"]), f["duckdb_type"]
        if typ == "VARCHAR":
            exprs.append(f"CASE WHEN starts_with({col}, '''') THEN {col}[2:] ELSE {col} END AS {col}")
        elif typ.startswith("TIMESTAMP"):
            exprs.append(f"strptime({col}, '%Y-%m-%dT%H:%M:%S.%f')::{typ} AS {col}")
        else:
            exprs.append(f"{col}::{typ} AS {col}")
    return (f"(SELECT {', '.join(exprs)} FROM read_csv('{bundle / 'csv' / (table + '.csv')}', header = true, "
            "all_varchar = true, allow_quoted_nulls = false))")  # "" is an empty text, an empty cell a missing value


@pytest.mark.parametrize("table", TABLES)
def test_csv_reads_back_the_warehouse_rows_with_the_declared_types(bundle, package, duck, table):
    fields = next(r for r in package["resources"] if r["name"] == table)["schema"]["fields"]
    assert [(f["name"], f["duckdb_type"]) for f in fields] == _warehouse_columns(duck, table)
    _same_rows(duck, table, _csv_relation(bundle, package, table))


def test_csv_neutralises_formula_starts_and_the_rule_reverses():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (txt VARCHAR, num DOUBLE)")
    values = [("=1+2", -5.5), ("+62 811", 0.0), ("-", None), ("@home", 1.0), ("'quoted", 2.0), ("plain", 3.0),
              (None, 4.0), ("a=b", 5.0), ("\tindent", 6.0)]
    con.executemany("INSERT INTO t VALUES (?, ?)", values)
    got = con.execute(f"SELECT {csv_select([Column('txt', 'VARCHAR', False), Column('num', 'DOUBLE', False)])} "
                      "FROM t").fetchall()
    assert got == [("'=1+2", -5.5), ("'+62 811", 0.0), ("'-", None), ("'@home", 1.0), ("''quoted", 2.0),
                   ("plain", 3.0), (None, 4.0), ("a=b", 5.0), ("'\tindent", 6.0)]
    assert [(t[1:] if t and t.startswith("'") else t, n) for t, n in got] == values


def test_no_text_cell_of_the_csv_starts_like_a_formula(bundle, package, duck):
    # Muara Enim l. 404 starts with "-": the warehouse keeps it, the CSV shows it neutralised
    assert duck.execute("SELECT count(*) FROM w.main.observations WHERE source_line = 404 "
                        "AND source_file = '000_dca929226cb0e028.txt' AND starts_with(source_text, '- Sub Kegiatan')"
                        ).fetchone()[0] > 0
    for table in TABLES:
        fields = next(r for r in package["resources"] if r["name"] == table)["schema"]["fields"]
        text = {f["name"] for f in fields if f["duckdb_type"] == "VARCHAR"}
        with open(bundle / "csv" / f"{table}.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                bad = [c for c in text if row[c][:1] in ("=", "+", "-", "@", "\t", "\r")]
                assert not bad, (table, {c: row[c][:40] for c in bad})


def test_xlsx_has_about_and_one_sheet_per_table_and_no_formulas(bundle, duck):
    from openpyxl import load_workbook

    wb = load_workbook(bundle / B.XLSX_NAME, read_only=True)
    assert wb.sheetnames == ["about", *TABLES]
    for table in TABLES:
        n = duck.execute(f"SELECT count(*) FROM w.main.{table}").fetchone()[0]
        rows = list(wb[table].iter_rows(values_only=True))
        assert list(rows[0]) == [c for c, _ in _warehouse_columns(duck, table)]
        assert len(rows) - 1 == n
    cells = [c for row in wb["observations"].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    about = dict(r for r in wb["about"].iter_rows(values_only=True) if r[0])
    assert about["observations.source_line"].startswith("1-based line")


def test_xlsx_sheets_stop_at_the_row_limit_and_keep_text_as_text(built, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr(B, "XLSX_MAX_ROWS", 4)  # Excel's is 1,048,576; the seeds never reach it
    con = duckdb.connect(str(built), read_only=True)
    try:
        B.write_xlsx(con, tmp_path / "w.xlsx", {t: B.describe(con, t) for t in TABLES},
                     [("=cmd|' /C calc'!A0", "#N/A"), ("plain", "text")])
    finally:
        con.close()
    wb = load_workbook(tmp_path / "w.xlsx", read_only=True)
    assert [sum(1 for _ in wb[t].iter_rows()) for t in TABLES] == [4] * len(TABLES)  # header + 3 rows
    about = [c for row in wb["about"].iter_rows() for c in row]
    assert [(c.value, c.data_type) for c in about[:2]] == [("=cmd|' /C calc'!A0", "s"), ("#N/A", "s")]


# ---- indicator metadata -----------------------------------------------------------------------------

def test_every_indicator_in_observations_has_a_metadata_file_and_vice_versa(bundle, duck):
    present = {i for (i,) in duck.execute("SELECT DISTINCT indicator FROM w.main.observations").fetchall()}
    files = {p.stem for p in (bundle / "metadata").glob("*.json")}
    assert files == present and len(files) >= 10


def test_metadata_describes_the_indicator_and_cites_real_lines(bundle, duck):
    for path in sorted((bundle / "metadata").glob("*.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        assert m["id"] == path.stem
        assert m["title"]["id"] and m["title"]["en"] and m["definition"]["en"] and m["definition"]["id"]
        assert m["unit"] in ("percent", "rupiah", "persons", "count", "cases")
        assert m["direction"] in ("higher", "lower", None)
        counts = dict(duck.execute("SELECT status, count(*) FROM w.main.observations WHERE indicator = ? GROUP BY 1",
                                   [m["id"]]).fetchall())
        assert m["counts"]["observations"] == sum(counts.values())
        assert m["counts"]["conflict"] == counts.get("conflict", 0)
        assert m["counts"]["suspect"] == counts.get("suspect", 0)
        assert sum(s["n_observations"] for s in m["sources"]) == m["counts"]["observations"]
        for s in m["sources"]:
            cited = {n for (n,) in duck.execute("SELECT DISTINCT source_line FROM w.main.observations "
                                                "WHERE indicator = ? AND report_id = ?", [m["id"], s["report_id"]]).fetchall()}
            assert set(s["lines"]) == cited and s["sha256"] and s["original_name"]


def test_metadata_caveats_name_the_quarter_report_and_the_different_definitions(bundle):
    absorption = json.loads((bundle / "metadata" / "budget_absorption.json").read_text(encoding="utf-8"))
    assert any(c.startswith("Lumajang:") and "first quarter" in c for c in absorption["caveats"])
    q1 = [h for h in absorption["headline_values"] if h["regency"] == "Lumajang" and h["kind"] == "actual"]
    assert [(h["year"], h["period"], h["value"], h["source_line"]) for h in q1] == [(2023, "Q1", 11.58, 608)]
    placement = json.loads((bundle / "metadata" / "placement_rate.json").read_text(encoding="utf-8"))
    paser = {d["definition"] for d in placement["definitions_by_regency"] if d["regency"] == "Paser"}
    assert "placed ÷ trainees holding a competency certificate" in paser
    assert any("define it differently" in c and "Paser" in c for c in placement["caveats"])
    assert placement["direction"] == "higher" and placement["ratio"]["denominator"] == "job_seekers_registered"


# ---- README and datapackage.json ------------------------------------------------------------------------

def test_readme_gives_caveats_rule_citations_and_bundle_identity(bundle, duck, package):
    text = (bundle / "README.md").read_text(encoding="utf-8")
    info = dict(duck.execute("SELECT key, value FROM w.main.build_info").fetchall())
    assert package["version"] == M.version(info) and f"Version **{package['version']}**" in text
    assert info["built_at"] in text and info["input_fingerprint"] in text
    for line in RULE_TEXT.strip().splitlines():
        assert line in text
    for regency, year, name, sha in duck.execute("SELECT regency, report_year, original_name, sha256 FROM w.main.reports").fetchall():
        cite = [ln for ln in text.splitlines() if ln.startswith("- ") and sha in ln]
        assert len(cite) == 1 and regency in cite[0] and f"(LKjIP) {year}" in cite[0] and name in cite[0]
    assert "**Lumajang** is a first quarter (Triwulan I) report" in text


def test_datapackage_describes_every_file_and_every_column(bundle, package):
    described = set()
    for res in package["resources"]:
        described.add(res["path"])
        assert res["hash"].startswith("sha256:") and res["bytes"] == (bundle / res["path"]).stat().st_size
        for f in res.get("schema", {}).get("fields", []):
            assert f["type"] and f["description"], (res["name"], f["name"])
    on_disk = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert described == on_disk - {"datapackage.json"}


def test_datapackage_validates_with_frictionless(bundle):
    from frictionless import validate

    report = validate(bundle / "datapackage.json")
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_catches_a_bad_cell(bundle, tmp_path):
    """The validation above can fail: a number column holding a word, with size and hash made to match."""
    from frictionless import validate

    copy = tmp_path / "b"
    shutil.copytree(bundle, copy)
    path = copy / "csv" / "training_courses.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("participants")] = "many"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    path.write_text(lines[0] + buf.getvalue() + "".join(lines[2:]), encoding="utf-8")
    pkg = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["name"] == "training_courses")
    res["bytes"], res["hash"] = path.stat().st_size, "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    (copy / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert {e[1] for e in report.flatten(["fieldName", "type"])} == {"type-error"}


def test_check_refuses_a_parquet_file_that_disagrees_with_its_description(bundle, package, tmp_path):
    copy = tmp_path / "b"
    shutil.copytree(bundle, copy)
    con = duckdb.connect()
    reports = copy / "parquet" / "reports.parquet"
    con.execute(f"CREATE TABLE r AS SELECT * EXCLUDE (agency) FROM read_parquet('{reports}')")
    con.execute(f"COPY r TO '{reports}' (FORMAT parquet)")
    rows = {t: con.execute(f"SELECT count(*) FROM read_parquet('{parquet_glob(bundle, t)}')").fetchone()[0] for t in TABLES}
    con.close()
    with pytest.raises(RuntimeError, match=r"reports.parquet: its columns .* differ in \[\('agency', 'VARCHAR'\)\]"):
        B.check(copy, package, rows)


# ---- writing safely ------------------------------------------------------------------------------------

def test_a_failed_export_leaves_the_previous_bundle_whole(bundle, built, tmp_path, monkeypatch):
    out = tmp_path / "bundle"
    shutil.copytree(bundle, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(M, "write_readme", fail)
    with pytest.raises(OSError, match="disk full"):
        write_bundle(built, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]  # no staging folder left behind
    # the bundle is from the warehouse's current build, so it is reused, not rewritten
    monkeypatch.undo()
    assert B.bundle_build(out) == B._warehouse_build(built)
    assert B.current_bundle(built, out) == out
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_zip_holds_every_file_under_a_versioned_folder(bundle, package):
    zf = zipfile.ZipFile(io.BytesIO(B.zip_bundle(bundle)))
    top = f"lkjip-bundle-{package['version']}/"
    names = set(zf.namelist())
    assert names == {top + p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert zf.read(top + "datapackage.json") == (bundle / "datapackage.json").read_bytes()


def test_export_without_a_warehouse_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "python -m pipeline build" in result.output
    assert not (tmp_path / "b").exists()


# ---- the dashboard offers it ---------------------------------------------------------------------------

def test_dashboard_zip_is_the_exported_bundle_when_current_else_a_fresh_one(bundle, built, tmp_path, monkeypatch):
    import dashboard.data

    monkeypatch.setattr(dashboard.data, "DB_PATH", built)
    monkeypatch.setattr(dashboard.data, "BUNDLE_DIR", bundle)
    dashboard.data._bundle_zip.cache_clear()
    assert dashboard.data.bundle_zip() == B.zip_bundle(bundle)
    missing = tmp_path / "no-bundle"
    monkeypatch.setattr(dashboard.data, "BUNDLE_DIR", missing)
    dashboard.data._bundle_zip.cache_clear()
    zf = zipfile.ZipFile(io.BytesIO(dashboard.data.bundle_zip()))
    top = zf.namelist()[0].split("/")[0]
    assert f"{top}/datapackage.json" in zf.namelist() and f"{top}/metadata/tpt.json" in zf.namelist()
    assert not missing.exists()  # written to a temporary folder, never into the app's data folder
    dashboard.data._bundle_zip.cache_clear()


def test_quality_page_says_when_the_data_were_built_and_offers_the_zip(built, con, monkeypatch):
    from streamlit.testing.v1 import AppTest

    import dashboard.data
    from dashboard.dates import long_datetime
    from dashboard.i18n import t

    root = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("LKJIP_DB", str(built))
    monkeypatch.setattr(dashboard.data, "DB_PATH", built)
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("dashboard/pages/quality.py")
    at.run()
    assert not at.exception
    info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    when = long_datetime(info["built_at"], "id")  # written out in the reader's language
    assert info["built_at"][:4] in when and "T" not in when.replace("UTC", "")
    assert t("quality.built_at", "id", when=when, n=info["n_reports"]) in [c.value for c in at.caption]
    buttons = at.get("download_button")
    assert t("quality.bundle_download", "id") in [b.proto.label for b in buttons]
