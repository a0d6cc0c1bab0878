"""Chart styling in one place: one colour per regency, number formats per language, the plotly
layout every chart shares."""

from __future__ import annotations

import math

import plotly.graph_objects as go

# Okabe & Ito (2008), a palette distinguishable under the common colour-vision deficiencies.
# Yellow is last: it is hard to read on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
TARGET_COLOUR = "#333333"
FONT = "DejaVu Sans, Source Sans Pro, Arial, sans-serif"  # DejaVu ships with the system: no web fonts


def colour_map(all_regencies: list[str]) -> dict[str, str]:
    """Colours follow the sorted list of every regency in the warehouse, not the current
    selection, so a regency keeps its colour on every page and in every export."""
    from dashboard.areas import ordered

    names = ordered(all_regencies)
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _group(digits: str, sep: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def number(value: float | None, decimals: int = 0, lang: str = "id") -> str:
    """1234567.891 → '1.234.567,89' (id) or '1,234,567.89' (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    thousands, decimal = (".", ",") if lang == "id" else (",", ".")
    sign = "-" if value < 0 else ""
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    return sign + _group(whole, thousands) + (decimal + frac if frac else "")


def decimals_for(value: float, unit: str) -> int:
    if unit == "percent":
        return 2 if abs(value - round(value)) > 1e-9 else 0
    return 0 if abs(value - round(value)) < 1e-9 else 2


UNIT_WORDS = {
    "id": {"persons": "orang", "count": "", "cases": "kasus", "rupiah": "", "percent": "%"},
    "en": {"persons": "persons", "count": "", "cases": "cases", "rupiah": "", "percent": "%"},
}


def value_text(value: float | None, unit: str, lang: str = "id", short: bool = False) -> str:
    """A value with its unit, as a reader of that language writes it: '3,92%', 'Rp 11,64 miliar', '3.111 orang'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "rupiah":
        if short and abs(value) >= 1e9:
            return f"Rp {number(value / 1e9, 2, lang)} {'miliar' if lang == 'id' else 'bn'}"
        if short and abs(value) >= 1e6:
            return f"Rp {number(value / 1e6, 1, lang)} {'juta' if lang == 'id' else 'm'}"
        return f"Rp {number(value, 0, lang)}"
    text = number(value, decimals_for(value, unit), lang)
    word = UNIT_WORDS[lang].get(unit, "")
    if unit == "percent":
        return text + "%"
    return f"{text} {word}".strip()


def hover_format(unit: str) -> str:
    """d3-format for hover values; separators come from the layout (language-aware)."""
    return {"percent": ",.2f", "rupiah": ",.0f"}.get(unit, ",.0f")


def apply_layout(fig: go.Figure, lang: str, height: int = 420, legend: bool = True) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font=dict(family=FONT, size=13, color="#222"),
        separators=",." if lang == "id" else ".,",  # decimal mark, then thousands separator
        height=height,
        margin=dict(l=10, r=20, t=30, b=10),
        showlegend=legend,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
        hoverlabel=dict(font_family=FONT),
    )
    return fig
