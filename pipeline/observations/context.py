"""Which year and period a table or sentence speaks about.

A value's year comes, in order, from its column header ("Realisasi 2022"), the table's caption
("Realisasi Program dan Kegiatan ... Tahun 2019"), then the report year. A TPT realisation
whose source note names a BPS survey ("BPS ... Agustus 2022") belongs to that survey's year.
Regulation citations ("Nomor 53 Tahun 2014") and plan ranges ("2016 – 2021") never set a year.
"""

from __future__ import annotations

import re

from pipeline.knowledge import REGULATION_YEAR, YEAR, YEAR_RANGE, compiled, normalise
from pipeline.parsed.headers import _period_of
from pipeline.parsed.model import Table

MONTHS = "januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember"
BPS_SOURCE = re.compile(r"\b(bps|badan pusat statistik|berita resmi statistik|sakernas)\b", re.I)
S_D_YEAR = re.compile(r"\bs\.?/?d\.?\s*(20\d\d)", re.I)
NIP = re.compile(r"\bnip\.?\s*[\d ]+", re.I)
NUMBER_SLASH_YEAR = re.compile(r"\b\d{1,4}\s*/\s*(19|20)\d\d\b")  # "PP 35/2021": a regulation's number and year
LAST_YEAR = re.compile(r"\btahun (lalu|sebelumnya)\b", re.I)
# "4,1% pada tahun 2022", "8,05 persen (Agustus 2024)", "8,77 persen pada Agustus 2023": the figure's own year
YEAR_AFTER = re.compile(rf"^\s*(?:%|persen|orang|jiwa|kasus|perkara|paket|peserta)?\s*\)?\s*,?\s*(?:di|pada)?\s*\(?\s*(?:tahun|(?:bulan\s+)?(?:{MONTHS}))\s+(\d{{4}})", re.I)
MONTH_YEAR = re.compile(rf"\b({MONTHS})\s+(20\d\d)\b", re.I)


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))  # keeps every other year at its offset


def year_spans(text: str) -> list[tuple[int, int]]:
    """(offset, year) of each year `text` names, regulation years and plan ranges left out."""
    cleaned = REGULATION_YEAR.sub(_blank, text)
    cleaned = YEAR_RANGE.sub(_blank, cleaned)
    cleaned = S_D_YEAR.sub(_blank, cleaned)
    cleaned = NIP.sub(_blank, cleaned)
    cleaned = NUMBER_SLASH_YEAR.sub(_blank, cleaned)
    return [(m.start(), int(m.group(1))) for m in YEAR.finditer(cleaned)]


def years_in(text: str) -> list[int]:
    return [y for _, y in year_spans(text)]


def sentence_year(text: str, start: int, end: int, report_year: int, spans: list[tuple[int, int]] | None = None,
          bound: set[int] | None = None) -> int:
    """The year a figure is about: one right after it ("4,1% pada tahun 2022", "500 orang di
    tahun 2022") binds to that figure alone; else "tahun lalu"; else the last year named before
    it that no earlier figure took ("Pada tahun 2023, TPT turun dari 5,1% pada tahun 2022
    menjadi 4,5%": 4,5 is 2023's); else the report year."""
    m = YEAR_AFTER.match(text[end : end + 50])
    if m:
        if bound is not None:
            bound.add(end + m.start(1))
        return int(m.group(1))
    if LAST_YEAR.search(text[max(0, start - 40) : start]):
        return report_year - 1
    spans = year_spans(text) if spans is None else spans
    ys = [y for pos, y in spans if pos + 4 <= start and (bound is None or pos not in bound)]
    return ys[-1] if ys else report_year


UP_TO = re.compile(r"\b(s\.?\s?/?d\.?|sampai dengan|hingga|sd)\s*$", re.I)


def sentence_period(before: str) -> str | None:
    """The quarter or semester a sentence puts a realised figure in ("pada triwulan I tahun 2023
    sebanyak 140 orang" -> Q1); "sampai dengan triwulan IV" is the whole year (None)."""
    period = _period_of(before)
    if period is None:
        return None
    if period not in ("Q4", "S2"):
        return period
    low = before.lower()  # the period words of vocabulary.yaml, the same _period_of read
    m = min((m for _, p in compiled("period_words") if (m := p.search(low))), key=re.Match.start, default=None)
    if m and UP_TO.search(before[: m.start()]):
        return None
    return period


def table_year(table: Table, report_year: int) -> tuple[int, str | None, str]:
    """(year, period-or-None, why) for values in the table without a year of their own."""
    for line, text in reversed(table.caption):
        ys = years_in(text)
        if ys:
            # the year closest to the report year wins inside one caption line
            y = max(ys, key=lambda v: (-abs(v - report_year), v))
            return y, _period_of(text), f"caption line {line}"
    return report_year, None, "report year"


def bps_survey_year(table: Table) -> int | None:
    if not table.footnote:
        return None
    text = table.footnote[1]
    if not BPS_SOURCE.search(text):
        return None
    m = MONTH_YEAR.search(text)
    if m and normalise(m.group(1)) == "agustus":
        return int(m.group(2))
    return None


def value_period(kind: str, indicator: str | None, year: int, report_year: int, report_period: str,
                 column_period: str | None = None) -> str:
    """Period a value refers to: targets and allocations are annual; realised values in a
    quarterly report are the quarter's (when they are the report year's)."""
    if column_period:
        return column_period
    if kind == "target" or indicator == "budget_allocated":
        return "annual"
    if year == report_year and report_period != "annual":
        return report_period
    return "annual"
