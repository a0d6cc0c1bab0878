"""Identify a report: regency, province, agency, report year and period — from the text.

A report may have no title page (the body still names the regency dozens of times), a table
of contents naming wrong years, regulation citations full of years ("Nomor 53 Tahun 2014"),
and a signature dated the wrong year. Detection therefore votes: mentions in the title region
weigh most, a table of contents not at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.knowledge import compiled, gazetteer, normalise, vocabulary

TITLE_REGION = 40  # first non-empty lines treated as the cover / title
REGENCY_RE = re.compile(r"\b(?:kabupaten|kab\.)\s*([A-Z][A-Za-z'’-]+(?:\s+[A-Z][A-Za-z'’-]+){0,3})", re.I)
STOPWORDS = {
    "tahun", "nomor", "yang", "pada", "untuk", "dan", "di", "dalam", "ta", "tribulan", "tribunal",
    "tribunan", "triwulan", "adalah", "sebagai", "sebesar", "selama", "telah", "dengan", "ini",
    "se", "kota", "provinsi", "propinsi", "menduduki", "mengalami", "melalui", "merupakan",
}
REPORT_WORDS = re.compile(r"laporan kinerja|lkjip|lakip|\blkj\b|laporan akuntabilitas", re.I)
REGULATION_YEAR = re.compile(r"(nomor|no\.|nomer)\s*[\w./-]+\s+tahun\s+(\d{4})", re.I)
YEAR_RANGE = re.compile(r"\b(19|20)\d{2}\s*[-–—/]\s*(19|20)\d{2}\b|\b(19|20)\d{2}\s*s\.?/?d\.?\s*(19|20)\d{2}\b", re.I)
YEAR = re.compile(r"\b(20[0-4]\d|199\d)\b")
TOC_LINE = re.compile(r"\.{4,}|\t\s*\d{1,3}\s*$|\|\s*\d{1,3}\s*\|?\s*$|^\|.*\|\s*$")


class IdentificationError(ValueError):
    """The report's regency (or year) cannot be detected; the message says what to do."""


@dataclass
class Identity:
    regency: str
    province: str | None
    agency: str | None
    report_year: int
    period: str
    evidence: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _title_lines(lines: list[str]) -> list[int]:
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    return idx[:TITLE_REGION]


def detect_regency(lines: list[str]) -> tuple[str, str | None, int, list[str]]:
    """Return (regency, province-or-None, mentions, warnings)."""
    gaz = gazetteer()
    votes: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    title = set(_title_lines(lines))
    for i, line in enumerate(lines):
        for m in REGENCY_RE.finditer(line):
            words = m.group(1).split()
            weight = 5 if i in title else 1
            hit = None
            for n in range(len(words), 0, -1):
                cand = " ".join(words[:n])
                found = gaz.lookup(cand)
                if found:
                    hit = found[0]
                    break
            if hit:
                votes[hit] += weight
                continue
            kept: list[str] = []
            for w in words:
                if normalise(w) in STOPWORDS:
                    break
                kept.append(w)
            if kept:
                unknown[" ".join(w.capitalize() if w.isupper() else w for w in kept)] += weight
    warnings: list[str] = []
    if votes:
        name, n = votes.most_common(1)[0]
        return name, gaz.regencies.get(name), n, warnings
    if unknown:
        name, n = unknown.most_common(1)[0]
        if n >= 3:
            warnings.append(
                f"regency {name!r} is not in the gazetteer (pipeline/domain/regencies.yaml); "
                "province taken from the text if stated — add it to the gazetteer to silence this"
            )
            return name, None, n, warnings
    raise IdentificationError(
        "cannot detect the regency: no 'Kabupaten <name>' mention found often enough. "
        "Add an entry for this file in data/raw/manifest.yaml (regency: ...) or check that it is an LKjIP report."
    )


PROVINCE_MENTION = re.compile(r"\b(?:provinsi|propinsi)\s+([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,2})", re.I)


def detect_province_in_text(lines: list[str]) -> str | None:
    gaz = gazetteer()
    counts: Counter[str] = Counter()
    for line in lines:
        for m in PROVINCE_MENTION.finditer(line):
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                prov = gaz.province(" ".join(words[:n]))
                if prov:
                    counts[prov] += 1
                    break
    return counts.most_common(1)[0][0] if counts else None


def detect_agency(lines: list[str], regency: str) -> str | None:
    pat = re.compile(r"\b(dinas\s+(?:[a-z]+\s+){1,6}?)(?:kabupaten|kab\.)\s*" + re.escape(regency.split()[0]), re.I)
    counts: Counter[str] = Counter()
    for line in lines:
        for m in pat.finditer(line):
            phrase = re.sub(r"\s+", " ", m.group(1)).strip()
            if len(phrase.split()) > 7:
                continue
            counts[normalise(phrase)] += 1
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    small = {"dan", "di", "dari"}
    return " ".join(w if w in small else w.capitalize() for w in best.split())


def _candidate_years(line: str) -> list[int]:
    cleaned = REGULATION_YEAR.sub(" ", line)
    cleaned = YEAR_RANGE.sub(" ", cleaned)
    return [int(y) for y in YEAR.findall(cleaned)]


def detect_year(lines: list[str]) -> tuple[int, str]:
    scores: Counter[int] = Counter()
    title = set(_title_lines(lines))
    for i, line in enumerate(lines):
        if TOC_LINE.search(line):
            continue
        years = _candidate_years(line)
        if not years:
            continue
        low = line.lower()
        if i in title and (REPORT_WORDS.search(low) or re.search(r"^\W*(tahun|tribu|triwu)", low)):
            for y in years:
                scores[y] += 10
        if REPORT_WORDS.search(low):
            for m in re.finditer(r"(?:laporan kinerja|lkjip|lakip|\blkj\b)[^.\n]{0,160}?\btahun\s+(?:anggaran\s+)?(\d{4})", low):
                scores[int(m.group(1))] += 3
            for m in re.finditer(r"(?:lkjip|lakip)\W{0,3}(\d{4})", low):
                scores[int(m.group(1))] += 3
        for m in re.finditer(r"tahun anggaran\s+(\d{4})", low):
            scores[int(m.group(1))] += 2
    if not scores:
        raise IdentificationError(
            "cannot detect the report year: no 'Laporan Kinerja ... Tahun YYYY' or 'Tahun Anggaran YYYY'. "
            "Add report_year for this file in data/raw/manifest.yaml."
        )
    year, score = scores.most_common(1)[0]
    return year, f"score {score} ({dict(scores.most_common(3))})"


def detect_period(lines: list[str], year: int) -> tuple[str, str]:
    vocab = vocabulary()
    quarter = dict(compiled("period_words"))["quarter"]
    semester = dict(compiled("period_words"))["semester"]
    roman = vocab["roman"]
    num = r"(i{1,3}|iv|[1-4])\b"
    title = set(_title_lines(lines))
    q_votes: Counter[str] = Counter()
    tail = r"\s*" + num + r"(?:\s*(?:tahun|th\.?|ta\.?)?\s*(\d{4}))?"
    period_pats = ((re.compile(quarter.pattern + tail), "Q"), (re.compile(semester.pattern + tail), "S"))
    for i, line in enumerate(lines):
        low = normalise(line)
        for pat, prefix in period_pats:
            for m in pat.finditer(low):
                n = m.group(m.lastindex - 1) if m.lastindex and m.lastindex >= 2 else None
                groups = [g for g in m.groups() if g]
                token = next((g for g in groups if re.fullmatch(num[:-2], g)), None)
                y = next((int(g) for g in groups if re.fullmatch(r"\d{4}", g)), None)
                if token is None:
                    continue
                k = int(token) if token.isdigit() else roman.get(token)
                if prefix == "S" and k not in (1, 2):
                    continue
                label = f"{prefix}{k}"
                if i in title:
                    q_votes[label] += 10
                elif y == year:
                    q_votes[label] += 1
                del n
    if q_votes:
        label, score = q_votes.most_common(1)[0]
        if score >= 3:
            return label, f"'{label}' mentioned with the report year (score {score})"
    return "annual", "no quarter/semester named in the title or with the report year"


def identify(lines: list[str], overrides: dict | None = None) -> Identity:
    """Detect everything; a manifest entry may override a detected field (never replace detection)."""
    overrides = overrides or {}
    warnings: list[str] = []
    evidence: dict[str, str] = {}
    try:
        regency, province, mentions, w = detect_regency(lines)
        warnings += w
        evidence["regency"] = f"{mentions} weighted mentions"
    except IdentificationError:
        if "regency" not in overrides:
            raise
        regency, province = overrides["regency"], None
        evidence["regency"] = "manifest (not detected in text)"
    if "regency" in overrides and overrides["regency"] != regency:
        warnings.append(f"manifest overrides detected regency {regency!r} with {overrides['regency']!r}")
        regency = overrides["regency"]
        province = gazetteer().regencies.get(regency)
    text_province = detect_province_in_text(lines)
    if province is None:
        province = text_province
    if "province" in overrides:
        province = overrides["province"]
    try:
        year, why = detect_year(lines)
        evidence["report_year"] = why
    except IdentificationError:
        if "report_year" not in overrides:
            raise
        year = int(overrides["report_year"])
    if "report_year" in overrides and int(overrides["report_year"]) != year:
        warnings.append(f"manifest overrides detected report year {year} with {overrides['report_year']}")
        year = int(overrides["report_year"])
    period, why = detect_period(lines, year)
    evidence["period"] = why
    if "period" in overrides and overrides["period"] != period:
        warnings.append(f"manifest overrides detected period {period} with {overrides['period']}")
        period = overrides["period"]
    agency = overrides.get("agency") or detect_agency(lines, regency)
    return Identity(regency, province, agency, year, period, evidence, warnings)
