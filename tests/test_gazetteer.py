"""The gazetteer (pipeline/domain/regencies.yaml): every unit once, with its Kemendagri code."""

import re

import pytest

from pipeline.knowledge import AREA_TYPES, display_name, gazetteer


def test_counts_match_the_kemendagri_list():
    # Kepmendagri 100.1.1-6117/2022: 416 kabupaten + 98 kota in 38 provinces
    gaz = gazetteer()
    assert (gaz.count("kabupaten"), gaz.count("kota"), gaz.count("provinsi")) == (416, 98, 38)


def test_every_unit_has_a_unique_code_under_its_province():
    gaz = gazetteer()
    codes = [a.code for a in gaz.areas.values()]
    assert None not in codes and len(codes) == len(set(codes))
    for area in gaz.areas.values():
        province_code = gaz.areas[("provinsi", area.province)].code
        if area.area_type == "provinsi":
            assert re.fullmatch(r"\d{2}", area.code)
        else:
            # kota codes start at 71 within their province, kabupaten codes below
            assert re.fullmatch(re.escape(province_code) + r"\.\d{2}", area.code), area
            assert (int(area.code[3:]) >= 71) == (area.area_type == "kota"), area


def test_display_names_are_unique_across_area_types_and_parse_back():
    gaz = gazetteer()
    displays = [a.display for a in gaz.areas.values()]
    assert len(displays) == len(set(displays))
    for area in gaz.areas.values():
        assert gaz.from_display(area.display) == area


@pytest.mark.parametrize(("text", "area_type", "code"), [
    ("Bandung", "kabupaten", "32.04"),
    ("Kota Bandung", "kota", "32.73"),
    ("Kabupaten Bandung", "kabupaten", "32.04"),
    ("Provinsi Jawa Barat", "provinsi", "32"),
    ("Kota Pangkal Pinang", "kota", "19.71"),  # an alias
    ("Provinsi DIY", "provinsi", "34"),
])
def test_from_display(text, area_type, code):
    area = gazetteer().from_display(text)
    assert (area.area_type, area.code) == (area_type, code)


def test_match_takes_the_longest_name():
    area, n = gazetteer().match("kabupaten", "Tanjung Jabung Barat Tahun 2020".split())
    assert (area.name, n) == ("Tanjung Jabung Barat", 3)
    assert gazetteer().match("kota", ["Tanjung"]) is None


def test_display_name_convention():
    assert [display_name(t, "Bandung") for t in AREA_TYPES] == ["Bandung", "Kota Bandung", "Provinsi Bandung"]
