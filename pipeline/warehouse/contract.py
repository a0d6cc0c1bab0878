"""Data contract checks run on every new warehouse before it replaces the old one.

Column types and NOT NULLs are enforced by `sql/schema.sql`; pandera checks the rules a
schema cannot say (values in their domain, every observation traceable to a raw line).
"""

from __future__ import annotations

import duckdb
import pandera.pandas as pa

from pipeline.knowledge import indicators

PERIODS = ["annual", "Q1", "Q2", "Q3", "Q4", "S1", "S2"]


class ContractError(RuntimeError):
    """The new warehouse breaks the data contract; it is not installed."""


def observation_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(list(indicators()))),
            "kind": pa.Column(str, pa.Check.isin(["actual", "target", "achievement"])),
            "period": pa.Column(str, pa.Check.isin(PERIODS)),
            "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
            "source_line": pa.Column(int, pa.Check.ge(1)),
            "source_text": pa.Column(str, pa.Check.str_length(min_value=1)),
            "value": pa.Column(float, pa.Check(lambda s: s.notna() & (s.abs() < 1e15), element_wise=False)),
            "method": pa.Column(str, pa.Check.isin(["table", "narrative", "derived", "curated"])),
            "status": pa.Column(str, pa.Check.isin(["ok", "conflict", "mismatch"])),
        },
        checks=[
            pa.Check(lambda df: (df["method"] != "derived") | df["formula"].notna(), error="derived values need a formula"),
            pa.Check(lambda df: ~((df["kind"] == "achievement") & (df["unit"] != "percent")), error="achievements are percentages"),
        ],
        strict=False,
        coerce=True,
    )


def validate(con: duckdb.DuckDBPyConnection) -> None:
    df = con.execute("SELECT * FROM observations").df()
    if not df.empty:
        try:
            observation_schema().validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise ContractError(f"observations break the contract:\n{exc.failure_cases.head(20)}") from exc
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
