"""Charts of the report: a `ChartView` becomes an accessible inline SVG string.

The chart is declared in Vega-Lite with Altair (data inline, no pandas) and drawn offline by
vl-convert, in the reader's language (labels, and the d3 number locale):

    >>> svg(chart, "en")[:45]
    '<svg role="img" aria-labelledby="fig-figure-1'

The root element carries `role="img"` and an `aria-labelledby` naming its first two
children, a `<title>` (the chart title) and a `<desc>` (the chart description); the page
shows the chart's table beside it as the accessible alternative. Rows are categories and
columns are series; heading, subtotal and total rows are left out of the drawing.

Kinds: `bar` (the first column, horizontal bars with their values), `stacked_bar` and
`grouped_bar` (every numeric column), `donut` (the first column; values in the legend) and
`gauge` (a bullet bar of a rate against 100%).

`svg` is memoized on (chart, language): the HTML and the PDF of one language share the
drawing, and a language never gets another's.
"""

from __future__ import annotations

import math
import multiprocessing
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from functools import cache, lru_cache
from html import escape
from typing import Any

import altair as alt
import vl_convert as vlc
from babel.numbers import get_decimal_symbol, get_group_symbol

from rbm.domain.text import Lang
from rbm.i18n import locale
from rbm.report.model import ChartView, NumberFormat, TableView

FONT = "Noto Sans CJK SC"
INK = "#1f2933"
MUTED = "#4b5563"
TRACK = "#e5e7eb"
# Colours with a contrast of at least 4.5:1 on white (WCAG 1.4.11 asks 3:1 for graphics);
# no green or red early on, so that no series seems to say "good" or "bad" by its colour.
PALETTE = (
    "#1f5fa8",
    "#b45309",
    "#7e22ce",
    "#475569",
    "#be123c",
    "#0f766e",
    "#15803d",
    "#a16207",
)
Drawing = alt.Chart | alt.LayerChart
D3_FORMATS: dict[NumberFormat, str] = {
    "integer": "(,.0f",
    "decimal1": "(,.1f",
    "decimal2": "(,.2f",
    "percent": ",.0%",
    "percent1": ",.1%",
    "text": "",
}
SKIPPED_ROWS = ("heading", "subtotal", "total")
WIDTH = 520  # the plot area of bar charts, in px
LABEL_LIMIT = 260  # category labels longer than this are cut with an ellipsis
STEP = 28  # the height of one category band

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


@cache
def _number_locale(lang: Lang) -> dict[str, object]:
    """The d3 number format of `lang`, from Babel: its decimal mark and digit grouping."""
    where = locale(lang)
    return {
        "decimal": get_decimal_symbol(where),
        "thousands": get_group_symbol(where),
        "grouping": [3],
        "currency": ["", ""],
    }


def svg(chart: ChartView, lang: Lang) -> str:
    """The chart as an inline SVG element in `lang`."""
    drawn = _DRAWN.get((chart, lang))
    return drawn if drawn is not None else _svg(chart, lang)


# Charts drawn ahead of time by `draw_all`, keyed by chart and language.
_DRAWN: dict[tuple[ChartView, Lang], str] = {}


def _draw_language(charts: tuple[ChartView, ...], lang: Lang) -> list[str]:
    return [_svg(chart, lang) for chart in charts]


def draw_all(charts: Sequence[ChartView], langs: Sequence[Lang], separate: bool = False) -> None:
    """Draw every chart in every language, one worker process per language: vl-convert holds
    the interpreter while it draws, so separate processes are what uses both cores. With one
    language the drawing stays in this process unless `separate` (a server keeps its
    interpreter free for requests). Only the latest call's drawings are kept."""
    todo = tuple(dict.fromkeys(charts))
    if (len(langs) < 2 and not separate) or not todo:
        return
    context = multiprocessing.get_context("spawn")  # the converter's runtime does not fork
    with ProcessPoolExecutor(max_workers=len(langs), mp_context=context) as pool:
        drawn = dict(zip(langs, pool.map(_draw_language, [todo] * len(langs), langs), strict=True))
    _DRAWN.clear()  # a long-running server draws report after report
    for lang, drawings in drawn.items():
        _DRAWN.update({(chart, lang): svg for chart, svg in zip(todo, drawings, strict=True)})


@lru_cache(maxsize=512)
def _svg(chart: ChartView, lang: Lang) -> str:
    spec = vega_lite(chart, lang)
    drawing: str = vlc.vegalite_to_svg(spec, format_locale=_number_locale(lang))
    return _accessible(drawing, chart, lang)


def vega_lite(chart: ChartView, lang: Lang) -> dict[str, Any]:
    """The Vega-Lite specification of a chart in `lang` (a plain dict, validated by Altair)."""
    build = {
        "bar": _bar,
        "stacked_bar": _stacked,
        "grouped_bar": _grouped,
        "donut": _donut,
        "gauge": _gauge,
    }[chart.kind]
    configured = build(chart.table, lang).configure(
        font=FONT,
        background="white",
        view=alt.ViewConfig(stroke=None),
        axis=alt.AxisConfig(
            labelFontSize=13,
            titleFontSize=13,
            labelColor=INK,
            titleColor=INK,
            titleFontWeight="normal",
            gridColor=TRACK,
            domainColor=MUTED,
            tickColor=MUTED,
        ),
        legend=alt.LegendConfig(
            labelFontSize=13, titleFontSize=13, labelColor=INK, titleColor=INK, labelLimit=360
        ),
    )
    spec: dict[str, Any] = configured.to_dict()
    return spec


def d3_format(fmt: NumberFormat) -> str:
    """The d3 format of a column format: negatives in parentheses, percentages from 0–1."""
    return D3_FORMATS[fmt]


def _numeric(table: TableView) -> list[int]:
    return [i for i, c in enumerate(table.columns) if c.format != "text"]


def _scaled(value: Decimal, fmt: NumberFormat) -> float:
    """A value as the chart draws it: percentages (90 for 90%) become fractions (0.9)."""
    return float(value / 100) if fmt in ("percent", "percent1") else float(value)


def _records(table: TableView, lang: Lang, columns: list[int]) -> list[dict[str, Any]]:
    """One record per drawn cell: its category (row), series (column), value as drawn and
    value as printed in the table."""
    from rbm.report.render.html import format_value  # html imports this module

    records = []
    for rank, row in enumerate(table.rows):
        if row.kind in SKIPPED_ROWS:
            continue
        for order, index in enumerate(columns):
            value = row.values[index]
            if not isinstance(value, Decimal):
                continue
            column = table.columns[index]
            records.append(
                {
                    "category": row.label.get(lang),
                    "series": column.label.get(lang),
                    "value": _scaled(value, column.format),
                    "printed": format_value(value, column.format, lang),
                    "rank": rank,
                    "order": order,
                }
            )
    return records


def _categories(records: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(r["category"]) for r in records))


def _series(table: TableView, lang: Lang, columns: list[int]) -> list[str]:
    return [table.columns[i].label.get(lang) for i in columns]


def _value_axis(table: TableView, lang: Lang, fmt: NumberFormat) -> alt.Axis:
    return alt.Axis(format=d3_format(fmt), title=table.unit.get(lang), tickCount=5)


def _category_axis() -> alt.Axis:
    return alt.Axis(title=None, labelLimit=LABEL_LIMIT, ticks=False, domain=False)


def _bar(table: TableView, lang: Lang) -> Drawing:
    columns = _numeric(table)[:1]
    fmt = table.columns[columns[0]].format if columns else "integer"
    records = _records(table, lang, columns)
    categories = _categories(records)
    base = alt.Chart(alt.InlineData(values=records)).encode(
        y=alt.Y("category:N", sort=categories, axis=_category_axis()),
        x=alt.X("value:Q", axis=_value_axis(table, lang, fmt)),
    )
    bars = base.mark_bar(color=PALETTE[0], height=STEP * 0.7)
    labels = base.mark_text(align="left", dx=4, color=INK, fontSize=13).encode(
        text=alt.Text("value:Q", format=d3_format(fmt))
    )
    chart: Drawing = (bars + labels).properties(width=WIDTH, height=alt.Step(STEP))
    return chart


def _series_chart(table: TableView, lang: Lang, grouped: bool) -> Drawing:
    columns = _numeric(table)
    fmt = table.columns[columns[0]].format if columns else "integer"
    records = _records(table, lang, columns)
    categories = _categories(records)
    series = _series(table, lang, columns)
    colour = alt.Color(
        "series:N",
        sort=series,
        scale=alt.Scale(domain=series, range=list(PALETTE[: len(series)])),
        legend=alt.Legend(title=None, orient="bottom", direction="horizontal", columns=3),
    )
    encoding: dict[str, Any] = {
        "y": alt.Y("category:N", sort=categories, axis=_category_axis()),
        "x": alt.X(
            "value:Q", stack=None if grouped else "zero", axis=_value_axis(table, lang, fmt)
        ),
        "color": colour,
        "order": alt.Order("order:Q"),
    }
    if grouped:
        encoding["yOffset"] = alt.YOffset("series:N", sort=series)
    step = STEP * max(1, len(series)) * 0.6 if grouped else STEP
    bars = alt.Chart(alt.InlineData(values=records)).mark_bar(stroke="white", strokeWidth=1)
    chart: Drawing = bars.encode(**encoding).properties(width=WIDTH, height=alt.Step(step))
    return chart


def _stacked(table: TableView, lang: Lang) -> Drawing:
    return _series_chart(table, lang, grouped=False)


def _grouped(table: TableView, lang: Lang) -> Drawing:
    return _series_chart(table, lang, grouped=True)


def _donut(table: TableView, lang: Lang) -> Drawing:
    records = _records(table, lang, _numeric(table)[:1])
    for record in records:
        record["legend"] = f"{record['category']}  {record['printed']}"
    legends = list(dict.fromkeys(str(r["legend"]) for r in records))
    arcs = alt.Chart(alt.InlineData(values=records)).mark_arc(
        innerRadius=70, outerRadius=130, stroke="white", strokeWidth=1.5
    )
    chart: Drawing = arcs.encode(
        theta=alt.Theta("value:Q", stack=True),
        color=alt.Color(
            "legend:N",
            sort=legends,
            scale=alt.Scale(domain=legends, range=_cycle(len(legends))),
            legend=alt.Legend(title=table.stub.get(lang), orient="right"),
        ),
        order=alt.Order("rank:Q"),
    ).properties(width=270, height=270)
    return chart


def _gauge(table: TableView, lang: Lang) -> Drawing:
    columns = _numeric(table)[:1]
    records = _records(table, lang, columns)[:1]
    fmt = table.columns[columns[0]].format if columns else "percent"
    value = float(records[0]["value"]) if records else 0.0
    top = max(1.0, math.ceil(value * 10) / 10)
    data = alt.InlineData(values=[{"value": value, "track": top, "target": 1.0}])
    scale = alt.Scale(domain=[0, top], nice=False)
    axis = alt.Axis(format=d3_format(fmt), title=None, tickCount=5, grid=False)
    track = (
        alt.Chart(data)
        .mark_bar(color=TRACK, height=30)
        .encode(x=alt.X("track:Q", scale=scale, axis=axis))
    )
    bar = (
        alt.Chart(data)
        .mark_bar(color=PALETTE[0], height=16)
        .encode(x=alt.X("value:Q", scale=scale))
    )
    target = (
        alt.Chart(data)
        .mark_tick(color=INK, thickness=2, size=36)
        .encode(x=alt.X("target:Q", scale=scale))
    )
    label = (
        alt.Chart(data)
        .mark_text(align="left", dx=10, fontSize=18, fontWeight="bold", color=INK)
        .encode(x=alt.X("track:Q", scale=scale), text=alt.Text("value:Q", format=d3_format(fmt)))
    )
    chart: Drawing = (track + bar + target + label).properties(width=360, height=40)
    return chart


def _cycle(count: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(count)]


def _accessible(drawing: str, chart: ChartView, lang: Lang) -> str:
    """Name the SVG: role img, aria-labelledby, and a <title> and <desc> as first children."""
    ident = f"fig-{chart.id}"
    head = (
        f'<title id="{ident}-title">{escape(chart.title.get(lang))}</title>'
        f'<desc id="{ident}-desc">{escape(chart.description.get(lang))}</desc>'
    )

    def opening(match: re.Match[str]) -> str:
        attributes = re.sub(r'\s(class|role|aria-[a-z]+)="[^"]*"', "", match.group(1))
        return (
            f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" '
            f'class="chart chart-{chart.kind}"{attributes}>{head}'
        )

    return _SVG_OPEN.sub(opening, drawing, count=1)
