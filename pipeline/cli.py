"""Command line: `python -m pipeline build [--raw data/raw] [--db data/curated/warehouse.duckdb]`.

A thin layer over `pipeline.build.run`; tests call the library directly.
"""

from __future__ import annotations

import json

import sys
from collections import Counter
from pathlib import Path

import duckdb
import typer
from rich.console import Console
from rich.markup import escape

from pipeline.build import Budget, NothingToBuild, discover, run
from pipeline.housekeeping import BuildLocked

app = typer.Typer(add_completion=False, help="LKjIP reports -> provenance-tracked DuckDB warehouse.", no_args_is_help=True)
console = Console(stderr=False)
err = Console(stderr=True)

DEFAULT_RAW = Path("data/raw")
DEFAULT_DB = Path("data/curated/warehouse.duckdb")
SHORT = {
    "tpt": "TPT", "unemployed_persons": "unemp", "labour_force": "LF", "job_seekers_registered": "seekers",
    "vacancies_registered": "vac", "placements": "placed", "placement_rate": "plc%", "training_participants": "trained",
    "training_packages": "pkgs", "training_certified": "cert", "budget_allocated": "pagu", "budget_realized": "real",
    "budget_absorption": "abs%", "disputes_registered": "disp", "disputes_resolved": "resolved",
    "disputes_resolved_rate": "res%",
}


@app.command()
def build(
    raw: Path = typer.Option(DEFAULT_RAW, "--raw", help="Folder of raw report files."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="Warehouse file to (re)build."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if nothing changed."),
    workers: int = typer.Option(0, "--workers", help="Processes for many reports (0 = all cores)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary."),
    max_seconds: float = typer.Option(Budget.seconds, "--max-seconds", help="Time budget per report; a slower one is skipped."),
    max_mb: float = typer.Option(Budget.bytes / 1e6, "--max-mb", help="Size budget per report file (MB); a bigger one is skipped."),
    wait: float = typer.Option(None, "--wait", help="Seconds to wait for a build already running into DB (default: until it ends)."),
) -> None:
    """Read every report in RAW and (re)build the warehouse DB, then the Parquet/CSV exports."""
    try:
        n = len(discover(raw))
    except NothingToBuild as exc:
        err.print(f"[red]✗ {exc}[/red]")
        raise typer.Exit(1)
    with _progress_bar(quiet or not err.is_terminal) as progress:
        task = progress.add_task("reports", total=n)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=name)
            if not err.is_terminal and not quiet:
                err.print(f"  read {name}")

        try:
            outcome = run(raw, db, force=force, workers=workers or None, on_progress=step,
                          budget=Budget(seconds=max_seconds, bytes=int(max_mb * 1e6)),
                          on_wait=lambda msg: err.print(f"[yellow]… {msg}[/yellow]"), lock_timeout=wait)
        except NothingToBuild as exc:
            err.print(f"[red]✗ nothing usable to build — the previous warehouse is unchanged.[/red]\n  {escape(str(exc))}")
            raise typer.Exit(1)
        except BuildLocked as exc:
            err.print(f"[red]✗ {escape(str(exc))} — nothing was changed.[/red]")
            raise typer.Exit(2)
        except (OSError, duckdb.IOException) as exc:  # the warehouse folder: missing rights, disk full
            err.print(f"[red]✗ cannot write {escape(str(db))} ({escape(str(exc))}) — the previous warehouse is unchanged.[/red]")
            raise typer.Exit(1)
    for p in outcome.problems if outcome.up_to_date else ():  # manifest problems are news even then
        err.print(f"[yellow]! {escape(p.file)}: {escape(p.message)}[/yellow]")
    if outcome.up_to_date:
        repaired = " — its Parquet/CSV exports were stale or missing and have been rewritten" if outcome.exports_repaired else ""
        console.print(f"[green]✓ {db} is up to date[/green] (no report or pipeline code changed; --force rebuilds){repaired} "
                      f"[dim]{outcome.seconds:.2f}s[/dim]")
        _summary(db)
        return
    for p in outcome.problems:
        colour = "red" if p.severity == "error" else "yellow"
        err.print(f"[{colour}]{'✗' if p.severity == 'error' else '!'} {escape(p.file)}: {escape(p.message)}[/{colour}]")
    console.print(f"[green]✓ built {db}[/green] from {len(outcome.results)} report(s)"
                  f" ({outcome.cached} from cache) in {outcome.seconds:.2f}s; exports in {db.parent}/")
    _summary(db)


class _NoProgress:
    """Stands in for rich's Progress when no bar is shown (saves importing rich.progress)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def add_task(self, *args, **kwargs) -> int:
        return 0

    def update(self, *args, **kwargs) -> None:
        return None


def _progress_bar(disable: bool):
    if disable:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]reading[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=True)


def _summary(db: Path) -> None:
    from rich.table import Table

    con = duckdb.connect(str(db), read_only=True)
    try:
        reports = con.execute(
            "SELECT report_id, source_file, regency, province, report_year, period, n_conflicts, n_warnings FROM reports ORDER BY regency"
        ).fetchall()
        counts = con.execute(
            "SELECT report_id, indicator, count(*) FROM observations WHERE method <> 'derived' GROUP BY ALL"
        ).fetchall()
        mismatches = dict(con.execute("SELECT report_id, count(*) FROM observations WHERE status = 'mismatch' GROUP BY ALL").fetchall())
        skipped = con.execute("SELECT source_file, message, severity FROM warnings WHERE report_id IS NULL").fetchall()
        coverage = dict(con.execute("SELECT report_id, coverage FROM reports").fetchall())
        low = con.execute("SELECT w.source_file, w.message FROM warnings w WHERE w.code = 'low_coverage' "
                          "ORDER BY w.source_file").fetchall()
    finally:
        con.close()
    by_report: dict[str, Counter] = {}
    for rid, ind, n in counts:
        by_report.setdefault(rid, Counter())[ind] = n
    table = Table(title="Warehouse summary", show_lines=False)
    for col in ("regency", "province", "year", "period", "observations per indicator", "headline", "conflicts", "mismatches", "warnings"):
        table.add_column(col, overflow="fold")
    for rid, src, regency, province, year, period, n_conf, n_warn in reports:
        c = by_report.get(rid, Counter())
        per = " ".join(f"{SHORT.get(k, k)}:{v}" for k, v in sorted(c.items(), key=lambda kv: list(SHORT).index(kv[0]) if kv[0] in SHORT else 99))
        cover = json.loads(coverage.get(rid) or "{}")
        n_yield, n_all = len(cover.get("yielded", [])), len(cover.get("yielded", [])) + len(cover.get("missing", []))
        headline = f"[bold red]{n_yield}/{n_all} LOW[/bold red]" if cover.get("low") else f"{n_yield}/{n_all}"
        # names come from files: escaped, so a '[' in them is text, not rich markup
        table.add_row(escape(regency), escape(province or "?"), str(year), period, per, headline, str(n_conf),
                      str(mismatches.get(rid, 0)), str(n_warn))
    console.print(table)
    for src, msg in low:
        console.print(f"[bold red]! {escape(src)}: {escape(msg)}[/bold red]")
    for src, msg, severity in skipped:  # a file-level warning (e.g. the same period twice) was loaded all the same
        console.print(f"[yellow]{'skipped' if severity == 'error' else '!'} {escape(src)}: {escape(msg)}[/yellow]")


@app.command()
def conflicts(
    db: Path = typer.Option(DEFAULT_DB, "--db"),
    regency: str = typer.Option(None, "--regency", help="Only this regency."),
) -> None:
    """List the disagreements found inside each report."""
    from rich.table import Table

    con = _open(db)
    try:
        rows = con.execute(
            "SELECT regency, indicator, scope, year, period, kind, chosen_value, reason FROM conflicts "
            "WHERE ? IS NULL OR regency = ? ORDER BY regency, indicator, year", [regency, regency]
        ).fetchall()
    finally:
        con.close()
    table = Table(title=f"{len(rows)} conflicts")
    for col in ("regency", "indicator", "scope", "year", "period", "kind", "headline", "reason"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*[str(x) for x in r[:6]], f"{r[6]:g}", r[7])
    console.print(table)


@app.command()
def explain(
    regency: str = typer.Argument(..., help="e.g. 'Muara Enim'"),
    indicator: str = typer.Argument(..., help="e.g. tpt"),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
) -> None:
    """Every candidate for an indicator, the headline chosen, and the lines they come from."""
    from rich.table import Table

    con = _open(db)
    try:
        rows = con.execute(
            """SELECT o.scope, o.year, o.period, o.kind, o.value, o.unit, o.method, o.section, o.status, o.source_line,
                      (h.obs_id IS NOT NULL) AS headline, o.source_text
               FROM observations o LEFT JOIN headline h USING (obs_id)
               WHERE o.regency = ? AND o.indicator = ? ORDER BY o.scope, o.year, o.period, o.kind, headline DESC, o.source_line""",
            [regency, indicator],
        ).fetchall()
    finally:
        con.close()
    if not rows:
        console.print(f"[yellow]{regency} has no {indicator} observations (the report does not give it).[/yellow]")
        raise typer.Exit(0)
    table = Table(title=f"{regency} — {indicator}")
    for col in ("scope", "year", "period", "kind", "value", "unit", "method", "section", "status", "line", "★", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*[str(x) for x in r[:4]], f"{r[4]:,.2f}", *[str(x) for x in r[5:10]], "★" if r[10] else "", r[11][:90])
    console.print(table)


@app.command()
def export(
    out: Path = typer.Option(Path("data/curated/bundle"), "--out", help="Folder of the bundle (replaced whole)."),
    db: Path = typer.Option(DEFAULT_DB, "--db"),
) -> None:
    """Write the research data bundle: Parquet, CSV, XLSX, indicator metadata, README, datapackage.json."""
    from pipeline.warehouse.bundle import write_bundle

    _open(db).close()  # the same message as the other commands when there is no warehouse
    bundle = write_bundle(db, out)
    console.print(f"[green]✓ wrote {out}[/green] — bundle {bundle.version}: {bundle.files} files, "
                  f"{bundle.bytes / 1e6:.1f} MB, {bundle.rows['observations']:,} observations "
                  f"[dim]{bundle.seconds:.2f}s[/dim]")


def _open(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, or a message saying how to build the warehouse (exit 1)."""
    if not db.is_file():
        err.print(f"[red]✗ no warehouse at {db}.[/red] Build one first:  python -m pipeline build"
                  + ("" if db == DEFAULT_DB else f" --db {db}"))
        raise typer.Exit(1)
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        err.print(f"[red]✗ {db} cannot be opened as a warehouse ({exc}).[/red] Rebuild it:  python -m pipeline build --force")
        raise typer.Exit(1) from None


def main() -> None:  # pragma: no cover
    app(prog_name="python -m pipeline")
    sys.exit(0)
