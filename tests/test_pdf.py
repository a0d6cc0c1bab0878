"""PDF reports: read directly, cited by page and line of the stored text; scans, encrypted and
damaged files each refused with their own message while the other reports load.

The PDFs are written here with fpdf2 (own words and numbers), the way office software prints
an LKjIP: a cover, paragraphs, a ruled table that runs over a page break, a running header.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.build import run
from tests.conftest import RAW

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LUMAJANG = "003_27142058ae3706f5.txt"

BUDGET_ROWS = [
    ("1", "Program Perencanaan Tenaga Kerja", "45.500.000", "41.000.000", "90,11"),
    ("2", "Program Pelatihan Kerja dan Produktivitas Tenaga Kerja", "812.300.000", "790.150.500", "97,27"),
    ("3", "Program Penempatan Tenaga Kerja", "120.000.000", "118.800.000", "99,00"),
    ("4", "Program Hubungan Industrial", "64.250.000", "60.100.000", "93,54"),
]


def _report_pdf(path: Path, *, encrypt: bool = False, filler_rows: int = 38,
                office: str = "DINAS TENAGA KERJA KOTA PASURUAN") -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Report(FPDF):
        def header(self):
            self.set_font("body", size=7)
            self.cell(0, 4, f"LKjIP {office.title()}", align="R", new_x="LMARGIN", new_y="NEXT")

        def footer(self):
            self.set_y(-12)
            self.set_font("body", size=7)
            self.cell(0, 6, str(self.page_no()), align="C")

    pdf = Report(format="A4")
    pdf.add_font("body", "", FONT)
    pdf.add_font("body", "B", FONT)
    if encrypt:
        pdf.set_encryption(owner_password="pemilik", user_password="rahasia")
    pdf.add_page()
    pdf.set_font("body", size=14)
    for line in ("LAPORAN KINERJA INSTANSI PEMERINTAH", office, "TAHUN 2023"):
        pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=10)
    pdf.multi_cell(0, 5, "BAB III AKUNTABILITAS KINERJA", new_x="LMARGIN", new_y="NEXT")
    area = office.split("KERJA ", 1)[1].replace("DAN TRANSMIGRASI ", "").title()
    pdf.multi_cell(0, 5, f"Tingkat Pengangguran Terbuka (TPT) {area} pada tahun 2023 sebesar 4,72 persen, "
                         "turun dari tahun sebelumnya.", new_x="LMARGIN", new_y="NEXT")
    for k in range(filler_rows):  # push the table over the page break
        pdf.multi_cell(0, 5, f"Uraian kegiatan pendukung nomor {k + 1} dilaksanakan sesuai jadwal.",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, "Tabel 3.9 Realisasi Anggaran per Program Tahun 2023", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(10, 80, 35, 35, 20), first_row_as_headings=True,
                   headings_style=FontFace(emphasis="BOLD")) as table:
        for row in [("No", "Program", "Pagu (Rp)", "Realisasi (Rp)", "Capaian (%)"), *BUDGET_ROWS]:
            r = table.row()
            for c in row:
                r.cell(c)
    pdf.output(str(path))


def _corpus(tmp_path: Path, *extra: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / LUMAJANG, raw / LUMAJANG)
    for p in extra:
        shutil.move(p, raw / p.name)
    return raw


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    _report_pdf(tmp / "kota-pasuruan_2023.pdf")
    raw = _corpus(tmp, tmp / "kota-pasuruan_2023.pdf")
    db = tmp / "curated" / "warehouse.duckdb"
    outcome = run(raw, db, force=True, export=False)
    return db, outcome


def test_a_pdf_builds_with_page_and_line_sources(pdf_build):
    db, outcome = pdf_build
    assert not [p for p in outcome.problems if p.severity == "error"], outcome.problems
    con = duckdb.connect(str(db), read_only=True)
    kind, pages, text_file, regency, area_type, year = con.execute(
        "SELECT source_kind, n_pages, text_file, regency, area_type, report_year FROM reports "
        "WHERE source_file = 'kota-pasuruan_2023.pdf'").fetchone()
    assert (kind, pages, text_file) == ("pdf", 2, "text/kota-pasuruan_2023.pdf.txt")
    assert (regency, area_type, year) == ("Kota Pasuruan", "kota", 2023)  # a city office, read from the PDF's cover
    text = (db.parent / text_file).read_text(encoding="utf-8").split("\n")
    rows = con.execute("""SELECT scope, value, source_line, source_page FROM observations
                          WHERE source_file = 'kota-pasuruan_2023.pdf' AND indicator = 'budget_allocated'
                            AND method = 'table'""").fetchall()
    got = {scope: (value, line, page) for scope, value, line, page in rows}
    for _, name, pagu, _, _ in BUDGET_ROWS:
        value, line, page = got[name]
        assert value == float(pagu.replace(".", ""))
        assert pagu in text[line - 1]  # the cited line of the stored text holds the number
        assert page == 1 + sum("\f" in t for t in text[:line])
    assert {got[n][2] for _, n, *_ in BUDGET_ROWS} == {1, 2}  # the table runs over the page break
    tpt = con.execute("""SELECT value, source_page FROM observations WHERE source_file = 'kota-pasuruan_2023.pdf'
                          AND indicator = 'tpt' AND kind = 'actual' AND year = 2023""").fetchall()
    assert (4.72, 1) in tpt
    # a text report beside it cites no page
    assert con.execute("SELECT count(*) FROM observations WHERE source_file = ? AND source_page IS NOT NULL",
                       [LUMAJANG]).fetchone()[0] == 0


def test_a_provincial_office_pdf_is_the_province(tmp_path):
    _report_pdf(tmp_path / "lkjip_2023.pdf", office="DINAS TENAGA KERJA DAN TRANSMIGRASI PROVINSI JAMBI", filler_rows=5)
    raw = _corpus(tmp_path, tmp_path / "lkjip_2023.pdf")
    db = tmp_path / "w.duckdb"
    run(raw, db, export=False)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT regency, area_type, area_code FROM reports WHERE source_file = 'lkjip_2023.pdf'").fetchone() \
        == ("Provinsi Jambi", "provinsi", "15")
    # its budget table is the province's own, read from the ruled PDF table
    assert con.execute("SELECT count(*) FROM observations WHERE source_file = 'lkjip_2023.pdf' "
                       "AND indicator = 'budget_allocated' AND method = 'table'").fetchone()[0] == len(BUDGET_ROWS)


def test_an_unchanged_pdf_is_not_parsed_again(pdf_build, tmp_path):
    db, _ = pdf_build
    raw = db.parent.parent / "raw"
    outcome = run(raw, db, force=True, export=False)
    assert outcome.cached == 2


def test_the_text_of_a_removed_pdf_is_removed(tmp_path):
    _report_pdf(tmp_path / "kota-pasuruan_2023.pdf")
    raw = _corpus(tmp_path, tmp_path / "kota-pasuruan_2023.pdf")
    db = tmp_path / "curated" / "warehouse.duckdb"
    run(raw, db, export=False)
    assert (db.parent / "text" / "kota-pasuruan_2023.pdf.txt").exists()
    (raw / "kota-pasuruan_2023.pdf").unlink()
    run(raw, db, export=False)
    assert not (db.parent / "text" / "kota-pasuruan_2023.pdf.txt").exists()


def _scan_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(3):  # pages with drawings only, as a scanner's images carry no text
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    pdf.output(str(path))


@pytest.mark.parametrize(("make", "expected"), [
    (_scan_pdf, "no text layer"),
    (lambda p: _report_pdf(p, encrypt=True), "encrypted"),
    (lambda p: (_report_pdf(p), p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3])), "damaged"),
])
def test_bad_pdfs_each_get_their_own_message(tmp_path, make, expected):
    bad = tmp_path / "laporan.pdf"
    make(bad)
    raw = _corpus(tmp_path, bad)
    outcome = run(raw, tmp_path / "w.duckdb", force=True, export=False)
    problem = next(p for p in outcome.problems if p.file == "laporan.pdf")
    assert problem.severity == "error" and expected in problem.message, problem.message
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT regency FROM reports").fetchall() == [("Lumajang",)]
