"""The results framework: pillars, expected results, sectors, indicators and their targets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import (
    AssessorBasis,
    FootnoteKind,
    FootnoteScope,
    NarrativeRef,
    Rating,
    TargetKind,
)
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class Pillar:
    """A strategic pillar (战略支柱), or the Foundation (基石)."""

    code: str
    order: int
    name: Text
    source: str


@dataclass(frozen=True, slots=True)
class ExpectedResult:
    code: str  # e.g. "3.2"
    pillar: str
    order: int
    title: Text
    source: str


@dataclass(frozen=True, slots=True)
class Sector:
    """An organizational unit that owns budget and indicators; `unallocated` marks 未分拨."""

    code: str
    short: Text  # e.g. 专利 / Patents
    name: Text  # e.g. 专利和技术 / Patents and Technology
    order: int
    unallocated: bool
    source: str


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    result: str
    order: int
    text: Text
    source: str


@dataclass(frozen=True, slots=True)
class IndicatorSector:
    """A sector contributing to an indicator."""

    indicator: str
    sector: str
    source: str


@dataclass(frozen=True, slots=True)
class Pie:
    """A performance indicator evaluation: one target of an indicator, rated on its own."""

    id: str
    indicator: str
    order: int
    segment: Text  # office, system, year, grade... ("" when the indicator has one target)
    baseline_text: Text  # each as printed
    baseline_value: Decimal | None
    baseline_unit: str | None
    baseline_period: str | None
    target_text: Text
    target_kind: TargetKind
    target_params: dict[str, object]
    actual_text: Text
    actual_value: Decimal | None
    actual_unit: str | None
    actual_period: str | None
    actual_flags: str | None  # ";"-separated: final, preliminary, estimate, corrected
    response_rate: Decimal | None
    confidence_interval: str | None
    published_mark: str | None  # as printed; its meaning is the package's `marks` setting
    assessor_rating: Rating | None
    assessor_justification: Text
    assessor_basis: AssessorBasis | None  # None: a review in the workflow
    reading_note: str | None  # the reading chosen where the source is ambiguous
    source: str


@dataclass(frozen=True, slots=True)
class Footnote:
    id: str
    scope: FootnoteScope
    ref: str  # id of the indicator, PIE, risk, source or project
    number: int | None
    kind: FootnoteKind
    text: Text
    source: str

    @property
    def marker(self) -> str:
        """The footnote as a row cites it: the source's number, else its id."""
        return str(self.number) if self.number is not None else self.id


@dataclass(frozen=True, slots=True)
class Narrative:
    """A paragraph of a report part's narrative (`ref`: the id of the section or block it
    introduces), summarized in our own words, with the source's subheading if it has one."""

    id: str
    ref: str
    order: int
    heading: Text
    text: Text
    source: str


@dataclass(frozen=True, slots=True)
class NarrativeFigure:
    """A figure a narrative quotes, in the unit of what it is compared with (`compares`:
    a PIE's value or a printed figure, `ref` its id); `half` is how far the narrative's
    rounding can move it (none: it is exact)."""

    id: str
    narrative: str
    value: Decimal
    half: Decimal | None
    compares: NarrativeRef
    ref: str
    source: str


@dataclass(frozen=True, slots=True)
class Highlight:
    """A "results at a glance" figure of a pillar, described in our own words."""

    id: str
    pillar: str
    order: int
    figure: str
    text: Text
    source: str
