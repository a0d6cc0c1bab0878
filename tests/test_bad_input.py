"""Bad input gets a clear, specific message, the other reports still load, and a build that
fails leaves the previous warehouse untouched."""

import hashlib
import shutil
import subprocess
import sys

import duckdb
import pytest

from pipeline.build import NothingToBuild, run
from pipeline.warehouse import load as load_module
from pipeline.warehouse.contract import ContractError
from tests.conftest import RAW, ROOT

SEEDS = sorted(p.name for p in RAW.glob("*.txt"))


def _problems(outcome):
    return {p.file: p for p in outcome.problems}


def _regencies(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(r[0] for r in con.execute("SELECT regency FROM reports").fetchall())
    finally:
        con.close()


ALL = sorted(["Bungo", "Lumajang", "Muara Enim", "Paser", "Tanjung Jabung Barat"])


def test_empty_file(raw_copy, tmp_path):
    (raw_copy / "kosong.txt").write_text("")
    outcome = run(raw_copy, tmp_path / "w.duckdb", export=False)
    p = _problems(outcome)["kosong.txt"]
    assert p.severity == "error" and "empty" in p.message
    assert _regencies(tmp_path / "w.duckdb") == ALL


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("laporan.docx.txt", b"PK\x03\x04\x00\x01\x02\xff" * 500, "binary"),
    # recognised by content, not by name: these bytes are a damaged PDF, and the message says so
    ("laporan.pdf.txt", b"%PDF-1.7\x00\x01\x02\xff" * 500, "PDF is damaged"),
])
def test_binary_file(raw_copy, tmp_path, name, data, expected):
    (raw_copy / name).write_bytes(data)
    outcome = run(raw_copy, tmp_path / "w.duckdb", export=False)
    p = _problems(outcome)[name]
    assert p.severity == "error" and expected in p.message
    assert _regencies(tmp_path / "w.duckdb") == ALL


def test_latin1_file_loads_with_a_warning(raw_copy, tmp_path):
    text = "\n".join([
        "LAPORAN KINERJA INSTANSI PEMERINTAH TAHUN 2022",
        "DINAS TENAGA KERJA KABUPATEN KUTAI BARAT",
        "Kata pengantar — disusun oleh Dinas Tenaga Kerja Kabupaten Kutai Barat (édisi revisi).",
        "Tingkat Pengangguran Terbuka Kabupaten Kutai Barat tahun 2022 sebesar 4,15%.",
        "Target TPT Kabupaten Kutai Barat tahun 2022 adalah 4,50%.",
    ] * 3)
    (raw_copy / "kubar_2022.txt").write_bytes(text.encode("cp1252"))
    db = tmp_path / "w.duckdb"
    run(raw_copy, db, export=False)
    con = duckdb.connect(str(db), read_only=True)
    enc, = con.execute("SELECT encoding FROM reports WHERE regency = 'Kutai Barat'").fetchone()
    warn = con.execute("SELECT message FROM warnings WHERE source_file = 'kubar_2022.txt' AND code = 'decode'").fetchone()[0]
    tpt = con.execute("SELECT value, source_line FROM observations WHERE regency = 'Kutai Barat' AND indicator = 'tpt' "
                      "AND kind = 'actual' ORDER BY source_line LIMIT 1").fetchone()
    con.close()
    assert enc == "cp1252" and "not valid UTF-8" in warn
    assert tpt == (4.15, 4)


def test_report_truncated_mid_table(raw_copy, tmp_path):
    lines = (RAW / "002_62e370906eecf592.txt").read_text(encoding="utf-8").split("\n")
    cut = lines[:920]  # inside the budget realisation table (Tabel 30 starts at line 881)
    for p in raw_copy.glob("*.txt"):
        p.unlink()
    (raw_copy / "bungo_potong.txt").write_text("\n".join(cut), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    run(raw_copy, db, export=False)
    con = duckdb.connect(str(db), read_only=True)
    warn = con.execute("SELECT message FROM warnings WHERE code = 'truncated'").fetchall()
    # the rows before the cut are still read: Tabel 30's first programme (line 884)
    pagu = con.execute("SELECT value FROM observations WHERE indicator = 'budget_allocated' AND source_line = 884").fetchone()
    con.close()
    assert warn and "may be truncated mid-table" in warn[0][0]
    assert pagu == (4250945003.0,)


def test_text_without_a_regency(raw_copy, tmp_path):
    (raw_copy / "catatan.txt").write_text(
        "Laporan Kinerja Tahun 2023\n" + "Dinas Tenaga Kerja melaksanakan program pelatihan.\n" * 20, encoding="utf-8")
    outcome = run(raw_copy, tmp_path / "w.duckdb", export=False)
    p = _problems(outcome)["catatan.txt"]
    assert p.code == "unknown_regency" and "cannot detect the regency" in p.message and "manifest" in p.message
    assert _regencies(tmp_path / "w.duckdb") == ALL


def test_same_report_twice_under_two_names(raw_copy, tmp_path):
    shutil.copy(raw_copy / SEEDS[0], raw_copy / "muara-enim_2023_copy.txt")
    outcome = run(raw_copy, tmp_path / "w.duckdb", export=False)
    p = _problems(outcome)["muara-enim_2023_copy.txt"]
    assert p.code == "duplicate" and "byte-identical" in p.message and SEEDS[0] in p.message
    assert _regencies(tmp_path / "w.duckdb") == ALL  # loaded once


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_nothing_usable_leaves_the_previous_warehouse(tmp_path, raw_copy):
    db = tmp_path / "w.duckdb"
    run(raw_copy, db, export=False)
    before = _digest(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_text("")
    (bad / "b.txt").write_bytes(b"\x00\x01" * 100)
    with pytest.raises(NothingToBuild, match="no usable report"):
        run(bad, db, export=False)
    assert _digest(db) == before and _regencies(db) == ALL


def test_a_failure_while_writing_leaves_the_previous_warehouse(tmp_path, raw_copy, monkeypatch):
    db = tmp_path / "w.duckdb"
    run(raw_copy, db, export=False)
    before = _digest(db)

    def broken(con):
        raise ContractError("simulated contract violation")

    monkeypatch.setattr(load_module, "validate", broken)
    with pytest.raises(ContractError):
        run(raw_copy, db, force=True, export=False)
    assert _digest(db) == before
    assert not list(tmp_path.glob(".w.duckdb.*.tmp"))


def test_cli_exit_codes(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    res = subprocess.run([sys.executable, "-m", "pipeline", "build", "--raw", str(empty), "--db", str(tmp_path / "x.duckdb")],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 1 and "no report files" in (res.stdout + res.stderr)
    assert not (tmp_path / "x.duckdb").exists()
