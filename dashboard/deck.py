"""The briefing deck: a title slide, then one slide per chart with its title, the chart image,
a source footnote and the comparability note (python-pptx, 16:9)."""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from dashboard.exports import ExportSpec, image, standalone_figure

WIDE = (Inches(13.333), Inches(7.5))
GREY = RGBColor(0x55, 0x55, 0x55)
AMBER = RGBColor(0x8A, 0x5A, 0x00)


def _text(slide, left, top, width, height, text: str, size: int, bold=False, colour=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        if colour is not None:
            para.font.color.rgb = colour
    return box


def build_deck(charts: list[ExportSpec], title: str, subtitle: str, labels: dict[str, str]) -> bytes:
    """PPTX bytes. `labels["note"]` is the word 'Note' in the user's language (the footnote already
    starts with 'Source:')."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    blank = prs.slide_layouts[6]

    cover = prs.slides.add_slide(prs.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = f"{subtitle}\n{date.today().isoformat()}"

    images = [image(standalone_figure(spec, with_title=False, with_notes=False), "png") for spec in charts]
    for spec, png in zip(charts, images):
        slide = prs.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8), spec.title, 26, bold=True)
        pic_h = Inches(5.2)
        pic_w = Emu(int(pic_h * 16 / 9))
        slide.shapes.add_picture(io.BytesIO(png), int((prs.slide_width - pic_w) / 2), Inches(1.05), pic_w, pic_h)
        y = Inches(6.3)
        if spec.footnote:
            _text(slide, Inches(0.5), y, Inches(12.3), Inches(0.4), spec.footnote, 10, colour=GREY)  # starts "Source: …"
            y += Inches(0.4)
        if spec.notes:
            _text(slide, Inches(0.5), y, Inches(12.3), Inches(0.6), f"{labels['note']}: " + " ".join(spec.notes), 10, colour=AMBER)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
