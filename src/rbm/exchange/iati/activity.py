"""The IATI activity file: an activity per pillar whose results are its expected results
(type 2, outcome), with an IATI indicator per PIE of each indicator.

A PIE maps to `indicator`: measure from its target kind and unit, `ascending` unless lower
is better, `baseline` (year, value, comment), one `period` over the package's period with
`target` and `actual` (value, comment). What IATI has no place for (the PIE's ids, target
kind, segment, flags, rating, mark, justification) is an `rbm:pie` record in the indicator;
risks and capital projects are `rbm:record` elements after the activities."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from rbm.datapackage.cells import CellContext
from rbm.datapackage.resources import BY_NAME
from rbm.domain.dataset import Dataset
from rbm.domain.enums import TargetKind
from rbm.domain.framework import ExpectedResult, Indicator, Pie, Pillar
from rbm.domain.organization import Biennium
from rbm.domain.text import Text
from rbm.exchange.iati.extension import RECORDS, write_record, write_settings
from rbm.exchange.iati.xml import (
    LANG,
    ORGANISATION_TYPE,
    VERSION,
    end_date,
    narratives,
    number,
    rbm,
    start_date,
    sub,
)

OUTCOME = "2"  # IATI ResultType
IMPLEMENTING = "4"  # IATI OrganisationRole
IMPLEMENTATION = "2"  # IATI ActivityStatus
PLANNED_START, PLANNED_END = "1", "3"  # IATI ActivityDateType
GENERAL = "1"  # IATI DescriptionType
UNIT, PERCENTAGE, QUALITATIVE = "1", "2", "5"  # IATI IndicatorMeasure
DESCENDING = frozenset({TargetKind.AT_MOST, TargetKind.DECREASE})
# the fields of a PIE that IATI's own elements carry; the extension holds the others
NATIVE = ("baseline_text", "baseline_value", "target_text", "actual_text", "actual_value")
TARGET_VALUE = ("threshold", "count", "amount", "to", "x")
YEARS = re.compile(r"(\d{4})(?:\s*[/–-]\s*(\d{2,4}))?")


def activities_tree(dataset: Dataset) -> ET.Element:
    """The `iati-activities` element of `dataset`'s results framework."""
    b = dataset.biennium
    context = CellContext.of(b)
    root = ET.Element("iati-activities", version=VERSION)
    root.set(rbm("biennium"), b.code)
    pillars = dataset.pillars or (Pillar(b.organization, 1, b.organization_name, ""),)
    for pillar in pillars:
        _activity(root, dataset, pillar, context)
    label = sub(root, rbm("label"))
    narratives(label, b.label, context.langs)
    write_settings(root, b.settings)
    for resource in RECORDS[1:]:  # sectors are in the organisation file
        for record in dataset.records(resource):
            write_record(root, resource, record, context)
    return root


def identifier(biennium: Biennium, pillar: str) -> str:
    """An activity's IATI identifier: the organization, the period and the pillar."""
    return f"{biennium.organization}-{biennium.code}-{pillar}"


def _activity(root: ET.Element, dataset: Dataset, pillar: Pillar, context: CellContext) -> None:
    b = dataset.biennium
    langs = context.langs
    activity = sub(root, "iati-activity", default_currency=b.currency)
    activity.set(LANG, langs[0])
    activity.set(rbm("pillar"), pillar.code)
    activity.set(rbm("order"), str(pillar.order))
    sub(activity, "iati-identifier").text = identifier(b, pillar.code)
    narratives(
        sub(activity, "reporting-org", ref=b.organization, type=ORGANISATION_TYPE),
        b.organization_name,
        langs,
    )
    narratives(sub(activity, "title"), pillar.name, langs)
    narratives(sub(activity, "description", type=GENERAL), pillar.name, langs)
    narratives(
        sub(activity, "participating-org", ref=b.organization, role=IMPLEMENTING),
        b.organization_name,
        langs,
    )
    sub(activity, "activity-status", code=IMPLEMENTATION)
    sub(activity, "activity-date", type=PLANNED_START, iso_date=start_date(b.start_year))
    sub(activity, "activity-date", type=PLANNED_END, iso_date=end_date(b.end_year))
    for result in dataset.results:
        if result.pillar == pillar.code:
            _result(activity, dataset, result, context)


def _result(
    activity: ET.Element, dataset: Dataset, result: ExpectedResult, context: CellContext
) -> None:
    element = sub(activity, "result", type=OUTCOME)
    element.set(rbm("code"), result.code)
    element.set(rbm("order"), str(result.order))
    narratives(sub(element, "title"), result.title, context.langs)
    indicators = [i for i in dataset.indicators if i.result == result.code]
    for indicator in indicators:
        pies: list[Pie | None] = [p for p in dataset.pies if p.indicator == indicator.id]
        sectors = [s.sector for s in dataset.indicator_sectors if s.indicator == indicator.id]
        for pie in pies or (None,):
            _indicator(element, dataset.biennium, indicator, pie, sectors, context)
    if not indicators:  # IATI requires an indicator in every result
        placeholder = sub(element, "indicator", measure=QUALITATIVE)
        placeholder.set(rbm("placeholder"), "true")
        narratives(sub(placeholder, "title"), result.title, context.langs)


def _indicator(
    result: ET.Element,
    biennium: Biennium,
    indicator: Indicator,
    pie: Pie | None,
    sectors: list[str],
    context: CellContext,
) -> None:
    langs = context.langs
    element = sub(result, "indicator", measure=QUALITATIVE if pie is None else measure(pie))
    if pie is not None and pie.target_kind != TargetKind.MILESTONE:
        element.set("ascending", "false" if descending(pie) else "true")
    element.set(rbm("id"), indicator.id)
    element.set(rbm("order"), str(indicator.order))
    narratives(sub(element, "title"), indicator.text, langs)
    if pie is not None and pie.segment:
        narratives(sub(element, "description"), pie.segment, langs)
    if pie is not None:
        _baseline(element, biennium, pie, langs)
        _period(element, biennium, pie, langs)
        write_record(element, "pies", pie, context, _extension_fields(), tag="pie")
    for sector in sectors:
        sub(element, rbm("sector"), code=sector)


def measure(pie: Pie) -> str:
    """Qualitative for a milestone, percentage when its values are percentages, else unit."""
    if pie.target_kind == TargetKind.MILESTONE:
        return QUALITATIVE
    if "%" in (pie.baseline_unit, pie.actual_unit):
        return PERCENTAGE
    return UNIT


def descending(pie: Pie) -> bool:
    return pie.target_kind in DESCENDING or bool(pie.target_params.get("lower_is_better"))


def baseline_year(period: str | None) -> int | None:
    """The year a baseline stands at: the last year its period names ("2022/23" → 2023)."""
    match = YEARS.search(period or "")
    if match is None:
        return None
    first, last = match.group(1), match.group(2)
    if last is None:
        return int(first)
    return int(first[: 4 - len(last)] + last)


def target_value(pie: Pie) -> Decimal | None:
    """The number a target names, when its kind has one (a threshold, a count, an amount)."""
    for key in TARGET_VALUE:
        value = pie.target_params.get(key)
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            try:
                return Decimal(str(value))
            except ArithmeticError:
                return None
    return None


def _baseline(indicator: ET.Element, biennium: Biennium, pie: Pie, langs: tuple[str, ...]) -> None:
    if pie.baseline_value is None and not pie.baseline_text:
        return
    # IATI requires a year: without one, the year before the period starts
    year = baseline_year(pie.baseline_period) or biennium.start_year - 1
    element = sub(indicator, "baseline", year=str(year), value=number(pie.baseline_value))
    _comment(element, pie.baseline_text, langs)


def _period(indicator: ET.Element, biennium: Biennium, pie: Pie, langs: tuple[str, ...]) -> None:
    period = sub(indicator, "period")
    sub(period, "period-start", iso_date=start_date(biennium.start_year))
    sub(period, "period-end", iso_date=end_date(biennium.end_year))
    _comment(sub(period, "target", value=number(target_value(pie))), pie.target_text, langs)
    if pie.actual_value is not None or pie.actual_text:
        actual = sub(period, "actual", value=number(pie.actual_value))
        _comment(actual, pie.actual_text, langs)


def _comment(parent: ET.Element, text: Text, langs: tuple[str, ...]) -> None:
    if text:
        narratives(sub(parent, "comment"), text, langs)


def _extension_fields() -> tuple[str, ...]:
    return tuple(f.name for f in BY_NAME["pies"].fields if f.name not in NATIVE)
