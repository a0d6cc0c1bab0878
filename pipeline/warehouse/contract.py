"""Data contract checks run on every new warehouse before it replaces the old one.

Column types, NOT NULLs and the closed vocabularies of kind, unit, method and status are enforced
by `sql/schema.sql`. The rules it does not say (values in their domain, every observation
traceable to a raw line) are declared once, in `observation_rules()`, as the SQL condition a
breaking row meets; `validate` counts breaking rows for every rule in one pass inside DuckDB, so
no table is read back into Python.
"""

from __future__ import annotations

import duckdb

PERIODS = ["annual", "Q1", "Q2", "Q3", "Q4", "S1", "S2"]
YEAR_RANGE = (1990, 2100)
MAX_ABS_VALUE = 1e15


class ContractError(RuntimeError):
    """The new warehouse breaks the data contract; it is not installed."""


def _in(values) -> str:
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def observation_rules() -> list[tuple[str, str]]:
    """(rule, SQL condition a *breaking* row meets)."""
    from pipeline.knowledge import indicators

    return [
        ("indicator in the dictionary", f"indicator IS NULL OR indicator NOT IN {_in(indicators())}"),
        ("period", f"period IS NULL OR period NOT IN {_in(PERIODS)}"),
        ("year in range", f"year IS NULL OR year NOT BETWEEN {YEAR_RANGE[0]} AND {YEAR_RANGE[1]}"),
        ("source_line >= 1", "source_line IS NULL OR source_line < 1"),
        ("source_text not empty", "source_text IS NULL OR length(source_text) < 1"),
        ("value finite and < 1e15", f"value IS NULL OR isnan(value) OR NOT (abs(value) < {MAX_ABS_VALUE})"),
        ("derived values need a formula", "method = 'derived' AND formula IS NULL"),
        ("achievements are percentages", "kind = 'achievement' AND unit IS DISTINCT FROM 'percent'"),
    ]


def _check_rules(con: duckdb.DuckDBPyConnection) -> None:
    rules = observation_rules()
    counts = con.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {cond})" for _, cond in rules) + " FROM observations"
    ).fetchone()
    broken = [(name, n, cond) for (name, cond), n in zip(rules, counts) if n]
    if broken:
        lines = []
        for name, n, cond in broken:
            sample = con.execute(
                f"SELECT obs_id, report_id, indicator, kind, year, value, unit, method, source_line FROM observations WHERE {cond} LIMIT 5"
            ).fetchall()
            lines.append(f"  {name}: {n} rows, e.g. {sample}")
        raise ContractError("observations break the contract:\n" + "\n".join(lines))


def validate(con: duckdb.DuckDBPyConnection) -> None:
    _check_rules(con)
    bad_lines = con.execute(
        """SELECT count(*) FROM observations o JOIN reports r USING (report_id)
           WHERE o.source_line > r.n_lines"""
    ).fetchone()[0]
    if bad_lines:
        raise ContractError(f"{bad_lines} observations cite a line beyond the end of their report")
    dup = con.execute(
        "SELECT count(*) FROM (SELECT regency, indicator, scope, year, period, kind, count(*) n FROM headline GROUP BY ALL HAVING n > 1)"
    ).fetchone()[0]
    if dup:
        raise ContractError("the headline view returns more than one row for a key")
