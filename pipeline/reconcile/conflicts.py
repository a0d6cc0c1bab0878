"""Group candidates per key, count agreement, choose the headline, record disagreements.

Nothing is smoothed over: every candidate stays in `observations`; the ones that disagree with
the chosen value get `status = 'conflict'` and the disagreement gets a row in `conflicts`
saying which values, on which lines, and why they probably differ.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.numbers import tolerance
from pipeline.observations.model import Observation
from pipeline.reconcile.derive import derive, inputs_of
from pipeline.reconcile.plausibility import check_derived, check_stated
from pipeline.reconcile.rank import sort_key


@dataclass
class Conflict:
    indicator: str
    scope: str
    year: int
    period: str
    kind: str
    n_candidates: int
    n_values: int
    chosen_value: float
    values: list[float]
    lines: list[int]
    candidates: str  # JSON list of {value, line, method, section, text}
    reason: str


def _same(a: Observation, b: Observation) -> bool:
    """Two printed values agree when they differ by less than half a unit of the less precise
    one (92,22 and 92,2 agree; 75 and 74,5 do not: a target of 75% is not one of 74,5%)."""
    return abs(a.value - b.value) < tolerance(a.decimals, b.decimals) - 2e-9


def dedupe(obs: list[Observation]) -> list[Observation]:
    """The same value read twice from the same line (e.g. by a table and a sentence reader)."""
    seen: dict[tuple, Observation] = {}
    out = []
    for o in obs:
        k = (*o.key(), o.source_line, round(o.value, 6))
        if k in seen:
            continue
        seen[k] = o
        out.append(o)
    return out


def _reason(groups: list[list[Observation]]) -> str:
    sections = {o.section for g in groups for o in g}
    methods = {o.method for g in groups for o in g}
    tables = {o.table_id for g in groups for o in g if o.table_id}
    definitions = {o.definition for g in groups for o in g if o.definition}
    parts = []
    if len(definitions) > 1:
        parts.append("the values follow different definitions")
    if "planning" in sections and "performance" in sections and groups[0][0].indicator.startswith("budget_"):
        parts.append("planning (original budget) and realisation (revised budget) tables disagree")
    elif len(sections) > 1:
        parts.append("chapters of the report disagree (" + ", ".join(sorted(sections)) + ")")
    if methods == {"table", "narrative"}:
        parts.append("a table and the text disagree")
    elif len(tables) > 1:
        parts.append("tables disagree")
    elif methods == {"narrative"}:
        parts.append("sentences disagree")
    summary = "; ".join(
        f"{g[0].value:g} (line{'s' if len(g) > 1 else ''} {', '.join(str(o.source_line) for o in g)})" for g in groups
    )
    return (("; ".join(parts) + ": ") if parts else "") + summary


def _scope_key(scope: str) -> str:
    s = re.sub(r"[^a-z0-9]", "", scope.lower())
    return s.replace("satu", "1")


def unify_scopes(obs: list[Observation]) -> None:
    """One report names an activity slightly differently in two tables ("1(satu)" / "1 (Satu)",
    "hanyabBeroperasi"): such names are one scope, shown as first written."""
    names: dict[str, str] = {}
    keys: list[str] = []
    for o in obs:
        if o.scope == "total" or o.scope_level in ("programme", "total"):
            continue
        k = _scope_key(o.scope)
        if k in names:
            o.scope = names[k]
            continue
        close = difflib.get_close_matches(k, keys, n=1, cutoff=0.97) if len(k) > 25 else []
        if close:
            names[k] = names[close[0]]
            o.scope = names[k]
        else:
            names[k] = o.scope
            keys.append(k)


def _agreement(cands: list[Observation], stated: list[Observation]) -> dict[int, int]:
    """For each candidate, how many stated candidates print the same value (`_same`). Sorted
    values and a window search keep this near-linear when a key has thousands of candidates
    (a converter that lost its line breaks); the answer is the pairwise one."""
    if len(stated) <= 16:
        return {id(o): sum(1 for c in stated if _same(o, c)) for o in cands}
    values = sorted(stated, key=lambda c: c.value)
    keys = [c.value for c in values]
    widest = max(tolerance(c.decimals) for c in stated)
    out = {}
    for o in cands:
        lo = bisect.bisect_left(keys, o.value - widest - 1e-9)
        hi = bisect.bisect_right(keys, o.value + widest + 1e-9)
        out[id(o)] = sum(1 for c in values[lo:hi] if _same(o, c))
    return out


def _groups(stated: list[Observation]) -> list[list[Observation]]:
    """Stated candidates grouped by value, in line order: each joins the first group (in the
    order groups were opened) whose first member it agrees with."""
    groups: list[list[Observation]] = []
    reps: list[tuple[float, int]] = []  # (value of a group's first member, group index), sorted
    widest = max((tolerance(c.decimals) for c in stated), default=0.5) + 1e-9
    for o in sorted(stated, key=lambda o: o.source_line):
        lo = bisect.bisect_left(reps, (o.value - widest, -1))
        hi = bisect.bisect_right(reps, (o.value + widest, len(groups)))
        near = sorted(k for _, k in reps[lo:hi] if _same(groups[k][0], o))
        if near:
            groups[near[0]].append(o)
        else:
            bisect.insort(reps, (o.value, len(groups)))
            groups.append([o])
    return groups


def reconcile(obs: list[Observation]) -> tuple[list[Observation], list[Conflict], dict[int, int]]:
    """Returns observations (stated + derived, with status/confirmed set), conflicts, and
    the agreement count for every observation (by id())."""
    unify_scopes(obs)
    obs = dedupe(obs)
    derived = derive(obs)
    obs = obs + derived
    check_stated(obs)  # doubted values are marked before the headline is chosen, so they lose it
    by_key: dict[tuple, list[Observation]] = defaultdict(list)
    for o in obs:
        by_key[o.key()].append(o)
    agreement: dict[int, int] = {}
    conflicts: list[Conflict] = []
    for key, cands in by_key.items():
        stated = [o for o in cands if o.method != "derived"]
        agreement.update(_agreement(cands, stated))
        chosen = min(cands, key=lambda o: sort_key(o, agreement[id(o)]))
        groups = _groups(stated)
        if len(groups) < 2:
            continue
        for o in stated:
            if not _same(o, chosen) and o.status == "ok":
                o.status = "conflict"
        groups.sort(key=lambda g: -len(g))
        conflicts.append(
            Conflict(
                indicator=key[0], scope=key[1], year=key[2], period=key[3], kind=key[4],
                n_candidates=len(stated), n_values=len(groups), chosen_value=chosen.value,
                values=[g[0].value for g in groups],
                lines=sorted(o.source_line for o in stated),
                candidates=json.dumps(
                    [{"value": o.value, "line": o.source_line, "method": o.method, "section": o.section,
                      "status": o.status, "text": o.source_text[:300]} for o in sorted(stated, key=lambda o: o.source_line)],
                    ensure_ascii=False,
                ),
                reason=_reason(groups),
            )
        )
    # a value recomputed from a candidate that lost (or is doubtful) is not a plain value either
    check_derived(derived, {id(d): inputs_of(d) for d in derived})
    return obs, conflicts, agreement


def context_conflicts(context: list) -> list[Conflict]:
    """A report quoting a peer regency or its province twice, with two values."""
    groups: dict[tuple, list] = defaultdict(list)
    for c in context:
        groups[(c.geography, c.indicator, c.year)].append(c)
    out = []
    for (geo, ind, year), items in groups.items():
        values = sorted({round(c.value, 6) for c in items})
        if len(values) < 2:
            continue
        out.append(Conflict(
            indicator=ind, scope=f"context: {geo}", year=year, period="annual", kind="actual",
            n_candidates=len(items), n_values=len(values), chosen_value=items[0].value, values=values,
            lines=sorted(c.source_line for c in items),
            candidates=json.dumps([{"value": c.value, "line": c.source_line, "method": c.method, "text": c.source_text[:300]}
                                   for c in items], ensure_ascii=False),
            reason=f"the report quotes {geo} twice: " + "; ".join(f"{c.value:g} (line {c.source_line})" for c in items),
        ))
    return out
