"""Read-only access to the warehouse, cached per warehouse version.

Every query is a constant SQL string with `?` parameters: nothing a user types is pasted into SQL.
Each call opens a short-lived read-only connection and closes it, so a rebuild that swaps the
warehouse file while the app runs is picked up on the next query (the cache key includes the
file's mtime and size) and never blocks the pipeline's writer.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipeline.raw.decode import read_report

ROOT = Path(__file__).resolve().parent.parent
DB_PATH = Path(os.environ.get("LKJIP_DB", ROOT / "data/curated/warehouse.duckdb"))
RAW_DIR = Path(os.environ.get("LKJIP_RAW", ROOT / "data/raw"))

OBS_COLUMNS = """regency, indicator, scope, scope_level, year, period, kind, value, unit, method, status, definition,
    formula, label, section, source_file, source_line, source_text"""


class WarehouseMissing(RuntimeError):
    pass


def version() -> tuple[int, int]:
    """Identity of the current warehouse file; changes when a rebuild swaps it in."""
    try:
        s = DB_PATH.stat()
    except FileNotFoundError:
        raise WarehouseMissing(str(DB_PATH)) from None
    return (s.st_mtime_ns, s.st_size)


@st.cache_data(show_spinner=False, max_entries=512)
def _run(sql: str, params: tuple, warehouse_version: tuple[int, int]) -> pd.DataFrame:
    args = [list(p) if isinstance(p, tuple) else p for p in params]
    for attempt in (1, 2):
        try:
            con = duckdb.connect(str(DB_PATH), read_only=True)
        except duckdb.IOException:
            if attempt == 2:
                raise
            continue  # the file was being swapped; the second open sees the new one
        try:
            return con.execute(sql, args).df()
        finally:
            con.close()
    raise AssertionError("unreachable")


def query(sql: str, *params) -> pd.DataFrame:
    """Run a constant query with positional parameters (lists as tuples). Cached per warehouse version."""
    return _run(sql, tuple(tuple(p) if isinstance(p, list) else p for p in params), version())


# ---- what the pages read -------------------------------------------------------------------

def reports() -> pd.DataFrame:
    return query("""SELECT report_id, source_file, original_name, regency, province, agency, report_year, period,
                           n_lines, encoding, n_observations, n_conflicts, n_warnings, sha256, parsed_at
                    FROM reports ORDER BY regency, report_year""")


def indicators() -> pd.DataFrame:
    return query("SELECT * FROM indicators")


def headline(indicator_ids: list[str], regencies: list[str], scope: str | None = "total") -> pd.DataFrame:
    """Chosen values (see the headline rule in README) for the given indicators and regencies."""
    return query(f"""SELECT {OBS_COLUMNS}, n_candidates, has_conflict FROM headline
                     WHERE list_contains(?, indicator) AND list_contains(?, regency)
                       AND (? IS NULL OR scope = ?)
                     ORDER BY regency, indicator, year, period, kind""",
                 indicator_ids, regencies, scope, scope)


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
    return query("""SELECT r.regency, w.source_file, w.severity, w.code, w.message, w.source_line
                    FROM warnings w LEFT JOIN reports r USING (report_id)
                    WHERE r.regency IS NULL OR list_contains(?, r.regency)
                    ORDER BY w.source_file, w.source_line""", regencies)


def budget_lines(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, year, period, level, code, name, programme, parent, pagu, realisasi,
                           absorption_stated, absorption_computed, source_file, source_line, source_text, section
                    FROM budget_lines WHERE list_contains(?, regency)
                    ORDER BY regency, year, source_line""", regencies)


def indicator_rows(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, section, goal, indicator_text, canonical_indicator, unit_text, year, period,
                           target_text, target_value, actual_text, actual_value, achievement_text,
                           achievement_value, category, source_file, source_line, source_text
                    FROM indicator_rows WHERE list_contains(?, regency)
                    ORDER BY regency, source_line""", regencies)


def training_courses(regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency, year, course, packages, participants, passed, certified, funding, method,
                           source_file, source_line, source_text
                    FROM training_courses WHERE list_contains(?, regency)
                    ORDER BY regency, source_line""", regencies)


def context_values(indicator_id: str, regencies: list[str]) -> pd.DataFrame:
    return query("""SELECT regency AS reported_by, geography, geography_level, indicator, year, period, value, unit,
                           source_file, source_line, source_text
                    FROM context_values WHERE indicator = ? AND list_contains(?, regency)
                    ORDER BY reported_by, geography_level, geography, year""", indicator_id, regencies)


# ---- raw text, only to show a cited line in context -----------------------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def _raw_lines(path: str, mtime_ns: int) -> list[str]:
    # decoded and split exactly as the pipeline did, so cited line numbers point at the same text
    return list(read_report(Path(path)).lines)


def raw_lines(source_file: str) -> list[str]:
    """Lines of a raw report (1-based line n is item n-1). Only files listed in `reports` are served."""
    known = set(reports()["source_file"])
    if source_file not in known:
        raise KeyError(source_file)
    path = RAW_DIR / source_file
    return _raw_lines(str(path), path.stat().st_mtime_ns)
