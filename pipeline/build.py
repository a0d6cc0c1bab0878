"""Build the warehouse from data/raw/: read every report, extract, reconcile, load, export.

    run(raw_dir, db_path)  ->  BuildOutcome

Bad files (empty, binary, unreadable, too big, too slow to read, no detectable regency, an
exact duplicate of another file) are skipped with a specific message; the rest still load.
Nothing usable -> NothingToBuild and the previous warehouse stays as it was. Per-report results
are cached (JSON, keyed by content hash and pipeline version), and an unchanged input set is
not rebuilt at all.

One build at a time per warehouse (`BuildLock`); a second one waits for it. Reports are read in
worker processes (`pipeline.workers`) so that one that runs over its time budget can be killed
without stopping the others. The new warehouse and its exports are written beside the old ones
and swapped in at the end (exports first written from the new file, then the warehouse, then the
exports, which name the build they belong to); on any exit path — an error, Ctrl-C, SIGTERM —
workers are stopped and temporary files removed, and what a killed (SIGKILL) build left behind
is removed by the next one.

Each report's rows stream into the new warehouse as soon as the report is read (in file
order, so ids are as if loaded at once); `BuildOutcome.results` keeps only each report's
`report` row, never its observations, so memory does not grow with the number of reports.
Heavy modules (the extraction layers, Arrow, the exporter) are imported only when a build
actually has work to do: the up-to-date check needs DuckDB alone.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipeline import __version__
from pipeline.housekeeping import BuildLock, clean_stale, on_sigterm, pause_point
from pipeline.raw.manifest import NAMES as MANIFEST_NAMES
from pipeline.raw.manifest import read_manifest
from pipeline.warehouse.load import read_build_info

if TYPE_CHECKING:
    from pipeline.report import ReportResult

PACKAGE_DIR = Path(__file__).parent
IGNORED = {*MANIFEST_NAMES, "readme.md", ".gitkeep"}


@dataclass(frozen=True)
class Budget:
    """What one report may cost. A report over budget is skipped with a message; the rest load."""
    seconds: float = 120.0  # wall-clock time to read one report (the seeds take < 1 s each)
    bytes: int = 50_000_000  # file size; the seeds are 30-160 KB


class NothingToBuild(RuntimeError):
    """No input file could be used; the previous warehouse is left as it was."""


@dataclass
class FileProblem:
    file: str
    severity: str  # error | warning
    code: str
    message: str


@dataclass
class BuildOutcome:
    db_path: Path
    results: list[ReportResult] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    up_to_date: bool = False
    exports_repaired: bool = False
    cached: int = 0
    seconds: float = 0.0


def code_fingerprint() -> str:
    h = hashlib.sha256(__version__.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".yaml", ".sql") and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def discover(raw_dir: Path) -> list[Path]:
    if not raw_dir.is_dir():
        raise NothingToBuild(f"raw folder {raw_dir} does not exist")
    try:
        return sorted(
            p for p in raw_dir.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.name.lower() not in IGNORED
        )
    except OSError as exc:
        raise NothingToBuild(f"raw folder {raw_dir} cannot be read ({exc.strerror or exc})") from exc


def run(raw_dir: Path, db_path: Path, force: bool = False, workers: int | None = None,
        on_progress: Callable[[str], None] | None = None, export: bool = True, budget: Budget = Budget(),
        on_wait: Callable[[str], None] | None = None, lock_timeout: float | None = None) -> BuildOutcome:
    """Build db_path (and its exports) from raw_dir. A build already running into db_path is
    waited for (`on_wait` hears why; `lock_timeout` seconds at most, None = as long as it takes)."""
    t0 = time.perf_counter()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with on_sigterm(), BuildLock(db_path, on_wait=on_wait, timeout=lock_timeout):
        clean_stale(db_path)
        outcome = _run_locked(raw_dir, db_path, force, workers, on_progress, export, budget)
    outcome.seconds = time.perf_counter() - t0
    return outcome


def _run_locked(raw_dir, db_path, force, workers, on_progress, export, budget) -> BuildOutcome:
    files = discover(raw_dir)
    manifest = read_manifest(raw_dir, [p.name for p in files])
    fingerprint = code_fingerprint()
    outcome = BuildOutcome(db_path)
    outcome.problems += [FileProblem(p.file, "warning", "manifest", p.message) for p in manifest.problems]
    digests, unreadable = _digests(files, budget)
    input_fp = hashlib.sha256("|".join([
        fingerprint, manifest.digest, f"{budget.seconds:g}s {budget.bytes}B",
        *(f"{n}:{d}" for n, d in sorted(digests.items())), *(f"{n}:{p.code}" for n, p in sorted(unreadable.items())),
    ]).encode()).hexdigest()
    if not force and _up_to_date(db_path, input_fp, export, outcome):
        return outcome
    if not files:
        raise NothingToBuild(f"no report files in {raw_dir}")

    cache_dir = db_path.parent / ".cache"
    jobs = []
    seen: dict[str, str] = {}
    for p in files:
        if p.name in unreadable:
            outcome.problems.append(unreadable[p.name])
            continue
        d = digests[p.name]
        if d in seen:
            outcome.problems.append(FileProblem(
                p.name, "warning", "duplicate",
                f"{p.name} is byte-identical to {seen[d]} (same report twice under two names): loaded once, as {seen[d]}"))
            continue
        seen[d] = p.name
        jobs.append((p, manifest.original_name(p.name), manifest.overrides(p.name), cache_dir, fingerprint))

    from pipeline.report import ReportResult
    from pipeline.warehouse.load import WarehouseWriter
    from pipeline.workers import WorkerPool

    with WorkerPool(workers, budget.seconds, len(jobs)) as pool:
        writer = WarehouseWriter(db_path)
        staging = None
        try:
            for i, (name, res, cached) in enumerate(pool.results(jobs)):
                if on_progress:
                    on_progress(name)
                if isinstance(res, FileProblem):
                    outcome.problems.append(res)
                    continue
                writer.add(res)
                outcome.results.append(ReportResult(res.report))  # the rows are in the writer now
                outcome.cached += int(cached)
                if i == 0:
                    pause_point("extract")
            pool.close()
            _same_report_twice(outcome)
            if not outcome.results:
                raise NothingToBuild("no usable report: " + "; ".join(p.message for p in outcome.problems))
            file_warnings = [
                {"report_id": None, "source_file": p.file, "severity": p.severity, "code": p.code, "message": p.message, "source_line": None}
                for p in outcome.problems
            ]
            build_info = {
                "input_fingerprint": input_fp, "code_fingerprint": fingerprint, "pipeline_version": __version__,
                "build_id": uuid.uuid4().hex,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "raw_dir": str(raw_dir),
                "n_reports": str(len(outcome.results)), "n_skipped": str(sum(p.severity == "error" for p in outcome.problems)),
                # a report skipped for time or a crashed worker may fare better next time: retry it
                "n_retry": str(sum(p.code in ("over_budget", "worker_died") for p in outcome.problems)),
            }
            pause_point("load")
            writer.seal(file_warnings, build_info)
            if export:
                from pipeline.warehouse.export import write_exports

                staging = write_exports(writer.tmp, db_path.parent)
                pause_point("export")
            writer.swap()
        except BaseException:
            writer.abort()
            if staging is not None:
                import shutil

                shutil.rmtree(staging, ignore_errors=True)
            raise
    if staging is not None:
        from pipeline.warehouse.export import publish

        pause_point("swap")
        publish(staging, db_path.parent, build_info["build_id"])
    from pipeline.raw.pdf import prune_texts

    prune_texts(db_path.parent / "text", {p.name for p in files})  # texts of PDFs since removed
    return outcome


def _digests(files: list[Path], budget: Budget) -> tuple[dict[str, str], dict[str, FileProblem]]:
    """sha256 per readable file within the size budget; a FileProblem for each other file."""
    digests: dict[str, str] = {}
    problems: dict[str, FileProblem] = {}
    for p in files:
        try:
            size = p.stat().st_size
            if size > budget.bytes:
                problems[p.name] = FileProblem(
                    p.name, "error", "too_large",
                    f"{p.name}: skipped — {size / 1e6:.1f} MB is over the per-report size budget of "
                    f"{budget.bytes / 1e6:g} MB (raise it with --max-mb if the file is genuine)")
                continue
            with open(p, "rb") as fh:
                digests[p.name] = hashlib.file_digest(fh, "sha256").hexdigest()
        except PermissionError:
            problems[p.name] = FileProblem(p.name, "error", "unreadable",
                                           f"{p.name}: cannot be read (permission denied) — make it readable by the build user")
        except OSError as exc:
            problems[p.name] = FileProblem(p.name, "error", "unreadable", f"{p.name}: cannot be read ({exc.strerror or exc})")
    return digests, problems


def _up_to_date(db_path: Path, input_fp: str, export: bool, outcome: BuildOutcome) -> bool:
    """The warehouse was built from exactly these inputs, and nothing is worth retrying; its
    exports are repaired (re-written from it) if a killed build left them stale or missing."""
    info = read_build_info(db_path)
    if info.get("input_fingerprint") != input_fp or info.get("n_retry", "0") != "0":
        return False
    if export:
        from pipeline.warehouse.export import export_all, exports_match

        if not exports_match(db_path.parent, info.get("build_id")):
            export_all(db_path, db_path.parent, info.get("build_id"))
            outcome.exports_repaired = True
    outcome.up_to_date = True
    return True


def _same_report_twice(outcome: BuildOutcome) -> None:
    """Two different files claiming the same regency, year and period: both load, with a warning."""
    seen: dict[tuple, str] = {}
    for r in outcome.results:
        key = (r.report["regency"], r.report["report_year"], r.report["period"])
        if key in seen:
            outcome.problems.append(FileProblem(
                r.report["source_file"], "warning", "same_period",
                f"{r.report['source_file']} and {seen[key]} are both {key[0]} {key[1]} {key[2]} but differ in content: "
                "both are loaded and their values compete for the headline — remove the outdated one from data/raw/"))
        else:
            seen[key] = r.report["source_file"]
