"""Kota, provinsi and tricky kabupaten reports built through the whole pipeline.

The reports in tests/fixtures/identity/ were written by the team (real places, invented text and
numbers); tests/fixtures/identity/expected.yaml gives each one's identity and why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import query
import yaml

from pipeline.build import run

FIXTURES = Path(__file__).parent / "fixtures" / "identity"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
COLUMNS = ("regency", "area_type", "area_code", "province", "agency", "report_year", "period")


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw_identity")
    for name in EXPECTED:
        shutil.copy(FIXTURES / name, raw / name)
    db = raw.parent / "identity.duckdb"
    outcome = run(raw, db, export=False)
    assert not [p for p in outcome.problems if p.severity == "error"], outcome.problems
    return db



@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_report_identity(fixture_db, name):
    rows = query(fixture_db, f"SELECT {', '.join(COLUMNS)} FROM reports WHERE source_file = ?", [name])
    assert len(rows) == 1
    assert dict(zip(COLUMNS, rows[0])) == {k: EXPECTED[name][k] for k in COLUMNS}


def test_observations_carry_the_display_name(fixture_db):
    # every observation of a report is filed under that report's display name ("Kota Bandung")
    bad = query(fixture_db, """
        SELECT o.regency, r.regency FROM observations o JOIN reports r USING (report_id)
        WHERE o.regency <> r.regency LIMIT 5""")
    assert bad == []
    assert query(fixture_db, "SELECT count(*) FROM observations WHERE regency = 'Kota Bandung'")[0][0] > 0


def test_identity_decided_by_the_file_name_is_a_warning(fixture_db):
    msgs = [m for (m,) in query(fixture_db, "SELECT message FROM warnings WHERE source_file = 'kota-madiun_2021.txt' AND code = 'identify'")]
    assert any("regency 'Kota Madiun' decided by the file name" in m for m in msgs)
    assert any("report year 2021 decided by the file name" in m for m in msgs)
    # the other fixtures are settled by their text
    assert query(fixture_db, "SELECT count(*) FROM warnings WHERE code = 'identify' AND source_file <> 'kota-madiun_2021.txt'")[0][0] == 0


def test_detection_evidence_states_a_confidence(fixture_db):
    import json

    for name, detection in query(fixture_db, "SELECT source_file, detection FROM reports"):
        evidence = json.loads(detection)
        assert {"regency", "report_year", "period"} <= set(evidence), name
    quarterly = json.loads(query(fixture_db, "SELECT detection FROM reports WHERE source_file = 'report_quarterly.txt'")[0][0])
    assert "high confidence" in quarterly["report_year"] and "cover" in quarterly["period"]


def test_unidentified_reports_fail_with_distinct_codes_and_the_manifest_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "report_city.txt", raw / "report_city.txt")
    body = "Dinas menyelenggarakan pelatihan kerja berbasis kompetensi bagi warga yang mencari kerja.\n" * 6
    (raw / "scan_3.txt").write_text("LAPORAN KINERJA\n\nKATA PENGANTAR\n" + body, encoding="utf-8")
    (raw / "laporan.txt").write_text("LAPORAN KINERJA\nDINAS TENAGA KERJA KOTA MALANG\n\nKATA PENGANTAR\n" + body, encoding="utf-8")
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    problems = {p.file: p for p in outcome.problems}
    assert problems["scan_3.txt"].code == "unknown_regency"
    assert "files: {scan_3.txt: {regency: " in problems["scan_3.txt"].message
    assert problems["laporan.txt"].code == "unknown_year"
    assert "files: {laporan.txt: {report_year: YYYY}}" in problems["laporan.txt"].message
    assert [r for (r,) in query(tmp_path / "w.duckdb", "SELECT regency FROM reports")] == ["Kota Bandung"]

    # the manifest line the message asks for makes both load, each with a warning naming the manifest
    (raw / "manifest.yaml").write_text(
        'files:\n  scan_3.txt: {regency: "Kota Cimahi", report_year: 2022}\n  laporan.txt: {report_year: 2021}\n',
        encoding="utf-8")
    outcome = run(raw, tmp_path / "w.duckdb", export=False)
    assert not [p for p in outcome.problems if p.severity == "error"], outcome.problems
    got = query(tmp_path / "w.duckdb", "SELECT source_file, regency, area_type, area_code, report_year FROM reports ORDER BY 1")
    assert got == [("laporan.txt", "Kota Malang", "kota", "35.73", 2021),
                   ("report_city.txt", "Kota Bandung", "kota", "32.73", 2022),
                   ("scan_3.txt", "Kota Cimahi", "kota", "32.77", 2022)]
    msgs = [m for (m,) in query(tmp_path / "w.duckdb", "SELECT message FROM warnings WHERE code = 'identify'")]
    assert any("'Kota Cimahi' decided by data/raw/manifest.yaml" in m for m in msgs)
    assert any("report year 2021 decided by data/raw/manifest.yaml" in m for m in msgs)


def test_seeds_are_kabupaten_with_their_codes(con):
    # the session warehouse built from data/raw/ (tests/conftest.py)
    got = dict(con.execute("SELECT regency, area_type || ' ' || area_code FROM reports").fetchall())
    assert got == {"Muara Enim": "kabupaten 16.03", "Paser": "kabupaten 64.01", "Bungo": "kabupaten 15.08",
                   "Lumajang": "kabupaten 35.08", "Tanjung Jabung Barat": "kabupaten 15.06"}


def test_identity_from_the_file_name_follows_a_rename(tmp_path):
    # the per-report cache is keyed by content: a renamed file must not keep the old name's identity
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("report_city.txt", "kota-madiun_2021.txt"):
        shutil.copy(FIXTURES / name, raw / name)
    db = tmp_path / "c" / "w.duckdb"
    db.parent.mkdir()
    run(raw, db, export=False)
    (raw / "kota-madiun_2021.txt").rename(raw / "kota-malang_2022.txt")
    outcome = run(raw, db, export=False)
    assert outcome.cached == 1  # report_city.txt, identified by its text, still comes from the cache
    got = query(db, "SELECT source_file, regency, area_code, report_year FROM reports ORDER BY 1")
    assert got == [("kota-malang_2022.txt", "Kota Malang", "35.73", 2022), ("report_city.txt", "Kota Bandung", "32.73", 2022)]
