"""Build the warehouse from data/raw/: read every report, extract, reconcile, load, export.

    run(raw_dir, db_path)  ->  BuildOutcome

Bad files (empty, binary, no detectable regency, an exact duplicate of another file) are
skipped with a specific message; the rest still load. Nothing usable -> NothingToBuild and
the previous warehouse stays as it was. Per-report results are cached by content hash and
pipeline version, and an unchanged input set is not rebuilt at all.

Each report's rows stream into the new warehouse as soon as the report is read (in file
order, so ids are as if loaded at once); `BuildOutcome.results` keeps only each report's
`report` row, never its observations, so memory does not grow with the number of reports.
Heavy modules (the extraction layers, Arrow, the exporter) are imported only when a build
actually has work to do: the up-to-date check needs DuckDB alone.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipeline import __version__
from pipeline.warehouse.load import read_build_info

if TYPE_CHECKING:
    from pipeline.report import ReportResult

PACKAGE_DIR = Path(__file__).parent
IGNORED = {"manifest.yaml", "manifest.yml", "readme.md", ".gitkeep"}
PARALLEL_THRESHOLD = 2  # with fork, a worker costs ~10 ms: even the 5 seed reports finish sooner on 2 cores
CHUNKSIZE = 1  # reports per pool task: fixed, so results stream back evenly and memory stays flat


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
    return sorted(
        p for p in raw_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name.lower() not in IGNORED
    )


def load_manifest(raw_dir: Path) -> dict[str, dict]:
    for name in ("manifest.yaml", "manifest.yml"):
        path = raw_dir / name
        if path.exists():
            import yaml

            from pipeline.knowledge import SAFE_LOADER

            data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
            return data.get("files") or {}
    return {}


def _work(args: tuple[Path, str, dict, Path | None, str]) -> tuple[str, ReportResult | FileProblem, bool]:
    from pipeline.raw.decode import RawInputError, read_report
    from pipeline.raw.identify import IdentificationError
    from pipeline.report import process_report

    path, original, overrides, cache_dir, fingerprint = args
    try:
        raw = read_report(path)
    except RawInputError as exc:
        return path.name, FileProblem(path.name, "error", "unreadable", str(exc)), False
    cache = cache_dir / f"{raw.sha256[:24]}-{fingerprint}.pkl" if cache_dir else None
    if cache and cache.exists() and not overrides:
        try:
            with open(cache, "rb") as fh:
                result: ReportResult = pickle.load(fh)
            result.report["source_file"] = path.name
            result.report["original_name"] = original
            return path.name, result, True
        except Exception:  # a corrupt cache entry is rebuilt
            pass
    try:
        result = process_report(raw, original, overrides)
    except IdentificationError as exc:
        return path.name, FileProblem(path.name, "error", "unknown_regency", f"{path.name}: {exc}"), False
    except Exception as exc:  # noqa: BLE001 - one bad report must not stop the build
        return path.name, FileProblem(path.name, "error", "internal", f"{path.name}: could not be processed ({type(exc).__name__}: {exc})"), False
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    return path.name, result, False


def run(raw_dir: Path, db_path: Path, force: bool = False, workers: int | None = None,
        on_progress: Callable[[str], None] | None = None, export: bool = True) -> BuildOutcome:
    t0 = time.perf_counter()
    files = discover(raw_dir)
    manifest = load_manifest(raw_dir)
    fingerprint = code_fingerprint()
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    input_fp = hashlib.sha256(
        (fingerprint + "|" + "|".join(f"{n}:{d}" for n, d in sorted(digests.items())) + "|" + repr(sorted(manifest.items()))).encode()
    ).hexdigest()
    outcome = BuildOutcome(db_path)
    if not force and db_path.exists() and read_build_info(db_path).get("input_fingerprint") == input_fp:
        outcome.up_to_date = True
        outcome.seconds = time.perf_counter() - t0
        return outcome
    if not files:
        raise NothingToBuild(f"no report files in {raw_dir}")

    cache_dir = db_path.parent / ".cache"
    jobs = []
    seen: dict[str, str] = {}
    for p in files:
        d = digests[p.name]
        if d in seen:
            outcome.problems.append(FileProblem(
                p.name, "warning", "duplicate",
                f"{p.name} is byte-identical to {seen[d]} (same report twice under two names): loaded once, as {seen[d]}"))
            continue
        seen[d] = p.name
        entry = manifest.get(p.name) or {}
        overrides = {k: v for k, v in entry.items() if k in ("regency", "province", "report_year", "period", "agency")}
        jobs.append((p, entry.get("original_name", p.name), overrides, cache_dir, fingerprint))

    from pipeline.report import ReportResult
    from pipeline.warehouse.load import WarehouseWriter

    writer = WarehouseWriter(db_path)
    try:
        for name, res, cached in _results(jobs, workers, on_progress):
            if isinstance(res, FileProblem):
                outcome.problems.append(res)
                continue
            writer.add(res)
            outcome.results.append(ReportResult(res.report))  # the rows are in the writer now
            outcome.cached += int(cached)
        _same_report_twice(outcome)
        if not outcome.results:
            raise NothingToBuild("no usable report: " + "; ".join(p.message for p in outcome.problems))
        file_warnings = [
            {"report_id": None, "source_file": p.file, "severity": p.severity, "code": p.code, "message": p.message, "source_line": None}
            for p in outcome.problems
        ]
        build_info = {
            "input_fingerprint": input_fp, "code_fingerprint": fingerprint, "pipeline_version": __version__,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "raw_dir": str(raw_dir),
            "n_reports": str(len(outcome.results)), "n_skipped": str(sum(p.severity == "error" for p in outcome.problems)),
        }
    except BaseException:
        writer.abort()
        raise
    writer.finish(file_warnings, build_info)
    if export:
        from pipeline.warehouse.export import export_all

        export_all(db_path, db_path.parent)
    outcome.seconds = time.perf_counter() - t0
    return outcome


def _results(jobs: list, workers: int | None, on_progress):
    """(name, ReportResult | FileProblem, cached) per job, in job order, as they are ready."""
    n_workers = workers or (os.cpu_count() or 1)
    if len(jobs) >= PARALLEL_THRESHOLD and n_workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(n_workers, len(jobs))) as pool:
            yield from _progress(pool.map(_work, jobs, chunksize=CHUNKSIZE), on_progress)
    else:
        yield from _progress(map(_work, jobs), on_progress)


def _progress(items, on_progress):
    for name, res, cached in items:
        if on_progress:
            on_progress(name)
        yield name, res, cached


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
