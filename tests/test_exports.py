"""Files a reader takes away: chart images (PNG, SVG via kaleido + the system Chromium), data
(CSV, XLSX) and the briefing deck (PPTX). Figures are built by dashboard.charts from real rows of
the session's warehouse, exactly as the pages build them — no hand-made numbers.

Chromium is required (CI installs it): these tests really render. One kaleido server serves
the whole module (dashboard.exports keeps it for the life of the process).
"""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dashboard import charts, exports
from dashboard.comparability import footnote, notes
from dashboard.components import export_table
from datetime import date

from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from dashboard.deck import PICTURE_HEIGHT, PICTURE_PX, build_deck, slide_figure
from dashboard.exports import ExportSpec, chart_image, csv_bytes, image, standalone_figure, xlsx_bytes
from dashboard.i18n import t
from dashboard.style import colour_map
from dashboard.view import latest, matching

LANG = "en"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
OBS = """regency, indicator, scope, scope_level, year, period, kind, value, unit, method, status, definition,
         formula, label, section, source_file, source_line, source_text"""


# ---- real rows, real figures ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def wh(con):
    """What the pages read: reports, indicator titles, headline rows (as dashboard.data.headline)."""
    reports = con.execute("SELECT * FROM reports ORDER BY regency, report_year").df()
    regencies = sorted(reports["regency"])
    indicators = con.execute("SELECT * FROM indicators").df().set_index("indicator")
    headline = con.execute(f"SELECT {OBS}, n_candidates, has_conflict FROM headline "
                           "ORDER BY regency, indicator, year, period, kind").df()
    return dict(reports=reports, regencies=regencies, colours=colour_map(regencies),
                title=lambda ind: indicators.loc[ind, "title_en"], short=lambda ind: indicators.loc[ind, "short_en"],
                headline=headline, total=headline[headline["scope"] == "total"])


def _bar_spec(wh, indicator: str, unit: str) -> tuple[ExportSpec, pd.DataFrame]:
    rows = wh["total"][(wh["total"]["indicator"] == indicator) & (wh["total"]["unit"] == unit)]
    shown = latest(rows, None)
    targets = matching(rows, shown, "target")
    missing = [r for r in wh["regencies"] if r not in set(shown["regency"])]
    fig = charts.bar_by_regency(shown, wh["colours"], unit, LANG, targets=targets, missing=missing,
                                value_name=wh["short"](indicator))
    used = pd.concat([shown, targets])
    return ExportSpec(wh["title"](indicator), fig, footnote(used, LANG),
                      notes(shown, wh["reports"], LANG, missing)), used


def _multiples_spec(wh, measures: list[str], title: str) -> tuple[ExportSpec, pd.DataFrame]:
    rows = wh["total"][wh["total"]["unit"].isin(["persons", "count"])]
    shown = pd.concat([latest(rows[rows["indicator"] == m], None) for m in measures])
    fig = charts.small_multiples(shown, [(m, wh["short"](m)) for m in measures], wh["colours"], LANG)
    return ExportSpec(title, fig, footnote(shown, LANG), notes(shown, wh["reports"], LANG)), shown


def _pagu_spec(wh) -> tuple[ExportSpec, pd.DataFrame]:
    total = wh["total"][wh["total"]["kind"] == "actual"]
    out, used = [], []
    for regency, grp in total.groupby("regency"):
        real = grp[grp["indicator"] == "budget_realized"]
        pagu = latest(grp[(grp["indicator"] == "budget_allocated") & grp["year"].isin(set(real["year"]))], None)
        if pagu.empty:
            continue
        p = pagu.iloc[0]
        r = real[real["year"] == p["year"]].iloc[0]
        out.append(dict(regency=regency, label=f"{regency} · {int(p['year'])}", pagu=p["value"], realisasi=r["value"],
                        absorption=r["value"] / p["value"] * 100, src_pagu=f"{p['source_file']} l. {p['source_line']}",
                        src_real=f"{r['source_file']} l. {r['source_line']}"))
        used += [p.to_dict(), r.to_dict()]
    used = pd.DataFrame(used)
    fig = charts.pagu_vs_realisasi(pd.DataFrame(out), wh["colours"], LANG, label_col="label")
    return (ExportSpec(t("budget.pagu_title", LANG), fig, footnote(used, LANG),
                       notes(used, wh["reports"], LANG) + [t("budget.pagu_note", LANG)]), used)


@pytest.fixture(scope="module")
def specs(wh) -> list[tuple[ExportSpec, pd.DataFrame]]:
    """Six charts as the pages draw them, each with the rows behind it."""
    tpt = wh["total"][(wh["total"]["indicator"] == "tpt") & (wh["total"]["unit"] == "percent")]
    actual = tpt[tpt["kind"] == "actual"]
    series = ExportSpec(t("tpt.series_title", LANG),
                        charts.series_by_regency(actual, wh["colours"], "percent", LANG,
                                                 targets=tpt[tpt["kind"] == "target"]),
                        footnote(actual, LANG), notes(actual, wh["reports"], LANG) + [t("tpt.series_note", LANG)])
    return [
        _bar_spec(wh, "tpt", "percent"),
        (series, actual),
        _multiples_spec(wh, ["job_seekers_registered", "vacancies_registered", "placements"],
                        t("placement.funnel_title", LANG)),
        _multiples_spec(wh, ["training_participants", "training_packages", "training_certified"],
                        t("training.totals_title", LANG)),
        _bar_spec(wh, "budget_absorption", "percent"),
        _pagu_spec(wh),
    ]


def test_specs_come_from_the_warehouse(specs, wh):
    tpt_spec, tpt_rows = specs[0]
    # Muara Enim TPT 2023 = 3.92, 000_dca929226cb0e028.txt l. 612 ("Muara Enim\t3,92")
    me = tpt_rows[(tpt_rows["regency"] == "Muara Enim") & (tpt_rows["kind"] == "actual")].iloc[0]
    assert (me["value"], me["year"], me["source_file"], me["source_line"]) == (3.92, 2023, "000_dca929226cb0e028.txt", 612)
    bar = tpt_spec.figure.data[0]
    assert "Muara Enim · 2023" in list(bar.y) and 3.92 in list(bar.x)
    assert "000_dca929226cb0e028.txt) line 612" in tpt_spec.footnote
    assert "Tanjung Jabung Barat · not reported" in [y for trace in tpt_spec.figure.data for y in trace.y]
    assert any("Not reported: Tanjung Jabung Barat" in n for n in tpt_spec.notes)
    # budget absorption: Lumajang's value is first-quarter, and the notes say so
    absorption_spec, _ = specs[4]
    assert any("Lumajang" in n and "Q1" in n for n in absorption_spec.notes)
    for spec, rows in specs:
        assert spec.footnote.startswith(t("source.lkjip", LANG)) and len(rows)
        for src in set(rows["source_file"]):
            assert src in spec.footnote


# ---- images ---------------------------------------------------------------------------------------

def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC, data[:16]
    try:
        from PIL import Image
    except ImportError:  # read the IHDR chunk: length, b"IHDR", width, height
        assert data[12:16] == b"IHDR"
        return struct.unpack(">II", data[16:24])
    with Image.open(io.BytesIO(data)) as img:
        img.verify()
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        assert img.format == "PNG"
        return img.size


@pytest.fixture(scope="module")
def png(specs) -> bytes:
    return chart_image(specs[0][0], "png")


def test_chart_png_is_a_valid_slide_sized_image(png):
    w, h = _png_size(png)
    assert (w, h) == (exports.IMAGE_SIZE["width"] * 2, exports.IMAGE_SIZE["height"] * 2)  # scale 2
    assert len(png) > 20_000  # a real chart, not a blank canvas


def test_image_of_a_plain_figure_uses_its_own_size(specs):
    fig = specs[4][0].figure  # absorption bars: apply_layout sets a height, no width
    data = image(fig, "png", scale=1)
    assert _png_size(data) == (exports.IMAGE_SIZE["width"], int(fig.layout.height))


def test_chart_svg_is_valid_and_carries_title_and_sources(specs):
    spec = specs[0][0]
    svg = chart_image(spec, "svg")
    root = ET.fromstring(svg)
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
    assert float(root.get("width")) == exports.IMAGE_SIZE["width"]
    assert float(root.get("height")) == exports.IMAGE_SIZE["height"]
    text = " ".join("".join(root.itertext()).split())
    assert spec.title in text
    assert "000_dca929226cb0e028.txt" in text and "Muara Enim" in text
    assert "3.92%" in text  # the value label, English format


def test_one_kaleido_server_serves_every_image(png, specs):
    assert exports._started
    again = chart_image(specs[1][0], "png")
    assert again[:8] == PNG_MAGIC and exports._started


def test_image_rejects_other_formats(specs):
    with pytest.raises(ValueError):
        image(specs[0][0].figure, "jpg")


def test_standalone_figure_draws_title_and_notes_without_touching_the_original(specs):
    spec = specs[4][0]
    before = spec.figure.to_json()
    fig = standalone_figure(spec)
    assert fig.layout.title.text == spec.title
    notes_text = fig.layout.annotations[-1].text.replace("<br>", " ")
    assert "Lumajang" in notes_text and "003_27142058ae3706f5.txt" in notes_text
    assert spec.figure.to_json() == before
    bare = standalone_figure(spec, with_title=False, with_notes=False)
    assert bare.layout.title.text is None and len(bare.layout.annotations) == len(spec.figure.layout.annotations)


# ---- data -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table(con) -> pd.DataFrame:
    """Rows behind a chart as the download offers them, including Indonesian text with non-ASCII
    characters (Σ, from 000_dca929226cb0e028.txt l. 1132)."""
    rows = con.execute(f"""SELECT {OBS} FROM observations
                           WHERE (indicator = 'tpt' AND scope = 'total') OR source_line = 1132
                           ORDER BY source_file, source_line""").df()
    return export_table(rows)


def test_csv_round_trips_with_indonesian_text(table):
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert list(back.columns) == list(table.columns)
    assert len(back) == len(table)
    # text a spreadsheet would run as a formula ("- b. Untuk ...") comes back with a leading apostrophe
    assert back["source_text"].tolist() == [("'" + s if s[:1] in "=+-@" else s) for s in table["source_text"]]
    assert any("Σ Kasus yang diselesaikan" in s for s in back["source_text"])
    assert any("Tingkat Pengangguran Terbuka" in s for s in back["source_text"])
    assert back["value"].tolist() == pytest.approx(table["value"].tolist())  # dot decimals, machine-readable
    assert back["source_line"].tolist() == table["source_line"].tolist()


def test_xlsx_has_data_and_about_sheets(table, specs):
    spec = specs[0][0]
    about = [("title", spec.title), ("source", spec.footnote), *[("note", n) for n in spec.notes],
             ("warehouse", "warehouse.duckdb"), ("generated_by", "disnaker-dashboard")]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": table}, about)))
    assert wb.sheetnames == ["data", "about"]
    ws = wb["data"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert len(rows) == len(table) + 1
    col = list(table.columns).index("source_text")
    assert [r[col] for r in rows[1:]] == table["source_text"].tolist()
    assert all(ws.cell(row=i + 2, column=col + 1).data_type == "s" for i in range(len(table)))
    vcol = list(table.columns).index("value")
    assert [r[vcol] for r in rows[1:]] == pytest.approx(table["value"].tolist())
    assert ws.freeze_panes == "A2"
    info = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True) if r[0] != "note"}
    assert info["title"] == spec.title
    assert info["source"] == spec.footnote and "000_dca929226cb0e028.txt" in info["source"]
    notes_in_sheet = [r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True) if r[0] == "note"]
    assert notes_in_sheet == spec.notes


def test_xlsx_of_an_empty_table(table):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"data": table.iloc[0:0]})))
    assert wb.sheetnames == ["data"]
    assert [c.value for c in wb["data"][1]] == list(table.columns)


# ---- briefing deck ----------------------------------------------------------------------------------

LABELS = {"note": t("deck.note", LANG), "findings": t("find.title", LANG)}  # as app.py passes them
FINDINGS = ["Muara Enim has the lowest TPT, 3.92% (000_dca929226cb0e028.txt, line 612) in 2023."]
DAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def deck(specs):
    with_findings = [ExportSpec(s.title, s.figure, s.footnote, s.notes, FINDINGS) for s, _ in specs]
    data = build_deck(with_findings, t("deck.cover_title", LANG), "Bungo, Lumajang, Muara Enim", LABELS, lang=LANG,
                      today=DAY)
    return Presentation(io.BytesIO(data))


def _texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def test_deck_has_a_title_slide_and_one_slide_per_chart(deck):
    slides = list(deck.slides)
    assert len(slides) == 7
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)  # 16:9
    cover = slides[0]
    texts = _texts(cover)
    assert texts[0] == "District labour performance"
    assert "Bungo, Lumajang, Muara Enim" in texts
    assert not [sh for sh in cover.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_deck_title_slide_is_laid_out_for_16_9(deck):
    """Every shape of the title slide lies inside the wide slide and is centred on it; the title
    is large, the rest legible when projected, and the date is written out in the reader's language."""
    cover = list(deck.slides)[0]
    W, H = deck.slide_width, deck.slide_height
    boxes = [sh for sh in cover.shapes if sh.has_text_frame and sh.text_frame.text]  # the accent rule has none
    assert len(boxes) == 3
    for sh in cover.shapes:
        assert 0 <= sh.left and sh.left + sh.width <= W and 0 <= sh.top and sh.top + sh.height <= H, sh.name
        assert abs((sh.left + sh.width / 2) - W / 2) < Emu(Inches(0.05)), sh.name  # centred horizontally
    tops = [sh.top for sh in boxes]
    assert tops == sorted(tops)  # title, areas, date from top to bottom
    sizes = [p.font.size.pt for sh in boxes for p in sh.text_frame.paragraphs]
    assert sizes[0] >= 36 and min(sizes) >= 18
    assert all(p.alignment == PP_ALIGN.CENTER for sh in boxes for p in sh.text_frame.paragraphs)
    assert _texts(cover)[-1] == "1 December 2026"


def test_deck_date_is_written_in_indonesian(specs):
    data = build_deck([specs[0][0]], t("deck.cover_title", "id"), "Bungo", {"note": t("deck.note", "id")}, lang="id",
                      today=DAY)
    cover = list(Presentation(io.BytesIO(data)).slides)[0]
    assert _texts(cover)[-1] == "1 Desember 2026"


@pytest.mark.parametrize("i", range(6))
def test_deck_chart_fonts_are_legible_when_projected(specs, i):
    """Chart images are 960 px wide on a 9.24 in picture: 1 px ≈ 0.69 pt, so 21 px ≥ 14 pt."""
    fig = slide_figure(specs[i][0])
    px_to_pt = (PICTURE_HEIGHT * 16 / 9) / Emu(Inches(1)) * 72 / PICTURE_PX[0]
    sizes = [fig.layout.font.size, fig.layout.xaxis.tickfont.size, fig.layout.yaxis.tickfont.size]
    sizes += [a.font.size for a in fig.layout.annotations]
    assert min(s for s in sizes if s is not None) * px_to_pt >= 14


def test_deck_speaker_notes_carry_the_findings(deck):
    for slide in list(deck.slides)[1:]:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(LABELS["findings"]) and FINDINGS[0] in notes


@pytest.mark.parametrize("i", range(6))
def test_deck_chart_slide(deck, specs, i):
    spec, rows = specs[i]
    slide = list(deck.slides)[i + 1]
    pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0].image.content_type == "image/png" and pictures[0].image.blob[:8] == PNG_MAGIC
    assert pictures[0].left >= 0 and pictures[0].left + pictures[0].width <= deck.slide_width
    texts = _texts(slide)
    assert texts[0] == spec.title
    source = next(x for x in texts if x.startswith(t("source.lkjip", LANG)))
    for src in set(rows["source_file"]):
        assert src in source
    assert spec.notes
    note = next(x for x in texts if x.startswith(f"{LABELS['note']}:"))
    for n in spec.notes:
        assert n in note


def test_deck_comparability_note_reaches_the_budget_slide(deck):
    slide = list(deck.slides)[5]
    note = next(x for x in _texts(slide) if x.startswith("Note:"))
    assert "Lumajang" in note and "Q1" in note


def test_deck_footnote_names_the_source_once(deck):
    for slide in list(deck.slides)[1:]:
        source = next(x for x in _texts(slide) if x.startswith("Source:"))
        assert not source.startswith("Source: Source:"), source
