"""Recompute what a report lets us recompute, and say where it disagrees with itself.

* rates from their own counts: TPT = unemployed ÷ labour force, placement rate = placements ÷
  registered job seekers, dispute resolution = resolved ÷ registered (the pairs are declared in
  `indicators.yaml` under `ratio`);
* budget absorption = realisasi ÷ pagu, for every budget line;
* capaian = realisasi ÷ target (for lower-is-better indicators the reports' own
  (2·target − realisasi) ÷ target and target ÷ realisasi are accepted too);
* a total against the sum of its programmes.

A stated value that disagrees with the figures printed beside it (same row or sentence)
becomes `status = 'mismatch'`; one that agrees with them is `confirmed`. Recomputed values are
added as `method = 'derived'` observations carrying their formula.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import product

from pipeline.knowledge import indicators
from pipeline.numbers import tolerance
from pipeline.observations.model import Observation



def _near(a: Observation, b: Observation) -> bool:
    """Printed side by side: the same line, or the same table row."""
    return a.source_line == b.source_line or (
        a.table_id is not None and a.table_id == b.table_id and abs(a.source_line - b.source_line) <= 1 and a.label == b.label
    )


def _together(a: Observation, b: Observation) -> bool:
    """Printed together: the same line, or the same table (a rate row under its count rows)."""
    return a.source_line == b.source_line or (a.table_id is not None and a.table_id == b.table_id)


def _agrees(stated: Observation, computed: float, inputs: tuple[Observation, ...] = ()) -> bool:
    """Within rounding: half a unit of the stated figure, plus what the rounding of printed
    percentages among the inputs can move the result (counts, amounts and targets are exact)."""
    tol = tolerance(stated.decimals)
    for i in inputs:
        if i.unit == "percent" and i.value and i.kind == "actual":
            tol += abs(computed) * 0.5 * 10 ** (-i.decimals) / abs(i.value)
    return abs(stated.value - computed) <= tol


# the stated values each derived value was computed from, keyed by id() of the derived value;
# filled by `derive` for the report being reconciled (plausibility checks them after ranking)
_INPUTS: dict[int, tuple[Observation, ...]] = {}


def inputs_of(derived: Observation) -> tuple[Observation, ...]:
    return _INPUTS.get(id(derived), ())


def _derived(base: Observation, indicator: str, value: float, formula: str, definition: str | None = None,
             kind: str = "actual", scope: str | None = None, inputs: tuple[Observation, ...] = ()) -> Observation:
    o = _new(base, indicator, value, formula, definition, kind, scope)
    _INPUTS[id(o)] = inputs
    return o


def _new(base: Observation, indicator: str, value: float, formula: str, definition: str | None,
         kind: str, scope: str | None) -> Observation:
    return Observation(
        indicator=indicator,
        scope=scope or base.scope,
        scope_level=base.scope_level,
        year=base.year,
        period=base.period,
        kind=kind,
        value=round(value, 4),
        unit="percent",
        source_line=base.source_line,
        source_text=formula,
        method="derived",
        section=base.section,
        decimals=2,
        table_id=base.table_id,
        label=base.label,
        definition=definition,
        formula=formula,
    )


def derive(obs: list[Observation]) -> list[Observation]:
    _INPUTS.clear()
    new: list[Observation] = []
    new += _ratios(obs)
    new += _absorption(obs)
    new += _achievements(obs)
    new += _sums(obs)
    return new


def _by(obs, indicator, kind="actual", scope="total"):  # noqa: D103
    out = defaultdict(list)
    for o in obs:
        if o.indicator == indicator and o.kind == kind and o.scope == scope and o.method != "derived":
            out[(o.year, o.period)].append(o)
    return out


MAX_PAIRS = 400  # a report prints a handful of counts per key; thousands mean a converter lost the layout


def _pairs(nums: list[Observation], dens: list[Observation]) -> list[tuple[Observation, Observation]]:
    """Every numerator with every denominator; when that is more than MAX_PAIRS, only the pairs
    printed together (one line or one table), at most MAX_PAIRS of them: recomputing a rate
    from figures scattered over a broken file is noise, and all pairs would be quadratic."""
    if len(nums) * len(dens) <= MAX_PAIRS:
        return list(product(nums, dens))
    by_line: dict[int, list[Observation]] = defaultdict(list)
    by_table: dict[str, list[Observation]] = defaultdict(list)
    for d in dens:
        by_line[d.source_line].append(d)
        if d.table_id:
            by_table[d.table_id].append(d)
    out = []
    for n in nums:
        together = by_table.get(n.table_id, []) if n.table_id else by_line.get(n.source_line, [])
        for d in together:
            out.append((n, d))
            if len(out) >= MAX_PAIRS:
                return out
    return out


def _ratios(obs: list[Observation]) -> list[Observation]:
    new = []
    for (rate_id, spec), kind in product(indicators().items(), ("actual", "target")):
        if not spec.ratio:
            continue
        nums = _by(obs, spec.ratio["numerator"], kind)
        dens = _by(obs, spec.ratio["denominator"], kind)
        rates = _by(obs, rate_id, kind)
        for key in set(nums) & set(dens):
            # a part cannot exceed its whole: such pairs are mislabelled figures, not a rate
            pairs = [(n, d) for n, d in _pairs(nums[key], dens[key]) if d.value and n.value <= d.value]
            # stated rates: confirmed by any pair, a mismatch against the pair printed with them
            for r in rates.get(key, []):
                for n, d in pairs:
                    computed = 100 * n.value / d.value
                    if _agrees(r, computed):
                        r.confirmed = n.confirmed = d.confirmed = True
                        break
                else:
                    local = [(n, d) for n, d in pairs if _together(r, n) and _together(r, d)]
                    if local:
                        n, d = local[0]
                        r.status = "mismatch"
                        r.note = _append(r.note, f"stated {r.value:g} but {n.value:g} ÷ {d.value:g} × 100 = {100 * n.value / d.value:.2f}")
            seen = set()
            for n, d in pairs:
                value = round(100 * n.value / d.value, 2)
                if value in seen:
                    continue
                seen.add(value)
                formula = (f"{spec.ratio['numerator']} {n.value:g} (line {n.source_line}) ÷ "
                           f"{spec.ratio['denominator']} {d.value:g} (line {d.source_line}) × 100")
                definition = None
                if rate_id == "placement_rate":
                    definition = "placed ÷ registered job seekers (recomputed)"
                new.append(_derived(n, rate_id, 100 * n.value / d.value, formula, definition, kind=kind, inputs=(n, d)))
    return new


def _absorption(obs: list[Observation]) -> list[Observation]:
    new = []
    groups = defaultdict(lambda: defaultdict(list))
    for o in obs:
        if o.indicator.startswith("budget_") and o.method != "derived":
            groups[(o.scope, o.year, o.period if o.indicator != "budget_allocated" else None, o.table_id, o.method)][o.indicator].append(o)
    # pagu is annual; realisasi may be a quarter's: pair them by scope/year within one table or sentence
    pairs = defaultdict(lambda: defaultdict(list))
    for (scope, year, period, table, method), d in groups.items():
        for ind, items in d.items():
            for o in items:
                pairs[(scope, year, table, method)][ind].append(o)
    stated_keys = {(o.scope, o.year, o.period) for o in obs if o.indicator == "budget_absorption" and o.method != "derived"}
    derived_keys = set()
    for (scope, year, table, method), d in pairs.items():
        for pagu, real in product(d.get("budget_allocated", []), d.get("budget_realized", [])):
            if not pagu.value or not (_near(pagu, real) or (table is None and abs(pagu.source_line - real.source_line) <= 3)):
                continue
            computed = 100 * real.value / pagu.value
            for st in d.get("budget_absorption", []):
                if _near(st, real) or (table is None and abs(st.source_line - real.source_line) <= 3):
                    if _agrees(st, computed):
                        st.confirmed = pagu.confirmed = real.confirmed = True
                    else:
                        st.status = "mismatch"
                        st.note = _append(st.note, f"stated {st.value:g}% but {real.value:,.0f} ÷ {pagu.value:,.0f} = {computed:.2f}%")
            key = (scope, year, real.period)
            if key in derived_keys:
                continue
            derived_keys.add(key)
            formula = f"budget_realized {real.value:,.0f} (line {real.source_line}) ÷ budget_allocated {pagu.value:,.0f} (line {pagu.source_line}) × 100"
            if key not in stated_keys or any(o.status == "mismatch" for o in d.get("budget_absorption", [])):
                new.append(_derived(real, "budget_absorption", computed, formula, inputs=(pagu, real)))
    return new


def _achievements(obs: list[Observation]) -> list[Observation]:
    new = []
    rows = defaultdict(dict)
    for o in obs:
        if o.method == "derived" or o.indicator.startswith("budget_"):
            continue
        rows[(o.indicator, o.scope, o.year, o.table_id, o.source_line if o.table_id else o.source_line)][o.kind] = o
    for (ind, scope, year, table, line), kinds in rows.items():
        if not {"target", "actual", "achievement"} <= set(kinds):
            continue
        t, a, c = kinds["target"], kinds["actual"], kinds["achievement"]
        if not t.value:
            continue
        candidates = [100 * a.value / t.value]
        if indicators()[ind].better == "lower":
            if a.value:  # "(rencana ÷ realisasi) × 100", the other formula reports use for a falling indicator
                candidates.append(100 * t.value / a.value)
            candidates.append(100 * (2 * t.value - a.value) / t.value)
        if any(_agrees(c, x, (t, a)) for x in candidates):
            c.confirmed = True
            continue
        c.status = "mismatch"
        best = candidates[-1]  # lower-is-better indicators: (2·target − realisasi) ÷ target
        c.note = _append(c.note, f"stated capaian {c.value:g}% but realisasi {a.value:g} against target {t.value:g} gives {best:.2f}%")
        formula = (f"(2 × target {t.value:g} − actual {a.value:g}) ÷ target × 100" if len(candidates) > 1
                   else f"actual {a.value:g} ÷ target {t.value:g} × 100") + f" (line {a.source_line})"
        new.append(_derived(c, ind, best, formula, kind="achievement", inputs=(t, a)))
    return new


def _sums(obs: list[Observation]) -> list[Observation]:
    """Programmes of one table against the table's total."""
    new = []
    tables = defaultdict(lambda: defaultdict(list))
    for o in obs:
        if o.indicator in ("budget_allocated", "budget_realized") and o.table_id and o.method == "table":
            tables[(o.table_id, o.year, o.indicator)][o.scope_level].append(o)
    for (table, year, ind), levels in tables.items():
        progs, totals = levels.get("programme", []), levels.get("total", [])
        if len(progs) < 2 or len(totals) != 1:
            continue
        total = totals[0]
        s = sum(p.value for p in progs)
        if abs(s - total.value) <= max(1.0, tolerance(total.decimals)) * len(progs):
            total.confirmed = True
            for p in progs:
                p.confirmed = True
            continue
        total.status = "mismatch"
        total.note = _append(total.note, f"the {len(progs)} programmes add up to {s:,.0f}, not {total.value:,.0f}")
        d = _derived(total, ind, s, f"sum of {len(progs)} programmes in table {table} (lines {progs[0].source_line}–{progs[-1].source_line})",
                     inputs=tuple(progs))
        d.unit = "rupiah"
        d.decimals = 0
        new.append(d)
    return new


def _append(note: str | None, text: str) -> str:
    return f"{note}; {text}" if note else text
