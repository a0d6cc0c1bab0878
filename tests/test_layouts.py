"""One table model, every layout: the same small tables written as space-aligned columns (as
pdftotext -layout prints them), flattened one cell per line with tabs, spaces or no indent,
one-column pipe tables, and cut by page breaks with running headers and page numbers.

Fixtures are written for these tests (own words and numbers), each shaped like a table of a
seed report whose line is cited; the seeds themselves are re-rendered by bench/layouts.py.
"""

from __future__ import annotations

from pipeline.parsed.furniture import furniture_lines
from pipeline.parsed.headers import columns
from pipeline.parsed.segment import segment
from pipeline.raw.decode import RawReport
from pipeline.report import process_report


def _tables(text: str):
    return segment(text.split("\n")).tables


def _only(text: str):
    tables = _tables(text)
    assert len(tables) == 1, [(t.id, t.encoding) for t in tables]
    return tables[0]


def _cells(t):
    return [r.texts for r in t.rows]


# shaped like Lumajang's programme budget table (003_..., line 822): number, programme, pagu,
# realisasi, capaian; the long programme names wrap onto the next line as in a PDF cell
ALIGNED = """\
Tabel 3.9 Realisasi Anggaran per Program Tahun 2023

    No   Program                                    Pagu (Rp)        Realisasi (Rp)   Capaian (%)
    1    Program Perencanaan Tenaga Kerja            45.500.000          41.000.000        90,11
    2    Program Pelatihan Kerja dan                812.300.000         790.150.500        97,27
         Produktivitas Tenaga Kerja
    3    Program Penempatan Tenaga Kerja            120.000.000         118.800.000        99,00

Sumber: DPA Dinas Tenaga Kerja 2023"""


def test_space_aligned_columns_with_a_wrapped_label():
    t = _only(ALIGNED)
    assert t.encoding == "aligned" and (t.line_start, t.line_end) == (3, 7)
    assert _cells(t)[2] == ["2", "Program Pelatihan Kerja dan Produktivitas Tenaga Kerja",
                            "812.300.000", "790.150.500", "97,27"]
    assert [c.role for c in columns(t)] == ["ignore", "label_entity", "budget_allocated", "budget_realized", "achievement"]
    assert t.footnote and t.footnote[1].startswith("Sumber")


def test_space_aligned_columns_with_a_one_character_jitter():
    # converters place words by x coordinate: a column may start one character early or late
    text = "\n".join([
        "   Uraian                         2021      2022      2023",
        "   Pencari kerja terdaftar       4.102     3.980     4.415",
        "   Ditempatkan                  1.206      1.377    1.530",
        "   Lowongan kerja                  812       905     1.004",
    ])
    t = _only(text)
    assert _cells(t)[2] == ["Ditempatkan", "1.206", "1.377", "1.530"]
    assert [c.year for c in columns(t)][1:] == [2021, 2022, 2023]


def test_a_header_spanning_two_value_columns_and_a_header_over_an_empty_column():
    text = "\n".join([
        "  Indikator                       Satuan     Tahun 2023              Keterangan",
        "                                             Target    Realisasi",
        "  Tingkat Pengangguran Terbuka    %          4,50      4,21",
        "  Pencari kerja ditempatkan       orang      1.500     1.612",
    ])
    t = _only(text)
    cols = columns(t)
    assert [(c.role, c.year) for c in cols[2:4]] == [("target", 2023), ("actual", 2023)]
    assert len(cols) == 5 and cols[4].role == "ignore"  # "Keterangan" keeps its own (empty) column
    assert _cells(t)[-1][:4] == ["Pencari kerja ditempatkan", "orang", "1.500", "1.612"]


def test_two_aligned_tables_separated_by_one_blank_line_stay_apart():
    text = "\n".join([
        "  Kecamatan        Laki-laki   Perempuan",
        "  Kota Baru              120          98",
        "  Pasir Putih             77          81",
        "",
        "        No    Jenis pelatihan           Peserta    Lulus",
        "        1     Menjahit                       16       16",
        "        2     Las listrik                    20       18",
    ])
    tables = _tables(text)
    assert [(t.line_start, t.line_end) for t in tables] == [(1, 3), (5, 7)]


PAGED = """\
    No   Kegiatan                                   Pagu (Rp)      Realisasi (Rp)
    1    Penyusunan Dokumen Perencanaan              4.000.000          3.900.000
    2    Pelayanan Antar Kerja                      60.000.000         58.500.000

                                                          14
\f    LAPORAN KINERJA DINAS TENAGA KERJA KOTA CONTOH TAHUN 2023

    3    Pelatihan Berbasis Kompetensi             300.000.000        297.000.000
    4    Pengawasan Lembaga Pelatihan                9.000.000          8.100.000

                                                          15
\f    LAPORAN KINERJA DINAS TENAGA KERJA KOTA CONTOH TAHUN 2023

    5    Bursa Kerja                                25.000.000         24.000.000
    Kondisi tersebut menunjukkan bahwa serapan anggaran telah berjalan baik sepanjang tahun anggaran 2023."""


def test_page_breaks_inside_an_aligned_table_are_stepped_over():
    t = _only(PAGED)
    assert t.encoding == "aligned"
    labels = [r.texts[1] for r in t.body]
    assert labels == ["Penyusunan Dokumen Perencanaan", "Pelayanan Antar Kerja", "Pelatihan Berbasis Kompetensi",
                      "Pengawasan Lembaga Pelatihan", "Bursa Kerja"]
    assert t.body[2].line == 8  # rows keep their own lines across the break
    assert not any("LAPORAN" in c for r in t.rows for c in r.texts)


def test_furniture_is_what_repeats_at_page_breaks():
    lines = PAGED.split("\n")
    found = {lines[i].strip() for i in furniture_lines(lines)}
    assert found == {"14", "15", "LAPORAN KINERJA DINAS TENAGA KERJA KOTA CONTOH TAHUN 2023"}
    # without form feeds nothing is furniture: a lone number may be a flattened table's cell
    assert furniture_lines([ln.replace("\f", "") for ln in lines]) == set()


# shaped like Tanjung Jabung Barat's flattened budget table (004_..., lines 361-395)
FLAT_ROWS = [
    ["NO", "PROGRAM", "ANGGARAN", "SUMBER"],
    ["1.", "Program Pelayanan Administrasi Perkantoran", "Rp.", "512.400.000", "APBD"],
    ["2.", "Program Peningkatan Kesempatan Kerja", "Rp.", "230.750.000", "APBD"],
    ["3.", "Program Perlindungan Tenaga Kerja", "Rp.", "88.100.000", "APBD"],
]


def _flat(indent: str) -> str:
    return "\n\n".join("\n".join(indent + c for c in row) for row in FLAT_ROWS)


def test_flattened_table_whatever_the_indent():
    for indent in ("\t", "    ", ""):
        t = _only("Tabel 2.3 Program dan Anggaran\n\n" + _flat(indent) + "\n\n\n\n\nBAB III\n")
        assert t.encoding == "flat", repr(indent)
        body = [r.texts[-3:] for r in t.body]
        assert body == [["Program Pelayanan Administrasi Perkantoran", "512.400.000", "APBD"],
                        ["Program Peningkatan Kesempatan Kerja", "230.750.000", "APBD"],
                        ["Program Perlindungan Tenaga Kerja", "88.100.000", "APBD"]], repr(indent)


def test_short_paragraphs_of_prose_are_not_a_flattened_table():
    text = "\n".join([
        "BAB II", "", "PERENCANAAN KINERJA", "", "A. Rencana Strategis", "",
        "Visi dinas adalah terwujudnya tenaga kerja yang kompeten.", "",
        "Misi pertama meningkatkan mutu pelatihan.", "Misi kedua memperluas kesempatan kerja.", "",
        "B. Perjanjian Kinerja",
    ])
    assert _tables(text) == []


def test_one_column_pipe_table():
    text = "\n".join([
        "| Sasaran strategis |",
        "|---|",
        "| Meningkatnya penempatan tenaga kerja |",
        "| Menurunnya tingkat pengangguran terbuka |",
    ])
    t = _only(text)
    assert t.encoding == "pipe" and _cells(t)[1:] == [["Meningkatnya penempatan tenaga kerja"],
                                                       ["Menurunnya tingkat pengangguran terbuka"]]


def _report(text: str, name: str = "contoh.txt") -> dict:
    from pathlib import Path

    raw = RawReport(path=Path(name), sha256="0" * 64, encoding="utf-8", lines=text.split("\n"))
    return process_report(raw, name)


COVER = """LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)
DINAS TENAGA KERJA KABUPATEN LUMAJANG
TAHUN 2023

BAB III AKUNTABILITAS KINERJA
"""


def test_values_read_from_an_aligned_table_end_to_end():
    result = _report(COVER + ALIGNED)
    got = {(o["indicator"], o["scope"], o["kind"]): o["value"] for o in result.observations if o["method"] == "table"}
    assert got[("budget_allocated", "Program Pelatihan Kerja dan Produktivitas Tenaga Kerja", "actual")] == 812_300_000
    assert got[("budget_realized", "Program Penempatan Tenaga Kerja", "actual")] == 118_800_000
    line = next(o["source_line"] for o in result.observations
                if o["indicator"] == "budget_realized" and o["scope"].startswith("Program Penempatan"))
    assert (COVER + ALIGNED).split("\n")[line - 1].strip().startswith("3    Program Penempatan")


def test_low_coverage_is_raised_for_a_report_without_its_tables():
    prose = " ".join(["Dinas Tenaga Kerja melaksanakan program sesuai rencana kerja tahun 2023."] * 3)
    text = COVER + "\n".join([prose] * 400)
    result = _report(text)
    codes = [w["code"] for w in result.warnings]
    assert "low_coverage" in codes
    msg = next(w["message"] for w in result.warnings if w["code"] == "low_coverage")
    assert "tpt" in msg and "budget_absorption" in msg  # it names what is missing


def test_seeds_have_no_low_coverage(con):
    n = con.execute("SELECT count(*) FROM warnings WHERE code = 'low_coverage'").fetchone()[0]
    assert n == 0
    cover = con.execute("SELECT regency, coverage FROM reports").fetchall()
    assert all('"low": false' in c for _, c in cover)


def test_build_summary_highlights_low_coverage(tmp_path):
    # Paser (001_..., 1927 lines) with every table line removed: only its prose is left
    from typer.testing import CliRunner

    from pipeline.cli import app
    from tests.conftest import RAW

    raw = tmp_path / "raw"
    raw.mkdir()
    lines = (RAW / "001_579666cb9ad43d5a.txt").read_text(encoding="utf-8").split("\n")
    prose = [ln for ln in lines if "\t" not in ln and not ln.lstrip().startswith("|") and "<t" not in ln.lower()]
    (raw / "paser_tanpa_tabel.txt").write_text("\n".join(prose), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--raw", str(raw), "--db", str(tmp_path / "c" / "w.duckdb"), "-q"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "LOW" in result.output and "low coverage" in result.output and "placement_rate" in result.output
