"""What a reader may trust at a glance: real disagreements, and targets that belong with the
value they are drawn beside.

The warehouse records every candidate for a key and flags the key `has_conflict` when any two
differ. Many of those are not two statements of one thing: a sub-activity row whose 0.00 was
read as the agency's absorption, a "TOTAL" row of an APBN-only table (96 of 144 trainees), a
recomputation, a value a plausibility rule doubts. A badge on all of them is a badge nobody
reads. Here a key *disagrees* only when the report itself states a different value for the same
thing — a stated (not derived, not suspect) candidate whose own label, where it names an
indicator at all, names this one, that is not an empty row, and that differs from the value
shown by more than rounding — and the difference *matters* when it is at least 1 % of the
value (5.37 % beside 5.39 % is noted, not badged). Everything else is a *related figure*:
listed with the sources, never badged.

A target is paired with an actual only when nothing in the report ties it to another actual:
a target printed in a table (or sentence) whose own actual differs from the one shown belongs
to that other figure (Paser: target 30 % on line 869 beside its own actual 41.88 %, not beside
the 20.16 % of line 102), and so does every other printing of the same target value.
"""

from __future__ import annotations

import pandas as pd

KEY = ["regency", "indicator", "scope", "year", "period", "kind"]
MATERIAL = 0.01  # a disagreement of at least 1 % of the value shown is worth a badge


def _differs(a: float, b: float) -> bool:
    # values are stored as printed; anything within half a unit of the second decimal is rounding
    return abs(a - b) > 0.005 + 1e-9 * max(abs(a), abs(b))


def _names_other_indicator(label, indicator: str, unit) -> bool:
    if not isinstance(label, str) or not label.strip():
        return False
    from pipeline.observations.classify import classify

    m = classify(label, unit if isinstance(unit, str) else None) or classify(label, None)
    return m is not None and m.indicator != indicator


def _is_total_row(row) -> bool:
    from pipeline.observations.classify import is_total_label

    return row.get("method") == "table" and isinstance(row.get("label"), str) and is_total_label(row["label"]) \
        and not _names_indicator(row)


def _names_indicator(row) -> bool:
    from pipeline.observations.classify import classify

    label = row.get("label")
    return isinstance(label, str) and classify(label, None) is not None


def classify_candidate(cand: dict, shown: dict) -> str:
    """'same' (the report states another value for the same thing), 'related', or 'agrees'."""
    if not _differs(float(cand["value"]), float(shown["value"])):
        return "agrees"
    if cand.get("method") == "derived" or cand.get("status") == "suspect":
        return "related"  # a recomputation or a doubted figure is not the report contradicting itself
    if float(cand["value"]) == 0 and float(shown["value"]) != 0:
        return "related"  # an empty row (a sub-activity with 0.00) is not a competing statement
    if _names_other_indicator(cand.get("label"), shown["indicator"], cand.get("unit")):
        return "related"  # the row is about something else (a sub-activity, another indicator)
    if _is_total_row(cand):
        return "related"  # the TOTAL of another table (an APBN-only subtotal)
    return "same"


def mark(head: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """`head` (headline rows) with three more columns: `disagrees` (a real disagreement that
    matters: badge it), `minor_disagreement` (real but under 1 %), `also_stated` (list of
    (value, line, page) the report states for the same thing) and `related` (how many other
    candidates are only related figures)."""
    out = head.copy()
    out["disagrees"] = False
    out["minor_disagreement"] = False
    out["also_stated"] = [[] for _ in range(len(out))]
    out["related"] = 0
    if out.empty or candidates is None or candidates.empty:
        return out
    flagged = out["has_conflict"].fillna(False).astype(bool) if "has_conflict" in out else pd.Series(True, index=out.index)
    if not flagged.any():
        return out
    groups = {k: g for k, g in candidates.groupby(KEY, dropna=False, sort=False)}
    for i in out.index[flagged]:
        shown = out.loc[i].to_dict()
        key = tuple(shown[k] for k in KEY)
        cands = groups.get(key)
        if cands is None:
            continue
        same, related = [], 0
        for cand in cands.to_dict("records"):
            if cand.get("source_line") == shown.get("source_line") and not _differs(cand["value"], shown["value"]):
                continue
            kind = classify_candidate(cand, shown)
            if kind == "same":
                same.append((float(cand["value"]), cand.get("source_line"), cand.get("source_page")))
            elif kind == "related":
                related += 1
        same = sorted(set(same), key=lambda x: (x[1] if x[1] == x[1] else 0))
        gap = max((abs(v - shown["value"]) / max(abs(shown["value"]), 1e-9) for v, _, _ in same), default=0.0)
        out.at[i, "also_stated"] = same
        out.at[i, "related"] = related
        out.at[i, "disagrees"] = bool(same) and gap >= MATERIAL
        out.at[i, "minor_disagreement"] = bool(same) and gap < MATERIAL
    return out


# ---- targets ------------------------------------------------------------------------------------

def _own_actuals(target: dict, actuals: pd.DataFrame) -> list[float]:
    """Actual values printed with this target: in its table, or in its sentence."""
    if isinstance(target.get("table_id"), str) and target["table_id"]:
        same = actuals[actuals["table_id"] == target["table_id"]]
    else:
        same = actuals[(actuals["source_line"] == target["source_line"]) & actuals["table_id"].isna()]
    same = same[(same["method"] != "derived") & (same["status"] != "suspect")]
    return [float(v) for v in same["value"]]


def paired_target(actual: dict, head_target: dict | None, candidates: pd.DataFrame) -> tuple[dict | None, dict | None]:
    """(the target to draw beside `actual`, or None; and the target left out because it belongs
    to another figure, or None). `candidates` are all observations of the indicator."""
    cands = candidates[(candidates["regency"] == actual["regency"]) & (candidates["indicator"] == actual["indicator"])
                       & (candidates["scope"] == actual["scope"]) & (candidates["year"] == actual["year"])]
    targets = cands[(cands["kind"] == "target") & (cands["status"] != "suspect")]
    actuals = cands[cands["kind"] == "actual"]
    if targets.empty:
        return head_target, None
    verdict: dict[float, bool | None] = {}  # value -> True paired, False belongs elsewhere, None no evidence
    for t in targets.to_dict("records"):
        own = _own_actuals(t, actuals)
        v = round(float(t["value"]), 6)
        if own:
            ok = any(not _differs(a, actual["value"]) for a in own)
            verdict[v] = True if ok or verdict.get(v) else False
        else:
            verdict.setdefault(v, None)
    first = head_target
    if first is not None and verdict.get(round(float(first["value"]), 6)) is not False:
        return first, None
    usable = [v for v, ok in verdict.items() if ok is not False]
    if not usable:
        return None, first
    best = max(usable, key=lambda v: (verdict[v] is True, (targets["value"].round(6) == v).sum()))
    pick = targets[targets["value"].round(6) == best]
    row = pick.assign(_plain=pick["status"] != "ok").sort_values(["_plain", "source_line"]).iloc[0].drop("_plain").to_dict()
    return row, first


def own_actual(target: dict, candidates: pd.DataFrame) -> float | None:
    """The actual printed with `target` (its table or sentence), if any."""
    cands = candidates[(candidates["regency"] == target["regency"]) & (candidates["indicator"] == target["indicator"])
                       & (candidates["scope"] == target["scope"]) & (candidates["year"] == target["year"])
                       & (candidates["kind"] == "actual")]
    own = _own_actuals(target, cands)
    return own[0] if own else None

