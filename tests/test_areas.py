"""Area display names as a reader looks them up (dashboard/areas.py) and citations by page and line
(dashboard/cite.py), on names and numbers chosen for these tests."""

from __future__ import annotations

import pandas as pd

from dashboard import cite
from dashboard.areas import ordered, place_name, sort_key
from dashboard.dates import long_date, long_datetime
from dashboard.style import colour_map


def test_kota_and_provinsi_sort_by_place_name():
    names = ["Provinsi Jawa Barat", "Kota Bandung", "Muara Enim", "Bandung", "Kota Bekasi", "Bungo"]
    assert ordered(names) == ["Bandung", "Kota Bandung", "Kota Bekasi", "Bungo", "Provinsi Jawa Barat", "Muara Enim"]
    assert place_name("Kota Bandung") == "Bandung" and place_name("Provinsi Jawa Barat") == "Jawa Barat"
    # the warehouse's area_type decides when given
    assert sort_key("Kota Baru", "kabupaten")[1] == 0 and sort_key("Kota Baru")[1] == 1


def test_colours_follow_the_reading_order_and_stay_put():
    a = colour_map(["Kota Bandung", "Bandung", "Bungo"])
    b = colour_map(["Bungo", "Bandung", "Kota Bandung"])
    assert a == b and len(set(a.values())) == 3


def test_citations_read_page_and_line_for_pdfs_only():
    assert cite.where(612, None, "id") == "baris 612"
    assert cite.where(612, 3, "id") == "hal. 3, baris 612"
    assert cite.where(612, 3, "en") == "page 3, line 612"
    assert cite.source("x.pdf", 7, 2.0, "en") == "x.pdf, page 2, line 7"
    rows = pd.DataFrame({"source_line": [40, 12, 40], "source_page": [5, 2, 5]})
    assert cite.lines_listing(rows, "en") == "page 2, line 12; page 5, line 40"
    rows = pd.DataFrame({"source_line": [40, 12], "source_page": [None, None]})
    assert cite.lines_listing(rows, "id") == "baris 12, 40"


def test_dates_are_written_out():
    assert long_date("2026-12-01", "id") == "1 Desember 2026"
    assert long_date("2026-12-01", "en") == "1 December 2026"
    assert long_datetime("2026-11-30T00:33:04Z", "id") == "30 November 2026, 00:33 UTC"
