"""Reliability of a build run nightly over files others send in: no file stalls or breaks it, a bad
manifest entry costs only that entry, the cache is data (never code), and the CLI answers with
messages rather than tracebacks.

Interrupted and concurrent builds (subprocesses killed at named phases) are in
test_reliability_kill.py; the dashboard's trust boundary in test_reliability_app.py.

Corpora are small copies of two or three seed reports (004 Tanjung Jabung Barat, 32 KB; 003
Lumajang, 64 KB; 002 Bungo, 77 KB) plus the bad file under test, so every build takes about a
second.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.build import Budget, NothingToBuild, code_fingerprint, run
from pipeline.raw.decode import RawInputError, read_report
from pipeline.raw.manifest import PERIODS, read_manifest
from tests.conftest import RAW, ROOT

TJB, LUM, BUNGO = "004_d4a71ffeee09fb98.txt", "003_27142058ae3706f5.txt", "002_62e370906eecf592.txt"
SMALL = [TJB, LUM]


def corpus(tmp_path: Path, names=SMALL, manifest: str | None = None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for n in names:
        shutil.copy(RAW / n, raw / n)
    if manifest is not None:
        (raw / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return raw


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def regencies(db: Path) -> list[str]:
    return sorted(r[0] for r in rows(db, "SELECT regency FROM reports"))


def problems(outcome) -> dict[str, object]:
    return {p.file: p for p in outcome.problems}


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


BOTH = ["Lumajang", "Tanjung Jabung Barat"]


# ---- bad input: each file gets a specific message, the others load ---------------------------------

def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    raw = corpus(tmp_path)
    locked = raw / "rahasia.txt"
    shutil.copy(RAW / BUNGO, locked)
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail the way it fails for other users
        real_open = open

        def deny(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)) and Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("builtins.open", deny)
        monkeypatch.setattr(Path, "read_bytes", lambda self: deny(self, "rb").read())
    outcome = run(raw, tmp_path / "c" / "w.duckdb", export=False)
    p = problems(outcome)["rahasia.txt"]
    assert (p.severity, p.code) == ("error", "unreadable") and "permission denied" in p.message
    assert regencies(tmp_path / "c" / "w.duckdb") == BOTH
    with pytest.raises(RawInputError, match="permission denied"):
        read_report(locked)


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""),
                                          ("utf-16-be", b"")])
def test_utf16_reports_are_decoded_not_called_binary(tmp_path, encoding, bom):
    raw = corpus(tmp_path, [LUM])
    (raw / "tjb_utf16.txt").write_bytes(bom + (RAW / TJB).read_text(encoding="utf-8").encode(encoding))
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    assert "tjb_utf16.txt" not in {p.file for p in outcome.problems if p.severity == "error"}, outcome.problems
    assert regencies(tmp_path / "w.duckdb") == BOTH
    (enc, n_lines), = rows(tmp_path / "w.duckdb", "SELECT encoding, n_lines FROM reports WHERE source_file = 'tjb_utf16.txt'")
    assert enc.startswith("utf-16") and n_lines == len(read_report(RAW / TJB).lines)
    assert rows(tmp_path / "w.duckdb", "SELECT count(*) FROM warnings WHERE source_file = 'tjb_utf16.txt' AND message LIKE '%UTF-16%'")[0][0] == 1


def test_nul_bytes_anywhere_never_reach_the_warehouse_or_the_csv(tmp_path):
    """NUL bytes after the first 64 KB used to pass the binary check and land in source_text."""
    raw = corpus(tmp_path, [TJB])
    text = (RAW / BUNGO).read_bytes()
    assert len(text) > 65536
    # a NUL inside a table line late in the file, and another one at the very end
    cut = text.index(b"\n", 65536 - 2000) + 1
    (raw / "bungo_nul.txt").write_bytes(text[:cut] + b"Total\x00 Pagu\x00\n" + text[cut:] + b"\x00")
    db = tmp_path / "c" / "w.duckdb"
    run(raw, db)
    assert regencies(db) == ["Bungo", "Tanjung Jabung Barat"]
    for table, col in [("observations", "source_text"), ("budget_lines", "name"), ("budget_lines", "source_text"),
                       ("indicator_rows", "source_text"), ("warnings", "message")]:
        assert rows(db, f"SELECT count(*) FROM {table} WHERE contains({col}, chr(0))")[0][0] == 0, (table, col)
    msg = rows(db, "SELECT message FROM warnings WHERE source_file = 'bungo_nul.txt' AND message LIKE '%NUL%'")
    assert msg and "3 NUL" in msg[0][0]
    for csv in (db.parent / "csv").glob("*.csv"):
        assert b"\x00" not in csv.read_bytes(), csv


def test_mostly_nul_file_is_still_binary(tmp_path):
    raw = corpus(tmp_path, [TJB])
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00" * 800)
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    assert "binary" in problems(outcome)["image.txt"].message


def test_file_over_the_size_budget_is_skipped_with_a_message(tmp_path):
    raw = corpus(tmp_path)
    (raw / "besar.txt").write_bytes((RAW / BUNGO).read_bytes() * 2)  # ~150 KB
    outcome = run(raw, tmp_path / "w.duckdb", export=False, budget=Budget(bytes=100_000))
    p = problems(outcome)["besar.txt"]
    assert (p.severity, p.code) == ("error", "too_large")
    assert "size budget of 0.1 MB" in p.message and "--max-mb" in p.message
    assert regencies(tmp_path / "w.duckdb") == BOTH


def _hang_on(name: str, pid_file: Path):
    """A process_report that never finishes for `name` (records its worker's pid first)."""
    from pipeline.report import process_report

    def slow(raw, original, overrides=None):
        if raw.name == name:
            pid_file.write_text(str(os.getpid()))
            time.sleep(600)
        return process_report(raw, original, overrides)
    return slow


def test_report_over_the_time_budget_is_skipped_and_its_worker_killed(tmp_path, monkeypatch):
    raw = corpus(tmp_path, [TJB, BUNGO, LUM])  # the stuck report is read first: the later ones still load
    pid_file = tmp_path / "worker.pid"
    # workers are forked from this process, so they run the patched function
    monkeypatch.setattr("pipeline.report.process_report", _hang_on(BUNGO, pid_file))
    t0 = time.perf_counter()
    outcome = run(raw, tmp_path / "w.duckdb", export=False, budget=Budget(seconds=3), workers=2)
    assert time.perf_counter() - t0 < 20
    p = problems(outcome)[BUNGO]
    assert (p.severity, p.code) == ("error", "over_budget")
    assert "time budget of 3 s" in p.message and "--max-seconds" in p.message
    assert regencies(tmp_path / "w.duckdb") == BOTH
    assert not alive(int(pid_file.read_text()))
    # a skipped-for-time report is retried by the next build rather than called up to date
    monkeypatch.undo()
    again = run(raw, tmp_path / "w.duckdb", export=False)
    assert not again.up_to_date and regencies(tmp_path / "w.duckdb") == sorted(BOTH + ["Bungo"])


def test_report_over_the_time_budget_with_a_single_worker(tmp_path, monkeypatch):
    raw = corpus(tmp_path, [BUNGO, TJB])
    monkeypatch.setattr("pipeline.report.process_report", _hang_on(BUNGO, tmp_path / "worker.pid"))
    outcome = run(raw, tmp_path / "w.duckdb", export=False, budget=Budget(seconds=2), workers=1)
    assert problems(outcome)[BUNGO].code == "over_budget"
    assert regencies(tmp_path / "w.duckdb") == ["Tanjung Jabung Barat"]


def test_a_worker_that_dies_costs_only_its_report(tmp_path, monkeypatch):
    from pipeline.report import process_report

    def crash(raw, original, overrides=None):
        if raw.name == LUM:
            os._exit(9)  # what the OOM killer leaves: no exception, no result
        return process_report(raw, original, overrides)

    raw = corpus(tmp_path, [LUM, TJB, BUNGO])
    monkeypatch.setattr("pipeline.report.process_report", crash)
    outcome = run(raw, tmp_path / "w.duckdb", export=False, workers=2)
    p = problems(outcome)[LUM]
    assert (p.severity, p.code) == ("error", "worker_died") and "exit code 9" in p.message
    assert regencies(tmp_path / "w.duckdb") == ["Bungo", "Tanjung Jabung Barat"]


def test_a_one_megabyte_line_finishes_inside_its_budget(tmp_path):
    """A PDF converter that lost its line breaks: one line of ~1 MB of words and numbers. The prose
    reader must be linear in line length: a linear reader needs a few seconds, the budget is 15 s."""
    raw = corpus(tmp_path, [TJB])
    unit = "Jumlah pencari kerja terdaftar 1.234 orang dan TPT 5,67 persen pada tahun 2023; "
    line = unit * (1_000_000 // len(unit))
    (raw / "satu_baris.txt").write_text((RAW / LUM).read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    outcome = run(raw, tmp_path / "w.duckdb", export=False, budget=Budget(seconds=15))
    elapsed = time.perf_counter() - t0
    assert "satu_baris.txt" not in {p.file for p in outcome.problems if p.severity == "error"}, (elapsed, outcome.problems)
    assert regencies(tmp_path / "w.duckdb") == BOTH


# ---- the manifest: checked against its schema; a bad entry costs only that entry --------------------

GOOD_LUM = f"  {LUM}: {{original_name: laporan-lumajang-asli.txt}}\n"


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """A curated folder shared by the manifest tests: its report cache makes each build quick."""
    return tmp_path_factory.mktemp("shared")


def _original_names(db: Path) -> dict[str, str]:
    return dict(rows(db, "SELECT source_file, original_name FROM reports"))


@pytest.mark.parametrize("manifest,where,needles", [
    ("files:\n  - a.txt\n  - b.txt\n", "manifest.yaml", ["must be a mapping", "files:", "list"]),
    ("- a.txt\n- b.txt\n", "manifest.yaml", ["must be a mapping", "list"]),
    ("just some words\n", "manifest.yaml", ["must be a mapping", "str"]),
    (f"files:\n  {TJB}: laporan kabupaten\n" + GOOD_LUM, TJB, [TJB, "must be a mapping", "str"]),
    (f"files:\n  {TJB}: {{period: Q5}}\n" + GOOD_LUM, TJB, [TJB, "period", "'Q5'", "annual, Q1, Q2, Q3, Q4, S1, S2"]),
    (f"files:\n  {TJB}: {{report_year: 99999999999}}\n" + GOOD_LUM, TJB, [TJB, "report_year", "99999999999", "1990 to 2100"]),
    (f"files:\n  {TJB}: {{report_year: dua ribu}}\n" + GOOD_LUM, TJB, [TJB, "report_year", "1990 to 2100"]),
    (f"files:\n  {TJB}: {{regency: [Jambi, Bungo]}}\n" + GOOD_LUM, TJB, [TJB, "regency", "non-empty text"]),
    (f"files:\n  {TJB}: {{kabupaten: Jambi}}\n" + GOOD_LUM, TJB,
     [TJB, "unknown key 'kabupaten'", "allowed: original_name, regency, province, agency, report_year, period"]),
    ("files: {}\nversion: 2\n", "manifest.yaml", ["unknown top-level key 'version'", "allowed: files"]),
    (f"files:\n  hilang.txt: {{original_name: x.txt}}\n" + GOOD_LUM, "manifest.yaml", ["hilang.txt", "not in"]),
])
def test_manifest_shapes(tmp_path, shared, manifest, where, needles):
    raw = corpus(tmp_path, manifest=manifest)
    db = shared / f"{tmp_path.name}.duckdb"
    outcome = run(raw, db, export=False)
    found = [p for p in outcome.problems if p.code == "manifest"]
    assert len(found) == 1, outcome.problems
    assert found[0].file == where and found[0].severity == "warning"
    for needle in needles:
        assert needle in found[0].message, (needle, found[0].message)
    assert regencies(db) == BOTH  # detection still reads every report
    if GOOD_LUM in manifest:  # the valid entry beside the bad one still applies
        assert _original_names(db)[LUM] == "laporan-lumajang-asli.txt"
    # and the message is in the warehouse, for the dashboard's quality page
    assert rows(db, "SELECT count(*) FROM warnings WHERE code = 'manifest' AND report_id IS NULL")[0][0] == 1


def test_invalid_yaml_manifest_is_ignored_with_a_clear_warning(tmp_path):
    raw = corpus(tmp_path, manifest=f"files:\n  {TJB}: {{period: annual\n  {LUM}: [unclosed\n")
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    p, = [p for p in outcome.problems if p.code == "manifest"]
    assert "not valid YAML" in p.message and "line " in p.message and "detection alone" in p.message
    assert regencies(tmp_path / "w.duckdb") == BOTH


def test_a_valid_override_still_applies(tmp_path):
    raw = corpus(tmp_path, manifest=f"files:\n  {LUM}: {{period: S1, report_year: '2023'}}\n")
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    assert not [p for p in outcome.problems if p.code == "manifest"]
    assert rows(tmp_path / "w.duckdb", f"SELECT period, report_year FROM reports WHERE source_file = '{LUM}'") == [("S1", 2023)]


def test_manifest_periods_are_the_warehouse_periods():
    schema = (ROOT / "pipeline" / "warehouse" / "sql" / "schema.sql").read_text(encoding="utf-8")
    declared = schema.split("period IN (", 1)[1].split(")", 1)[0]
    assert tuple(p.strip(" '") for p in declared.split(",")) == PERIODS


def test_seed_manifest_is_valid():
    m = read_manifest(RAW, sorted(p.name for p in RAW.glob("*.txt")))
    assert not m.problems and len(m.entries) == 5


# ---- the cache is data ---------------------------------------------------------------------------

class _Payload:
    """Unpickling this runs code: it creates a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_planted_pickle_in_the_cache_does_nothing(tmp_path):
    raw = corpus(tmp_path)
    db = tmp_path / "c" / "w.duckdb"
    run(raw, db, export=False)
    cache = db.parent / ".cache"
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == 2
    marker = tmp_path / "pwned"
    for e in entries:  # a .pkl under each name the cache uses, as the old pickle cache named them
        with open(e.with_suffix(".pkl"), "wb") as fh:
            pickle.dump(_Payload(marker), fh)
    with open(cache / "someone-elses.pkl", "wb") as fh:
        pickle.dump(_Payload(marker), fh)
    run(raw, db, export=False, force=True)
    assert not marker.exists()
    # old-format entries are removed unread; a file the cache did not name is not its business
    assert [p.name for p in cache.glob("*.pkl")] == ["someone-elses.pkl"]
    assert regencies(db) == BOTH


def test_cache_entries_are_json_and_a_bad_one_is_read_anew(tmp_path):
    raw = corpus(tmp_path)
    db = tmp_path / "c" / "w.duckdb"
    run(raw, db, export=False)
    entries = sorted((db.parent / ".cache").glob("*.json"))
    doc = json.loads(entries[0].read_text(encoding="utf-8"))
    assert doc["format"] == 1 and isinstance(doc["observations"], list) and doc["report"]["regency"] in BOTH
    before = rows(db, "SELECT regency, indicator, value, source_line FROM observations ORDER BY ALL")
    entries[0].write_text('{"format": 1, "report": "not a report"}', encoding="utf-8")
    entries[1].write_bytes(b"\x80\x04garbage")
    outcome = run(raw, db, export=False, force=True)
    assert outcome.cached == 0
    assert rows(db, "SELECT regency, indicator, value, source_line FROM observations ORDER BY ALL") == before
    # and a cached rebuild gives exactly the same rows as a fresh one
    assert run(raw, db, export=False, force=True).cached == 2
    assert rows(db, "SELECT regency, indicator, value, source_line FROM observations ORDER BY ALL") == before


# ---- exports belong to their warehouse -----------------------------------------------------------

def test_db_path_with_a_quote_exports(tmp_path):
    raw = corpus(tmp_path)
    db = tmp_path / "it's \"here\"" / "w.duckdb"
    run(raw, db)
    assert (db.parent / "parquet" / "reports.parquet").exists()
    assert rows(db, f"SELECT count(*) FROM read_parquet('{(db.parent / 'parquet' / 'reports.parquet').as_posix().replace(chr(39), chr(39) * 2)}')") == [(2,)]


def test_stale_or_missing_exports_are_repaired_not_called_up_to_date(tmp_path):
    raw = corpus(tmp_path)
    db = tmp_path / "c" / "w.duckdb"
    code = code_fingerprint()
    run(raw, db)
    (db.parent / "parquet" / "reports.parquet").unlink()
    outcome = run(raw, db)
    if code_fingerprint() != code:  # others edit this checkout: then a rebuild is the right answer
        pytest.skip("pipeline code changed while the test ran")
    assert outcome.up_to_date and outcome.exports_repaired
    assert (db.parent / "parquet" / "reports.parquet").exists()
    assert run(raw, db).exports_repaired is False  # now they match
    info = json.loads((db.parent / "export_info.json").read_text())
    info["build_id"] = "some-older-build"
    (db.parent / "export_info.json").write_text(json.dumps(info))
    assert run(raw, db).exports_repaired


# ---- the command line answers with messages --------------------------------------------------------

def _cli(*args, cwd=ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.mark.parametrize("command", [["explain", "Paser", "tpt"], ["conflicts"]])
def test_cli_without_a_warehouse_says_how_to_build_one(tmp_path, command):
    out = _cli(*command, "--db", str(tmp_path / "none" / "w.duckdb"))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert "no warehouse at" in out.stderr and "python -m pipeline build" in out.stderr


def test_cli_prints_hostile_names_as_text(tmp_path):
    """A manifest value with rich markup ('[/red]' would end a style and crash the summary)."""
    raw = corpus(tmp_path, manifest=f"files:\n  {TJB}: {{regency: 'Jambi [/red][bold]x'}}\n  {LUM}: {{period: '[/x]'}}\n")
    out = _cli("build", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb"))
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "[/red][bold]x" in out.stdout and "'[/x]'" in out.stderr


def test_nothing_to_build_leaves_no_lock_or_temp_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "kosong.txt").write_text("")
    with pytest.raises(NothingToBuild):
        run(raw, tmp_path / "c" / "w.duckdb")
    leftovers = [p.name for p in (tmp_path / "c").iterdir() if p.name != ".w.duckdb.lock"]
    assert leftovers == []


def test_cli_unwritable_warehouse_folder_is_a_message(tmp_path):
    raw = corpus(tmp_path, [TJB])
    out = _cli("build", "--raw", str(raw), "--db", "/proc/no-such-folder/w.duckdb")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "cannot write" in out.stderr and "previous warehouse is unchanged" in out.stderr


def test_clean_stale_removes_only_dead_builds_debris(tmp_path):
    from pipeline.housekeeping import clean_stale

    dead = next(pid for pid in range(4_000_000, 4_100_000) if not Path(f"/proc/{pid}").exists())
    db = tmp_path / "w.duckdb"
    ours_dead = [f".w.duckdb.{dead}.tmp", f".w.duckdb.{dead}.tmp.wal", f".export.{dead}", f".parquet.old.{dead}",
                 f".export_info.json.{dead}", f".cache/{'a' * 24}-{'b' * 16}.json.{dead}.tmp", f".cache/{'a' * 24}-{'b' * 16}.pkl"]
    keep = [f".w.duckdb.{os.getpid()}.tmp", f".export.{os.getpid()}", f".other.duckdb.{dead}.tmp", "notes.123.tmp",
            ".cache/mine.123.tmp", f".cache/{'a' * 24}-{'b' * 16}.json"]
    for name in ours_dead + keep:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir() if name.startswith((".export.", ".parquet.old")) else path.write_text("x")
    removed = clean_stale(db)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in removed) == sorted(ours_dead)
    assert all((tmp_path / k).exists() for k in keep)
