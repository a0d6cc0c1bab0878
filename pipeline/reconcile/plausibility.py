"""Plausibility: the checks an analyst makes before believing a report's own figures.

The rules and their wording are data (`pipeline/domain/plausibility.yaml`); this module
applies them. A doubted value gets `status = 'suspect'` and `status_reason`; it is never
dropped, and the headline rule (`rank.py`) lets it win only where nothing else is offered.

* `check_stated(obs)` — rules on stated values, run before the headline is chosen:
  a rate equal to a budget-absorption percentage of the same report, a share above 100, a
  count with a fractional part, a sub-group label feeding the total, a total below its part;
* `check_derived(derived, inputs)` — after ranking: a value recomputed from a losing or
  suspect input;
* `off_topic(text)` and `is_header_fragment(label)` — used by the table reader to keep staff
  tables and wrapped header words out of the performance indicators.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from pipeline.knowledge import _load, indicators, normalise
from pipeline.observations.model import Observation

DOUBTABLE = ("ok",)  # a mismatch or a lost conflict already says what is wrong with a value


@cache
def rules() -> dict:
    return _load("plausibility.yaml")


def mark(o: Observation, reason: str) -> bool:
    """Make `o` suspect with `reason` (only a value no other status already explains)."""
    if o.status not in DOUBTABLE:
        return False
    o.status, o.status_reason = "suspect", reason
    return True


def _title(indicator: str) -> str:
    return indicators()[indicator].title["en"].lower()


def check_stated(obs: list[Observation]) -> None:
    stated = [o for o in obs if o.method != "derived"]
    _rate_equals_absorption(stated, obs)
    _share_above_100(stated)
    _percent_where_count(stated)
    _subgroup_as_total(stated)
    _total_below_part(stated)


def _rate_equals_absorption(stated: list[Observation], everything: list[Observation]) -> None:
    r = rules()["rate_equals_absorption"]
    absorptions = sorted((o for o in everything if o.indicator == "budget_absorption" and o.kind == "actual"),
                         key=lambda o: o.value)
    if not absorptions:
        return
    keys = [a.value for a in absorptions]
    tol = r["tolerance"] + 1e-9
    for o in stated:
        if (o.indicator not in r["indicators"] or o.kind not in r["kinds"] or o.confirmed or o.unit != "percent"
                or o.decimals < r["min_decimals"] or any(abs(o.value - v) < 1e-9 for v in r["ignore_values"])):
            continue
        near = absorptions[bisect.bisect_left(keys, o.value - tol) : bisect.bisect_right(keys, o.value + tol)]
        same = [a for a in near if a.year == o.year and a is not o]
        if same:
            a = min(same, key=lambda x: (x.method == "derived", x.source_line))
            scope = "the agency" if a.scope == "total" else repr(a.scope)
            mark(o, r["reason"].format(absorption=a.value, scope=scope, line=a.source_line, title=_title(o.indicator)))


def _share_above_100(stated: list[Observation]) -> None:
    r = rules()["share_above_100"]
    for o in stated:
        if o.indicator in r["indicators"] and o.kind in r["kinds"] and o.value > 100 + 1e-9:
            key = "reason_count" if o.decimals == 0 and o.indicator != "budget_absorption" else "reason"
            mark(o, r[key].format(value=o.value, title=_title(o.indicator)))


def _percent_where_count(stated: list[Observation]) -> None:
    r = rules()["percent_where_count"]
    for o in stated:
        if o.indicator in r["indicators"] and o.kind in r["kinds"] and o.unit != "percent" \
                and abs(o.value - round(o.value)) > 1e-9:
            mark(o, r["reason"].format(value=o.value, unit=o.unit, title=_title(o.indicator)))


def _subgroup_as_total(stated: list[Observation]) -> None:
    from pipeline.observations.prose_tokens import subgroup  # local: the observations layer imports reconcile

    r = rules()["subgroup_as_total"]
    for o in stated:
        if o.scope != "total" or o.method not in r["methods"] or not o.label or o.indicator.startswith("budget_"):
            continue
        part = subgroup(o.label, "", o.label)
        if part:
            mark(o, r["reason"].format(part=part[0], label=o.label[:80]))


def _total_below_part(stated: list[Observation]) -> None:
    r = rules()["total_below_part"]
    parts: dict[tuple, list[Observation]] = {}
    for o in stated:
        if o.indicator in r["indicators"] and o.scope_level in r["levels"]:
            parts.setdefault((o.indicator, o.year, o.period, o.kind), []).append(o)
    for o in stated:
        if o.scope != "total" or not parts.get((o.indicator, o.year, o.period, o.kind)):
            continue
        big = max(parts[(o.indicator, o.year, o.period, o.kind)], key=lambda p: p.value)
        if big.value > o.value + 0.5:
            mark(o, r["reason"].format(part=big.scope, value=big.value, line=big.source_line))


def check_derived(derived: list[Observation], inputs: dict[int, tuple[Observation, ...]]) -> None:
    r = rules()["derived_from_doubtful"]
    for o in derived:
        ins = inputs.get(id(o), ())
        one_line = len({i.source_line for i in ins}) == 1
        bad = [i for i in ins if i.status in r["statuses"] and not (one_line and i.status in r["same_line_exempt"])]
        if bad:
            i = bad[0]
            mark(o, r["reason"].format(input=i.indicator, value=i.value, line=i.source_line, why=r["why"][i.status]))


@cache
def _off_topic() -> list[tuple[str, re.Pattern]]:
    return [(k, re.compile(v)) for k, v in rules()["off_topic_tables"].items()]


def off_topic(text: str) -> str | None:
    """Why a table whose caption / lead-in / header reads `text` is not about performance, or None."""
    norm = normalise(text)
    for topic, pat in _off_topic():
        if pat.search(norm):
            return rules()["off_topic_reason"][topic]
    return None


@cache
def _fragments() -> frozenset[str]:
    return frozenset(rules()["header_fragments"])


def is_header_fragment(label: str) -> bool:
    return normalise(label).strip(" :.") in _fragments()
