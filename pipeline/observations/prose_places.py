"""Figures a sentence gives for other places: "Provinsi Kalimantan Timur 5,31%", "Kota Jambi
sebesar 7,1%", "(Palembang = 7,94%, Lubuk Linggau = 5,64% ...)". They are context, never the
reporting agency's own values."""

from __future__ import annotations

import re
from functools import cache

from pipeline.knowledge import gazetteer
from pipeline.numbers import parse_number
from pipeline.observations.classify import classify
from pipeline.observations.context import sentence_year
from pipeline.observations.geography import geography_of
from pipeline.observations.model import ContextValue, Extraction, Observation
from pipeline.parsed.prose import ProseSentence

PEER_PAIR = re.compile(r"([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,3})\s*,?\s*=\s*(\d+(?:[.,]\d+)?)\s*%")

PLACE = re.compile(
    r"\b(?:(?i:provinsi|propinsi|prov\.)\s+(?P<prov>[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2})"
    r"|(?P<kw>(?i:kabupaten|kab\.|kota))\s+(?P<reg>[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+){0,2})"
    r"|(?P<nat>(?i:nasional)))"
)


@cache
def _bare_province() -> re.Pattern:
    """A province named without "Provinsi" ("TPT Daerah Istimewa Yogyakarta sebesar 3,73 persen",
    "TPT Jatim"): any name or alias of a province that is not also a kabupaten's or kota's."""
    gaz = gazetteer()
    names = sorted((a for a in gaz.province_aliases if a not in gaz.aliases and a not in gaz.city_aliases), key=len, reverse=True)
    alt = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in names)
    return re.compile(rf"(?<![\w.])(?:{alt})(?![\w])", re.I)


def place_of(before: str, ctx) -> tuple[str, str] | None:
    """The last place named before the number: the province, the nation, or a regency."""
    last, at = None, -1
    for m in _bare_province().finditer(before):
        if m.group(0)[0].isupper() and not re.search(r"(?i:provinsi|propinsi|prov\.|kabupaten|kab\.|kota)\s*$", before[: m.start()]):
            last, at = geography_of(f"Provinsi {m.group(0)}", ctx.regency), m.start()
    for m in PLACE.finditer(before):
        if m.start() < at:
            continue
        if m.group("prov"):
            last = geography_of(f"Provinsi {m.group('prov')}", ctx.regency)
        elif m.group("nat"):
            last = ("Indonesia", "national")
        else:
            words = m.group("reg").split()
            found = None
            for n in range(len(words), 0, -1):
                found = geography_of(f"{m.group('kw')} {' '.join(words[:n])}", ctx.regency)  # the prefix says kota or kabupaten
                if found:
                    break
            last = found or last
    return last


def peer_pairs(s: ProseSentence, ctx, out: Extraction) -> bool:
    """"(Palembang = 7,94%, Lubuk Linggau, = 5,64 % ...)": one figure per named place."""
    pairs = list(PEER_PAIR.finditer(s.text))
    if len(pairs) < 2:
        return False
    match = classify(s.text, "percent")
    if not match:
        return False
    for m in pairs:
        place = geography_of(m.group(1), ctx.regency)
        if not place:
            continue
        p = parse_number(m.group(2), "percent")
        line = s.line_at(m.start(2))
        year = sentence_year(s.text, m.start(2), m.end(2), ctx.report_year)
        if place[1] == "own":
            out.observations.append(
                Observation(match.indicator, "total", year, "annual", "actual", p.value, "percent", line, ctx.raw(line, s.text),
                            "narrative", s.section, decimals=p.decimals, label=m.group(0))
            )
        else:
            out.context.append(ContextValue(place[0], place[1], match.indicator, year, "annual", p.value, "percent",
                                            line, ctx.raw(line, s.text), "narrative"))
    return True
