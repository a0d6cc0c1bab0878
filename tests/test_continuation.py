"""A table split by a page break is re-joined whatever syntax it is written in.

The Bungo budget table (data/raw/002_62e370906eecf592.txt, Tabel 30, lines 881-972) is split
by five page breaks; the pieces at lines 894 and 931 start with a blank `| | | |` row followed
by a row holding only the cut-off tail of the previous row's cell ("Perubahan DPA-SKPD" at line
896, "yang Disediakan" at line 933). Written as TSV (as a converter would), the blank row cannot
exist, so the piece starts with the fragment, which counts as a header row
(pipeline/parsed/segment.py, `_fragment_header`).
"""

from __future__ import annotations

import re

from pipeline.parsed.segment import segment
from tests.conftest import raw_lines

BUNGO = "002_62e370906eecf592.txt"
TABLE = (881, 972)  # 1-based, inclusive
SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    body = line.strip()[1:-1]
    return [c.strip() for c in body.split("|")]


def _as_tsv(lines: list[str]) -> list[str]:
    """Pipe rows -> tab-separated rows; separator and all-empty rows disappear (a tab-only
    line would end a TSV table)."""
    out = []
    for line in lines:
        if line.lstrip().startswith("|"):
            if SEPARATOR.match(line):
                continue
            cells = _cells(line)
            if any(cells):
                out.append("\t".join(cells))
        else:
            out.append(line)
    return out


def _bungo_table(doc):
    return next(t for t in doc.tables if "Kegiatan / Sub Kegiatan" in " ".join(t.rows[0].texts))


def test_pipe_original_is_one_table():
    lines = raw_lines(BUNGO)[TABLE[0] - 1:TABLE[1]]
    t = _bungo_table(segment(lines))
    assert len(t.notes) == 5 and len(t.rows) == 59
    assert t.rows[8].cells[2].text.endswith("Penyusunan Dokumen Perubahan DPA-SKPD")  # fragment of line 896 joined


def test_tsv_reencoding_rejoins_pieces_that_start_with_a_cell_fragment():
    lines = raw_lines(BUNGO)[TABLE[0] - 1:TABLE[1]]
    pipe = _bungo_table(segment(lines))
    tsv_lines = _as_tsv(lines)
    assert "\t\tPerubahan DPA-SKPD" in "\n".join(tsv_lines)
    doc = segment(tsv_lines)
    t = _bungo_table(doc)
    assert t.encoding == "tsv"
    assert len(t.notes) == 5, t.notes  # five page breaks, all re-joined
    assert [r.texts for r in t.body] == [r.texts for r in pipe.body]
    assert len([x for x in doc.tables if x.encoding == "tsv"]) == 1


def test_a_new_table_with_a_real_header_is_not_merged():
    lines = [
        "Kode\tProgram\tPagu\tRealisasi",
        "2.07.01\tPROGRAM PENUNJANG\t4,250,945,003\t3,977,513,009",
        "2.07.02\tPROGRAM PELATIHAN\t1,000,000\t900,000",
        "",
        "",
        "\tTahun 2023\t",
        "2.07.01\tPROGRAM PENUNJANG\t4,000,000\t3,000,000",
    ]
    doc = segment(lines)
    assert len(doc.tables) == 2 and not doc.tables[0].notes
