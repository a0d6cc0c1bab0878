"""A short kota report written for this test, read end to end: identity, then every prose rule
together (own figures vs the province's, gender and channel parts, rupiah in words, a number
inside a word)."""

from __future__ import annotations

from pipeline.raw.decode import read_report
from pipeline.report import process_report

REPORT = """LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)
DINAS TENAGA KERJA KOTA JAMBI
TAHUN 2023

BAB III AKUNTABILITAS KINERJA

Tingkat Pengangguran Terbuka (TPT) Kota Jambi pada tahun 2023 sebesar 6,84 persen, sedangkan TPT Provinsi Jambi sebesar 4,38 persen.
Pada tahun 2023 jumlah pencari kerja yang terdaftar sebanyak 3.960 orang, terdiri dari laki-laki 2.110 orang dan perempuan 1.850 orang.
Pencari kerja yang ditempatkan sebanyak 1.188 orang atau 30,00 persen, di antaranya melalui AKL sebanyak 1.020 orang dan AKAD sebanyak 168 orang.
Selama pandemi covid-19 penempatan sempat menurun.
Pagu anggaran Dinas Tenaga Kerja tahun 2023 sebesar Rp 8,75 miliar dengan realisasi Rp 8,12 miliar atau 92,80 persen.
"""


def test_a_kota_report_end_to_end(tmp_path):
    path = tmp_path / "kota_jambi_2023.txt"
    path.write_text(REPORT, encoding="utf-8")
    r = process_report(read_report(path), path.name)
    assert r.report["regency"] == "Kota Jambi"
    stated = {(o["indicator"], o["scope"], o["kind"]): o["value"] for o in r.observations if o["method"] != "derived"}
    assert stated == {
        ("tpt", "total", "actual"): 6.84,
        ("job_seekers_registered", "total", "actual"): 3960,
        ("job_seekers_registered", "laki-laki", "actual"): 2110,
        ("job_seekers_registered", "perempuan", "actual"): 1850,
        ("placements", "total", "actual"): 1188,
        ("placement_rate", "total", "actual"): 30.0,
        ("placements", "AKL", "actual"): 1020,
        ("placements", "AKAD", "actual"): 168,
        ("budget_allocated", "total", "actual"): 8.75e9,
        ("budget_realized", "total", "actual"): 8.12e9,
        ("budget_absorption", "total", "actual"): 92.8,
    }
    assert [(c["geography_level"], c["value"]) for c in r.context_values] == [("province", 4.38)]
    assert all(o["status"] == "ok" for o in r.observations)  # 1.188 ÷ 3.960 = 30,00 %: confirmed, nothing doubted


PROVINCE = """LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)
DINAS TENAGA KERJA DAN TRANSMIGRASI PROVINSI JAMBI
TAHUN 2023

BAB III AKUNTABILITAS KINERJA

Tingkat Pengangguran Terbuka (TPT) Provinsi Jambi pada tahun 2023 sebesar 4,47 persen, tertinggi di Kota Jambi sebesar 6,91 persen dan terendah di Kabupaten Tebo sebesar 2,26 persen.
Peserta pelatihan di UPTD Balai Latihan Kerja sebanyak 560 orang, terdiri dari APBD 400 orang dan APBN 160 orang.
"""


def test_a_provincial_report_end_to_end(tmp_path):
    path = tmp_path / "provinsi_jambi_2023.txt"
    path.write_text(PROVINCE, encoding="utf-8")
    r = process_report(read_report(path), path.name)
    assert r.report["regency"] == "Provinsi Jambi"
    stated = {(o["indicator"], o["scope"]): o["value"] for o in r.observations if o["method"] != "derived"}
    assert stated == {("tpt", "total"): 4.47, ("training_participants", "total"): 560,
                      ("training_participants", "APBD"): 400, ("training_participants", "APBN"): 160}
    assert sorted((c["geography_level"], c["value"]) for c in r.context_values) == [("city", 6.91), ("regency", 2.26)]
