"""Findings written out: two to four sentences that open each analysis page, made from the
warehouse by templates (i18n/strings.yaml, keys `find.*`) in the reader's language — who leads
and who lags, by how much, the year and period of each figure, and what is not comparable.

Nothing here is typed in: every number comes from the rows a page shows, and each number links
to the report line it comes from (the data-quality page's viewer, `?file=…&line=…`). The same
sentences, with plain citations instead of links, go into the briefing deck's speaker notes.

A value a plausibility rule doubts (`status = 'suspect'`) is never ranked: it is named as
doubtful instead. A quarter is never ranked against full years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import cite
from dashboard.i18n import period_label, t
from dashboard.safe import md
from dashboard.style import number, value_text

MAX_SENTENCES = 4
STATE_KEY = "_page_findings"
# parameters this module writes itself (numbers, years, periods), never text from a report file
TRUSTED = {"gap", "when", "best_when", "worst_when", "period", "n", "total", "from_year", "to_year", "met", "lowest"}  # the current page's findings, for 'add to briefing deck'


@dataclass
class Number:
    """A value as a sentence shows it, with where it comes from."""
    text: str
    source_file: str | None = None
    source_line: int | None = None
    source_page: int | None = None

    def markdown(self, lang: str) -> str:
        if not self.source_file or self.source_line is None:
            return self.text
        query = {"file": self.source_file, "line": int(self.source_line)}
        if lang != "id":
            query["lang"] = lang
        return f"[{self.text}](quality?{urlencode(query)})"

    def plain(self, lang: str) -> str:
        if not self.source_file or self.source_line is None:
            return self.text
        return f"{self.text} ({cite.source(self.source_file, self.source_line, self.source_page, lang)})"


@dataclass
class Finding:
    key: str
    params: dict = field(default_factory=dict)

    def render(self, lang: str, how: str = "markdown") -> str:
        out = {}
        for k, v in self.params.items():
            if isinstance(v, Number):
                out[k] = v.markdown(lang) if how == "markdown" else v.plain(lang)
            elif k in TRUSTED or how != "markdown":
                out[k] = str(v)
            else:  # names of areas and indicators come from report files: text, not markdown
                out[k] = md(v)
        return t(self.key, lang, **out)


def number_of(row, lang: str, unit: str | None = None) -> Number:
    page = row.get("source_page")
    return Number(value_text(row["value"], unit or row["unit"], lang),
                  row.get("source_file"), cite.as_int(row.get("source_line")), cite.as_int(page))


def when(row, lang: str) -> str:
    year = int(row["year"])
    return str(year) if row["period"] == "annual" else f"{period_label(row['period'], lang)} {year}"


def _gap(a: float, b: float, unit: str, lang: str) -> str:
    d = abs(a - b)
    if unit == "percent":
        return t("find.points", lang, n=number(d, 2, lang))
    return value_text(d, unit, lang)


# ---- building blocks ----------------------------------------------------------------------------

def ranking(rows: pd.DataFrame, name: str, better: str | None, lang: str, unit: str) -> list[Finding]:
    """Who leads and who lags on one indicator, by how much; doubtful and part-year values are
    named, not ranked."""
    if rows.empty:
        return []
    rows = rows.dropna(subset=["value"])
    suspect = rows[rows["status"] == "suspect"] if "status" in rows else rows.iloc[0:0]
    plain = rows.drop(suspect.index)
    full = plain[plain["period"] == "annual"]
    out: list[Finding] = []
    if len(full) >= 2:
        hi = full.loc[full["value"].idxmax()].to_dict()
        lo = full.loc[full["value"].idxmin()].to_dict()
        if hi["value"] == lo["value"]:
            out.append(Finding("find.all_equal", {"name": name, "value": number_of(hi, lang, unit)}))
        else:
            best, worst = (lo, hi) if better == "lower" else (hi, lo)
            key = "find.lead_lag_lower" if better == "lower" else "find.lead_lag_higher"
            out.append(Finding(key, {
                "name": name, "best": best["regency"], "best_value": number_of(best, lang, unit), "best_when": when(best, lang),
                "worst": worst["regency"], "worst_value": number_of(worst, lang, unit), "worst_when": when(worst, lang),
                "gap": _gap(best["value"], worst["value"], unit, lang)}))
    elif len(full) == 1:
        one = full.iloc[0].to_dict()
        out.append(Finding("find.only_one", {"name": name, "regency": one["regency"],
                                             "value": number_of(one, lang, unit), "when": when(one, lang)}))
    for r in plain[plain["period"] != "annual"].to_dict("records"):
        out.append(Finding("find.part_year", {"regency": r["regency"], "name": name, "value": number_of(r, lang, unit),
                                               "when": when(r, lang), "period": period_label(r["period"], lang)}))
    for r in suspect.to_dict("records"):
        out.append(Finding("find.doubtful", {"regency": r["regency"], "name": name, "value": number_of(r, lang, unit)}))
    return out


def missing(names: list[str], name: str) -> list[Finding]:
    return [Finding("find.missing", {"regencies": ", ".join(names), "name": name})] if names else []


def change(series: pd.DataFrame, name: str, better: str | None, lang: str, unit: str) -> list[Finding]:
    """The largest move between a report's two latest full years (improved or worsened)."""
    moves = []
    for regency, grp in series[(series["kind"] == "actual") & (series["period"] == "annual")].groupby("regency"):
        grp = grp.sort_values("year")
        if len(grp) < 2:
            continue
        a, b = grp.iloc[-2].to_dict(), grp.iloc[-1].to_dict()
        moves.append((abs(b["value"] - a["value"]), regency, a, b))
    if not moves:
        return []
    _, regency, a, b = max(moves, key=lambda m: m[0])
    if b["value"] == a["value"]:
        return []
    improved = (b["value"] < a["value"]) == (better == "lower")
    return [Finding("find.change_better" if improved else "find.change_worse", {
        "regency": regency, "name": name, "from": number_of(a, lang, unit), "from_year": int(a["year"]),
        "to": number_of(b, lang, unit), "to_year": int(b["year"]), "gap": _gap(a["value"], b["value"], unit, lang)})]


def targets_met(shown: pd.DataFrame, targets: pd.DataFrame, name: str, better: str | None, lang: str,
                unit: str) -> list[Finding]:
    """How many of the regencies with a paired target met it (full-year, plain values only)."""
    if targets is None or targets.empty:
        return []
    tg = {r["regency"]: r for r in targets.to_dict("records")}
    met, total = [], 0
    for r in shown.to_dict("records"):
        if r["regency"] not in tg or r["period"] != "annual" or r.get("status") == "suspect":
            continue
        total += 1
        ok = r["value"] <= tg[r["regency"]]["value"] if better == "lower" else r["value"] >= tg[r["regency"]]["value"]
        if ok:
            met.append(r["regency"])
    if not total:
        return []
    return [Finding("find.targets_met", {"n": len(met), "total": total, "name": name,
                                         "regencies": ", ".join(met) if met else t("find.none", lang)})]


# ---- showing them --------------------------------------------------------------------------------

def show(findings: list[Finding], lang: str) -> list[Finding]:
    """Draw the first sentences (at most four) at the top of a page and remember them for the deck."""
    findings = [f for f in findings if f is not None][:MAX_SENTENCES]
    st.session_state[STATE_KEY] = [f.render(lang, "plain") for f in findings]
    if not findings:
        return findings
    with st.container(border=True, key="findings"):
        st.markdown(f"**{t('find.title', lang)}**  \n" + " ".join(f.render(lang) for f in findings))
    return findings


def current_plain() -> list[str]:
    return list(st.session_state.get(STATE_KEY) or [])


def in_sentence(name: str) -> str:
    """'Placement rate' → 'placement rate' inside a sentence; acronyms ('TPT') stay as they are."""
    if not name or name[:2].isupper():
        return name
    return name[0].lower() + name[1:]
