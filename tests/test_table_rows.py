"""Table rows as a reader lines them up: labels wrapped onto a row of their own, sub-group rows
(fixtures written for these tests)."""

from __future__ import annotations

import pytest

from pipeline.knowledge import clear_document_caches
from pipeline.observations.extract import extract
from pipeline.parsed.segment import segment

HEAD = "BAB III AKUNTABILITAS KINERJA\n\nTabel 3.1 Capaian Indikator Kinerja Utama Tahun 2023\n\n"
TAIL = "\nKeterangan: diolah dari data bidang.\n"


def read_table(body: str):
    clear_document_caches()
    lines = (HEAD + body + TAIL).split("\n")
    return extract(segment(lines), 2023, "annual", "Sarolangun")


TSV = ("No\tIndikator Kinerja\tSatuan\tTarget\tRealisasi\tCapaian (%)\n"
       "1\tPersentase pencari kerja yang\t\t\t\t\n"
       "\tditempatkan\t%\t35\t37,8\t108\n"
       "2\tTingkat Pengangguran\t%\t5,2\t4,9\t105,77\n"
       "\tTerbuka\t\t\t\t\n")
PIPE = ("| No | Indikator Kinerja | Satuan | Target | Realisasi | Capaian (%) |\n|---|---|---|---|---|---|\n"
        "| 1 | Persentase pencari kerja yang | | | | |\n| | ditempatkan | % | 35 | 37,8 | 108 |\n"
        "| 2 | Tingkat Pengangguran | % | 5,2 | 4,9 | 105,77 |\n| | Terbuka | | | | |\n")


@pytest.mark.parametrize("body", [TSV, PIPE], ids=["tsv", "pipe"])
def test_labels_wrapped_onto_their_own_row(body):
    ext = read_table(body)
    got = {(o.indicator, o.kind): o.value for o in ext.observations}
    assert got[("placement_rate", "actual")] == 37.8 and got[("placement_rate", "target")] == 35
    assert got[("tpt", "actual")] == 4.9
    names = [r.indicator_text for r in ext.indicator_rows]
    assert names == ["Persentase pencari kerja yang ditempatkan", "Tingkat Pengangguran Terbuka"]


def test_a_row_with_its_own_goal_is_not_a_wrapped_label():
    body = ("No\tSasaran\tIndikator\tTarget\tSatuan\n"
            "1\tTersedianya laporan keuangan\tJumlah laporan keuangan yang disusun\t\t\n"
            "\tTerpeliharanya aset kantor\tjumlah aset yang dipelihara\t12\tunit\n")
    ext = read_table(body)
    names = [r.indicator_text for r in ext.indicator_rows]
    assert "jumlah aset yang dipelihara" in names
    assert not any("disusun jumlah" in n for n in names)
