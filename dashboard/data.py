"""Read-only access to the warehouse, cached per warehouse snapshot.

Every query is a constant SQL string with `?` parameters: nothing a user types is pasted into SQL.
Each cache miss opens a short-lived read-only connection and closes it, so a rebuild that swaps the
warehouse file while the app runs never blocks the pipeline's writer and is picked up by the next
page run.

A page run reads one snapshot. The snapshot is named by the warehouse's own `build_info` (read on
the same connection as the data — DuckDB shares one open instance per path within a process, so
a file's mtime can name a newer file than the one a connection reads). `begin_run()` (app.py calls
it first) lets the next query pin the snapshot for the run; a cache miss that finds a different
warehouse behind the path restarts the run, so no page shows values from two builds.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipeline.raw.decode import read_report

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = Path(os.environ.get("LKJIP_DB", ROOT / "data/curated/warehouse.duckdb"))
RAW_DIR = Path(os.environ.get("LKJIP_RAW", ROOT / "data/raw"))
SNAPSHOT = "_warehouse_snapshot"  # session-state key: the snapshot this run reads

OBS_COLUMNS = """regency, indicator, scope, scope_level, year, period, kind, value, unit, method, status, status_reason, definition,
    formula, label, section, table_id, source_file, source_line, source_page, source_text"""


class WarehouseMissing(RuntimeError):
    pass


class SnapshotChanged(RuntimeError):
    """The warehouse was swapped during a page run."""


def _connect() -> duckdb.DuckDBPyConnection:
    for attempt in (1, 2, 3):
        if not DB_PATH.exists():
            raise WarehouseMissing(str(DB_PATH))
        try:
            return duckdb.connect(str(DB_PATH), read_only=True)
        except duckdb.IOException:
            if attempt == 3:
                raise  # the file was being swapped; a second open sees the new one
    raise AssertionError("unreachable")


def snapshot_of(con: duckdb.DuckDBPyConnection) -> str:
    """Which build this connection reads (build_info names it: id, inputs, time)."""
    try:
        row = con.execute("SELECT string_agg(key || '=' || value, ';' ORDER BY key) FROM build_info").fetchone()
    except duckdb.Error:
        row = None
    return (row[0] if row else None) or "unknown"


def current_snapshot() -> str:
    con = _connect()
    try:
        return snapshot_of(con)
    finally:
        con.close()


def _in_run() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return get_script_run_ctx() is not None


def begin_run() -> None:
    """A new page run: its first query pins the warehouse snapshot it reads."""
    st.session_state[SNAPSHOT] = None


def _pinned() -> str:
    if not _in_run():
        return current_snapshot()
    if st.session_state.get(SNAPSHOT) is None:
        st.session_state[SNAPSHOT] = current_snapshot()
    return st.session_state[SNAPSHOT]


@st.cache_data(show_spinner=False, max_entries=512)
def _run(sql: str, params: tuple, snapshot: str) -> pd.DataFrame:
    args = [list(p) if isinstance(p, tuple) else p for p in params]
    con = _connect()
    try:
        if snapshot_of(con) != snapshot:
            raise SnapshotChanged(snapshot)
        return con.execute(sql, args).df()
    finally:
        con.close()


def query(sql: str, *params) -> pd.DataFrame:
    """Run a constant query with positional parameters (lists as tuples). Cached per snapshot."""
    params = tuple(tuple(p) if isinstance(p, list) else p for p in params)
    try:
        return _run(sql, params, _pinned())
    except SnapshotChanged:
        if _in_run():  # start the page again on the new warehouse rather than mix two
            st.session_state[SNAPSHOT] = None
            st.rerun()
        return _run(sql, params, current_snapshot())


# ---- what the pages read -------------------------------------------------------------------

def reports() -> pd.DataFrame:
    """One row per report, ordered by how a reader looks a name up (see `areas.sort_key`)."""
    from dashboard.areas import sort_key

    df = query("""SELECT report_id, source_file, original_name, regency, area_type, area_code, province, agency,
                         report_year, period, n_lines, encoding, source_kind, text_file, n_pages, coverage,
                         n_observations, n_conflicts, n_warnings, sha256, parsed_at
                  FROM reports ORDER BY regency, report_year""")
    return df.iloc[sorted(range(len(df)), key=lambda i: sort_key(df["regency"].iloc[i], df["area_type"].iloc[i]))] \
        .reset_index(drop=True)


def indicators() -> pd.DataFrame:
    return query("SELECT * FROM indicators")


def headline(indicator_ids: list[str], regencies: list[str], scope: str | None = "total") -> pd.DataFrame:
    """Chosen values (see the headline rule in README) for the given indicators and regencies,
    with `disagrees` / `minor_disagreement` / `also_stated` / `related` from dashboard/trust.py:
    whether the report states a different value for the same thing, or only related figures."""
    return _marked(tuple(indicator_ids), tuple(regencies), scope, _pinned())


@st.cache_data(show_spinner=False, max_entries=256)
def _marked(indicator_ids: tuple, regencies: tuple, scope: str | None, snapshot: str) -> pd.DataFrame:
    from dashboard.trust import mark

    head = query(f"""SELECT {OBS_COLUMNS}, n_candidates, has_conflict, has_suspect FROM headline
                     WHERE list_contains(?, indicator) AND list_contains(?, regency)
                       AND (? IS NULL OR scope = ?)
                     ORDER BY regency, indicator, year, period, kind""",
                 list(indicator_ids), list(regencies), scope, scope)
    if not head["has_conflict"].fillna(False).any():
        return mark(head, None)
    return mark(head, observations(list(indicator_ids), list(regencies)))


def observations(indicator_ids: list[str], regencies: list[str]) -> pd.DataFrame:
    """Every candidate, chosen or not (for reported-vs-recomputed views and the sources tab)."""
    return query(f"""SELECT {OBS_COLUMNS}, obs_id FROM observations
                     WHERE list_contains(?, indicator) AND list_contains(?, regency)
                     ORDER BY regency, indicator, year, period, kind, source_line""",
                 indicator_ids, regencies)


def all_observations() -> pd.DataFrame:
    return query(f"SELECT {OBS_COLUMNS}, obs_id FROM observations ORDER BY regency, indicator, year, source_line")


def conflicts(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT c.regency, c.indicator, c.scope, c.year, c.period, c.kind, c.n_candidates, c.chosen_value,
                           c.values, c.lines, c.reason, r.source_file
                    FROM conflicts c JOIN reports r USING (report_id)
                    WHERE list_contains(?, c.regency) ORDER BY c.regency, c.indicator, c.year, c.kind""", regencies)


def mismatches(regencies: list[str]) -> pd.DataFrame:
    return query(f"""SELECT {OBS_COLUMNS} FROM observations
                     WHERE status = 'mismatch' AND list_contains(?, regency)
                     ORDER BY regency, indicator, year, source_line""", regencies)


def warnings(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT r.regency, w.source_file, w.severity, w.code, w.message, w.source_line, w.source_page
                    FROM warnings w LEFT JOIN reports r USING (report_id)
                    WHERE r.regency IS NULL OR list_contains(?, r.regency)
                    ORDER BY w.source_file, w.source_line""", regencies)


def budget_lines(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, year, period, level, code, name, programme, parent, pagu, realisasi,
                           absorption_stated, absorption_computed, source_file, source_line, source_page, source_text, section
                    FROM budget_lines WHERE list_contains(?, regency)
                    ORDER BY regency, year, source_line""", regencies)


def indicator_rows(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, section, goal, indicator_text, canonical_indicator, unit_text, year, period,
                           target_text, target_value, actual_text, actual_value, achievement_text,
                           achievement_value, category, table_id, source_file, source_line, source_page, source_text
                    FROM indicator_rows WHERE list_contains(?, regency)
                    ORDER BY regency, source_line""", regencies)


def training_courses(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, year, course, packages, participants, passed, certified, funding, method,
                           source_file, source_line, source_page, source_text
                    FROM training_courses WHERE list_contains(?, regency)
                    ORDER BY regency, source_line""", regencies)


def context_values(indicator_id: str, regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency AS reported_by, geography, geography_level, indicator, year, period, value, unit,
                           source_file, source_line, source_page, source_text
                    FROM context_values WHERE indicator = ? AND list_contains(?, regency)
                    ORDER BY reported_by, geography_level, geography, year""", indicator_id, regencies)


# ---- raw text, only to show a cited line in context -----------------------------------------
#
# A text report is read from data/raw/ exactly as the pipeline decoded it. A PDF report is never
# parsed again here: its citations count lines of the text the build extracted and stored
# (reports.text_file, relative to the warehouse's folder), so that stored file is what is shown.

@st.cache_data(show_spinner=False, max_entries=32)
def _raw(path: str, mtime_ns: int, size: int) -> tuple[list[str], str]:
    # decoded and split exactly as the pipeline did, so cited line numbers point at the same text
    raw = read_report(Path(path))
    return list(raw.lines), raw.sha256


@st.cache_data(show_spinner=False, max_entries=32)
def _stored_text(path: str, mtime_ns: int, size: int) -> list[str]:
    text = Path(path).read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def _report_row(source_file: str) -> pd.Series:
    known = reports()
    row = known[known["source_file"] == source_file]
    if row.empty:  # only files listed in `reports` are served
        raise KeyError(source_file)
    return row.iloc[0]


def is_pdf(source_file: str) -> bool:
    return _report_row(source_file).get("source_kind") == "pdf"


def _text_path(row: pd.Series) -> Path:
    text_file = Path(str(row["text_file"]))
    path = (DB_PATH.parent / text_file).resolve()
    if text_file.is_absolute() or DB_PATH.parent.resolve() not in path.parents:
        raise KeyError(str(text_file))  # the warehouse names a file outside its own folder: refuse
    return path


def raw_lines(source_file: str) -> list[str]:
    """Lines of a report as the pipeline read them (1-based line n is item n-1): the raw text
    file, or for a PDF the text the build extracted from it. A PDF's page breaks are form feeds
    at the start of a page's first line."""
    row = _report_row(source_file)
    if row.get("source_kind") == "pdf":
        path = _text_path(row)
        s = path.stat()
        return _stored_text(str(path), s.st_mtime_ns, s.st_size)
    path = RAW_DIR / source_file
    s = path.stat()
    return _raw(str(path), s.st_mtime_ns, s.st_size)[0]


def text_file_of(source_file: str) -> str:
    """Where the text of a PDF report is kept (relative to the warehouse's folder)."""
    return str(_report_row(source_file).get("text_file") or "")


def page_of_lines(lines: list[str]) -> list[int]:
    """1-based page of each line: one more than the form feeds above it (and on it)."""
    out, page = [], 1
    for i, line in enumerate(lines):
        if i and line.startswith("\f"):
            page += 1
        out.append(page)
    return out


def raw_changed(source_file: str) -> bool:
    """Has the raw file changed since the warehouse read it? Then its cited line numbers may point
    at other text (the sha256 recorded in `reports` no longer matches the file). A PDF's cited
    text is the build's own stored extraction, which cannot drift from its citations."""
    row = _report_row(source_file)
    if row.get("source_kind") == "pdf":
        return False
    path = RAW_DIR / source_file
    s = path.stat()
    return _raw(str(path), s.st_mtime_ns, s.st_size)[1] != row["sha256"]


# ---- the research data bundle (`python -m pipeline export`) ----------------------------------

BUNDLE_DIR = Path(os.environ.get("LKJIP_BUNDLE", ROOT / "data/curated/bundle"))


def build_info() -> dict[str, str]:
    """When and from what the warehouse was built (its `build_info` table)."""
    df = query("SELECT key, value FROM build_info")
    return dict(zip(df["key"], df["value"]))


def bundle_file_name(info: dict[str, str]) -> str:
    from pipeline.warehouse.bundle_metadata import version

    return f"lkjip-bundle-{version(info)}.zip"


@lru_cache(maxsize=1)
def _bundle_zip(db_path: str, bundle_dir: str, snapshot: str) -> bytes:
    from pipeline.warehouse.bundle import zip_for_warehouse

    return zip_for_warehouse(Path(db_path), Path(bundle_dir))


def bundle_zip() -> bytes:
    """The research bundle of the current warehouse as one zip. Streamlit calls this when the reader
    clicks the download, in a thread outside the page run, so the snapshot is read afresh; one zip
    is kept per warehouse build (not in st.cache_data: there is no session in that thread)."""
    return _bundle_zip(str(DB_PATH), str(BUNDLE_DIR), current_snapshot())
