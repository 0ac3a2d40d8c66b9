"""Figures the narratives quote, each against the table cell that gives it: a PIE's baseline
or performance value, or a printed figure. The narrative's rounding (its `half`) and the
printed figure's last digit are allowed for; a PIE's value, and a quoted figure without
`half`, are exact."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import FigureUnit, NarrativeRef
from rbm.engine.reconcile.findings import Finding, Side, classify, half_unit


def narrative_figures(dataset: Dataset) -> Iterator[Finding]:
    """One finding per quoted figure whose cell has a value."""
    pies = {p.id: p for p in dataset.pies}
    printed = {p.id: p for p in dataset.published_figures}
    for quoted in dataset.narrative_figures:
        left = Side(
            quoted.value,
            quoted.source,
            "narrative",
            quoted.narrative,
            quoted.half or Decimal(0),
        )
        if quoted.compares == NarrativeRef.PUBLISHED:
            figure = printed.get(quoted.ref)
            if figure is None:
                continue
            right = Side(
                figure.value, figure.source, "published", figure.id, half_unit(figure.value)
            )
            subject = _subject(figure.measure, figure.phase, figure.item)
            unit = figure.unit
        else:
            pie = pies.get(quoted.ref)
            value = None
            if pie is not None:
                baseline = quoted.compares == NarrativeRef.PIE_BASELINE
                value = pie.baseline_value if baseline else pie.actual_value
            if pie is None or value is None:
                continue
            right = Side(value, pie.source, "published", pie.id)  # a value, not a rounding
            subject = {"measure": quoted.compares.value, "pie": pie.id}
            unit = (
                FigureUnit.PERCENT
                if (pie.actual_unit or pie.baseline_unit) == "%"
                else FigureUnit.COUNT
            )
        yield Finding("narrative_figure", subject, left, right, unit, classify(left, right))


def _subject(measure: str, phase: str | None, item: str | None) -> dict[str, str]:
    found = {"measure": measure}
    if phase:
        found["phase"] = phase
    if item:
        found["item"] = item
    return found
