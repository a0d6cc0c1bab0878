"""The briefing deck: a title slide, then one slide per chart with its title, the chart image,
a source footnote and the comparability note; the page's findings sentences go into each chart
slide's speaker notes (python-pptx, 16:9).

The title slide is laid out for 16:9 with its own text boxes (the default template's title
layout is 4:3 and sits off-centre on a wide slide). Chart images are drawn at 960 × 540 px and
placed 9.24 in wide, so 1 px ≈ 0.69 pt: every text in them is at least 21 px, i.e. ≥ 14 pt on
the slide, legible when projected.
"""

from __future__ import annotations

import io
from datetime import date

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.charts import fit_row_labels
from dashboard.dates import long_date
from dashboard.exports import ExportSpec, image, standalone_figure

WIDE = (Inches(13.333), Inches(7.5))
GREY = RGBColor(0x55, 0x55, 0x55)
AMBER = RGBColor(0x8A, 0x5A, 0x00)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
PICTURE_HEIGHT = Inches(5.2)
PICTURE_PX = (960, 540)  # 16:9, drawn at this size and scaled to PICTURE_HEIGHT
MIN_CHART_FONT_PX = 21   # ≥ 14 pt once placed: 9.24 in / 960 px × 72 pt/in ≈ 0.69 pt per px
MARGIN = Inches(0.8)


def _text(slide, left, top, width, height, text: str, size: int, bold=False, colour=None, align=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        if align is not None:
            para.alignment = align
        if colour is not None:
            para.font.color.rgb = colour
    return box


def slide_figure(spec: ExportSpec) -> go.Figure:
    """The chart as a slide shows it: no title or notes (the slide carries them as text), every
    font at least MIN_CHART_FONT_PX."""
    fig = standalone_figure(spec, with_title=False, with_notes=False)
    fig.update_layout(width=PICTURE_PX[0], height=PICTURE_PX[1], font_size=MIN_CHART_FONT_PX,
                      legend_font_size=MIN_CHART_FONT_PX, margin=dict(l=20, r=30, t=60, b=60))
    fig.update_xaxes(tickfont_size=MIN_CHART_FONT_PX, title_font_size=MIN_CHART_FONT_PX)
    fig.update_yaxes(tickfont_size=MIN_CHART_FONT_PX, title_font_size=MIN_CHART_FONT_PX)
    for ann in fig.layout.annotations:
        ann.font.size = max(ann.font.size or 0, MIN_CHART_FONT_PX)
    fit_row_labels(fig)
    for trace in fig.data:
        if getattr(trace, "textfont", None) is not None:
            trace.textfont.size = MIN_CHART_FONT_PX
    return fig


def title_slide(prs, title: str, subtitle: str, when: str) -> None:
    """Title, the areas covered and the date, centred on the 16:9 slide, with an accent rule."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = prs.slide_width - 2 * MARGIN
    _text(slide, MARGIN, Inches(2.1), width, Inches(1.4), title, 40, bold=True, align=PP_ALIGN.CENTER)
    rule = slide.shapes.add_shape(1, int((prs.slide_width - Inches(2.4)) / 2), Inches(3.55), Inches(2.4), Inches(0.06))
    rule.fill.solid()
    rule.fill.fore_color.rgb = ACCENT
    rule.line.fill.background()
    _text(slide, MARGIN, Inches(3.8), width, Inches(1.3), subtitle, 20, colour=GREY, align=PP_ALIGN.CENTER)
    _text(slide, MARGIN, Inches(5.3), width, Inches(0.6), when, 18, colour=GREY, align=PP_ALIGN.CENTER)


def build_deck(charts: list[ExportSpec], title: str, subtitle: str, labels: dict[str, str], lang: str = "id",
               today: date | None = None) -> bytes:
    """PPTX bytes. `labels["note"]` is the word 'Note' in the user's language (the footnote already
    starts with 'Source:'); `labels.get("findings")` heads the speaker notes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    blank = prs.slide_layouts[6]
    title_slide(prs, title, subtitle, long_date(today or date.today(), lang))

    images = [image(slide_figure(spec), "png", scale=2) for spec in charts]
    for spec, png in zip(charts, images):
        slide = prs.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8), spec.title, 28, bold=True)
        pic_w = Emu(int(PICTURE_HEIGHT * 16 / 9))
        slide.shapes.add_picture(io.BytesIO(png), int((prs.slide_width - pic_w) / 2), Inches(1.05), pic_w, PICTURE_HEIGHT)
        y = Inches(6.3)
        if spec.footnote:
            _text(slide, Inches(0.5), y, Inches(12.3), Inches(0.4), spec.footnote, 10, colour=GREY)  # starts "Source: …"
            y += Inches(0.4)
        if spec.notes:
            _text(slide, Inches(0.5), y, Inches(12.3), Inches(0.6), f"{labels['note']}: " + " ".join(spec.notes), 10, colour=AMBER)
        if spec.findings or spec.notes:  # what to say: the findings, then the caveats, with their sources
            lines = ([labels.get("findings", "")] if spec.findings else []) + list(spec.findings)
            lines += ([labels["note"]] + list(spec.notes)) if spec.notes else []
            slide.notes_slide.notes_text_frame.text = "\n".join(x for x in lines if x)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
