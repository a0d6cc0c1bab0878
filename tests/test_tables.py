"""Finding tables in every encoding the reports use, and reading their headers."""

from pipeline.parsed.headers import columns
from pipeline.parsed.segment import segment


def _only_table(text: str):
    doc = segment(text.split("\n"))
    assert len(doc.tables) == 1, [t.id for t in doc.tables]
    return doc.tables[0]


def test_tab_separated_table_with_group_headers():
    # shaped like Lumajang Tabel 3.5 (line 558): KINERJA / ANGGARAN groups over target/realisasi/capaian
    text = "\n".join([
        "Tabel 3.5 Perbandingan Capaian Tribulan I Tahun 2023",
        "NO\tINDIKATOR KINERJA\tKINERJA\t\t\tANGGARAN\t\t",
        "\t\tTARGET\tREALISASI\tCAPAIAN (%)\tTARGET\tREALISASI\tCAPAIAN (%)",
        "1\t2\t3\t4\t5\t6\t7\t8",
        "1\tPersentase Pencari Kerja yang ditempatkan\t48%\t72,39%\t150.81\t281,325,500\t3,400,000\t1.21",
    ])
    t = _only_table(text)
    assert t.encoding == "tsv" and (t.line_start, t.line_end) == (2, 5) and t.header_rows == 3
    roles = [c.role for c in columns(t)]
    assert roles == ["ignore", "label_indicator", "target", "actual", "achievement",
                     "budget_allocated", "budget_realized", "budget_absorption"]
    assert t.caption[-1][1].startswith("Tabel 3.5")


def test_markdown_pipe_table_with_two_row_header_and_years():
    # shaped like Bungo Tabel 3.5 (line 729)
    text = "\n".join([
        "| No | Uraian | Satuan | Target 2024 | Realisasi | | | |",
        "|----|---|--------|-------------|-----------|------|------|----|",
        "| | | | | 2022 | 2023 | 2024 | % |",
        "| 1 | Tingkat Pengangguran Terbuka | % | 5,88 | 3,24 | 5,34 | 5.39 | 91 |",
    ])
    t = _only_table(text)
    assert t.encoding == "pipe" and t.header_rows == 2
    cols = columns(t)
    assert [(c.role, c.year) for c in cols[3:]] == [
        ("target", 2024), ("actual", 2022), ("actual", 2023), ("actual", 2024), ("achievement", 2024)]


def test_html_table_with_colspan_and_inline_tags():
    text = "\n".join([
        "<table>",
        "<tr><th rowspan='2'>Uraian</th><th colspan='2'>Realisasi</th></tr>",
        "<tr><th>2022</th><th>2023</th></tr>",
        "<tr><td><b>Jumlah Pencari Kerja Terdaftar</b></td><td>4.423</td><td>3.111</td></tr>",
        "</table>",
    ])
    t = _only_table(text)
    assert t.encoding == "html" and t.header_rows == 2
    assert t.body[0].texts == ["Jumlah Pencari Kerja Terdaftar", "4.423", "3.111"]
    assert t.body[0].cells[1].line == 4
    assert [(c.role, c.year) for c in columns(t)][1:] == [("actual", 2022), ("actual", 2023)]


def test_table_flattened_to_one_cell_per_line():
    # shaped like Tanjung Jabung Barat lines 539-560: cells on their own tabbed lines, header
    # cells wrapped onto untabbed lines ("PAGU" / "(Rp)"), rows separated by blank lines
    text = "\n".join([
        "Realisasi Program dan Kegiatan Tahun 2019", "",
        "\tNo", "\tPROGRAM/KEGIATAN", "",
        "\tPAGU", "(Rp)", "\tREALISASI", "(Rp)", "\tKEUANGAN", "%", "",
        "\t1.", "\tPELAYANAN ADMINISTRASI PERKANTORAN", "\t813.399.847,00", "\t772.347.557", "\t94,95", "",
        "\t", "\tPenyediaan Jasa Surat Menyurat", "\t1.755.000,00", "\t1.755.000", "\t100", "",
    ])
    t = _only_table(text)
    assert t.encoding == "flat"
    assert [c.role for c in columns(t)] == ["ignore", "label_entity", "budget_allocated", "budget_realized", "budget_absorption"]
    rows = [r.texts for r in t.body]
    assert rows[0] == ["1.", "PELAYANAN ADMINISTRASI PERKANTORAN", "813.399.847,00", "772.347.557", "94,95"]
    assert rows[1][1:] == ["Penyediaan Jasa Surat Menyurat", "1.755.000,00", "1.755.000", "100"]
    assert t.body[0].cells[2].line == 15  # the pagu value's own line


def test_page_break_continuation_is_joined():
    text = "\n".join([
        "| Kode | Kegiatan | Pagu | Realisasi |",
        "|---|---|---|---|",
        "| 2.07.01 | PROGRAM PENUNJANG URUSAN | 4,250,945,003.00 | 3,977,513,009 |",
        "",
        "*Laporan Kinerja Dinas Tenaga Kerja dan Transmigrasi Kabupaten Bungo",
        "Tahun 2020*",
        "",
        "| | | | |",
        "|---|---|---|---|",
        "| 2.07.03 | PROGRAM PELATIHAN KERJA | 229,364,668.00 | 224,066,629 |",
    ])
    t = _only_table(text)
    assert len(t.body) == 2 and t.notes and "page break" in t.notes[0]


def test_years_in_a_target_group_that_run_backwards_are_repaired():
    # Muara Enim line 1130: "Target: 2021 2018 2019 | Realisasi: 2021 2022 2023"
    text = "\n".join([
        "No\tUraian\tTarget\t\t\tRealisasi\t\t",
        "\t\t2021\t2018\t2019\t2021\t2022\t2023",
        "1\tΣ Kasus yang diselesaikan\t38 kasus\t18 kasus\t27 kasus\t31 kasus\t21 kasus\t12 kasus",
    ])
    cols = columns(_only_table(text))
    assert [(c.role, c.year) for c in cols[2:]] == [
        ("target", 2021), ("actual", 2018), ("actual", 2019), ("actual", 2021), ("actual", 2022), ("actual", 2023)]
    assert "years run backwards" in cols[3].notes[0]
