"""Closed vocabularies of the domain; their values are what data packages hold."""

from __future__ import annotations

from enum import StrEnum


class BudgetPhase(StrEnum):
    """Open Fiscal Data Package phases of a budget fact."""

    APPROVED = "approved"  # 计划和预算 (P&B)
    ADJUSTED = "adjusted"  # 调剂使用后最终预算 (final budget after transfers)
    EXECUTED = "executed"  # 支出 (expenditure)


class IncomePhase(StrEnum):
    ESTIMATE = "estimate"  # 计划和预算概算
    UPDATED = "updated"  # 最新概算
    ACTUAL = "actual"  # 实际数


class DemandPhase(StrEnum):
    ESTIMATE = "estimate"
    ACTUAL = "actual"


class FinancialPhase(StrEnum):
    """Phases of the key financial data (whole and by union)."""

    BUDGET = "budget"
    ACTUAL = "actual"


class PostPhase(StrEnum):
    APPROVED = "approved"
    ADJUSTED = "adjusted"


class Unit(StrEnum):
    """The scale of an amount as the source prints it, in the package's currency: units,
    thousands or millions. A package's unit cells say `EUR`, `kEUR` or `MEUR` (its currency
    after the scale's prefix); the store keeps the scale alone. The engine normalizes."""

    ONE = "1"
    THOUSAND = "k"
    MILLION = "M"


class FigureUnit(StrEnum):
    """Units of a published figure kept for reconciliation: a scale of the currency (as
    `Unit`), a percentage or a count."""

    ONE = "1"
    THOUSAND = "k"
    MILLION = "M"
    PERCENT = "percent"
    COUNT = "count"


class Rating(StrEnum):
    """Rating of a performance indicator evaluation (PIE), Appendix A."""

    FULLY = "fully"  # 完全实现
    PARTIALLY = "partially"  # 部分实现
    NOT_ACHIEVED = "not_achieved"  # 未实现
    NOT_ASSESSABLE = "not_assessable"  # 无法评估
    DISCONTINUED = "discontinued"  # 终止


class TargetKind(StrEnum):
    """Structured shapes of a target; each has its own achievement formula."""

    AT_LEAST = "at_least"  # ≥ threshold
    AT_MOST = "at_most"  # ≤ threshold (lower is better)
    GROWTH_PCT = "growth_pct"  # biennial growth over baseline, in percent
    ANNUAL_GROWTH_PCT = "annual_growth_pct"  # growth per year, in percent
    INCREASE = "increase"  # absolute increase over baseline
    NEW_IN_PERIOD = "new_in_period"  # new items in the period on a cumulative base
    COUNT = "count"  # reach a count
    X_OF_Y = "x_of_y"  # x of y items
    MAINTAIN = "maintain"  # maintain the baseline level
    DECREASE = "decrease"  # lower than baseline is better
    PER_YEAR = "per_year"  # a value per year
    MILESTONE = "milestone"  # qualitative; assessor judgement


class WorkflowState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    RETURNED = "returned"


class AssessorBasis(StrEnum):
    """What an assessor rating rests on: a review in the workflow, or a reading of the
    performance data, where they state the outcome in words."""

    REVIEW = "review"
    PERFORMANCE_TEXT = "performance_text"


class NarrativeRef(StrEnum):
    """What a narrative's figure is compared with: a PIE's baseline or performance value,
    or a figure a table prints."""

    PIE_BASELINE = "pie_baseline"
    PIE_ACTUAL = "pie_actual"
    PUBLISHED = "published"


class FootnoteKind(StrEnum):
    NOTE = "note"
    CORRECTION = "correction"
    NOT_COMPARABLE = "not_comparable"
    TRAFFIC_CAVEAT = "traffic_caveat"
    DEFINITION = "definition"


class FootnoteScope(StrEnum):
    """What a footnote is attached to."""

    INDICATOR = "indicator"
    PIE = "pie"
    RISK = "risk"
    SOURCE = "source"
    PROJECT = "project"


class RiskKind(StrEnum):
    RESULT = "result"
    ORGANIZATIONAL = "organizational"


class Exposure(StrEnum):
    STABLE = "stable"
    INCREASED = "increased"
    DECREASED = "decreased"


class Effectiveness(StrEnum):
    EFFECTIVE = "effective"
    PARTIALLY = "partially"
    NOT_EFFECTIVE = "not_effective"


class Impact(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NONE = "none"


class Appetite(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ProjectCategory(StrEnum):
    ICT = "ict"
    BUILDINGS = "buildings"
    SAFETY_SECURITY = "safety_security"


class ReportKind(StrEnum):
    PROGRESS = "progress"
    COMPLETION = "completion"


class DeliverableStatus(StrEnum):
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    REMOVED = "removed"


class SourceKind(StrEnum):
    TABLE = "table"
    FIGURE = "figure"
    SECTION = "section"
    ANNEX = "annex"
    APPENDIX = "appendix"
    DASHBOARD = "dashboard"
