"""data/raw/manifest.yaml, checked against its schema before anything uses it.

    read_manifest(raw_dir, files)  ->  Manifest(entries, problems)

The manifest is optional, hand-written, and overrides detection, so a typo in it must never stop
a build or reach the warehouse: a bad entry costs only that entry (its file is read with
detection alone), an unreadable manifest costs the manifest (every file is read with detection
alone), and each problem is a message naming the file, the key and what is allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

NAMES = ("manifest.yaml", "manifest.yml")
# the reports.period CHECK constraint in pipeline/warehouse/sql/schema.sql (a test keeps them equal)
PERIODS = ("annual", "Q1", "Q2", "Q3", "Q4", "S1", "S2")
YEARS = (1990, 2100)  # a report year outside this is a typo, not a report
MAX_TEXT = 200  # a name longer than this is not a name


def _text(value) -> str | None:
    """None if `value` is an acceptable one-line name, else what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        return "a non-empty text"
    if len(value) > MAX_TEXT:
        return f"a text of at most {MAX_TEXT} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "a one-line text without control characters"
    return None


def _year(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isascii() \
            or not str(value).strip().isdigit() or not YEARS[0] <= int(value) <= YEARS[1]:
        return f"a year from {YEARS[0]} to {YEARS[1]}"
    return None


def _period(value) -> str | None:
    return None if value in PERIODS else "one of " + ", ".join(PERIODS)


# key -> check returning None (fine) or a description of what is allowed
FIELDS = {
    "original_name": _text,
    "regency": _text,
    "province": _text,
    "agency": _text,
    "report_year": _year,
    "period": _period,
}
OVERRIDES = ("regency", "province", "report_year", "period", "agency")


@dataclass
class ManifestProblem:
    file: str  # the report file the entry is for, or the manifest itself
    message: str


@dataclass
class Manifest:
    entries: dict[str, dict] = field(default_factory=dict)  # file name -> valid entry
    problems: list[ManifestProblem] = field(default_factory=list)
    digest: str = ""  # of the manifest's bytes: part of the build's input fingerprint

    def overrides(self, name: str) -> dict:
        entry = self.entries.get(name, {})
        out = {k: entry[k] for k in OVERRIDES if k in entry}
        if "report_year" in out:
            out["report_year"] = int(out["report_year"])
        return out

    def original_name(self, name: str) -> str:
        return self.entries.get(name, {}).get("original_name", name)


def read_manifest(raw_dir: Path, present: list[str] | None = None) -> Manifest:
    path = next((raw_dir / n for n in NAMES if (raw_dir / n).exists()), None)
    if path is None:
        return Manifest()
    where = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Manifest(problems=[ManifestProblem(where, f"{where} cannot be read ({exc.strerror or exc}); "
                                                        "every report is read with detection alone")])
    manifest = Manifest(digest=hashlib.sha256(data).hexdigest())
    import yaml

    from pipeline.knowledge import SAFE_LOADER

    try:
        doc = yaml.load(data.decode("utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        manifest.problems.append(ManifestProblem(
            where, f"{where} is not valid YAML{at}: {getattr(exc, 'problem', None) or exc}. "
                   "It is ignored: every report is read with detection alone — fix the file and rebuild"))
        return manifest
    if doc is None:
        return manifest
    if not isinstance(doc, dict) or not isinstance(doc.get("files", {}), (dict, type(None))):
        got = type(doc.get("files") if isinstance(doc, dict) else doc).__name__
        manifest.problems.append(ManifestProblem(
            where, f"{where} must be a mapping with one key, `files:`, holding `<file name>: {{key: value}}` "
                   f"entries (found a {got}). It is ignored: every report is read with detection alone"))
        return manifest
    for key in doc:
        if key != "files":
            manifest.problems.append(ManifestProblem(where, f"{where}: unknown top-level key {key!r} ignored (allowed: files)"))
    for name, entry in (doc.get("files") or {}).items():
        problem = _check_entry(entry)
        if problem:
            manifest.problems.append(ManifestProblem(
                str(name), f"{where}, entry {name!s}: {problem}. The entry is ignored: the file is read with detection alone"))
            continue
        manifest.entries[str(name)] = entry or {}
    if present is not None:
        for name in manifest.entries:
            if name not in present:
                manifest.problems.append(ManifestProblem(where, f"{where} has an entry for {name}, which is not in {raw_dir}"))
    return manifest


def _check_entry(entry) -> str | None:
    if entry is None:
        return None
    if not isinstance(entry, dict):
        return (f"must be a mapping like {{original_name: ..., regency: ...}}, not a {type(entry).__name__} "
                f"({str(entry)[:60]!r})")
    for key, value in entry.items():
        if key not in FIELDS:
            return f"unknown key {str(key)[:60]!r} (allowed: {', '.join(FIELDS)})"
        allowed = FIELDS[key](value)
        if allowed:
            return f"{key}: {str(value)[:60]!r} is not allowed ({key} must be {allowed})"
    return None
