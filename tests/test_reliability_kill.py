"""Interrupted and concurrent builds, as an operator meets them: `python -m pipeline build` in a
subprocess, held at a named phase (LKJIP_BUILD_PAUSE, see pipeline/housekeeping.py) and killed
there; or two builds started at once.

After a kill the previous result is intact — the warehouse, and exports that belong to it — or,
if the kill fell between the warehouse swap and the export swap, the next build repairs the
exports instead of calling them up to date. No worker process outlives its build, and the
temporary files a SIGKILLed build leaves are removed by the next build (a SIGTERMed one removes
its own).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.build import code_fingerprint, run
from tests.conftest import ROOT
from tests.test_reliability import BUNGO, SMALL, alive, corpus

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find worker processes")


def _count(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def state(db: Path) -> dict:
    """What a reader of the curated folder sees: reports in the warehouse and in its exports."""
    folder = db.parent
    info = folder / "export_info.json"
    return {
        "reports": _count(db, "SELECT count(*) FROM reports"),
        "build_id": _count(db, "SELECT value FROM build_info WHERE key = 'build_id'"),
        "parquet_reports": _count(db, f"SELECT count(*) FROM read_parquet('{folder / 'parquet' / 'reports.parquet'}')"),
        "csv_lines": len((folder / "csv" / "reports.csv").read_text(encoding="utf-8").splitlines()) - 1,
        "export_build_id": json.loads(info.read_text())["build_id"] if info.exists() else None,
    }


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".") and p.name not in (".cache", f".{'w.duckdb'}.lock"))


def children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def start(raw: Path, db: Path, pause: str | None = None, seconds: float = 60, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200"}
    if pause:
        env.update(LKJIP_BUILD_PAUSE=pause, LKJIP_BUILD_PAUSE_SECONDS=str(seconds))
    return subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--raw", str(raw), "--db", str(db),
                             "--workers", "2", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(proc: subprocess.Popen, needle: str, timeout: float = 60) -> str:
    """Read the build's stderr (unbuffered: select must see what is unread) until `needle` appears."""
    seen = b""
    fd = proc.stderr.fileno()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 65536)
            seen += chunk
            if needle.encode() in seen:
                return seen.decode()
            if not chunk and proc.poll() is not None:
                break
    proc.kill()
    raise AssertionError(f"never saw {needle!r}: {seen.decode()}")


def finish(proc: subprocess.Popen, timeout: float = 90) -> tuple[str, str]:
    out, err = proc.communicate(timeout=timeout)
    return out.decode(), err.decode()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("first")
    run(corpus(base, SMALL), base / "curated" / "w.duckdb")
    return base


@pytest.fixture
def previous(tmp_path, first_build):
    """A good build of two reports (the old result), and a raw folder with a third report added."""
    shutil.copytree(first_build, tmp_path, dirs_exist_ok=True)
    raw, db = tmp_path / "raw", tmp_path / "curated" / "w.duckdb"
    old = state(db)
    assert old["reports"] == 2 and old["export_build_id"] == old["build_id"]
    corpus(tmp_path, [BUNGO])
    return raw, db, old


@pytest.mark.parametrize("phase", ["extract", "load", "export"])
def test_sigkill_leaves_the_previous_result_and_no_workers(previous, phase):
    raw, db, old = previous
    proc = start(raw, db, pause=phase)
    wait_for(proc, f"paused at {phase}")
    workers = children(proc.pid)
    if phase == "extract":
        assert workers, "the build reads reports in worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if alive(w)], "worker processes outlived their build"
    assert state(db) == old  # the warehouse and its exports, as they were
    # what the killed build left behind is cleaned by the next one, which builds the new input
    outcome = run(raw, db)
    assert not outcome.up_to_date and len(outcome.results) == 3
    new = state(db)
    assert new["reports"] == new["parquet_reports"] == new["csv_lines"] == 3 and new["export_build_id"] == new["build_id"]
    assert debris(db.parent) == []


def unchanged_code(since: str) -> None:
    """'Up to date' means same inputs and same pipeline code: in a checkout others are editing, the
    code can change mid-test, and then a rebuild is the right answer — not what is tested here."""
    if code_fingerprint() != since:
        pytest.skip("pipeline code changed while the test ran")


def test_sigkill_between_the_two_swaps_makes_the_next_build_repair_the_exports(previous):
    raw, db, old = previous
    code = code_fingerprint()
    proc = start(raw, db, pause="swap")
    wait_for(proc, "paused at swap")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    torn = state(db)
    assert torn["reports"] == 3 and torn["parquet_reports"] == 2  # new warehouse, old exports ...
    assert torn["export_build_id"] != torn["build_id"]  # ... which do not claim to belong to it
    outcome = run(raw, db)
    unchanged_code(code)
    assert outcome.up_to_date and outcome.exports_repaired
    fixed = state(db)
    assert fixed["parquet_reports"] == fixed["csv_lines"] == 3 and fixed["export_build_id"] == fixed["build_id"]
    assert debris(db.parent) == []


@pytest.mark.parametrize("phase", ["extract", "export"])
def test_sigterm_cleans_up_at_once(previous, phase):
    raw, db, old = previous
    proc = start(raw, db, pause=phase)
    wait_for(proc, f"paused at {phase}")
    workers = children(proc.pid)
    assert debris(db.parent)  # the temporary warehouse (and staged exports) exist now
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 128 + signal.SIGTERM
    assert "Traceback" not in finish(proc)[1]
    assert not [w for w in workers if alive(w)]
    assert debris(db.parent) == []  # removed by the build itself, no later build needed
    assert state(db) == old


def test_second_build_waits_for_the_first_or_says_so(previous):
    raw, db, old = previous
    code = code_fingerprint()
    first = start(raw, db, "load", 6)
    wait_for(first, "paused at load")
    impatient, patient = start(raw, db, None, 0, "--wait", "0.5"), start(raw, db)
    wait_for(patient, f"another build (pid {first.pid}) is writing")
    out, err = finish(impatient)
    assert impatient.returncode == 2
    assert f"another build (pid {first.pid}) is still writing" in err and "nothing was changed" in err
    assert first.wait(60) == 0
    out, err = finish(patient)
    assert patient.returncode == 0, err
    unchanged_code(code)
    assert "is up to date" in out  # it waited, then found the first build's result current
    new = state(db)
    assert new["reports"] == new["parquet_reports"] == 3 and new["export_build_id"] == new["build_id"]


def test_two_builds_at_once_both_finish_with_one_consistent_result(previous):
    raw, db, old = previous
    a, b = start(raw, db, None, 0, "--force"), start(raw, db, None, 0, "--force")
    (out_a, err_a), (out_b, err_b) = finish(a), finish(b)
    assert (a.returncode, b.returncode) == (0, 0), err_a + err_b
    assert "Traceback" not in err_a + err_b
    new = state(db)
    assert new["reports"] == new["parquet_reports"] == new["csv_lines"] == 3 and new["export_build_id"] == new["build_id"]
    assert debris(db.parent) == []
