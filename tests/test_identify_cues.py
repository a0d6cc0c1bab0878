"""Identity of kabupaten, kota and provinsi reports: which cue decides, and what happens when
none does. The short texts here are written for the tests (places real, sentences invented)."""

import pytest

from pipeline.raw.file_name import file_name_cues
from pipeline.raw.identify import IdentificationError, identify


def report(*cover: str, body: list[str] = (), repeat: int = 1) -> list[str]:
    return [*cover, "", "KATA PENGANTAR", *list(body) * repeat]


# --- the area: kabupaten, kota or provinsi ---------------------------------------------------

@pytest.mark.parametrize(("cover", "regency", "area_type", "code", "agency"), [
    (["LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA KOTA BANDUNG"],
     "Kota Bandung", "kota", "32.73", "Dinas Tenaga Kerja"),
    (["LKjIP 2022", "Disnakertrans Provinsi Jawa Barat"],
     "Provinsi Jawa Barat", "provinsi", "32", "Dinas Tenaga Kerja dan Transmigrasi"),
    (["LAPORAN KINERJA 2023", "Disnaker Kota Surabaya"],
     "Kota Surabaya", "kota", "35.78", "Dinas Tenaga Kerja"),
    (["LAPORAN KINERJA 2023", "Dinas Perindustrian dan Tenaga Kerja (Disperinaker) Kabupaten Sukabumi"],
     "Sukabumi", "kabupaten", "32.02", "Dinas Perindustrian dan Tenaga Kerja"),
    (["LAPORAN KINERJA TAHUN 2021", "DINAS TENAGA KERJA DAN TRANSMIGRASI PROVINSI JAWA TIMUR"],
     "Provinsi Jawa Timur", "provinsi", "35", "Dinas Tenaga Kerja dan Transmigrasi"),
    (["PEMERINTAH KOTA", "PADANG PANJANG", "LAPORAN KINERJA TAHUN 2021", "DINAS TENAGA KERJA"],
     "Kota Padang Panjang", "kota", "13.74", "Dinas Tenaga Kerja"),
    (["LAPORAN KINERJA TAHUN 2021", "Dinas Tenaga Kerja Kab. Bogor"],
     "Bogor", "kabupaten", "32.01", "Dinas Tenaga Kerja"),
    (["LAPORAN KINERJA TAHUN 2021", "DINAS TENAGA KERJA, TRANSMIGRASI DAN ENERGI", "PROVINSI DKI JAKARTA"],
     "Provinsi DKI Jakarta", "provinsi", "31", "Dinas Tenaga Kerja, Transmigrasi dan Energi"),
])
def test_agency_and_area_from_the_cover(cover, regency, area_type, code, agency):
    ident = identify(report(*cover, body=["Dinas melaksanakan pelatihan kerja bagi pencari kerja."]))
    assert (ident.regency, ident.area_type, ident.area_code, ident.agency) == (regency, area_type, code, agency)


def test_provincial_agency_written_without_provinsi():
    ident = identify(report("LKjIP TAHUN 2022", "DINAS TENAGA KERJA DAN TRANSMIGRASI JAWA BARAT",
                            body=["Disnakertrans Jabar menyelenggarakan pelatihan di Kabupaten Garut."]))
    assert (ident.regency, ident.area_code) == ("Provinsi Jawa Barat", "32")


def test_a_name_shared_with_a_kota_needs_its_prefix():
    # "Jambi" alone is both Kota Jambi and Provinsi Jambi: the kabupaten named with its agency decides
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA DAN TRANSMIGRASI JAMBI",
                            body=["Dinas Tenaga Kerja Kabupaten Bungo dan Provinsi Jambi menandatangani kerja sama."]))
    assert ident.regency == "Bungo"


def test_province_abbreviated_with_a_dot():
    ident = identify(report("LAPORAN KINERJA TAHUN 2023", "DINAS TENAGA KERJA DAN TRANSMIGRASI PROV. KEP. RIAU"))
    assert (ident.regency, ident.area_code) == ("Provinsi Kepulauan Riau", "21")


def test_kota_report_naming_its_namesake_kabupaten_stays_the_kota():
    body = ["Dinas Tenaga Kerja Kota Bandung menyelenggarakan bursa kerja.",
            "Banyak pencari kerja datang dari Kabupaten Bandung dan Kabupaten Bandung Barat.",
            "Kabupaten Bandung juga mengirim peserta pelatihan ke Kota Bandung."]
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", body=body, repeat=3))
    assert (ident.regency, ident.area_code) == ("Kota Bandung", "32.73")


def test_kabupaten_report_naming_its_kota_namesake_stays_the_kabupaten():
    body = ["Dinas Tenaga Kerja Kabupaten Bandung membuka pelatihan di Soreang.",
            "Sebagian peserta bekerja di Kota Bandung dan Kota Cimahi."]
    ident = identify(report("PEMERINTAH KABUPATEN BANDUNG", "LAPORAN KINERJA 2022", body=body, repeat=2))
    assert (ident.regency, ident.area_type, ident.area_code) == ("Bandung", "kabupaten", "32.04")


def test_kabupaten_report_naming_its_province_many_times_stays_the_kabupaten():
    # the province outnumbers the kabupaten by ten mentions to one
    body = ["Provinsi Jambi mencatat TPT 4,5 persen; Pemerintah Provinsi Jambi membantu pelatihan."] * 10 + [
        "Dinas Tenaga Kerja Kabupaten Tebo melaksanakan pelatihan bersama Disnakertrans Provinsi Jambi."]
    ident = identify(report("PEMERINTAH KABUPATEN TEBO", "LAPORAN KINERJA TAHUN 2023", body=body))
    assert (ident.regency, ident.area_type, ident.province, ident.area_code) == ("Tebo", "kabupaten", "Jambi", "15.09")


def test_provincial_report_listing_its_kabupaten_and_kota_stays_the_province():
    body = ["Dinas Tenaga Kerja dan Transmigrasi Provinsi Jambi mencatat TPT per kabupaten/kota."] + [
        f"Kabupaten {k}\t3,1\t3,0" for k in ("Kerinci", "Merangin", "Bungo", "Tebo")] * 3 + [
        "Kota Jambi\t7,9\t7,7", "TPT tertinggi di Kota Jambi; kantor dinas berada di Kota Jambi."] * 3
    ident = identify(report("LAPORAN KINERJA INSTANSI PEMERINTAH", "PROVINSI JAMBI", "TAHUN 2023", body=body))
    assert (ident.regency, ident.area_type, ident.area_code, ident.province) == ("Provinsi Jambi", "provinsi", "15", "Jambi")


def test_no_number_of_plain_mentions_outweighs_the_agency_and_cover():
    # a provincial report whose tables name its capital on every row
    body = ["Dinas Tenaga Kerja dan Transmigrasi Provinsi Riau menyusun laporan ini."] + [
        f"Kota Pekanbaru\t{k}\t3,{k}" for k in range(80)]
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "PEMERINTAH PROVINSI RIAU", body=body))
    assert ident.regency == "Provinsi Riau" and "high confidence" in ident.evidence["regency"]
    # a kota report that names the namesake kabupaten fifty times
    body = ["Dinas Tenaga Kerja Kota Bekasi membuka bursa kerja."] + ["Pekerja dari Kabupaten Bekasi."] * 50
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "PEMERINTAH KOTA BEKASI", body=body))
    assert ident.regency == "Kota Bekasi" and "high confidence" in ident.evidence["regency"]


def test_plain_mentions_alone_decide_only_when_clearly_ahead():
    lines = ["Laporan Kinerja Tahun 2022."] + ["Pencari kerja di Kota Blitar bertambah."] * 4 + [
        "Sebagian dari Kabupaten Blitar."]
    assert identify(lines).regency == "Kota Blitar"
    with pytest.raises(IdentificationError):  # two against two: nothing says which
        identify(["Laporan Kinerja Tahun 2022."] + ["Kota Blitar dan Kabupaten Blitar."] * 2)


def test_observations_get_the_display_name_but_identity_keeps_the_bare_name():
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA KOTA BOGOR"))
    assert (ident.regency, ident.name, ident.area_type) == ("Kota Bogor", "Bogor", "kota")


# --- the report year ---------------------------------------------------------------------------

def test_year_from_tahun_anggaran_without_a_title_year():
    body = ["Dinas Tenaga Kerja Kabupaten Kebumen melaksanakan program Tahun Anggaran 2021.",
            "Peraturan Bupati Kebumen Nomor 40 Tahun 2019 tentang kedudukan dinas.",
            "Rencana Strategis 2021-2026 menjadi acuan."]
    ident = identify(report("LAPORAN KINERJA", "DINAS TENAGA KERJA KABUPATEN KEBUMEN", body=body, repeat=2))
    assert ident.report_year == 2021 and "medium confidence" in ident.evidence["report_year"]


def test_year_from_the_lkjip_code_in_the_body():
    ident = identify(["Dinas Tenaga Kerja Kabupaten Kebumen menyusun LKjIP 2022 sebagai pertanggungjawaban."] * 3)
    assert ident.report_year == 2022


def test_year_from_the_values_alone_loads_with_a_warning():
    body = ["No\tIndikator\tRealisasi 2020\tTarget 2021\tRealisasi 2021",
            "Realisasi 2021 peserta pelatihan sebanyak 120 orang.",
            "Capaian tahun 2021 lebih baik dari realisasi 2020.",
            "Realisasi 2021 penempatan sebanyak 80 orang."]
    ident = identify(report("LAPORAN KINERJA", "DINAS TENAGA KERJA KABUPATEN KEBUMEN", body=body))
    assert ident.report_year == 2021
    assert "low confidence" in ident.evidence["report_year"]
    assert any("report year 2021 is uncertain" in w and "report_year: 2021" in w for w in ident.warnings)


def test_tied_years_are_broken_by_the_file_name_then_by_the_first_statement():
    lines = report("DINAS TENAGA KERJA KABUPATEN KEBUMEN",
                   body=["Program Tahun Anggaran 2022 dilaksanakan.", "Program Tahun Anggaran 2023 disusun."])
    by_name = identify(lines, file_name="lkjip_2023.txt")
    assert by_name.report_year == 2023 and any("decided by the file name" in w for w in by_name.warnings)
    by_order = identify(lines)
    # equal scores: the year stated first (line 4, before 2023 on line 5) wins, and says so
    assert by_order.report_year == 2022 and "stated first" in by_order.evidence["report_year"]
    assert identify(list(reversed(lines))).report_year == 2023


def test_file_name_does_not_override_a_title_year_but_is_reported():
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA KOTA BANDUNG"), file_name="LKjIP_2023.pdf")
    assert ident.report_year == 2022
    assert any("names 2023" in w and "2022 kept" in w for w in ident.warnings)


# --- the period ----------------------------------------------------------------------------------

def test_quarter_columns_in_an_annual_report_do_not_make_it_quarterly():
    body = ["No\tUraian\tTriwulan I\tTriwulan II\tTriwulan III\tTriwulan IV",
            "| No | Program | Triwulan 1 | Triwulan 2 |",
            "Realisasi anggaran sampai dengan triwulan I tahun 2022 sebesar 20 persen."]
    lines = ["No\tUraian\tTriwulan I\tTriwulan II", *report("LAPORAN KINERJA TAHUN 2022",
                                                            "DINAS TENAGA KERJA KOTA BANDUNG", body=body, repeat=5)]
    assert identify(lines).period == "annual"


@pytest.mark.parametrize(("title", "period"), [
    ("LAPORAN KINERJA TRIWULAN KEDUA TAHUN 2022", "Q2"),
    ("LAPORAN KINERJA SEMESTER II TAHUN 2022", "S2"),
    ("LAPORAN KINERJA TW. III TAHUN 2022", "Q3"),
    ("LAPORAN KINERJA TAHUNAN 2022", "annual"),
])
def test_period_on_the_cover(title, period):
    assert identify(report(title, "DINAS TENAGA KERJA KOTA BANDUNG")).period == period


def test_a_sentence_about_quarterly_reports_is_not_the_period():
    body = ["Laporan kinerja ini disusun setiap tahun, selain laporan triwulan I sampai IV kepada Wali Kota.",
            "Laporan Kinerja Dinas Tenaga Kerja Kota Bandung dalam triwulan I mencatat kenaikan pencari kerja."]
    assert identify(report("LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA KOTA BANDUNG", body=body, repeat=3)).period == "annual"


def test_quarter_from_the_reports_own_title_phrase_without_a_cover():
    lines = ["Laporan Kinerja Triwulan II Tahun 2022 Dinas Tenaga Kerja Kota Bandung disusun sebagai bahan evaluasi."] * 2
    ident = identify(lines)
    assert (ident.period, ident.report_year) == ("Q2", 2022)


# --- the file name and the manifest -------------------------------------------------------------

@pytest.mark.parametrize(("name", "displays", "year"), [
    ("kota-bandung_2022.txt", ["Kota Bandung"], 2022),
    ("LKjIP_2021.pdf", [], 2021),
    ("000_dca929226cb0e028.txt", [], None),
    ("lkjip-kab-tanjung-jabung-barat-2020.pdf", ["Tanjung Jabung Barat"], 2020),
    ("Disnakertrans_Prov_Jambi_2023.pdf", ["Provinsi Jambi"], 2023),
    ("bandung_2022.txt", ["Bandung", "Kota Bandung"], 2022),  # ambiguous without a prefix
    ("laporan_batu_2021-2022.txt", [], None),  # "batu" is also a word; two years say nothing
])
def test_file_name_cues(name, displays, year):
    cues = file_name_cues(name)
    assert ([a.display for a in cues.areas], cues.year) == (displays, year)


def test_uncertain_area_settled_by_the_file_name_with_a_warning():
    lines = ["Laporan kinerja dinas tahun 2022.", "Pencari kerja dari Bandung mendaftar di dinas."] * 3
    ident = identify(lines, file_name="kota-bandung_2022.txt")
    assert (ident.regency, ident.area_code, ident.report_year) == ("Kota Bandung", "32.73", 2022)
    assert any("decided by the file name 'kota-bandung_2022.txt'" in w for w in ident.warnings)


def test_file_name_does_not_override_the_agency_named_in_the_text_but_is_reported():
    ident = identify(report("LAPORAN KINERJA TAHUN 2022", "DINAS TENAGA KERJA KOTA BANDUNG"), file_name="kab-garut_2022.txt")
    assert ident.regency == "Kota Bandung"
    assert any("names 'Garut'" in w and "'Kota Bandung' kept" in w for w in ident.warnings)


def test_file_name_breaks_a_tie_in_the_text():
    lines = ["Laporan Kinerja Tahun 2022.", "Kota Blitar dan Kabupaten Blitar."] * 2
    ident = identify(lines, file_name="lkjip_kab_blitar.txt")
    assert ident.regency == "Blitar" and any("decided by the file name" in w for w in ident.warnings)


def test_ambiguous_file_name_is_settled_by_the_text():
    lines = ["Laporan kinerja dinas tahun 2022.", "Bursa kerja di Kota Bandung."]
    ident = identify(lines, file_name="bandung_2022.txt")
    assert ident.regency == "Kota Bandung"


def test_manifest_settles_what_the_text_cannot_and_says_so():
    ident = identify(["Laporan kinerja dinas.", "Pelatihan kerja bagi warga."],
                     {"regency": "Provinsi Jawa Barat", "report_year": 2022}, file_name="x.txt")
    assert (ident.regency, ident.area_type, ident.area_code, ident.report_year) == ("Provinsi Jawa Barat", "provinsi", "32", 2022)
    assert any("'Provinsi Jawa Barat' decided by data/raw/manifest.yaml" in w for w in ident.warnings)
    assert any("report year 2022 decided by data/raw/manifest.yaml" in w for w in ident.warnings)


def test_unsettled_area_says_what_to_add_to_the_manifest():
    with pytest.raises(IdentificationError) as err:
        identify(["Laporan Kinerja Tahun 2022", "Pelatihan kerja di Kota Bandung dan Kabupaten Bandung."], file_name="scan7.txt")
    assert err.value.code == "unknown_regency"
    # the text's best guess is offered, and only what is missing is asked for
    assert 'Add to data/raw/manifest.yaml: files: {scan7.txt: {regency: "Kota Bandung"}}' in str(err.value)


def test_unsettled_year_has_its_own_code_and_line():
    with pytest.raises(IdentificationError) as err:
        identify(report("LAPORAN KINERJA", "DINAS TENAGA KERJA KOTA BANDUNG"), file_name="laporan.txt")
    assert err.value.code == "unknown_year"
    assert "cannot detect the report year of laporan.txt" in str(err.value)
    assert "files: {laporan.txt: {report_year: YYYY}}" in str(err.value)


def test_nothing_known_asks_for_both():
    with pytest.raises(IdentificationError) as err:
        identify(["Pelatihan kerja bagi warga."] * 5, file_name="notes.txt")
    assert err.value.code == "unknown_regency" and "report_year: YYYY" in str(err.value) and "regency: " in str(err.value)
