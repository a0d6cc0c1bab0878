"""The research data bundle: `python -m pipeline export [--out data/curated/bundle]`.

What a researcher downloads instead of running the app — the public tables as Parquet
(observations and headline partitioned by regency, hive style) and CSV, one XLSX workbook, one
metadata file per indicator, a README that says how to cite it and a Frictionless
`datapackage.json` describing every file and column (`bundle_metadata.py` writes those three).

Reads the warehouse through a read-only connection, writes everything into a staging folder
beside the target, checks it, and only then renames it into place: a failed or interrupted
export never replaces a good bundle with a half-written one.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.warehouse import bundle_metadata as meta

TABLES = ["observations", "headline", "reports", "conflicts", "budget_lines", "indicator_rows", "training_courses"]
PARTITIONED = {"observations": "regency", "headline": "regency"}
# row order of every file, so two exports of the same warehouse hold the same bytes
ORDER = {
    "observations": "obs_id",
    "headline": "regency, indicator, scope, year, period, kind",
    "reports": "regency, report_year, report_id",
    "conflicts": "conflict_id",
    "budget_lines": "report_id, source_line, level, name",
    "indicator_rows": "report_id, source_line, year, indicator_text",
    "training_courses": "report_id, source_line, course",
}
# A spreadsheet runs a CSV cell that starts with one of these as a formula (CSV injection).
# Text cells starting with one get a leading apostrophe; so do text cells that already start
# with an apostrophe, which makes the rule exactly reversible: drop one leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
XLSX_NAME = "lkjip_bundle.xlsx"
XLSX_CELL_MAX = 32_767  # Excel's limit on characters in one cell
XLSX_MAX_ROWS = 1_048_576  # and on rows in one sheet (the header included)
DEFAULT_OUT = Path("data/curated/bundle")


@dataclass
class Bundle:
    path: Path
    version: str
    seconds: float
    files: int
    bytes: int
    rows: dict[str, int]


@dataclass
class Column:
    name: str
    type: str  # DuckDB type as the warehouse declares it
    required: bool


def write_bundle(db_path: Path, out_dir: Path = DEFAULT_OUT) -> Bundle:
    """Export the warehouse at `db_path` as a bundle in `out_dir` (replacing an older one whole)."""
    t0 = time.perf_counter()
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path} — run `python -m pipeline build` first")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(out_dir)
    staging = _temp_name(out_dir, "staging")
    staging.mkdir()
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            from pipeline.warehouse.load import MEMORY_LIMIT

            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            info = build_info(con)
            columns = {name: describe(con, name) for name in TABLES}
            rows = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}
            for name in TABLES:
                write_parquet(con, staging, name)
                write_csv(con, staging, name, columns[name])
            about = meta.about_rows(con, info) + [
                ("cut", f"{t}: the first {XLSX_MAX_ROWS - 1:,} of {n:,} rows (Excel's limit); every row is in "
                        f"csv/{t}.csv and parquet/") for t, n in rows.items() if n >= XLSX_MAX_ROWS]
            write_xlsx(con, staging / XLSX_NAME, columns, about)
            indicator_files = meta.write_indicator_metadata(con, staging / "metadata")
            meta.write_readme(con, staging / "README.md", info, rows, indicator_files)
        finally:
            con.close()
        package = meta.write_datapackage(staging, info, columns, rows)
        check(staging, package, rows)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [p for p in out_dir.rglob("*") if p.is_file()]
    return Bundle(out_dir, package["version"], time.perf_counter() - t0, len(files),
                  sum(p.stat().st_size for p in files), rows)


def current_bundle(db_path: Path, out_dir: Path = DEFAULT_OUT) -> Path:
    """`out_dir` holding a bundle of the warehouse as it is now: reused when it was exported from
    the same build, (re)written otherwise."""
    out_dir = Path(out_dir)
    if not is_current(out_dir, db_path):
        write_bundle(db_path, out_dir)
    return out_dir


def zip_for_warehouse(db_path: Path, bundle_dir: Path = DEFAULT_OUT) -> bytes:
    """The bundle of the warehouse as it is now, as one zip: the exported bundle when it is from the
    current build, else one written to a temporary folder (the app never writes into data/curated/)."""
    if is_current(bundle_dir, db_path):
        return zip_bundle(bundle_dir)
    with tempfile.TemporaryDirectory() as tmp:
        return zip_bundle(write_bundle(db_path, Path(tmp) / "bundle").path)


def zip_bundle(bundle_dir: Path) -> bytes:
    """The whole bundle as one zip (a top folder named after its version), for one download."""
    bundle_dir = Path(bundle_dir)
    version = json.loads((bundle_dir / "datapackage.json").read_text(encoding="utf-8"))["version"]
    top = f"lkjip-bundle-{version}"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(bundle_dir.rglob("*")):
            if p.is_file():
                zf.write(p, f"{top}/{p.relative_to(bundle_dir).as_posix()}")
    return buf.getvalue()


BUILD_IDENTITY = ("build_id", "input_fingerprint", "built_at")


def bundle_build(bundle_dir: Path) -> dict | None:
    """Identity of the warehouse build a bundle was exported from (None: no readable bundle)."""
    try:
        build = json.loads((Path(bundle_dir) / "datapackage.json").read_text(encoding="utf-8"))["build"]
    except (FileNotFoundError, KeyError, ValueError):
        return None
    return {k: build.get(k) for k in BUILD_IDENTITY}


def is_current(bundle_dir: Path, db_path: Path) -> bool:
    """Was the bundle in bundle_dir exported from the warehouse's current build?"""
    build = _warehouse_build(Path(db_path))
    return any(build.values()) and bundle_build(bundle_dir) == build


def _warehouse_build(db_path: Path) -> dict:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        info = build_info(con)
    finally:
        con.close()
    return {k: info.get(k) for k in BUILD_IDENTITY}


# ---- reading the warehouse ----------------------------------------------------------------------

def build_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM build_info").fetchall())
    except duckdb.CatalogException:  # a warehouse from before build_info existed
        return {}


def describe(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    # DESCRIBE of a view says every column may be null; the contract's NOT NULLs live on the table
    return [Column(name, typ, null == "NO") for name, typ, null, *_ in con.execute(f"DESCRIBE {table}").fetchall()]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


# ---- writing the files --------------------------------------------------------------------------

def write_parquet(con: duckdb.DuckDBPyConnection, root: Path, table: str) -> None:
    """Parquet keeps every value and type exactly; partitioned tables get one folder per regency
    (`regency=<url-encoded name>/`, the column itself lives in the folder name, hive style)."""
    folder = root / "parquet"
    folder.mkdir(exist_ok=True)
    select = f"SELECT * FROM {table} ORDER BY {ORDER[table]}"
    if table in PARTITIONED:
        con.execute(f"COPY ({select}) TO {_literal(folder / table)} "
                    f"(FORMAT parquet, PARTITION_BY ({_q(PARTITIONED[table])}))")
    else:
        con.execute(f"COPY ({select}) TO {_literal(folder / (table + '.parquet'))} (FORMAT parquet)")


def csv_select(columns: list[Column]) -> str:
    """SELECT list writing a table for spreadsheets: lists as JSON text, timestamps in ISO 8601,
    text that a spreadsheet would run as a formula neutralised (see FORMULA_START)."""
    starts = ", ".join("'" + c.replace("'", "''") + "'" for c in FORMULA_START)
    parts = []
    for c in columns:
        col = _q(c.name)
        if c.type.endswith("[]"):
            parts.append(f"to_json({col}) AS {col}")
        elif c.type == "VARCHAR":
            parts.append(f"CASE WHEN left({col}, 1) IN ({starts}) THEN '''' || {col} ELSE {col} END AS {col}")
        elif c.type.startswith("TIMESTAMP"):
            parts.append(f"strftime({col}, '%Y-%m-%dT%H:%M:%S.%f') AS {col}")
        else:
            parts.append(col)
    return ", ".join(parts)


def write_csv(con: duckdb.DuckDBPyConnection, root: Path, table: str, columns: list[Column]) -> None:
    folder = root / "csv"
    folder.mkdir(exist_ok=True)
    con.execute(f"COPY (SELECT {csv_select(columns)} FROM {table} ORDER BY {ORDER[table]}) "
                f"TO {_literal(folder / (table + '.csv'))} (HEADER, DELIMITER ',', QUOTE '\"')")


def write_xlsx(con: duckdb.DuckDBPyConnection, path: Path, columns: dict[str, list[Column]],
               about: list[tuple[str, str]]) -> None:
    """One sheet per table after an 'about' sheet. Text stays text: openpyxl would store a
    string starting with '=' as a formula and '#N/A' & co. as error values, so those cells are
    typed as strings explicitly. (Most of an export's time is spent here, cell by cell.)"""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    errors = frozenset(ERROR_CODES)

    def cell(ws, value):
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        if value.__class__ is not str:
            return value
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > XLSX_CELL_MAX:
            value = value[: XLSX_CELL_MAX - 40] + " … [cut: full text in the CSV/Parquet]"
        if value[:1] == "=" or value in errors:
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"
            return c
        return value

    ws = wb.create_sheet("about")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    for key, value in about:
        ws.append([cell(ws, key), cell(ws, value)])
    for table in TABLES:
        ws = wb.create_sheet(table)
        ws.freeze_panes = "A2"
        ws.append([cell(ws, c.name) for c in columns[table]])
        cur = con.execute(f"SELECT * FROM {table} ORDER BY {ORDER[table]} LIMIT {XLSX_MAX_ROWS - 1}")
        while batch := cur.fetchmany(5000):
            for row in batch:
                ws.append([cell(ws, v) for v in row])
    wb.save(path)


# ---- checking and swapping in -------------------------------------------------------------------

def check(root: Path, package: dict, rows: dict[str, int]) -> None:
    """Before the bundle replaces anything: every described file exists with its size, and each
    table's CSV and Parquet hold as many rows as the warehouse."""
    problems = []
    for res in package["resources"]:
        paths = res["path"] if isinstance(res["path"], list) else [res["path"]]
        for p in paths:
            if not (root / p).is_file():
                problems.append(f"{p} is described in datapackage.json but missing")
        if len(paths) == 1 and (root / paths[0]).is_file() and (root / paths[0]).stat().st_size != res.get("bytes"):
            problems.append(f"{paths[0]} has {(root / paths[0]).stat().st_size} bytes, datapackage.json says {res.get('bytes')}")
    con = duckdb.connect()
    try:
        for res in package["resources"]:
            if res.get("format") == "parquet" and (root / res["path"]).is_file():
                got = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                                  f"read_parquet({_literal(root / res['path'])}, hive_partitioning = false))").fetchall()
                said = [(f["name"], f["duckdb_type"]) for f in res["schema"]["fields"]]
                if got != said:
                    diff = sorted(set(got) ^ set(said)) or "their order"
                    problems.append(f"{res['path']}: its columns and datapackage.json's differ in {diff}")
        for table, n in rows.items():
            got_csv = con.execute(f"SELECT count(*) FROM read_csv({_literal(root / 'csv' / (table + '.csv'))}, "
                                  "header = true, all_varchar = true)").fetchone()[0]
            got_parquet = con.execute(f"SELECT count(*) FROM read_parquet({_literal(parquet_glob(root, table))})").fetchone()[0] if n else 0
            if (got_csv, got_parquet) != (n, n):
                problems.append(f"{table}: warehouse {n} rows, CSV {got_csv}, Parquet {got_parquet}")
    finally:
        con.close()
    if problems:
        raise RuntimeError("bundle check failed, the previous bundle is unchanged:\n  " + "\n  ".join(problems))


def parquet_glob(root: Path, table: str) -> Path:
    """The Parquet file(s) of a table: a glob over the regency folders for partitioned tables."""
    if table in PARTITIONED:
        return Path(root) / "parquet" / table / "*" / "*.parquet"
    return Path(root) / "parquet" / f"{table}.parquet"


def _clean_stale(out_dir: Path) -> None:
    """Staging and set-aside folders left by exports that died (named with their process id)."""
    for p in out_dir.parent.glob(f".{out_dir.name}.*"):
        m = re.fullmatch(rf"\.{re.escape(out_dir.name)}\.(?:staging|old)-[0-9a-f]+-(\d+)", p.name)
        if not m or int(m[1]) == os.getpid():
            continue
        try:
            os.kill(int(m[1]), 0)
            continue  # that export is still running
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except PermissionError:
            continue


def _temp_name(out_dir: Path, kind: str) -> Path:
    # unique per call (two threads of one app may export at once), with the pid for _clean_stale
    return out_dir.with_name(f".{out_dir.name}.{kind}-{uuid.uuid4().hex[:8]}-{os.getpid()}")


def _swap_in(staging: Path, out_dir: Path) -> None:
    # Two renames: the good bundle steps aside, the new one takes its name, the old one goes.
    # A folder cannot be replaced in one atomic step, but at no moment is a partial bundle in place.
    old = _temp_name(out_dir, "old")
    if out_dir.exists():
        os.replace(out_dir, old)
    try:
        os.replace(staging, out_dir)
    except OSError:
        if out_dir.exists():  # a concurrent export swapped its complete bundle in first: keep that one
            shutil.rmtree(old, ignore_errors=True)
            return
        if old.exists():
            os.replace(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
