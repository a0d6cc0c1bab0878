"""Files a user takes away: chart images (PNG, SVG), data (CSV, XLSX).

Static images come from kaleido (≥1), which drives the system Chromium. Starting Chromium costs
~3 s, so one kaleido server is kept for the life of the process and every image after the first
takes ~0.3 s. MathJax is switched off and plotly.js comes from the installed plotly package:
nothing is fetched from the internet.
"""

from __future__ import annotations

import textwrap

import atexit
import io
import os
import shutil
import threading
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.safe import plain
from dashboard.style import FONT

_lock = threading.Lock()
_started = False

IMAGE_SIZE = {"width": 1200, "height": 675}  # 16:9, the shape of a slide


def _chromium() -> None:
    if "BROWSER_PATH" not in os.environ:
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or ""):
            if candidate and os.path.exists(candidate):
                os.environ["BROWSER_PATH"] = candidate
                break


def _ensure_server() -> None:
    global _started
    if _started:
        return
    import kaleido

    _chromium()
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


_warming = False


def warm_up() -> None:
    """Start the image exporter's Chromium in the background (~3 s), so that the first PNG a
    reader asks for takes a render (~0.3 s), not a browser start. Called when a page with a
    download is first shown; later calls do nothing."""
    global _warming
    if _started or _warming:
        return
    _warming = True

    def start() -> None:
        try:
            with _lock:
                _ensure_server()
        except Exception:  # noqa: BLE001 — a failed warm-up only means the first click starts it
            pass

    threading.Thread(target=start, name="kaleido-warm-up", daemon=True).start()


@dataclass
class ExportSpec:
    """What a chart needs to stand on its own outside the app (a file, a slide)."""
    title: str
    figure: go.Figure
    footnote: str = ""          # sources: report and lines
    notes: list[str] = field(default_factory=list)  # comparability warnings
    findings: list[str] = field(default_factory=list)  # the page's findings sentences (deck speaker notes)


def standalone_figure(spec: ExportSpec, with_title: bool = True, with_notes: bool = True) -> go.Figure:
    """The figure with its title and source footnote drawn in, so an exported image is
    self-explanatory. A slide carries title and notes as text, so its image goes without."""
    fig = go.Figure(spec.figure)
    lines = ([spec.footnote] + spec.notes) if with_notes else []
    text = "<br>".join(_wrap(plain(line), 150) for line in lines if line)  # sources name files: text
    n_lines = text.count("<br>") + 1 if text else 0
    top, bottom = (90 if with_title else 40), 60 + 16 * n_lines
    extra = top + bottom - sum(getattr(spec.figure.layout.margin, k) or 0 for k in ("t", "b"))
    fig.update_layout(
        # a chart with many rows keeps its own row height (every label drawn), the slide shape otherwise
        width=IMAGE_SIZE["width"], height=max(IMAGE_SIZE["height"], (spec.figure.layout.height or 0) + extra), font_family=FONT,
        margin=dict(l=60, r=30, t=top, b=bottom),
        title=dict(text=plain(spec.title), x=0.01, xanchor="left", font_size=20) if with_title else None,
        legend=dict(y=1.0, yanchor="bottom"),
    )
    from dashboard.charts import fit_row_labels

    fit_row_labels(fig)
    if text:
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                           yshift=-40, showarrow=False, align="left", font=dict(size=11, color="#555"))
    return fig


def _wrap(line: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False))


def image(fig: go.Figure, fmt: str = "png", scale: float = 2.0) -> bytes:
    """PNG or SVG bytes of a figure, rendered by the shared kaleido server."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}; use png or svg")
    import kaleido

    with _lock:
        _ensure_server()
        return kaleido.calc_fig_sync(
            fig.to_dict(),
            opts=dict(format=fmt, width=fig.layout.width or IMAGE_SIZE["width"],
                      height=fig.layout.height or IMAGE_SIZE["height"], scale=scale if fmt == "png" else 1),
        )


def chart_image(spec: ExportSpec, fmt: str = "png") -> bytes:
    return image(standalone_figure(spec), fmt)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Indonesian text correctly; dot decimals (machine-readable).
    Text cells that a spreadsheet would run as a formula get a leading apostrophe (numbers,
    negative ones included, are left as they are)."""
    return neutralised(df).to_csv(index=False).encode("utf-8-sig")


def neutralised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def xlsx_bytes(sheets: dict[str, pd.DataFrame], about: list[tuple[str, str]] | None = None) -> bytes:
    """One sheet per table, plus an 'about' sheet (title, sources, notes, generated at)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in sheets.items():
            sheet = name[:31]
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if cell.data_type == "f":  # report text starting with "=" stays text, never a formula
                        cell.data_type = "s"
            for i, col in enumerate(df.columns, start=1):
                width = min(60, max(len(str(col)), *(len(str(v)) for v in df[col].head(200))) + 2) if len(df) else len(str(col)) + 2
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
        if about:
            pd.DataFrame(about, columns=["field", "value"]).to_excel(xw, sheet_name="about", index=False)
            xw.sheets["about"].column_dimensions["A"].width = 18
            xw.sheets["about"].column_dimensions["B"].width = 120
    return buf.getvalue()
