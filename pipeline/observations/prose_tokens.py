"""Numbers in a sentence as tokens: the figure, its scale and unit, or why it is not a value.

A person reading "pandemi covid-19", "PP 35/2021", "Permenaker No. 4", "1) Pelatihan ..." or
"Nomor 8 Tahun 2006" sees no value; in "Rp 3,5 miliar", "800 juta" or "Rp 4,78 M" sees an
amount of money, and in "812 ribu orang" a count of people. The rules are data
(`prose_not_a_value`, `number_scales`, `rupiah_scales`, `rupiah_context`, `units` and
`subgroups` in `pipeline/domain/vocabulary.yaml`); this module applies them.

Every look-around is a fixed-size window, so tokenising is linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.knowledge import normalise, pattern, per_document, vocabulary
from pipeline.numbers import Parsed, parse_number
from pipeline.observations.classify import unit_of

# 1.234.567,89 (Indonesian), 1,234,567.89 (English, two groups or more), 3,92 / 5.39 / 3.111
NUMBER = re.compile(r"(?:(?<=[Rr][Pp])|(?<![\w.,/]))(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![\w/]|[.,]\d)")
YEAR = re.compile(r"(19|20)\d{2}")
BEFORE, AFTER = 24, 40


@dataclass(frozen=True)
class Token:
    start: int  # offsets of the digits in the text
    end: int
    text: str  # the digits as printed
    unit: str | None  # percent | rupiah | persons | cases | packages | count | companies | ... | None
    scale: float = 1.0  # 1e6 for "juta", 1e9 for "miliar" / "M" after Rp
    unit_end: int = 0  # end of the number with its scale word (where the words after it begin)
    skip: str | None = None  # why this number is not a value (None: it is one)

    def parse(self, hint: str | None = None) -> Parsed:
        """The value, scaled. With a scale word, '3,5' and '4.78' are decimals and '1.250' is
        thousands (Indonesian grouping); the printed precision moves with the scale."""
        if self.scale == 1.0:
            return parse_number(self.text, hint)
        single_dot_thousands = self.text.count(".") == 1 and "," not in self.text and len(self.text.split(".")[1]) == 3
        p = parse_number(self.text, "count" if single_dot_thousands else "percent")
        shift = len(f"{self.scale:.0f}") - 1
        decimals = p.decimals - shift
        value = p.value * self.scale
        return Parsed(float(round(value)) if decimals <= 0 else round(value, decimals), decimals, p.note)  # 8,12 M: 8.12e9 exactly


@cache
def _rules() -> list[tuple[str, re.Pattern | None, re.Pattern | None]]:
    return [(r["reason"], re.compile(r["before"], re.I) if "before" in r else None,
             re.compile(r["after"], re.I) if "after" in r else None) for r in vocabulary()["prose_not_a_value"]]


@cache
def _code_token() -> re.Pattern:
    return re.compile(vocabulary()["prose_code_token"])


@cache
def _scale_re() -> re.Pattern:
    words = "|".join(sorted(vocabulary()["number_scales"], key=len, reverse=True))
    return re.compile(rf"^\s*({words})\b", re.I)


@cache
def _rupiah_scale_re() -> re.Pattern:
    words = "|".join(sorted(vocabulary()["rupiah_scales"], key=len, reverse=True))
    return re.compile(rf"^\s*({words})\b")  # case matters: 'M' after Rp is miliar


@cache
def _rupiah_context() -> re.Pattern:
    return re.compile(vocabulary()["rupiah_context"], re.I)


def not_a_value(before: str, after: str) -> str | None:
    """The reason the number between `before` and `after` is not a value, or None."""
    for reason, b, a in _rules():
        if (b is None or b.search(before)) and (a is None or a.match(after)):
            return reason
    return None


@per_document(1 << 12)  # the budget reader and the figure reader tokenise the same sentence
def tokens(text: str) -> tuple[Token, ...]:
    """Every number in `text`, values and non-values alike (a non-value carries `skip`)."""
    out = []
    for m in NUMBER.finditer(text):
        tok, start, end = m.group(1), m.start(), m.end()
        before = text[max(0, start - BEFORE) : start]
        after = text[end : end + AFTER]
        unit, scale, unit_end = _unit(text, start, end, before, after)
        skip = None
        if YEAR.fullmatch(tok) and unit not in ("percent", "persons", "cases", "rupiah"):
            skip = "year"
        elif _code_token().fullmatch(tok):
            skip = "code"
        else:
            skip = not_a_value(before, after)
        out.append(Token(start, end, tok, unit, scale, unit_end, skip))
    return tuple(out)


def has_scale_word(text: str) -> bool:
    """A cheap test whether `text` may hold an amount with a scale word at all."""
    return bool(_any_scale().search(text))


@cache
def _any_scale() -> re.Pattern:
    words = [*vocabulary()["number_scales"], *vocabulary()["rupiah_scales"]]
    return re.compile(r"\d\s*(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.I)


def values(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.skip is None]


def _unit(text: str, start: int, end: int, before: str, after: str) -> tuple[str | None, float, int]:
    rupiah = bool(pattern("rupiah_prefix").search(before[-8:].lower()))
    scale, unit_end = 1.0, end
    m = (_rupiah_scale_re().match(after) if rupiah else None) or _scale_re().match(after)
    if m:
        key = m.group(1)
        table = vocabulary()["rupiah_scales"] if key in vocabulary()["rupiah_scales"] and rupiah else vocabulary()["number_scales"]
        scale = float(table.get(key, table.get(key.lower(), 1.0)))
        unit_end = end + m.end()
    rest = text[unit_end : unit_end + 30]
    named = unit_of(rest.strip(" *"))
    if named == "percent" and scale == 1.0:
        return "percent", scale, unit_end
    if rupiah or named == "rupiah":
        return "rupiah", scale, unit_end
    if named:
        return named, scale, unit_end
    if scale >= 1e6:
        # "800 juta" / "pagu 8,41 miliar": money when its clause is about money
        clause = re.split(r"[,;]\s", text[max(0, start - 120) : start])[-1]
        if _rupiah_context().search(clause):
            return "rupiah", scale, unit_end
    return None, scale, unit_end


@cache
def _subgroups() -> list[tuple[str, str, bool, re.Pattern]]:
    return [(g["level"], g["scope"], bool(g.get("split")), re.compile(g["match"])) for g in vocabulary()["subgroups"]]


@cache
def _split() -> re.Pattern:
    return re.compile(vocabulary()["subgroup_split"])


@per_document(1 << 13)  # the same sentence is asked about for each of its figures
def _named(text: str) -> tuple[tuple[str, str, bool], ...]:
    """Sub-groups named in `text`, each stretch of text counted once ("APBD Provinsi" is not
    also "APBD")."""
    out, taken = [], []
    for level, scope, split, pat in _subgroups():
        m = pat.search(text)
        if m and not any(a <= m.start() and m.end() <= b for a, b in taken):
            taken.append(m.span())
            if "\\1" in scope and m.groups():
                scope = scope.replace("\\1", m.group(1).title())
            out.append((scope, level, split))
    return tuple(out)


def subgroup(local: str, after: str, sentence: str = "") -> tuple[str, str] | None:
    """(scope, level) of a sub-group named in the words before a figure (since the previous
    figure) or right after its unit ("120 orang perempuan"), else None. Two groups of one level
    named together ("laki-laki dan perempuan sebanyak 500 orang") are their sum, not a part."""
    after_norm = normalise(after)
    near_after = re.split(r"[,;.(:\d]", after_norm, maxsplit=1)[0]  # up to the next figure, clause or breakdown "("
    adjacent = re.split(r"\b(?:dan|serta|sedangkan|yang|dengan|dari)\b", near_after, maxsplit=1)[0]  # "120 orang perempuan"
    whole = normalise(sentence)
    for text in (near_after, normalise(local)):
        named = _named(text)
        if len({(s, lv) for s, lv, _ in named}) > len({lv for _, lv, _ in named}):
            return None  # "APBD dan APBN", "laki-laki dan perempuan": their sum
    for text in (adjacent, normalise(local)):
        named = _named(text)
        if not named:
            continue
        scope, level, split = named[0]
        if split and not (_split().search(whole) or len({s for s, lv, _ in _named(whole) if lv == level}) > 1):
            return None
        return scope, level
    return None


@cache
def _respectively() -> re.Pattern:
    return re.compile(vocabulary()["respectively"], re.I)


def _run_before(items: list[tuple[int, int, object]], text: str, cue: int) -> list[object]:
    """The run of items (start, end, item) right before offset `cue`, joined by commas / dan."""
    joiner = pattern("respectively_joiner")
    run: list[tuple[int, int, object]] = []
    for start, end, item in reversed([i for i in items if i[1] <= cue]):
        gap_end = run[-1][0] if run else cue
        if run and not joiner.match(text[end:gap_end]):
            break
        if not run and len(text[end:cue]) > 60:
            break
        run.append((start, end, item))
    return [item for _, _, item in reversed(run)]


def respectively(text: str, figures: list[Token], years: list[tuple[int, int]]) -> dict[int, tuple[str, object]]:
    """'... tahun 2022 dan 2023 masing-masing 3.120 dan 3.405 orang': {offset of each figure:
    ("year", 2022) / ("year", 2023)}; with 'laki-laki dan perempuan masing-masing ...' the
    sub-groups in order ("scope", (scope, level)). Empty when the counts do not line up."""
    cue = _respectively().search(text)
    if not cue:
        return {}
    following = [t for t in figures if t.start >= cue.end()]
    after = following
    if after:
        # "3.120 dan 3.405 orang": the unit printed once, after the last figure of the list
        unit = next((t.unit for t in after if t.unit), None)
        after = [t for t in after if t.unit in (None, unit)]
    year_items = [(pos, pos + 4, y) for pos, y in years]
    listed: list[tuple[str, object]] = [("year", y) for y in _run_before(year_items, text, cue.start())]
    if len(listed) < 2:
        norm = text.lower()
        groups = sorted((m.start(), m.end(), (scope, level)) for level, scope, _, pat in _subgroups()
                        if "\\1" not in scope for m in pat.finditer(norm))
        listed = [("scope", g) for g in _run_before(groups, norm, cue.start())]
    if len(listed) < 2:
        # "berturut-turut 4,40; 4,20; 4,00 dan 3,80 persen untuk tahun 2022 sampai 2025": the
        # years follow the run of figures as a range with one year per figure
        run = following[:1]
        for t in following[1:]:
            if not LIST_JOIN.match(text[run[-1].unit_end : t.start]):
                break
            run.append(t)
        rng = YEAR_RANGE_AFTER.match(text[run[-1].unit_end : run[-1].unit_end + 60]) if run else None
        if rng and int(rng.group(2)) - int(rng.group(1)) + 1 == len(run):
            return {t.start: ("year", y) for t, y in zip(run, range(int(rng.group(1)), int(rng.group(2)) + 1))}
    if len(listed) < 2 or len(after) < len(listed):
        return {}
    return {t.start: item for t, item in zip(after, listed)}


LIST_JOIN = re.compile(r"^\s*(%|persen)?\s*[,;]?\s*(dan|serta)?\s*$", re.I)
YEAR_RANGE_AFTER = re.compile(r"^\s*(?:%|persen|orang)?\s*,?\s*(?:untuk|pada|di|selama)?\s*(?:tahun\s+)?((?:19|20)\d\d)\s*(?:sampai(?: dengan)?|s\.?\s?d\.?|hingga|-|–)\s*(?:tahun\s+)?((?:19|20)\d\d)\b", re.I)
