"""Data contract checks run on every new warehouse before it replaces the old one.

Column types and NOT NULLs are enforced by `sql/schema.sql`. The rules a schema cannot say
(values in their domain, every observation traceable to a raw line) are written once, in
`observation_schema()` (pandera); `validate` checks every row against the same rules in SQL
inside DuckDB (no table is read back into Python), and runs the pandera schema itself on a
bounded sample of rows when `pandera_sample` > 0 (pandas + pandera cost ~0.7 s to import).
"""

from __future__ import annotations

import duckdb

PERIODS = ["annual", "Q1", "Q2", "Q3", "Q4", "S1", "S2"]
KINDS = ["actual", "target", "achievement"]
METHODS = ["table", "narrative", "derived", "curated"]
STATUSES = ["ok", "conflict", "mismatch"]
YEAR_RANGE = (1990, 2100)
MAX_ABS_VALUE = 1e15
PANDERA_SAMPLE = 0  # rows of observations validated with pandera as well (0: SQL checks only)


class ContractError(RuntimeError):
    """The new warehouse breaks the data contract; it is not installed."""


def observation_schema():
    import pandera.pandas as pa

    from pipeline.knowledge import indicators

    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(list(indicators()))),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
            "period": pa.Column(str, pa.Check.isin(PERIODS)),
            "year": pa.Column(int, pa.Check.in_range(*YEAR_RANGE)),
            "source_line": pa.Column(int, pa.Check.ge(1)),
            "source_text": pa.Column(str, pa.Check.str_length(min_value=1)),
            "value": pa.Column(float, pa.Check(lambda s: s.notna() & (s.abs() < MAX_ABS_VALUE), element_wise=False)),
            "method": pa.Column(str, pa.Check.isin(METHODS)),
            "status": pa.Column(str, pa.Check.isin(STATUSES)),
        },
        checks=[
            pa.Check(lambda df: (df["method"] != "derived") | df["formula"].notna(), error="derived values need a formula"),
            pa.Check(lambda df: ~((df["kind"] == "achievement") & (df["unit"] != "percent")), error="achievements are percentages"),
        ],
        strict=False,
        coerce=True,
    )


def _in(values) -> str:
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def observation_rules() -> list[tuple[str, str]]:
    """(rule, SQL condition a *breaking* row meets) — `observation_schema()` as SQL."""
    from pipeline.knowledge import indicators

    return [
        ("indicator in the dictionary", f"indicator IS NULL OR indicator NOT IN {_in(indicators())}"),
        ("kind", f"kind IS NULL OR kind NOT IN {_in(KINDS)}"),
        ("period", f"period IS NULL OR period NOT IN {_in(PERIODS)}"),
        ("year in range", f"year IS NULL OR year NOT BETWEEN {YEAR_RANGE[0]} AND {YEAR_RANGE[1]}"),
        ("source_line >= 1", "source_line IS NULL OR source_line < 1"),
        ("source_text not empty", "source_text IS NULL OR length(source_text) < 1"),
        ("value finite and < 1e15", f"value IS NULL OR isnan(value) OR NOT (abs(value) < {MAX_ABS_VALUE})"),
        ("method", f"method IS NULL OR method NOT IN {_in(METHODS)}"),
        ("status", f"status IS NULL OR status NOT IN {_in(STATUSES)}"),
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


def _check_pandera_sample(con: duckdb.DuckDBPyConnection, rows: int) -> None:
    import pandera.pandas as pa

    df = con.execute(f"SELECT * FROM observations USING SAMPLE {int(rows)} ROWS").df()
    if not df.empty:
        try:
            observation_schema().validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise ContractError(f"observations break the contract:\n{exc.failure_cases.head(20)}") from exc


def validate(con: duckdb.DuckDBPyConnection, pandera_sample: int | None = None) -> None:
    _check_rules(con)
    sample = PANDERA_SAMPLE if pandera_sample is None else pandera_sample
    if sample > 0:
        _check_pandera_sample(con, sample)
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
