"""Identify a report: its area (kabupaten, kota or provinsi), agency, report year and period.

Each fact comes from the text first (`area.py`, `timeframe.py`), with a stated confidence kept
in `Identity.evidence`. Where the text leaves a fact uncertain, the file name may settle it
("kota-bandung_2022.txt"), and a manifest entry always may (data/raw/manifest.yaml); either
way a warning names the cue that decided. Where nothing settles it, `IdentificationError`
says exactly which line to add to the manifest, and its `code` says what failed
(`unknown_regency` or `unknown_year`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.knowledge import Area, display_name, gazetteer
from pipeline.raw.area import AreaFinding, Candidate, detect_agency, detect_area, province_in_text
from pipeline.raw.file_name import FileNameCues, file_name_cues
from pipeline.raw.timeframe import YearFinding, detect_period, detect_year

SETTLED = ("high", "medium")  # confidences the text decides alone
MANIFEST = "data/raw/manifest.yaml"


class IdentificationError(ValueError):
    """The report's regency (or year) cannot be detected; the message says what to add."""

    def __init__(self, message: str, code: str = "unknown_regency"):
        super().__init__(message)
        self.code = code


@dataclass
class Identity:
    regency: str  # display name: "Muara Enim", "Kota Bandung", "Provinsi Jawa Barat"
    province: str | None
    agency: str | None
    report_year: int
    period: str
    evidence: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    area_type: str = "kabupaten"  # kabupaten | kota | provinsi
    area_code: str | None = None  # Kemendagri code, "16.03" / "16"; None outside the gazetteer
    name: str = ""  # the area's name without prefix ("Bandung" for Kota Bandung)


@dataclass(frozen=True)
class _Choice:
    area_type: str
    name: str
    area: Area | None

    @property
    def display(self) -> str:
        return display_name(self.area_type, self.name)


def _from_manifest(value: str) -> _Choice:
    area = gazetteer().from_display(value)
    if area:
        return _Choice(area.area_type, area.name, area)
    low = value.strip().lower()
    for prefix, area_type in (("kota ", "kota"), ("provinsi ", "provinsi"), ("kabupaten ", "kabupaten"), ("kab. ", "kabupaten")):
        if low.startswith(prefix):
            return _Choice(area_type, value.strip()[len(prefix):].strip(), None)
    return _Choice("kabupaten", value.strip(), None)


def _of(c: Candidate | Area) -> _Choice:
    if isinstance(c, Area):
        return _Choice(c.area_type, c.name, c)
    return _Choice(c.area_type, c.name, c.area)


def _settle_area(found: AreaFinding, fname: FileNameCues, overrides: dict,
                 evidence: dict, warnings: list[str]) -> _Choice | None:
    best, confidence = found.best, found.confidence
    text_says = f"{confidence} confidence: {found.describe(2)}" if best else "the text names no kabupaten, kota or province"
    keys = {(c.area_type, c.name) for c in found.candidates}
    if "regency" in overrides:
        choice = _from_manifest(str(overrides["regency"]))
        if best and confidence in SETTLED and best.display != choice.display:
            warnings.append(f"manifest overrides detected regency {best.display!r} with {choice.display!r}")
        elif not (best and confidence in SETTLED):
            warnings.append(f"regency {choice.display!r} decided by {MANIFEST}: the text does not settle it ({text_says})")
        evidence["regency"] = f"{MANIFEST}: {choice.display} (text: {text_says})"
        return choice
    if best and confidence in SETTLED:
        from_name = fname.area_among(keys)
        if from_name and from_name.display != best.display and fname.prefixed:
            warnings.append(f"the file name {fname.name!r} names {from_name.display!r}; "
                            f"the text's {best.display!r} kept ({text_says})")
        evidence["regency"] = f"text, {text_says}"
        return _of(best)
    from_name = fname.area_among(keys)
    if from_name:
        warnings.append(f"regency {from_name.display!r} decided by the file name {fname.name!r}: "
                        f"the text does not settle it ({text_says})")
        evidence["regency"] = f"file name {fname.name!r}: {from_name.display} (text: {text_says})"
        return _of(from_name)
    return None


def _settle_year(found: YearFinding, fname: FileNameCues, overrides: dict,
                 evidence: dict, warnings: list[str]) -> int | None:
    if "report_year" in overrides:
        year = int(overrides["report_year"])
        if found.year is not None and found.confidence in SETTLED and found.year != year:
            warnings.append(f"manifest overrides detected report year {found.year} with {year}")
        elif found.confidence not in SETTLED:
            warnings.append(f"report year {year} decided by {MANIFEST}: the text does not settle it ({found.describe()})")
        evidence["report_year"] = f"{MANIFEST}: {year} (text: {found.describe()})"
        return year
    decided_by_name = found.cue.startswith("the file name") or "file name's year" in found.cue
    if found.confidence in SETTLED:
        if decided_by_name:
            why = f"stated years {found.tied} tie" if found.tied else "the text states no year"
            warnings.append(f"report year {found.year} decided by the file name {fname.name!r}: {why}")
        elif fname.year and fname.year != found.year:
            warnings.append(f"the file name {fname.name!r} names {fname.year}; the text's {found.year} kept ({found.describe()})")
        evidence["report_year"] = found.describe()
        return found.year
    if fname.year:
        warnings.append(f"report year {fname.year} decided by the file name {fname.name!r}: "
                        f"the text does not settle it ({found.describe()})")
        evidence["report_year"] = f"file name {fname.name!r}: {fname.year} (text: {found.describe()})"
        return fname.year
    if found.confidence == "low":
        warnings.append(f"report year {found.year} is uncertain ({found.describe()}); "
                        f"confirm it in {MANIFEST}: files: {{{fname.name or '<file>'}: {{report_year: {found.year}}}}}")
        evidence["report_year"] = found.describe()
        return found.year
    return None


def _manifest_line(file_name: str | None, regency: str | None, year: str | None) -> str:
    parts = []
    if regency is not None:
        parts.append(f'regency: "{regency}"')
    if year is not None:
        parts.append(f"report_year: {year}")
    return f"files: {{{file_name or '<file name>'}: {{{', '.join(parts)}}}}}"


def _failure(file_name: str | None, found: AreaFinding, area: _Choice | None,
             years: YearFinding, year: int | None) -> IdentificationError:
    of = f" of {file_name}" if file_name else ""
    guess_area = found.best.display if found.best else "Name (a kabupaten), Kota Name or Provinsi Name"
    guess_year = str(years.year) if years.year else "YYYY"
    problems = []
    if area is None:
        problems.append(
            f"cannot detect the regency{of}: no agency, cover or enough mentions name one kabupaten, kota or "
            f"province clearly ({found.describe(3)})")
    if year is None:
        problems.append(
            f"cannot detect the report year{of}: no cover year, 'Laporan Kinerja ... Tahun YYYY', 'LKjIP YYYY', "
            f"'Tahun Anggaran YYYY', clear year of the figures or year in the file name ({years.describe()})")
    line = _manifest_line(file_name, guess_area if area is None else None, guess_year if year is None else None)
    message = "; ".join(problems) + f". Add to {MANIFEST}: {line}"
    if area is None and found.best:
        message += " (the regency shown is the text's best guess: check it)"
    return IdentificationError(message, "unknown_regency" if area is None else "unknown_year")


def identify(lines: list[str], overrides: dict | None = None, file_name: str | None = None) -> Identity:
    """Detect everything; a manifest entry may override a detected field (never replace
    detection); the file name settles what the text leaves uncertain."""
    overrides = overrides or {}
    warnings: list[str] = []
    evidence: dict[str, str] = {}
    fname = file_name_cues(file_name)
    found = detect_area(lines)
    choice = _settle_area(found, fname, overrides, evidence, warnings)
    years = detect_year(lines, fname.year)
    year = _settle_year(years, fname, overrides, evidence, warnings)
    if choice is None or year is None:
        raise _failure(file_name, found, choice, years, year)
    if choice.area is None and "regency" not in overrides:
        warnings.insert(0,
            f"regency {choice.name!r} is not in the gazetteer (pipeline/domain/regencies.yaml); "
            "province taken from the text if stated — add it to the gazetteer to silence this")
    if choice.area is not None:
        province = choice.area.province
    else:
        province = province_in_text(lines) if choice.area_type != "provinsi" else choice.name
    if "province" in overrides:
        province = overrides["province"]
    period, why = detect_period(lines)
    evidence["period"] = why
    if "period" in overrides and overrides["period"] != period:
        warnings.append(f"manifest overrides detected period {period} with {overrides['period']}")
        period = overrides["period"]
    agency = overrides.get("agency") or detect_agency(lines, found, (choice.area_type, choice.name))
    return Identity(
        regency=choice.display, province=province, agency=agency, report_year=year, period=period,
        evidence=evidence, warnings=warnings, area_type=choice.area_type,
        area_code=choice.area.code if choice.area else None, name=choice.name)
