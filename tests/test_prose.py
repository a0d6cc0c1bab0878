"""Prose reading, rule by rule, on sentences written for these tests (own words and figures).

Each test states what a person reading the sentence takes from it: which numbers are values,
with which unit, scope and year, and which are parts of names, codes, list markers or notes.
"""

from __future__ import annotations

import time

import pytest

from pipeline.knowledge import clear_document_caches
from pipeline.observations.from_prose import read_prose
from pipeline.observations.from_tables import ReportContext
from pipeline.observations.model import Extraction
from pipeline.observations.prose_tokens import subgroup, tokens
from pipeline.parsed.prose import MAX_SENTENCE, paragraphs


def read(text: str, report_year: int = 2023, regency: str = "Sarolangun") -> Extraction:
    clear_document_caches()
    lines = text.split("\n")
    sentences = paragraphs(lines, set(), ["performance"] * len(lines))
    out = Extraction()
    read_prose(sentences, ReportContext(report_year, "annual", lines, regency), out, None)
    return out


def values_of(out: Extraction, indicator: str) -> list[tuple]:
    return [(o.value, o.scope, o.scope_level, o.year, o.kind, o.unit) for o in out.observations if o.indicator == indicator]


def token_reading(text: str) -> list[tuple[str, str | None]]:
    return [(t.text, t.skip) for t in tokens(text)]


# ---- numbers that are not values --------------------------------------------------------------

def test_a_number_inside_a_word_is_not_a_value():
    out = read("Setelah pandemi covid-19 berlalu, tingkat pengangguran terbuka tahun 2023 sebesar 6,07%.")
    assert values_of(out, "tpt") == [(6.07, "total", "total", 2023, "actual", "percent")]
    assert ("19", "in_word") in token_reading("pandemi covid-19 berlalu")
    assert ("8", "in_word") in token_reading("mendukung SDG-8 tentang pekerjaan layak")


def test_regulation_numbers_and_codes_are_not_values_nor_years():
    text = ("Sesuai PP 35/2021 dan Permenaker No. 4 tentang hubungan kerja, perselisihan hubungan industrial "
            "yang tercatat sebanyak 23 kasus.")
    out = read(text, report_year=2024)
    assert values_of(out, "disputes_registered") == [(23, "total", "total", 2024, "actual", "cases")]
    reading = dict(token_reading(text))
    assert reading["4"] == "regulation"
    assert "35" not in reading  # glued to its year by the slash: one code, not a number


def test_list_markers_are_not_values():
    text = "Pelatihan yang dilaksanakan sebagai berikut: 8. Pelatihan tata boga 15 orang; 4) Pelatihan las 12 orang"
    reading = token_reading(text)
    assert ("8", "list_marker") in reading and ("4", "list_marker") in reading
    assert ("15", None) in reading and ("12", None) in reading
    assert token_reading("3) Pelatihan operator alat berat")[0] == ("3", "list_marker")


def test_footnote_marks_are_not_values():
    assert token_reading("TPT sebesar 4,61%[2] menurut BPS") == [("4,61", None), ("2", "footnote")]
    assert token_reading("jumlah penganggur[^3] 5.210 orang")[0] == ("3", "footnote")
    assert token_reading("TPT sebesar 5,08%1) menurut Sakernas") == [("5,08", None), ("1", "footnote")]


@pytest.mark.parametrize(("text", "reasons"), [
    ("TPT diperkirakan 5-6% tahun depan", ["range", "range"]),
    ("target 3 s.d. 4 persen", ["range", "range"]),
    ("Telp. (0741) 55120", ["code", None]),
    ("rapat dimulai pukul 09.30 WIB", ["reference"]),
    ("selama 5 hari kerja", ["duration"]),
    ("pada tanggal 17 Agustus", ["reference"]),
    ("Nomor 13 Tahun 2003", ["regulation", "year"]),
])
def test_ranges_codes_times_and_dates_are_not_values(text, reasons):
    assert [t.skip for t in tokens(text)] == reasons


def test_firms_are_not_disputes():
    out = read("Perselisihan hubungan industrial yang tercatat sebanyak 9 kasus di 7 perusahaan pada tahun 2023.")
    assert values_of(out, "disputes_registered") == [(9, "total", "total", 2023, "actual", "cases")]


# ---- units: percent and rupiah -----------------------------------------------------------------

def test_persen_and_percent_sign_are_both_percentages():
    out = read("Tingkat pengangguran terbuka tahun 2022 sebesar 5,34 persen dan tahun 2023 sebesar 4,98%.")
    assert sorted(values_of(out, "tpt")) == [(4.98, "total", "total", 2023, "actual", "percent"),
                                            (5.34, "total", "total", 2022, "actual", "percent")]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("anggaran Rp 3,5 miliar", 3.5e9, "rupiah"),
    ("pagu sebesar 800 juta", 8e8, "rupiah"),
    ("realisasi Rp 4,78 M", 4.78e9, "rupiah"),
    ("alokasi Rp1,2 triliun", 1.2e12, "rupiah"),
    ("anggaran Rp 1.250 juta", 1.25e9, "rupiah"),
    ("sebanyak 812 ribu orang", 812_000, "persons"),
])
def test_scale_words_multiply(text, value, unit):
    tok = [t for t in tokens(text) if t.skip is None][0]
    assert tok.unit == unit
    assert tok.parse().value == pytest.approx(value)


def test_english_thousands_in_a_sentence():
    out = read("Jumlah angkatan kerja sebanyak 1,184,302 orang.")
    assert values_of(out, "labour_force") == [(1184302, "total", "total", 2023, "actual", "persons")]


def test_an_m_without_rupiah_is_no_billion():
    tok = tokens("jalan sepanjang 4,78 M")[0]
    assert tok.scale == 1.0 and tok.unit is None


def test_rupiah_in_words_make_a_budget_statement():
    out = read("Pagu program penempatan tenaga kerja sebesar Rp 2,4 miliar dengan realisasi Rp 2,1 miliar atau 87,50%.")
    amounts = {o.indicator: o.value for o in out.observations}
    assert amounts["budget_allocated"] == pytest.approx(2.4e9)
    assert amounts["budget_realized"] == pytest.approx(2.1e9)
    assert amounts["budget_absorption"] == pytest.approx(87.5)
    assert all(o.scope_level == "programme" for o in out.observations)


def test_realisasi_before_pagu():
    out = read("Realisasi belanja Dinas sebesar Rp 6,3 M dari pagu Rp 7 M.")
    amounts = {o.indicator: o.value for o in out.observations}
    assert amounts == {"budget_allocated": pytest.approx(7e9), "budget_realized": pytest.approx(6.3e9)}


def test_the_share_before_the_amounts():
    out = read("Realisasi penyerapan anggaran sebesar 91,8% atau Rp 4.590.000.000 dari pagu Rp 5.000.000.000.")
    got = {o.indicator: (o.value, o.scope) for o in out.observations}
    assert got == {"budget_allocated": (5e9, "total"), "budget_realized": (4.59e9, "total"),
                   "budget_absorption": (91.8, "total")}


def test_an_absorption_of_an_unnamed_activity_is_not_guessed():
    out = read("Anggaran yang digunakan untuk kegiatan ini sebesar Rp 310.000.000 dengan realisasi Rp 287.000.000 (92,58%).")
    assert values_of(out, "budget_absorption") == []


def test_a_bracketed_share_after_a_count_with_a_target_is_its_capaian():
    out = read("Dari target 450 orang pencari kerja yang ditempatkan, terealisasi 468 orang (104%).")
    assert sorted((o.indicator, o.kind, o.value) for o in out.observations) == [
        ("placements", "achievement", 104.0), ("placements", "actual", 468.0), ("placements", "target", 450.0)]


def test_a_pagu_in_billions_is_never_an_absorption():
    out = read("Pagu kegiatan pelatihan kerja 8,41 miliar.\nPenyerapan anggaran pagu 6,2 miliar belum optimal.")
    assert values_of(out, "budget_absorption") == []
    assert not any(o.unit == "percent" for o in out.observations)


def test_a_bare_whole_number_is_no_absorption():
    out = read("Terdapat 2 sub kegiatan yang belum mencapai target realisasi keuangan.")
    assert values_of(out, "budget_absorption") == []


# ---- labels wrapped over two lines ---------------------------------------------------------------

def test_a_label_wrapped_before_a_capital_is_rejoined():
    out = read("Tingkat Pengangguran\nTerbuka Kabupaten Sarolangun tahun 2023 sebesar 3,71 %.")
    assert values_of(out, "tpt") == [(3.71, "total", "total", 2023, "actual", "percent")]


def test_a_heading_is_not_joined_to_the_next_sentence():
    out = read("Capaian Kinerja\nPencari kerja terdaftar sebanyak 640 orang.")
    assert values_of(out, "job_seekers_registered") == [(640, "total", "total", 2023, "actual", "persons")]
    sentences = paragraphs(["Capaian Kinerja", "Pencari kerja terdaftar sebanyak 640 orang."], set(), ["x", "x"])
    assert [s.text for s in sentences][0] == "Capaian Kinerja"


# ---- sub-groups keep their own scope ---------------------------------------------------------------

def test_gender_parts_are_not_the_total():
    out = read("Pencari kerja yang ditempatkan sebanyak 410 orang laki-laki dan 265 orang perempuan.")
    assert sorted(values_of(out, "placements")) == [
        (265, "perempuan", "subgroup", 2023, "actual", "persons"),
        (410, "laki-laki", "subgroup", 2023, "actual", "persons")]


def test_a_breakdown_in_brackets_is_parts_of_the_figure_before_it():
    out = read("Jumlah tenaga kerja yang ditempatkan 387 orang (laki-laki 231 orang, perempuan 156 orang).")
    assert sorted(values_of(out, "placements")) == [
        (156, "perempuan", "subgroup", 2023, "actual", "persons"),
        (231, "laki-laki", "subgroup", 2023, "actual", "persons"),
        (387, "total", "total", 2023, "actual", "persons")]


def test_both_genders_named_together_is_the_total():
    out = read("Jumlah pencari kerja terdaftar laki-laki dan perempuan sebanyak 1.905 orang.")
    assert values_of(out, "job_seekers_registered") == [(1905, "total", "total", 2023, "actual", "persons")]


def test_di_antaranya_marks_a_part():
    out = read("Peserta pelatihan sebanyak 180 orang, di antaranya 64 orang perempuan.")
    assert sorted(values_of(out, "training_participants")) == [
        (64, "perempuan", "subgroup", 2023, "actual", "persons"),
        (180, "total", "total", 2023, "actual", "persons")]


def test_a_channel_is_its_own_scope():
    out = read("Pencari kerja yang ditempatkan melalui AKL sebanyak 96 orang.")
    assert values_of(out, "placements") == [(96, "AKL", "channel", 2023, "actual", "persons")]


def test_channels_listed_after_di_antaranya():
    out = read("Pencari kerja yang ditempatkan sebanyak 830 orang atau 24,70 persen, di antaranya melalui AKL "
               "sebanyak 701 orang dan AKAD sebanyak 129 orang.")
    assert sorted(values_of(out, "placements")) == [
        (129, "AKAD", "channel", 2023, "actual", "persons"),
        (701, "AKL", "channel", 2023, "actual", "persons"),
        (830, "total", "total", 2023, "actual", "persons")]


def test_a_relative_clause_leans_on_its_subject():
    out = read("Perselisihan hubungan industrial yang tercatat sebanyak 19 kasus, yang diselesaikan sebanyak 15 kasus.")
    assert values_of(out, "disputes_registered") == [(19, "total", "total", 2023, "actual", "cases")]
    assert values_of(out, "disputes_resolved") == [(15, "total", "total", 2023, "actual", "cases")]


def test_the_agency_budget_under_a_chapter_heading_is_the_total():
    out = read("BAB III AKUNTABILITAS KINERJA\nPagu anggaran Dinas Tenaga Kerja tahun 2023 sebesar Rp 6,75 miliar "
               "dengan realisasi Rp 6,02 miliar atau 89,19 persen.")
    assert {(o.indicator, o.scope) for o in out.observations} == {
        ("budget_allocated", "total"), ("budget_realized", "total"), ("budget_absorption", "total")}


def test_a_provincial_budget_is_one_funding_source():
    out = read("Peserta pelatihan sebanyak 90 orang, terdiri dari APBD Provinsi 55 orang dan APBN 35 orang.")
    assert sorted(values_of(out, "training_participants")) == [
        (35, "APBN", "funding", 2023, "actual", "persons"),
        (55, "APBD Provinsi", "funding", 2023, "actual", "persons"),
        (90, "total", "total", 2023, "actual", "persons")]


def test_millions_without_money_words_are_no_rupiah():
    assert [(t.unit, t.scale) for t in tokens("anggaran 2023 cukup, angkatan kerja sebanyak 1,2 juta")][-1] == (None, 1e6)


def test_akan_is_a_channel_only_after_melalui():
    out = read("Tenaga kerja yang ditempatkan melalui mekanisme AKAN sebanyak 38 orang.")
    assert values_of(out, "placements") == [(38, "AKAN", "channel", 2023, "actual", "persons")]
    out = read("Pencari kerja yang akan ditempatkan sebanyak 52 orang.")
    assert [v[1] for v in values_of(out, "placements")] in ([], ["total"])


def test_a_district_is_its_own_scope():
    scope = subgroup("pencari kerja terdaftar di Kecamatan Pauh sebanyak", " orang", "")
    assert scope == ("Kecamatan Pauh", "area")


def test_funding_split_versus_funding_of_the_whole():
    whole = read("Pelatihan berbasis kompetensi dari dana APBD diikuti peserta pelatihan sebanyak 140 orang.")
    assert values_of(whole, "training_participants") == [(140, "total", "total", 2023, "actual", "persons")]
    split = read("Peserta pelatihan sebanyak 140 orang, terdiri dari APBN 90 orang dan APBD 50 orang.")
    assert sorted(values_of(split, "training_participants")) == [
        (50, "APBD", "funding", 2023, "actual", "persons"),
        (90, "APBN", "funding", 2023, "actual", "persons"),
        (140, "total", "total", 2023, "actual", "persons")]


def test_key_value_lines_under_an_indicator_heading():
    out = read("Indikator Kinerja: Persentase pencari kerja yang ditempatkan\nTarget: 36%\nRealisasi: 39,4%\n"
               "Capaian: 109,44%")
    assert sorted((kind, value) for value, _, _, _, kind, _ in values_of(out, "placement_rate")) == [
        ("achievement", 109.44), ("actual", 39.4), ("target", 36.0)]


# ---- the year a sentence talks about ---------------------------------------------------------------

def test_the_year_named_in_the_sentence():
    out = read("Pada tahun 2022 tingkat pengangguran terbuka sebesar 5,62%.", report_year=2023)
    assert values_of(out, "tpt") == [(5.62, "total", "total", 2022, "actual", "percent")]


def test_a_year_after_a_figure_binds_to_that_figure_only():
    out = read("Pada tahun 2023 tingkat pengangguran terbuka turun dari 5,62% pada tahun 2022 menjadi 5,01%.")
    assert sorted(values_of(out, "tpt")) == [(5.01, "total", "total", 2023, "actual", "percent"),
                                            (5.62, "total", "total", 2022, "actual", "percent")]


def test_respectively_gives_each_figure_its_year():
    out = read("Tingkat pengangguran terbuka tahun 2021, 2022 dan 2023 masing-masing sebesar 5,9%, 5,3% dan 4,7%.")
    assert sorted((year, value) for value, _, _, year, _, _ in values_of(out, "tpt")) == [
        (2021, 5.9), (2022, 5.3), (2023, 4.7)]
    out = read("Jumlah pencari kerja terdaftar tahun 2022 dan 2023 berturut-turut 2.870 orang dan 3.015 orang.")
    assert sorted((year, value) for value, _, _, year, _, _ in values_of(out, "job_seekers_registered")) == [
        (2022, 2870), (2023, 3015)]


def test_respectively_gives_each_figure_its_group():
    out = read("Pencari kerja terdaftar laki-laki dan perempuan masing-masing 1.740 orang dan 1.275 orang.")
    assert sorted(values_of(out, "job_seekers_registered")) == [
        (1275, "perempuan", "subgroup", 2023, "actual", "persons"),
        (1740, "laki-laki", "subgroup", 2023, "actual", "persons")]


def test_respectively_that_does_not_line_up_is_left_alone():
    out = read("Tingkat pengangguran terbuka tahun 2022 dan 2023 masing-masing sebesar 5,3%.")
    assert values_of(out, "tpt") == [(5.3, "total", "total", 2023, "actual", "percent")]


def test_the_quarter_a_sentence_names():
    clear_document_caches()
    out = read("Realisasi penempatan tenaga kerja pada triwulan I tahun 2023 sebanyak 151 orang dari target 620 orang.")
    got = sorted((o.kind, o.period, o.value) for o in out.observations)
    assert got == [("actual", "Q1", 151), ("target", "annual", 620)]
    whole = read("Realisasi anggaran sampai dengan triwulan IV sebesar 96,02%.")
    assert [o.period for o in whole.observations] == ["annual"]


def test_a_count_followed_by_its_year():
    out = read("Pencari kerja terdaftar sebanyak 2.310 orang pada tahun 2022.", report_year=2023)
    assert values_of(out, "job_seekers_registered") == [(2310, "total", "total", 2022, "actual", "persons")]


def test_a_figure_against_its_target_is_the_realised_value():
    out = read("Capaian indikator persentase pencari kerja yang ditempatkan tahun 2023 sebesar 41,2% dari target 40% "
               "sehingga capaian kinerjanya 103%.")
    assert sorted((value, kind) for value, _, _, _, kind, _ in values_of(out, "placement_rate")) == [
        (40.0, "target"), (41.2, "actual"), (103.0, "achievement")]


def test_women_and_men_unemployment_rates_are_not_the_total():
    out = read("Tingkat pengangguran terbuka perempuan sebesar 6,40 persen, lebih tinggi dari laki-laki sebesar 4,31 persen.")
    assert sorted(values_of(out, "tpt")) == [(4.31, "laki-laki", "subgroup", 2023, "actual", "percent"),
                                            (6.40, "perempuan", "subgroup", 2023, "actual", "percent")]


# ---- linear time ------------------------------------------------------------------------------------

def _long_line(n: int) -> str:
    words = ("pencari kerja terdaftar sebanyak {} orang dan tingkat pengangguran terbuka {},{}% "
             "dengan anggaran Rp {},{} miliar pada kegiatan pelatihan kerja yang dilaksanakan ")
    parts, k = [], 0
    while sum(map(len, parts)) < n:
        parts.append(words.format(100 + k % 900, 1 + k % 9, k % 100, 1 + k % 7, k % 10))
        k += 1
    return "".join(parts)[:n]


def _seconds(n: int) -> float:
    line = _long_line(n)
    t = time.perf_counter()
    read(line)
    return time.perf_counter() - t


def test_a_value_on_a_huge_line_cites_its_sentence():
    line = _long_line(300_000)
    out = read(line)
    assert out.observations and max(len(o.source_text) for o in out.observations) <= 2000
    assert all(o.source_text in line for o in out.observations)  # a sentence of the line, not a copy of all of it
    tpt = [o for o in out.observations if o.indicator == "tpt"][0]
    assert f"{tpt.value:.2f}".replace(".", ",").rstrip("0").rstrip(",") in tpt.source_text


def test_sentences_are_bounded():
    sentences = paragraphs([_long_line(50_000)], set(), ["x"])
    assert len(sentences) > 30 and max(len(s.text) for s in sentences) <= MAX_SENTENCE


def test_a_megabyte_line_reads_in_linear_time():
    small = _seconds(100_000)
    big = _seconds(1_000_000)
    assert big < 20, f"1 MB of prose took {big:.1f} s"
    # quadratic reading makes ten times the text a hundred times slower; linear, about ten
    assert big / small < 30, f"100 KB: {small:.2f} s, 1 MB: {big:.2f} s"


# ---- whose figure: the agency's own, whatever its area type -------------------------------------

def test_a_kota_report_reads_its_own_figures_and_quotes_the_province():
    out = read("Tingkat pengangguran terbuka Kota Jambi tahun 2023 sebesar 7,12 persen, "
               "sedangkan TPT Provinsi Jambi sebesar 4,53 persen.", regency="Kota Jambi")
    assert values_of(out, "tpt") == [(7.12, "total", "total", 2023, "actual", "percent")]
    assert [(c.geography_level, c.value) for c in out.context] == [("province", 4.53)]


def test_kota_and_kabupaten_of_one_name_are_two_places():
    out = read("TPT Kota Bandung tahun 2023 sebesar 8,51 persen.", regency="Bandung")
    assert values_of(out, "tpt") == []
    assert [(c.geography_level, c.value) for c in out.context] == [("city", 8.51)]
    own = read("TPT Kabupaten Bandung tahun 2023 sebesar 6,52 persen.", regency="Bandung")
    assert values_of(own, "tpt") == [(6.52, "total", "total", 2023, "actual", "percent")]


# ---- sub-group rows of a table -------------------------------------------------------------------

def test_gender_rows_of_a_table_are_subgroups_not_courses():
    from pipeline.observations.extract import extract
    from pipeline.parsed.segment import segment

    text = ("BAB III AKUNTABILITAS KINERJA\n\nTabel 3.2 Pencari Kerja Menurut Jenis Kelamin Tahun 2023\n\n"
            "No\tUraian\tPencari Kerja Terdaftar (Orang)\n1\tLaki-laki\t1.317\n2\tPerempuan\t1.062\n\tJumlah\t2.379\n\n"
            "Data tersebut bersumber dari kartu AK/I.\n")
    clear_document_caches()
    lines = text.split("\n")
    ext = extract(segment(lines), 2023, "annual", "Sarolangun")
    got = sorted((o.scope, o.scope_level, o.value) for o in ext.observations if o.indicator == "job_seekers_registered")
    assert got == [("Laki-laki", "subgroup", 1317), ("Perempuan", "subgroup", 1062), ("total", "total", 2379)]
    assert ext.training_courses == []


# ---- no input breaks the reader ------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["Rp", "Rp.", "miliar", "juta", "M", "T", "ribu", "orang", "kasus", "persen", "%", "tahun", "2023", "2022",
          "masing-masing", "dan", ",", ".", ";", ":", "(", ")", "-", "/", "laki-laki", "perempuan", "APBD", "APBN",
          "Kecamatan", "melalui", "AKL", "target", "realisasi", "capaian", "pagu", "anggaran", "TPT",
          "tingkat pengangguran terbuka", "pencari kerja terdaftar", "yang ditempatkan", "di antaranya",
          "triwulan", "I", "IV", "s.d.", "covid-19", "No.", "[1]", "\n", "Tingkat Pengangguran\nTerbuka"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.from_regex(r"\d{1,4}([.,]\d{1,3}){0,3}", fullmatch=True)),
                max_size=40))
def test_any_mix_of_words_and_numbers_reads_without_error(pieces):
    out = read(" ".join(pieces))
    for o in out.observations:
        assert o.value == o.value and o.unit in ("percent", "rupiah", "persons", "count", "cases")
        assert 1 <= o.source_line and o.period in ("annual", "Q1", "Q2", "Q3", "Q4", "S1", "S2")
