"""Detecting regency, province, agency, year and period from the text alone."""

import pytest

from pipeline.raw.identify import IdentificationError, identify
from tests.conftest import raw_lines


SEEDS = [
    # title "LKJIP ... 2023" (lines 8-10)
    ("000_dca929226cb0e028.txt", "Muara Enim", "Sumatera Selatan", "Dinas Tenaga Kerja dan Transmigrasi", 2023, "annual", "16.03"),
    # "LAPORAN KINERJA INSTANSI PEMERINTAH (LKJIP) 2023" (line 5)
    ("001_579666cb9ad43d5a.txt", "Paser", "Kalimantan Timur", "Dinas Tenaga Kerja dan Transmigrasi", 2023, "annual", "64.01"),
    # title says 2024 (line 5) although the table of contents names 2022 (line 59)
    ("002_62e370906eecf592.txt", "Bungo", "Jambi", "Dinas Tenaga Kerja dan Transmigrasi", 2024, "annual", "15.08"),
    # "TRIBUNAN I TAHUN 2023" (line 7, a typo of Tribulan)
    ("003_27142058ae3706f5.txt", "Lumajang", "Jawa Timur", "Dinas Tenaga Kerja", 2023, "Q1", "35.08"),
    # no title page; "LKj ... Tahun 2020" in the body (line 4); province never named
    ("004_d4a71ffeee09fb98.txt", "Tanjung Jabung Barat", "Jambi", "Dinas Tenaga Kerja", 2020, "annual", "15.06"),
]


@pytest.mark.parametrize(("name", "regency", "province", "agency", "year", "period", "code"), SEEDS)
def test_identifies_each_seed_report(name, regency, province, agency, year, period, code):
    ident = identify(raw_lines(name))
    assert (ident.regency, ident.province, ident.agency, ident.report_year, ident.period) == (
        regency, province, agency, year, period)
    assert (ident.area_type, ident.area_code) == ("kabupaten", code)
    assert not ident.warnings


@pytest.mark.parametrize(("name", "regency", "province", "agency", "year", "period", "code"), SEEDS)
def test_seed_file_names_change_nothing(name, regency, province, agency, year, period, code):
    # a hash-like name says nothing; the seeds identify the same with and without it
    ident = identify(raw_lines(name), file_name=name)
    assert (ident.regency, ident.report_year, ident.period, ident.area_code) == (regency, year, period, code)
    assert not ident.warnings


def test_quarter_mentioned_in_passing_does_not_make_a_quarterly_report():
    # Paser line 157 speaks of "triwulan 1 dan 2" — it is still an annual report
    assert identify(raw_lines("001_579666cb9ad43d5a.txt")).period == "annual"


def test_regulation_years_do_not_vote():
    lines = ["Peraturan Pemerintah Nomor 8 Tahun 2006 tentang Pelaporan"] * 30 + [
        "Laporan Kinerja Dinas Tenaga Kerja Kabupaten Lumajang Tahun 2022"] * 2 + ["Kabupaten Lumajang"] * 5
    assert identify(lines).report_year == 2022


def test_semester_report():
    lines = ["LAPORAN KINERJA SEMESTER I TAHUN 2024", "Dinas Tenaga Kerja Kabupaten Paser"] + [
        "Kabupaten Paser melaporkan capaian semester I tahun 2024"] * 5
    assert identify(lines).period == "S1"


def test_regency_outside_the_gazetteer_is_kept_with_a_warning():
    lines = ["LAPORAN KINERJA 2023", "Dinas Tenaga Kerja Kabupaten Mekar Jaya"] + ["di Kabupaten Mekar Jaya"] * 4
    ident = identify(lines)
    assert ident.regency == "Mekar Jaya" and ident.province is None
    assert "not in the gazetteer" in ident.warnings[0]


def test_undetectable_regency_raises_a_clear_error():
    with pytest.raises(IdentificationError, match="cannot detect the regency"):
        identify(["Laporan Kinerja Tahun 2023", "Dinas Tenaga Kerja"] * 20)


def test_manifest_override_wins_and_is_reported():
    ident = identify(raw_lines("003_27142058ae3706f5.txt"), {"period": "annual"})
    assert ident.period == "annual" and "overrides detected period Q1" in ident.warnings[0]
