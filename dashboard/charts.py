"""Figure builders. Each takes tidy rows (one value per row, with regency, year, period, unit)
and returns a plotly figure styled by `style`; none of them queries data or knows a page."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import cite
from dashboard.areas import ordered
from dashboard.i18n import period_label, t
from dashboard.style import TARGET_COLOUR, apply_layout, hover_format, value_text


def _entity_label(row, lang: str) -> str:
    period = "" if row["period"] == "annual" else f" {period_label(row['period'], lang)}"
    return f"{row['regency']} · {int(row['year'])}{period}"


def _hover(unit: str, lang: str, extra: str = "") -> str:
    fmt = hover_format(unit)
    prefix = "Rp " if unit == "rupiah" else ""
    suffix = {"percent": "%"}.get(unit, "")
    return (f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}}: {prefix}%{{x:{fmt}}}{suffix}"
            f"<br>{t('chart.source', lang)}: %{{customdata[2]}}{extra}<extra></extra>")


SLOT = 62          # px per bar row: the label line above the bar, the bar, a gap
BAR = 0.42         # bar thickness as a share of the slot
TOP, BOTTOM = 44, 46


def bar_by_regency(rows: pd.DataFrame, colours: dict[str, str], unit: str, lang: str,
                   targets: pd.DataFrame | None = None, missing: list[str] = (),
                   value_name: str = "", better: str | None = None,
                   context: pd.DataFrame | None = None) -> go.Figure:
    """Horizontal bars, one per regency. Each bar's label — regency, the year and period the value
    belongs to, and the value — is written on its own line above the bar, left-aligned: it is
    never squeezed into a short bar, never crossed by a target tick, and never clipped on a
    phone (the y axis needs no margin for long names). Optional target ticks, context markers
    (a provincial / national figure the report quotes, grey), and an explicit 'not reported' row."""
    # a value a plausibility rule doubts (status 'suspect') is not ranked with the plain ones: bottom, cross-hatched
    doubtful = rows["status"].eq("suspect") if "status" in rows else pd.Series(False, index=rows.index)
    rows = rows.assign(_plain=~doubtful).sort_values(["_plain", "value"], ascending=True).copy()
    rows["label"] = [_entity_label(r, lang) for _, r in rows.iterrows()]
    rows["src"] = [cite.of_row(r, lang) + (" ◇" if r.method == "derived" else "") for r in rows.itertuples()]
    name = value_name or t("kind.actual", lang)
    fig = go.Figure()
    missing_labels = [f"{m} · {t('value.not_reported', lang)}" for m in missing]
    # categories bottom to top: not-reported rows first (they sit at the bottom), then values ascending
    categories = list(reversed(missing_labels)) + list(rows["label"])
    fig.add_bar(
        y=rows["label"], x=rows["value"], orientation="h", name=name, width=BAR,
        marker_color=[colours.get(r, "#888") for r in rows["regency"]],
        marker_pattern=dict(shape=["x" if not p else "/" if m == "derived" else "" for m, p in zip(rows["method"], rows["_plain"])],
                            fillmode="overlay", fgcolor="rgba(255,255,255,0.85)"),
        customdata=list(zip(rows["label"], [name] * len(rows), rows["src"])),
        hovertemplate=_hover(unit, lang), showlegend=False,
    )
    for m in missing_labels:
        fig.add_bar(y=[m], x=[0], orientation="h", showlegend=False, marker_color="rgba(0,0,0,0)", hoverinfo="skip")
    if targets is not None and len(targets):
        tg = targets[targets["regency"].isin(rows["regency"])].copy()
        label_of = dict(zip(rows["regency"], rows["label"]))
        tg["label"] = tg["regency"].map(label_of)
        tg["src"] = [cite.of_row(r, lang) for r in tg.itertuples()]
        fig.add_scatter(
            y=tg["label"], x=tg["value"], mode="markers", name=t("kind.target", lang),
            marker=dict(symbol="line-ns", size=SLOT * BAR + 8, line=dict(width=3, color=TARGET_COLOUR)),
            customdata=list(zip(tg["label"], [t("kind.target", lang)] * len(tg), tg["src"])),
            hovertemplate=_hover(unit, lang),
        )
    if context is not None and len(context):
        label_of = dict(zip(rows["regency"], rows["label"]))
        for level, symbol in (("province", "diamond-open"), ("national", "square-open")):
            part = context[(context["geography_level"] == level) & context["reported_by"].isin(label_of)]
            if part.empty:
                continue
            labels = [label_of[r] for r in part["reported_by"]]
            fig.add_scatter(
                y=labels, x=part["value"], mode="markers", name=t(f"chart.context_{level}", lang),
                marker=dict(symbol=symbol, size=13, color="#6E6E6E", line=dict(width=2, color="#6E6E6E")),
                customdata=list(zip([f"{g} ({t('chart.context_word', lang)})" for g in part["geography"]],
                                    [f"{t('tpt.quoted_by', lang)} {r}" for r in part["reported_by"]],
                                    [cite.of_row(r, lang) for r in part.itertuples()])),
                hovertemplate=_hover(unit, lang),
            )
    n = max(1, len(categories))
    apply_layout(fig, lang, height=TOP + BOTTOM + SLOT * n)
    fig.update_layout(margin=dict(l=8, r=16, t=TOP, b=BOTTOM), bargap=0,
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font_size=12))
    # the label line of each row: above its bar, left-aligned at the axis, on a white ground so a
    # target tick or reference line passing under it never garbles it
    labels = []
    for label, value, plain in zip(rows["label"], rows["value"], rows["_plain"]):
        # plain text: the app's chart component shows markup in annotations literally
        text = f"{label}:  {value_text(value, unit, lang, short=True)}" + ("" if plain else f"  ({t('status.suspect_short', lang)})")
        labels.append(_row_label(label, text))
    labels += [_row_label(m, m, colour="#666") for m in missing_labels]
    _set_annotations(fig, labels)
    top = max([*rows["value"].dropna(), *(targets["value"].dropna() if targets is not None and len(targets) else []),
               *(context["value"].dropna() if context is not None and len(context) else [])], default=1)
    axis_title = t("chart.lower_better", lang) if better == "lower" else (t("chart.higher_better", lang) if better == "higher" else "")
    fig.update_xaxes(ticksuffix="%" if unit == "percent" else "", tickprefix="Rp " if unit == "rupiah" else "",
                     range=[0, (top or 1) * 1.08], title_text=axis_title, title_font_size=12, automargin=False,
                     zeroline=True, zerolinecolor="#999")
    fig.update_yaxes(title_text="", showticklabels=False, categoryorder="array", categoryarray=categories,
                     range=[-0.5, n - 0.5], automargin=False, fixedrange=True)
    return fig


def _set_annotations(fig: go.Figure, anns: list[dict]) -> None:
    # one assignment: add_annotation re-validates every earlier annotation on each call (quadratic)
    fig.layout.annotations = list(fig.layout.annotations) + anns


def _row_label(category: str, text: str, colour: str = "#222", slot: float = SLOT, bar: float = BAR) -> dict:
    return dict(x=0, xref="paper", y=category, yref="y", yshift=slot * bar / 2 + 1, xanchor="left", yanchor="bottom",
                text=text, showarrow=False, align="left", font=dict(size=13, color=colour),
                bgcolor="rgba(255,255,255,0.9)", borderpad=1)


def _point_symbol(row: dict) -> str:
    if row.get("status") == "suspect":
        return "x-thin-open"
    if row.get("period") != "annual":
        return "circle-open"
    if row.get("method") == "derived":
        return "square-open"
    return "circle"


def series_by_regency(rows: pd.DataFrame, colours: dict[str, str], unit: str, lang: str,
                      targets: pd.DataFrame | None = None) -> go.Figure:
    """Lines over years, one per regency; targets dotted; quarter values as open markers."""
    fig = go.Figure()
    for regency, grp in rows.sort_values("year").groupby("regency", sort=True):
        src = [cite.of_row(r, lang) for r in grp.itertuples()]
        labels = [_entity_label(r, lang) for _, r in grp.iterrows()]
        fig.add_scatter(
            x=grp["year"], y=grp["value"], mode="lines+markers", name=regency,
            line=dict(color=colours.get(regency), width=2.5),
            # a quarter, a recomputation and a doubted value must not look like a stated full-year value
            marker=dict(size=10, symbol=[_point_symbol(r) for r in grp.to_dict("records")], line=dict(width=2)),
            customdata=list(zip(labels, [t("kind.actual", lang)] * len(grp), src)),
            hovertemplate=_hover(unit, lang).replace("%{x:", "%{y:"),
        )
    if targets is not None and len(targets):
        for regency, grp in targets.sort_values("year").groupby("regency", sort=True):
            src = [cite.of_row(r, lang) for r in grp.itertuples()]
            labels = [_entity_label(r, lang) for _, r in grp.iterrows()]
            fig.add_scatter(
                x=grp["year"], y=grp["value"], mode="lines+markers", name=f"{regency} — {t('kind.target', lang)}",
                line=dict(color=colours.get(regency), width=1.5, dash="dot"), marker=dict(symbol="diamond-open", size=8),
                customdata=list(zip(labels, [t("kind.target", lang)] * len(grp), src)),
                hovertemplate=_hover(unit, lang).replace("%{x:", "%{y:"),
            )
    apply_layout(fig, lang, height=420)
    fig.update_xaxes(dtick=1, tickformat="d", title_text="")
    fig.update_yaxes(ticksuffix="%" if unit == "percent" else "", rangemode="tozero", title_text="")
    return fig


def small_multiples(rows: pd.DataFrame, measures: list[tuple[str, str]], colours: dict[str, str], lang: str,
                    unit: str = "persons") -> go.Figure:
    """One panel per measure (e.g. job seekers, vacancies, placements), bars coloured by regency."""
    fig = make_subplots(rows=1, cols=len(measures), subplot_titles=[label for _, label in measures],
                        shared_yaxes=False, horizontal_spacing=0.08)
    regencies = ordered(rows["regency"])
    in_legend: set[str] = set()
    for col, (measure, label) in enumerate(measures, start=1):
        part = rows[rows["indicator"] == measure].set_index("regency")
        if part.empty:
            lo, hi = fig.layout[f"xaxis{col if col > 1 else ''}"].domain
            fig.add_annotation(text=t("value.not_reported", lang), showarrow=False, font=dict(color="#777", size=14),
                               xref="paper", yref="paper", x=(lo + hi) / 2, y=0.5)
            fig.update_xaxes(visible=False, row=1, col=col)
            fig.update_yaxes(visible=False, row=1, col=col)
        for regency in regencies:
            if regency not in part.index:
                continue
            r = part.loc[[regency]].iloc[0]
            first = regency not in in_legend
            in_legend.add(regency)
            fig.add_bar(
                x=[regency], y=[r["value"]], name=regency, legendgroup=regency, showlegend=first,
                marker_color=colours.get(regency), text=[value_text(r["value"], r["unit"], lang)], textposition="outside",
                cliponaxis=False,
                customdata=[[_entity_label(r.to_frame().T.assign(regency=regency).iloc[0], lang), label,
                             cite.of_row(r, lang)]],
                hovertemplate=_hover(r["unit"], lang).replace("%{x:", "%{y:"),
                row=1, col=col,
            )
    apply_layout(fig, lang, height=450)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.06, xanchor="left", x=0),
                      margin=dict(t=50))
    # each bar is named under it (colour alone does not tell a reader which area it is)
    fig.update_xaxes(showticklabels=True, tickfont_size=11, automargin=True)
    fig.update_yaxes(rangemode="tozero")
    return fig


def pagu_vs_realisasi(rows: pd.DataFrame, colours: dict[str, str], lang: str, label_col: str = "regency") -> go.Figure:
    """Bullet bars: pagu as a wide pale bar, realisasi as a narrow solid bar inside it; absorption as text.
    `rows` has columns label_col, regency, pagu, realisasi, absorption, src_pagu, src_real. The axis is in
    billions of rupiah (miliar); hover shows the full amount."""
    rows = rows.sort_values("pagu", ascending=True)
    labels = list(rows[label_col])
    unit = t("budget.billion", lang)
    hover = ("<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[3]}<br>" + t("chart.source", lang)
             + ": %{customdata[2]}<extra></extra>")
    fig = go.Figure()
    fig.add_bar(y=labels, x=rows["pagu"] / 1e9, orientation="h", name=t("budget.pagu", lang), width=0.8,
                marker=dict(color=[colours.get(r, "#888") for r in rows["regency"]], opacity=0.3), showlegend=False,
                customdata=list(zip(labels, [t("budget.pagu", lang)] * len(rows), rows["src_pagu"],
                                    [value_text(x, "rupiah", lang) for x in rows["pagu"]])),
                hovertemplate=hover)
    fig.add_bar(y=labels, x=rows["realisasi"] / 1e9, orientation="h", name=t("budget.realisasi", lang), width=0.4,
                marker=dict(color=[colours.get(r, "#888") for r in rows["regency"]]), showlegend=False,
                text=[value_text(a, "percent", lang) if pd.notna(a) else "" for a in rows["absorption"]],
                textposition="outside", cliponaxis=False,
                customdata=list(zip(labels, [t("budget.realisasi", lang)] * len(rows), rows["src_real"],
                                    [value_text(x, "rupiah", lang) for x in rows["realisasi"]])),
                hovertemplate=hover)
    # legend keys in neutral grey: the colours belong to regencies
    fig.add_bar(y=[None], x=[None], name=t("budget.pagu", lang), marker=dict(color="#999", opacity=0.3))
    fig.add_bar(y=[None], x=[None], name=t("budget.realisasi", lang), marker=dict(color="#666"))
    apply_layout(fig, lang, height=max(260, 90 + 44 * len(rows)))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=unit, range=[0, max(rows["pagu"].max(), rows["realisasi"].max()) / 1e9 * 1.15])
    fig.update_yaxes(automargin=True, title_text="")
    return fig


def context_dots(ctx: pd.DataFrame, own: pd.DataFrame, colours: dict[str, str], lang: str,
                 level_label) -> go.Figure:
    """Dot plot of the figures each report quotes for other areas (grey), one panel per reporting
    regency, with the regency's own value in its colour. Two dots on one row = the report quotes
    two different figures for that area."""
    reporters = sorted(ctx["reported_by"].unique())
    sizes = [ctx[ctx["reported_by"] == r]["geography"].nunique() + 1 for r in reporters]
    fig = make_subplots(rows=len(reporters), cols=1, shared_xaxes=True, row_heights=sizes, vertical_spacing=0.06,
                        subplot_titles=[f"{t('tpt.quoted_by', lang)} {r}" for r in reporters])
    for i, reporter in enumerate(reporters, start=1):
        part = ctx[ctx["reported_by"] == reporter].sort_values("value")
        labels = [f"{g} ({level_label(lvl)})" for g, lvl in zip(part["geography"], part["geography_level"])]
        fig.add_scatter(x=part["value"], y=labels, mode="markers", name=t("tpt.quoted", lang), legendgroup="ctx",
                        showlegend=i == 1, marker=dict(color="#8C8C8C", size=10),
                        customdata=[[cite.of_row(r, lang)] for r in part.itertuples()],
                        hovertemplate="%{y}: %{x:.2f}%<br>" + t("chart.source", lang)
                                      + ": %{customdata[0]}<extra></extra>", row=i, col=1)
        mine = own[own["regency"] == reporter]
        for r in mine.itertuples():
            fig.add_scatter(x=[r.value], y=[f"{reporter} ({t('tpt.own_value', lang)})"], mode="markers", name=reporter,
                            marker=dict(color=colours.get(reporter), size=14, symbol="diamond"),
                            customdata=[[cite.of_row(r, lang)]],
                            hovertemplate="%{y}: %{x:.2f}%<br>" + t("chart.source", lang)
                                          + ": %{customdata[0]}<extra></extra>", row=i, col=1)
    apply_layout(fig, lang, height=120 + 24 * sum(sizes))
    fig.update_yaxes(automargin=True, categoryorder="array")
    fig.update_xaxes(ticksuffix="%", rangemode="tozero", showgrid=True)
    return fig


def _wrap_lines(text: str, width: int = 40, lines: int = 3) -> list[str]:
    """Wrap at word boundaries into at most `lines` lines of about `width` characters (≈ 280 px
    at 13 px, so a phone's plot fits it); an ellipsis where it had to cut."""
    out = textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 2].rstrip() + " …"
    return out


LINE_PX = 17  # one label line at 13 px


def achievement_bars(labels: list[str], values: list[float], colour: str, lang: str,
                     customdata: list, hovertemplate: str) -> go.Figure:
    """Achievement (capaian) per indicator, one bar per row, the indicator's name and the value on
    the line(s) above the bar (wrapped at word boundaries, an ellipsis where cut; one annotation a
    line, since the app's chart component shows markup such as <br> literally), and the 100 %
    line drawn under the labels."""
    wrapped = [_wrap_lines(f"{x}:  {value_text(v, 'percent', lang)}") for x, v in zip(labels, values)]
    slot = SLOT + LINE_PX * (max((len(w) for w in wrapped), default=1) - 1)  # a category axis spaces rows evenly
    bar = BAR * SLOT / slot  # the same bar thickness in px whatever the label height
    # categories must be unique and top-to-bottom in the given order
    cats = [f"{i:03d}" for i in range(len(labels))]
    fig = go.Figure(go.Bar(y=cats, x=values, orientation="h", marker_color=colour, width=bar, customdata=customdata,
                           hovertemplate=hovertemplate, showlegend=False))
    fig.add_vline(x=100, line_dash="dot", line_color="#555", layer="below")
    apply_layout(fig, lang, height=TOP + BOTTOM + slot * len(cats))
    fig.update_layout(margin=dict(l=8, r=16, t=TOP, b=BOTTOM), bargap=0)
    anns = []
    for cat, lines in zip(cats, wrapped):
        for k, line in enumerate(lines):  # the last line sits just above the bar, earlier ones above it
            ann = _row_label(cat, line, slot=slot, bar=bar)
            ann["yshift"] += LINE_PX * (len(lines) - 1 - k)
            ann["name"] = f"row-label-{len(lines) - 1 - k}"
            anns.append(ann)
    _set_annotations(fig, anns)
    top = max([*values, 100])
    fig.update_xaxes(ticksuffix="%", range=[0, top * 1.08], automargin=False, zeroline=True, zerolinecolor="#999",
                     title_text=t("chart.target_line", lang), title_font_size=12)
    fig.update_yaxes(showticklabels=False, categoryorder="array", categoryarray=list(reversed(cats)),
                     range=[-0.5, len(cats) - 0.5], automargin=False, fixedrange=True)
    return fig


def fit_row_labels(fig: go.Figure) -> go.Figure:
    """After a figure is given another height (an export, a slide), put each row label (above
    its bar, see `_row_label`) half a bar above its row again: the slot per row has changed."""
    cats = fig.layout.yaxis.categoryarray
    if not cats or not fig.layout.height:
        return fig
    m = fig.layout.margin
    slot = (fig.layout.height - (m.t or 0) - (m.b or 0)) / len(cats)
    widths = [w for tr in fig.data if tr.type == "bar" for w in ([tr.width] if isinstance(tr.width, (int, float)) else [])]
    bar = max(widths, default=BAR)
    line_px = max((a.font.size or 13 for a in fig.layout.annotations), default=13) * LINE_PX / 13
    for ann in fig.layout.annotations:
        if ann.yref == "y" and ann.yshift:
            above = int(ann.name.rsplit("-", 1)[1]) if ann.name and ann.name.startswith("row-label-") else 0
            ann.yshift = slot * bar / 2 + 1 + above * line_px
    return fig


def funnel_bars(rows: pd.DataFrame, measures: list[tuple[str, str]], colours: dict[str, str], lang: str) -> go.Figure:
    """Job seekers → vacancies → placements on one shared scale: per area a block of bars, one
    per measure it reports, each labelled above ("Muara Enim · 2023 — Job seekers: 3,111 persons").
    The measure is told by shade (pale = the first step, solid = the last), the area by colour and
    name; a measure no area reports gets no empty panel (the chart's notes say it is missing)."""
    present = [(m, label) for m, label in measures if m in set(rows["indicator"])]
    shade = {m: 0.35 + 0.65 * i / max(1, len(present) - 1) for i, (m, _) in enumerate(present)}
    items = []
    for regency in ordered(rows["regency"]):
        for measure, label in present:
            part = rows[(rows["regency"] == regency) & (rows["indicator"] == measure)]
            if part.empty:
                continue
            r = part.iloc[0]
            items.append((f"{_entity_label(r, lang)} — {label}", r, measure, label))
    cats = [c for c, *_ in items]
    fig = go.Figure()
    for cat, r, measure, label in items:
        fig.add_bar(y=[cat], x=[r["value"]], orientation="h", width=BAR, showlegend=False,
                    marker=dict(color=colours.get(r["regency"], "#888"), opacity=shade[measure]),
                    customdata=[[cat, label, cite.of_row(r, lang)]], hovertemplate=_hover(r["unit"], lang))
    for measure, label in present:  # legend keys in neutral grey: the colours belong to areas
        fig.add_bar(y=[None], x=[None], name=label, marker=dict(color="#555", opacity=shade[measure]))
    apply_layout(fig, lang, height=TOP + BOTTOM + SLOT * max(1, len(cats)))
    fig.update_layout(margin=dict(l=8, r=16, t=TOP, b=BOTTOM), bargap=0, barmode="overlay",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, font_size=12))
    _set_annotations(fig, [_row_label(cat, f"{cat}:  {value_text(r['value'], r['unit'], lang)}") for cat, r, *_ in items])
    top = max([r["value"] for _, r, *_ in items], default=1)
    fig.update_xaxes(range=[0, (top or 1) * 1.08], automargin=False, zeroline=True, zerolinecolor="#999",
                     separatethousands=True)
    fig.update_yaxes(showticklabels=False, categoryorder="array", categoryarray=list(reversed(cats)),
                     range=[-0.5, max(1, len(cats)) - 0.5], automargin=False, fixedrange=True)
    return fig
