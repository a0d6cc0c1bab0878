"""The observations layer for one report: tables first, then prose."""

from __future__ import annotations

from pipeline.observations.from_prose import read_prose, tpt_source_year
from pipeline.observations.from_tables import ReportContext, read_tables
from pipeline.observations.model import Extraction
from pipeline.parsed.prose import paragraphs
from pipeline.parsed.segment import Document


def extract(doc: Document, report_year: int, period: str, regency: str) -> Extraction:
    ctx = ReportContext(report_year, period, doc.lines, regency)
    out = Extraction()
    read_tables(doc.tables, ctx, out)
    sentences = paragraphs(doc.lines, doc.table_lines, doc.sections)
    read_prose(sentences, ctx, out, tpt_source_year(doc.lines))
    return out
