"""Records produced by the observations layer (one report at a time)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Observation:
    indicator: str
    scope: str
    year: int
    period: str
    kind: str  # actual | target | achievement
    value: float
    unit: str
    source_line: int
    source_text: str
    method: str  # table | narrative | derived | curated
    section: str = "front"
    scope_level: str = "total"  # total | programme | activity | sub_activity | belanja | course | channel | funding | definition
    decimals: int = 0
    table_id: str | None = None
    label: str = ""  # the row label / clause that identified the indicator
    definition: str | None = None
    formula: str | None = None
    note: str | None = None
    status: str = "ok"  # ok | conflict | mismatch | suspect
    status_reason: str | None = None  # why a value is suspect (or a mismatch), in words
    confirmed: bool = False  # agrees with its own numerator/denominator (or parts/total)

    def key(self) -> tuple:
        return (self.indicator, self.scope, self.year, self.period, self.kind)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class IndicatorRow:
    """One row of a performance-indicator table (IKU / Perjanjian Kinerja) as the report states it."""

    table_id: str
    source_line: int
    source_text: str
    section: str
    goal: str  # sasaran / tujuan / programme the indicator belongs to
    indicator_text: str
    canonical_indicator: str | None
    unit_text: str | None
    year: int
    period: str
    target_text: str | None = None
    target_value: float | None = None
    actual_text: str | None = None
    actual_value: float | None = None
    achievement_text: str | None = None
    achievement_value: float | None = None
    category: str | None = None


@dataclass
class BudgetLine:
    table_id: str | None
    source_line: int
    source_text: str
    section: str
    method: str
    year: int
    period: str
    level: str  # total | belanja | programme | activity | sub_activity
    code: str | None
    name: str
    programme: str | None  # canonical programme the line belongs to
    parent: str | None
    pagu: float | None = None
    realisasi: float | None = None
    absorption_stated: float | None = None
    remaining: float | None = None


@dataclass
class TrainingCourse:
    table_id: str | None
    source_line: int
    source_text: str
    year: int
    course: str
    packages: float | None = None
    participants: float | None = None
    passed: float | None = None
    certified: float | None = None
    funding: str | None = None


@dataclass
class ContextValue:
    """A figure the report quotes about another place (province, nation, peer regency)."""

    geography: str
    geography_level: str  # province | national | regency | city
    indicator: str
    year: int
    period: str
    value: float
    unit: str
    source_line: int
    source_text: str
    method: str


@dataclass
class Extraction:
    observations: list[Observation] = field(default_factory=list)
    indicator_rows: list[IndicatorRow] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    training_courses: list[TrainingCourse] = field(default_factory=list)
    context: list[ContextValue] = field(default_factory=list)
    warnings: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line, code, message)

    def warn(self, line: int | None, code: str, message: str) -> None:
        self.warnings.append((line, code, message))
