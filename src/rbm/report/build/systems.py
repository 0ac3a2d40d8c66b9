"""The registration systems' indicators a specification lists: the figures a part of the
source reports (one row per figure, printed with its unit), a measure by segment and period
(with more measures beside it and a total row), or several measures by period for each
segment (a chart per segment)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rbm.domain.finance import SystemIndicator
from rbm.domain.money import round_half_up
from rbm.domain.text import Lang, Text
from rbm.i18n import FALLBACK, keys, localized, t, text
from rbm.report.build.context import Context
from rbm.report.build.spec import Spec, spec_text
from rbm.report.model import Block, ChartView, Column, Note, NumberFormat, Row, TableView, Value

# units of a figure that print with a word or sign of their own (money prints with the
# package's currency; any other unit after the number)
FIGURE_UNITS = {
    "count": "number",
    "ratio": "number",
    "percent": "percent",
    "percentage_points": "points",
    "days": "days",
}


def system_indicators(ctx: Context, b: Spec) -> list[Block]:
    """The blocks of one part of the source (its tables, charts and figures), in the order
    the specification lists them; the part's footnotes go with its first table."""
    blocks: list[Block] = []
    for raw in b.get("indicators", []):
        one = Spec(raw, ctx, b.member)
        measures = _measures(raw)
        found = _found(ctx, b, raw["union"], measures)
        if not found:
            continue
        if raw.get("layout") == "figures":
            blocks.append(_figures(ctx, one, found, measures))
        elif len(measures) == 1:
            blocks.append(_by_segment(ctx, one, found, b))
        else:
            blocks.extend(_per_segment(ctx, one, found, measures, b))
    return _with_footnotes(ctx, blocks, b.source)


def _measures(raw: Mapping[str, Any]) -> list[str]:
    measure = raw["measure"]
    return list(measure) if isinstance(measure, list) else [measure]


def _found(ctx: Context, b: Spec, union: str, measures: Sequence[str]) -> list[SystemIndicator]:
    """The indicators of `union` and `measures`, from the block's source when it names one."""
    return [
        s
        for s in ctx.dataset.system_indicators
        if s.union == union and s.measure in measures and (b.source is None or s.source == b.source)
    ]


def _fill(one: Spec, key: str, **params: str | Text) -> Text | None:
    """A text of the entry with the data's placeholders ({first}, {last}, {segment}…)."""
    found = one.text(key)
    if found is None:
        return None
    return _format(one.ctx, found, params)


def _format(ctx: Context, template: Text, params: Mapping[str, str | Text]) -> Text:
    return Text.build(
        ctx.langs,
        lambda lang: template.get(lang).format(
            **{k: v.get(lang) if isinstance(v, Text) else v for k, v in params.items()}
        ),
    )


def _label(one: Spec, measure: str) -> Text:
    """A measure's name: the entry's `labels`, else the catalogue's, else its code."""
    labels = one.get("labels", {})
    if measure in labels:
        return one.fill(spec_text(labels[measure]))
    key = f"report.measure.{measure}"
    return text(key) if key in keys(FALLBACK) else Text.plain(measure)


def _figures(
    ctx: Context, one: Spec, found: list[SystemIndicator], measures: list[str]
) -> TableView:
    """One row per figure, in the order of the entry's measures: the measure (and segment),
    its period and its value with its unit, each as the source prints it."""
    rows = []
    for measure in measures:
        for s in (s for s in found if s.measure == measure):
            label = _label(one, measure)
            if s.segment:
                label = text("format.parenthetical", text=label, note=s.segment)
            rows.append(Row(label, (Text.plain(s.period), _figure(ctx, s))))
    return TableView(
        one.id("figures"),
        one.text("title") or text("report.section.systems"),
        text("report.unit.none"),
        text("report.stub.measure"),
        (
            Column(text("report.column.period"), "text"),
            Column(text("report.column.value"), "text"),
        ),
        tuple(rows),
        found[0].source,
    )


def _figure(ctx: Context, s: SystemIndicator) -> Text:
    """A figure with its unit, its digits as stored: an amount with the currency (before
    the number in English), a percentage with its sign, a count alone."""
    currency = ctx.dataset.biennium
    money = s.unit == currency.currency
    kind = "money" if money else FIGURE_UNITS.get(s.unit, "other")

    def one(lang: Lang) -> str:
        value = localized(f"{s.value:,}", lang)
        return t(
            f"report.figure.{kind}",
            lang,
            value=value,
            currency=currency.currency_label.get(lang),
            unit=s.unit,
        )

    return Text.build(ctx.langs, one)


def _by_segment(ctx: Context, one: Spec, found: list[SystemIndicator], b: Spec) -> Block:
    """A measure by segment (rows) and period (columns), the entry's `extra` measures in
    columns after it, and a total row when the entry names one."""
    periods = sorted({s.period for s in found})
    values: dict[Text, dict[str, Decimal]] = {}
    for s in found:
        values.setdefault(s.segment, {})[s.period] = s.value
    fmt: NumberFormat = one.get("format", "integer")
    previous = periods[-2] if len(periods) > 1 else periods[-1]
    params = {"first": periods[0], "last": periods[-1], "previous": previous}
    extras = [_extra(ctx, one, b, e, params) for e in one.get("extra", [])]
    columns = (
        *(Column(Text.plain(p), fmt) for p in periods),
        *(column for column, _, _ in extras),
    )
    rows = [
        Row(segment, (*(v.get(p) for p in periods), *(e.get(segment) for _, e, _ in extras)))
        for segment, v in values.items()
    ]
    total = one.text("total")
    if total is not None:
        sums = [sum((v[p] for v in values.values() if p in v), Decimal(0)) for p in periods]
        totals = tuple(_extra_total(rule, column, e, sums) for column, e, rule in extras)
        rows.append(Row(total, (*sums, *totals), kind="total"))
    title, description = _titles(one, **params)
    table = TableView(
        one.id("indicator"),
        title,
        text("report.unit.count"),
        text(f"report.stub.{one.get('stub', 'segment')}"),
        columns,
        tuple(rows),
        found[0].source,
    )
    chart = one.get("chart")
    if chart is None:
        return table
    return ChartView(table.id, table.title, description or table.title, chart, table)


def _extra(
    ctx: Context, one: Spec, b: Spec, entry: Mapping[str, Any], params: Mapping[str, str]
) -> tuple[Column, dict[Text, Decimal], str | None]:
    """An extra column: its header, its value per segment (the latest period's) and how its
    total is made (`sum`, or `change`: the change of the total between the last two
    periods, in percent)."""
    measure = entry["measure"]
    found = _found(ctx, b, one.get("union"), [measure])
    by_segment = {s.segment: s.value for s in sorted(found, key=lambda s: s.period)}
    label = _format(ctx, one.fill(spec_text(entry["label"])), params) if "label" in entry else None
    column = Column(label or _label(one, measure), entry.get("format", "decimal1"))
    return column, by_segment, entry.get("total")


def _extra_total(
    rule: str | None, column: Column, values: Mapping[Text, Decimal], sums: list[Decimal]
) -> Value:
    """An extra column's total, at the precision of its values."""
    places = max((max(0, -int(v.as_tuple().exponent)) for v in values.values()), default=0)
    if rule == "sum":
        return round_half_up(sum(values.values(), Decimal(0)), places)
    if rule == "change" and len(sums) > 1 and sums[-2]:
        return round_half_up((sums[-1] / sums[-2] - 1) * 100, places)
    return None


def _titles(one: Spec, **params: str | Text) -> tuple[Text, Text | None]:
    """The title and chart description the specification gives, with the data's periods
    and segment."""
    return _fill(one, "title", **params) or Text.plain(one.id("indicator")), _fill(
        one, "description", **params
    )


def _per_segment(
    ctx: Context,
    one: Spec,
    found: list[SystemIndicator],
    measures: list[str],
    b: Spec,
) -> list[Block]:
    """Several measures by period, a table (or chart) per segment; `extra` measures print
    beside them without being drawn (the total a stacked bar prints above its bar)."""
    charts: list[Block] = []
    extra = [e["measure"] for e in one.get("extra", [])]
    others = _found(ctx, b, one.get("union"), extra)
    for segment in dict.fromkeys(s.segment for s in found):
        mine = [s for s in found if s.segment == segment]
        periods = sorted({s.period for s in mine})
        values = {(s.measure, s.period): s.value for s in mine if s.segment == segment}
        values.update({(s.measure, s.period): s.value for s in others if s.segment == segment})
        title, description = _titles(one, segment=segment, first=periods[0], last=periods[-1])
        columns = (
            *(Column(_label(one, m)) for m in measures),
            *(Column(_label(one, m), "text") for m in extra),
        )
        table = TableView(
            f"{one.id('indicator')}-{len(charts) + 1}",
            title,
            ctx.unit("one"),
            text(f"report.stub.{one.get('stub', 'segment')}"),
            columns,
            tuple(
                Row(Text.plain(p), tuple(values.get((m, p)) for m in (*measures, *extra)))
                for p in periods
            ),
            mine[0].source,
        )
        chart = one.get("chart")
        charts.append(
            table
            if chart is None
            else ChartView(table.id, table.title, description or table.title, chart, table)
        )
    return charts


def _with_footnotes(ctx: Context, blocks: list[Block], source: str | None) -> list[Block]:
    """The blocks with the footnotes the package attaches to their source as notes of the
    first table, numbered as the source numbers them (n1, n2… for those without)."""
    notes = _source_notes(ctx, source)
    if not notes:
        return blocks
    for i, block in enumerate(blocks):
        if isinstance(block, TableView):
            blocks[i] = replace(block, notes=(*notes, *block.notes))
            return blocks
        if isinstance(block, ChartView):
            table = replace(block.table, notes=(*notes, *block.table.notes))
            blocks[i] = replace(block, table=table)
            return blocks
    return blocks


def _source_notes(ctx: Context, source: str | None) -> tuple[Note, ...]:
    if source is None:
        return ()
    found = [f for f in ctx.dataset.footnotes if f.scope.value == "source" and f.ref == source]
    unnumbered = iter(range(1, len(found) + 1))
    return tuple(
        Note(str(f.number) if f.number is not None else f"n{next(unnumbered)}", f.text)
        for f in found
    )
