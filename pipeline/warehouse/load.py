"""Write the warehouse: a new DuckDB file next to the old one, checked, then swapped in.

Rows stream in report by report (`WarehouseWriter.add`) and are inserted in batches (one
NumPy object array per column, which DuckDB scans and casts to the schema's types; no
pandas, and pyarrow would import pandas), so a build holds at most one batch of rows in
memory whatever the number of reports. A
build that fails at any point leaves the previous warehouse untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipeline.warehouse.contract import validate

SQL_DIR = Path(__file__).parent / "sql"
TABLES = [
    "reports", "observations", "conflicts", "budget_lines", "indicator_rows",
    "training_courses", "context_values", "tables_found", "warnings",
]
BATCH_ROWS = 20_000  # rows buffered (over all tables) before they are inserted
# DuckDB's buffer pool defaults to 80% of RAM and keeps every written block cached, so a
# build's memory grew with the warehouse; capped, DuckDB evicts (and spills sorts to disk)
MEMORY_LIMIT = "256MB"

def indicator_rows() -> list[dict]:
    from pipeline.knowledge import indicators

    return [
        {
            "indicator": i.id, "unit": "count" if i.unit == "packages" else i.unit, "better": i.better,
            "headline": i.headline, "title_en": i.title["en"], "title_id": i.title["id"],
            "short_en": i.short["en"], "short_id": i.short["id"],
            "description_en": i.description["en"], "description_id": i.description["id"],
        }
        for i in indicators().values()
    ]


def temp_path(db_path: Path, pid: int) -> Path:
    """Where build `pid` writes the new warehouse (beside the old one: the swap must be a rename
    on one file system). `pipeline.build.clean_stale` removes those of builds that died."""
    return db_path.with_name(f".{db_path.name}.{pid}.tmp")


class WarehouseWriter:
    """A new warehouse in a temporary file: `add` each report's result, then `finish` (checks
    the contract and swaps the file in) or `abort` (removes it)."""

    def __init__(self, db_path: Path, batch_rows: int = BATCH_ROWS):
        self.db_path = db_path
        self.batch_rows = batch_rows
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = temp_path(db_path, os.getpid())
        for leftover in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        self.con = duckdb.connect(str(self.tmp))
        try:
            self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            self.con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
            self.columns = {
                name: {r[0]: r[1] for r in self.con.execute(f"DESCRIBE {name}").fetchall()}
                for name in [*TABLES, "indicators"]
            }
        except BaseException:
            self.abort()
            raise
        self.buffers: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.buffered = 0
        self.n_observations = 0
        self.n_conflicts = 0

    def add(self, result) -> None:
        """Queue one report's rows (ids continue from the previous report's)."""
        self._queue("reports", [result.report])
        obs = result.observations
        for k, o in enumerate(obs, start=self.n_observations + 1):
            o["obs_id"] = k
        self.n_observations += len(obs)
        for k, c in enumerate(result.conflicts, start=self.n_conflicts + 1):
            c["conflict_id"] = k
        self.n_conflicts += len(result.conflicts)
        for t in TABLES[1:]:
            self._queue(t, getattr(result, t))
        if self.buffered >= self.batch_rows:
            self.flush()

    def _queue(self, table: str, rows: list[dict]) -> None:
        if rows:
            self.buffers[table].extend(rows)
            self.buffered += len(rows)

    def flush(self) -> None:
        for name in TABLES:  # reports first: the other tables reference them
            rows = self.buffers[name]
            if rows:
                self._insert(name, rows)
                self.buffers[name] = []
        self.buffered = 0

    def _insert(self, name: str, rows: list[dict]) -> None:
        import numpy as np

        present: dict[str, None] = {}
        for r in rows:
            present.update(dict.fromkeys(r))
        incoming = {}
        for c in self.columns[name]:
            if c in present:
                # fromiter keeps each value (even a list) as one object
                incoming[c] = np.fromiter((r.get(c) for r in rows), dtype=object, count=len(rows))
        self.con.register("incoming", incoming)
        try:
            cols = ", ".join(f'"{c}"' for c in incoming)
            self.con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM incoming")
        finally:
            self.con.unregister("incoming")

    def finish(self, file_warnings: list[dict], build_info: dict[str, str]) -> None:
        """Seal the new warehouse and swap it in (what a build without exports does)."""
        self.seal(file_warnings, build_info)
        self.swap()

    def seal(self, file_warnings: list[dict], build_info: dict[str, str]) -> None:
        """Everything but the swap: the temporary file is complete, checked and closed, so the
        exports can be written from it before either replaces the previous result."""
        try:
            self._queue("warnings", file_warnings)
            self.flush()
            self._insert("indicators", indicator_rows())
            self.con.executemany("INSERT INTO build_info VALUES (?, ?)", list(build_info.items()))
            self.con.execute((SQL_DIR / "headline.sql").read_text(encoding="utf-8"))
            validate(self.con)
            self.con.execute("CHECKPOINT")
            self.con.close()
        except BaseException:
            self.abort()
            raise

    def swap(self) -> None:
        try:
            os.replace(self.tmp, self.db_path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - already closed or never opened
            pass
        for leftover in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def write_warehouse(db_path: Path, results: list, file_warnings: list[dict], build_info: dict[str, str]) -> None:
    """All results at once (tests, small builds): the same path as the streaming build."""
    writer = WarehouseWriter(db_path)
    try:
        for r in results:
            writer.add(r)
    except BaseException:
        writer.abort()
        raise
    writer.finish(file_warnings, build_info)


def read_build_info(db_path: Path) -> dict[str, str]:
    if not db_path.exists():
        return {}
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            return dict(con.execute("SELECT key, value FROM build_info").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return {}
