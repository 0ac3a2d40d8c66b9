"""Charts of the report: a `ChartView` becomes an accessible inline SVG string.

The chart is declared in Vega-Lite with Altair (data inline, no pandas) and drawn offline by
vl-convert, in the reader's language (labels, and the d3 number locale):

    >>> svg(chart, "en")[:45]
    '<svg role="img" aria-labelledby="fig-figure-1'

The root element carries `role="img"` and an `aria-labelledby` naming its first two
children, a `<title>` (the chart title) and a `<desc>` (the chart description); the page
shows the chart's table beside it as the accessible alternative. Rows are categories and
columns are series; heading, subtotal and total rows are left out of the drawing.

Kinds: `bar` (the first column, horizontal bars with their values), `stacked_bar` (every
numeric column; a value on each segment wide enough for it, the total at the bar's end),
`grouped_bar` (every numeric column, values at the bars' ends), `donut` (the first column;
values in the legend) and `gauge` (a bullet bar of a rate against 100%).

Sizes: a drawing is about `SVG_WIDTH` px wide with `FONT_SIZE` px text, so that text still
reads at 9 px or more when a 390 px phone scales it to its width; category and legend
labels wrap (Chinese preferably after 的/和/、) instead of being cut; a chart is never
taller than `MAX_HEIGHT` (under an A4 text area): past `MAX_CATEGORIES` or what fits, it
draws the largest categories and says the table lists them all.

Colours: series and categories named by a rating's catalogue label (`rating.fully` …) wear
the rating's colour (`RATING_COLOURS`, green / amber / red / grey / slate, told apart under
colour-vision deficiencies too); other series take the neutral `PALETTE` in order.

`svg` is memoized on (chart, language): the HTML and the PDF of one language share the
drawing, and a language never gets another's. Under that, `chart_cache` keeps each drawing
on disk under the hash of its specification and number locale, so that a chart is drawn
once, whatever the build, language or process that asks for it again.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import re
import signal
import sys
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from functools import cache, lru_cache
from html import escape
from string import ascii_uppercase
from typing import Any, Literal

import altair as alt
from altair.utils import schemapi
from babel.numbers import get_decimal_symbol, get_group_symbol

from rbm.domain.enums import Rating
from rbm.domain.text import Lang
from rbm.i18n import locale, t
from rbm.report.model import ChartView, NumberFormat, Row, TableView
from rbm.report.render import chart_cache

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
# The ratings keep the green / amber / red reading of RBM reports. Hues, lightness and
# chroma were searched so that every pair stays at least 20 CAM02-UCS apart in normal vision
# and under simulated protanopia, deuteranopia and tritanopia (tests/report/render/
# test_charts.py); the light amber and grey are below 3:1 on white, so every bar also
# carries its value and the table beside the chart gives them all.
RATING_COLOURS: dict[Rating, str] = {
    Rating.FULLY: "#248c70",  # green
    Rating.PARTIALLY: "#e1ab10",  # amber
    Rating.NOT_ACHIEVED: "#cf240a",  # red
    Rating.NOT_ASSESSABLE: "#d7d8d8",  # light grey
    Rating.DISCONTINUED: "#424661",  # dark slate: a neutral apart from the grey
}
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
FONT_SIZE = 14  # every text of a chart, in px
# The width a drawing aims at, in px: pages show SVGs scaled to their column, and 14 px text
# in 500 px still reads 10.9 px on a 390 px phone (10 px in its 358 px column); printed at
# its size it is 132 mm wide, inside the A4 text column.
SVG_WIDTH = 500
LABEL_WIDTH = 180  # category labels wrap at this width
LEGEND_WIDTH = SVG_WIDTH - 40  # legend labels wrap at this width
LINE = 16  # the height of a line of wrapped text
STEP = 28  # the height of one category band (more when its label wraps)
# The tallest drawing, in px: 238 mm printed at its size, under an A4 page's text area
# (about 250 mm). Categories past what fits, or past MAX_CATEGORIES, are left to the table:
# the chart draws the largest ones and says so, because small multiples of dozens of
# bars would not read on a phone either.
MAX_HEIGHT = 900
MAX_CATEGORIES = 20
GAP = 4  # px between a value label and its bar
MULTILINE = "split(datum.label, '\\n')"  # a label's lines, as Vega draws several
# Drawings kept in memory (each 10-40 KB): room for every chart of a report a hundred times
# WIPO's size in two languages (1,612 charts), so that its PDF does not draw them again.
MEMORY = 4096
# Below this many drawings missing, drawing here beats starting worker processes, which
# import the command line again (about 1 s each) to save 75-100 ms per drawing.
POOL_MIN = 16

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


PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def chart_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for drawing, started fresh (the converter's runtime does not fork)
    and made to die with the process that started them, even if it is killed."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def die_with_parent(parent: int) -> None:
    """In a worker: ask Linux for SIGKILL when the parent ends, then make sure it has not
    ended already (the request would come too late); elsewhere, only the latter."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def draw_all(charts: Sequence[ChartView], langs: Sequence[Lang], separate: bool = False) -> None:
    """Draw every chart in every language ahead of the pages, each distinct drawing once:
    those kept by `chart_cache` are read, the rest drawn in worker processes (vl-convert
    holds the interpreter while it draws, so separate processes are what uses both cores)
    when there are enough of them or `separate` (a server keeps its interpreter free for
    requests), else here. Only the latest call's drawings are kept."""
    todo = tuple(dict.fromkeys(charts))
    wanted = {(chart, lang): _spec(chart, lang) for lang in langs for chart in todo}
    names = {pair: chart_cache.key(*spec) for pair, spec in wanted.items()}
    where = chart_cache.directory()
    found: dict[str, str] = {}
    missing: dict[str, tuple[dict[str, Any], dict[str, object]]] = {}
    for pair, name in names.items():
        if name in found or name in missing:
            continue
        kept = chart_cache.read(where, name) if where is not None else None
        if kept is None:
            missing[name] = wanted[pair]
        else:
            found[name] = kept
    if missing:
        found.update(zip(missing, _draw(list(missing.values()), separate), strict=True))
        written = [chart_cache.write(where, name, found[name]) for name in missing if where]
        if where is not None and any(written):
            chart_cache.evict(where, chart_cache.limit())  # once a build, when it drew
    _DRAWN.clear()  # a long-running server draws report after report
    _DRAWN.update(
        {
            (chart, lang): _accessible(found[names[chart, lang]], chart, lang)
            for chart, lang in names
        }
    )


def _draw(specs: list[tuple[dict[str, Any], dict[str, object]]], separate: bool) -> list[str]:
    """The drawings of `specs` (specification and number locale), in order."""
    workers = min(len(specs), os.cpu_count() or 1)
    if not separate and (workers < 2 or len(specs) < POOL_MIN):
        return [chart_cache.draw(*spec) for spec in specs]
    with chart_pool(max(1, workers)) as pool:
        return list(pool.map(chart_cache.draw, *zip(*specs, strict=True)))


@lru_cache(maxsize=MEMORY)
def _svg(chart: ChartView, lang: Lang) -> str:
    return _accessible(chart_cache.drawn(*_spec(chart, lang)), chart, lang)


def _spec(chart: ChartView, lang: Lang) -> tuple[dict[str, Any], dict[str, object]]:
    """What vl-convert draws `chart` from: its specification, built without Altair's
    validation (half the time of building it, which a cached drawing still costs; tests
    validate every kind), and the number locale."""
    with schemapi.debug_mode(False):
        return vega_lite(chart, lang, validate=False), _number_locale(lang)


def vega_lite(chart: ChartView, lang: Lang, validate: bool = True) -> dict[str, Any]:
    """The Vega-Lite specification of a chart in `lang` (a plain dict, validated by Altair
    unless not `validate`)."""
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
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            labelColor=INK,
            titleColor=INK,
            titleFontWeight="normal",
            gridColor=TRACK,
            domainColor=MUTED,
            tickColor=MUTED,
            labelLimit=0,  # labels are wrapped, never cut
            labelLineHeight=LINE - 1,
            titleLimit=0,
        ),
        legend=alt.LegendConfig(
            labelFontSize=FONT_SIZE,
            titleFontSize=FONT_SIZE,
            labelColor=INK,
            titleColor=INK,
            labelLimit=0,
            titleLimit=0,
        ),
        title=alt.TitleConfig(fontSize=FONT_SIZE, subtitleFontSize=FONT_SIZE),
    )
    spec: dict[str, Any] = configured.to_dict(validate=validate)
    return spec


def d3_format(fmt: NumberFormat) -> str:
    """The d3 format of a column format: negatives in parentheses, percentages from 0–1."""
    return D3_FORMATS[fmt]


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of the width of one line of `text` in px, from Noto Sans CJK's advances:
    Chinese characters are one em wide, Latin letters about 0.57 em (rounded up, since an
    overestimate only wraps a little early)."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        else:
            width += next((em for chars, em in _ADVANCES if char in chars), 0.57)
    return width * size


# advances in em of the characters that differ most from the average
_ADVANCES: tuple[tuple[str, float], ...] = (
    (" ", 0.25),
    ("ijl.,;:!|'", 0.3),
    ("()[]frt", 0.4),
    ("mwMW%", 0.93),
    (ascii_uppercase, 0.72),
)


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """`text` in lines no wider than `width` px: Latin text breaks between words, Chinese
    text preferably after a particle, conjunction or punctuation (的 和 与 及 、 ，) or
    before an opening bracket, else between characters; a word longer than a line stays
    whole."""
    tokens = re.findall(
        r"[^\s\u3000-\u9fff\uff00-\uffef]+\s*|[\u3000-\u9fff\uff00-\uffef]\s*", text
    )
    lines: list[str] = []
    line: list[str] = []
    for token in tokens:
        if line and text_width("".join([*line, token]).rstrip(), size) > width:
            cut = _break_at(line) if _CJK.match(token) else len(line)
            lines.append("".join(line[:cut]).rstrip())
            line = line[cut:]
        line.append(token)
    if "".join(line).strip() or not lines:
        lines.append("".join(line).rstrip())
    return lines


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_AFTER = set("的和与及、，；：）")  # a Chinese line may end after these
_BEFORE = set("（")  # … and a Chinese line may start with these


def _break_at(tokens: list[str]) -> int:
    """Where to end a Chinese line of `tokens` that is full: at its last good break in its
    second half, else at its end."""
    for i in range(len(tokens) - 1, len(tokens) // 2 - 1, -1):
        if tokens[i - 1].strip() in _AFTER or tokens[i].strip() in _BEFORE:
            return i
    return len(tokens)


def _wrapped(text: str, width: float) -> str:
    """`text` wrapped, its lines joined by newlines (split again by `MULTILINE`)."""
    return "\n".join(wrap(text, width))


def rating_colour(label: str, lang: Lang) -> str | None:
    """The colour of a rating named by its catalogue label in `lang` (rows and columns of
    rating charts are labelled `rating.fully` …), or None for any other label."""
    return _rating_labels(lang).get(label.strip().casefold())


@cache
def _rating_labels(lang: Lang) -> dict[str, str]:
    return {t(f"rating.{r.value}", lang).casefold(): colour for r, colour in RATING_COLOURS.items()}


def colours(labels: Sequence[str], lang: Lang) -> list[str]:
    """A colour per series or category: a rating's own colour, else the palette's next."""
    others = iter(PALETTE * (1 + len(labels) // len(PALETTE)))
    return [rating_colour(label, lang) or next(others) for label in labels]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def on(colour: str) -> str:
    """The text colour that reads on `colour`: white where it keeps 4.5:1, else ink."""
    return "white" if 1.05 / (_luminance(colour) + 0.05) >= 4.5 else INK


def _numeric(table: TableView) -> list[int]:
    return [i for i, c in enumerate(table.columns) if c.format != "text"]


def _scaled(value: Decimal, fmt: NumberFormat) -> float:
    """A value as the chart draws it: percentages (90 for 90%) become fractions (0.9)."""
    return float(value / 100) if fmt in ("percent", "percent1") else float(value)


def _drawn_rows(table: TableView, columns: list[int], step: float) -> tuple[list[Row], int]:
    """The rows a chart draws, and how many it leaves to its table: all the data rows when
    they fit the page, else the largest (by the sum of their drawn values), largest first."""
    rows = [row for row in table.rows if row.kind not in SKIPPED_ROWS]
    room = min(MAX_CATEGORIES, max(1, int((MAX_HEIGHT - 160) // step)))
    if len(rows) <= room:
        return rows, 0
    ranked = sorted(rows, key=lambda row: -_total(row, columns))
    return ranked[:room], len(rows) - room


def _total(row: Row, columns: list[int]) -> Decimal:
    return sum((v for i in columns if isinstance(v := row.values[i], Decimal)), Decimal(0))


def _records(
    table: TableView, lang: Lang, columns: list[int], rows: Sequence[Row]
) -> list[dict[str, Any]]:
    """One record per drawn cell: its category (row, wrapped), series (column), value as
    drawn and value as printed in the table."""
    from rbm.report.render.html import format_value  # html imports this module

    records = []
    for rank, row in enumerate(rows):
        for order, index in enumerate(columns):
            value = row.values[index]
            if not isinstance(value, Decimal):
                continue
            column = table.columns[index]
            records.append(
                {
                    "category": _wrapped(row.label.get(lang), LABEL_WIDTH),
                    "name": row.label.get(lang),
                    "series": column.heading.get(lang),
                    "value": _scaled(value, column.format),
                    "printed": format_value(value, column.format, lang),
                    "rank": rank,
                    "order": order,
                }
            )
    return records


def _categories(records: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(r["category"]) for r in records))


def _step(table: TableView, lang: Lang, per_band: int = 1) -> float:
    """The height of a category band: room for its bars and for its label's lines."""
    lines = max((len(wrap(row.label.get(lang), LABEL_WIDTH)) for row in table.rows), default=1)
    return max(STEP * per_band * (0.6 if per_band > 1 else 1), lines * LINE + 8)


def _label_column(categories: Sequence[str]) -> float:
    """The width the category labels take, in px."""
    widths = [text_width(line) for c in categories for line in c.split("\n")]
    return max(widths, default=0.0) + 8


def _plot_width(categories: Sequence[str], value_label: float) -> int:
    """What is left of `SVG_WIDTH` for the bars, beside the labels and the value labels."""
    return max(160, int(SVG_WIDTH - _label_column(categories) - value_label - 12))


def _value_axis(table: TableView, lang: Lang, fmt: NumberFormat) -> alt.Axis:
    return alt.Axis(format=d3_format(fmt), title=table.unit.get(lang), tickCount=4)


def _category_axis() -> alt.Axis:
    return alt.Axis(title=None, ticks=False, domain=False, labelExpr=MULTILINE)


def _series_legend(count: int, labels: Sequence[str], title: str | None = None) -> alt.Legend:
    """A legend under the chart, in as many columns as its widest label allows."""
    widest = max((text_width(line) for label in labels for line in label.split("\n")), default=0)
    # a column is its symbol, the label and the padding to the next
    fits = max(1, min(count, int((SVG_WIDTH - 20) // (widest + 56))))
    columns = math.ceil(count / math.ceil(count / fits))  # rows as full as they can be
    return alt.Legend(
        title=title.split("\n") if title else None,
        orient="bottom",
        direction="horizontal",  # entries run along the rows, in the series' order
        columns=columns,
        columnPadding=16,
        labelExpr=MULTILINE,
        symbolType="square",
    )


def _left_out(lang: Lang, shown: int, omitted: int) -> alt.TitleParams | str:
    """The note under a chart that leaves categories to its table."""
    if not omitted:
        return ""
    note = t("report.chart.largest", lang, shown=shown, count=shown + omitted)
    return alt.TitleParams(
        _wrapped(note, SVG_WIDTH - 20).split("\n"),
        orient="bottom",
        anchor="start",
        fontWeight="normal",
        color=MUTED,
        fontSize=FONT_SIZE,
    )


def _bar(table: TableView, lang: Lang) -> Drawing:
    columns = _numeric(table)[:1]
    fmt = table.columns[columns[0]].format if columns else "integer"
    step = _step(table, lang)
    rows, omitted = _drawn_rows(table, columns, step)
    records = _records(table, lang, columns, rows)
    categories = _categories(records)
    names = list(dict.fromkeys(str(r["name"]) for r in records))
    widest = max((text_width(str(r["printed"])) for r in records), default=0.0)
    base = alt.Chart(alt.InlineData(values=records)).encode(
        y=alt.Y("category:N", sort=categories, axis=_category_axis()),
        x=alt.X("value:Q", axis=_value_axis(table, lang, fmt)),
    )
    # bars of ratings wear the rating's colour (a dashboard's count per rating)
    rated = any(rating_colour(name, lang) for name in names)
    colour = alt.Color(
        "category:N",
        sort=categories,
        scale=alt.Scale(domain=categories, range=colours(names, lang) if rated else [PALETTE[0]]),
        legend=None,
    )
    bars = base.mark_bar(height=min(step * 0.7, 22)).encode(color=colour)
    labels = base.mark_text(align="left", dx=GAP, color=INK, fontSize=FONT_SIZE).encode(
        text=alt.Text("printed:N")
    )
    chart: Drawing = alt.LayerChart(layer=[bars, labels]).properties(
        width=_plot_width(categories, widest + GAP),
        height=alt.Step(step),
        title=_left_out(lang, len(rows), omitted),
    )
    return chart


def _series_chart(table: TableView, lang: Lang, grouped: bool) -> Drawing:
    columns = _numeric(table)
    fmt = table.columns[columns[0]].format if columns else "integer"
    series = _series(table, lang, columns)
    step = _step(table, lang, len(series) if grouped else 1)
    rows, omitted = _drawn_rows(table, columns, step)
    records = _records(table, lang, columns, rows)
    categories = _categories(records)
    palette = colours(series, lang)
    legend_labels = [_wrapped(s, LEGEND_WIDTH) for s in series]
    for record in records:
        record["series"] = _wrapped(str(record["series"]), LEGEND_WIDTH)
    colour = alt.Color(
        "series:N",
        sort=legend_labels,
        scale=alt.Scale(domain=legend_labels, range=palette),
        legend=_series_legend(len(series), legend_labels),
    )
    totals = _bar_totals(table, lang, columns, rows, fmt) if not grouped else []
    widest = max(
        (text_width(str(r["printed"])) for r in (totals if not grouped else records)),
        default=0.0,
    )
    width = _plot_width(categories, widest + GAP)
    top, low = _extent(records, grouped)
    # no nice rounding: segment labels are placed where the domain says they fit
    scale = alt.Scale(domain=[low, top or 1], nice=False)
    x = alt.X("value:Q", axis=_value_axis(table, lang, fmt), scale=scale)
    y = alt.Y("category:N", sort=categories, axis=_category_axis())
    data = alt.InlineData(values=records)
    if grouped:
        base = alt.Chart(data).encode(
            y=y, x=x.stack(None), yOffset=alt.YOffset("series:N", sort=legend_labels)
        )
        bars = base.mark_bar(stroke="white", strokeWidth=1).encode(color=colour)
        values = base.mark_text(align="left", dx=GAP, color=INK, fontSize=FONT_SIZE).encode(
            text=alt.Text("printed:N")
        )
        layers: list[alt.Chart] = [bars, values]
    else:
        bars = (
            alt.Chart(data)
            .mark_bar(stroke="white", strokeWidth=1)
            .encode(y=y, x=x.stack("zero"), color=colour, order=alt.Order("order:Q"))
        )
        layers = [
            bars,
            *_segment_labels(records, palette, legend_labels, y, scale, width, (top - low) or 1),
        ]
        sides: tuple[tuple[int, Literal["left", "right"]], ...] = ((1, "left"), (-1, "right"))
        for sign, align in sides:
            ends = [r for r in totals if (r["end"] >= 0) == (sign > 0)]
            layers += [
                alt.Chart(alt.InlineData(values=ends))
                .mark_text(
                    align=align, dx=sign * GAP, color=INK, fontSize=FONT_SIZE, fontWeight="bold"
                )
                .encode(y=y, x=alt.X("end:Q", scale=scale), text=alt.Text("printed:N"))
            ][: len(ends)]
    chart: Drawing = alt.LayerChart(layer=layers).properties(
        width=width, height=alt.Step(step), title=_left_out(lang, len(rows), omitted)
    )
    return chart


def _series(table: TableView, lang: Lang, columns: list[int]) -> list[str]:
    return [table.columns[i].heading.get(lang) for i in columns]


def _extent(records: list[dict[str, Any]], grouped: bool) -> tuple[float, float]:
    """The largest and smallest value drawn: of the bars, or of the stacks of positive and
    of negative segments."""
    if grouped:
        values = [float(r["value"]) for r in records]
        return max([0.0, *values]), min([0.0, *values])
    up: dict[str, float] = {}
    down: dict[str, float] = {}
    for r in records:
        side = up if float(r["value"]) >= 0 else down
        side[str(r["category"])] = side.get(str(r["category"]), 0.0) + float(r["value"])
    return max([0.0, *up.values()]), min([0.0, *down.values()])


def _bar_totals(
    table: TableView, lang: Lang, columns: list[int], rows: Sequence[Row], fmt: NumberFormat
) -> list[dict[str, Any]]:
    """The total at the end of each stacked bar, as the table would print it."""
    from rbm.report.render.html import format_value  # html imports this module

    totals = []
    for row in rows:
        total = _total(row, columns)
        values = [v for i in columns if isinstance(v := row.values[i], Decimal)]
        # the end of the bar on the side of its total: negatives stack left of zero
        side = [v for v in values if (v >= 0) == (total >= 0)]
        totals.append(
            {
                "category": _wrapped(row.label.get(lang), LABEL_WIDTH),
                "end": _scaled(sum(side, Decimal(0)), fmt),
                "printed": format_value(total, fmt, lang),
            }
        )
    return totals


def _segment_labels(
    records: list[dict[str, Any]],
    palette: list[str],
    series: list[str],
    y: alt.Y,
    scale: alt.Scale,
    width: float,
    span: float,
) -> list[alt.Chart]:
    """A value in the middle of each segment wide enough to hold it, in the colour that
    reads on the segment's; narrower segments are read from the bar's total and the table."""
    ink = {name: on(colour) for name, colour in zip(series, palette, strict=True)}
    start: dict[str, float] = {}
    placed: dict[str, list[dict[str, Any]]] = {"white": [], INK: []}
    for record in sorted(records, key=lambda r: (r["rank"], r["order"])):
        value = float(record["value"])
        if value <= 0:
            continue  # negatives stack apart; they are read from the table
        begin = start.get(str(record["category"]), 0.0)
        start[str(record["category"])] = begin + value
        room = value / span * width
        if room >= text_width(str(record["printed"])) + 6:
            placed[ink[str(record["series"])]].append({**record, "middle": begin + value / 2})
    return [
        alt.Chart(alt.InlineData(values=found))
        .mark_text(align="center", color=colour, fontSize=FONT_SIZE)
        .encode(y=y, x=alt.X("middle:Q", scale=scale), text=alt.Text("printed:N"))
        for colour, found in placed.items()
        if found
    ]


def _stacked(table: TableView, lang: Lang) -> Drawing:
    return _series_chart(table, lang, grouped=False)


def _grouped(table: TableView, lang: Lang) -> Drawing:
    return _series_chart(table, lang, grouped=True)


def _donut(table: TableView, lang: Lang) -> Drawing:
    columns = _numeric(table)[:1]
    rows = [row for row in table.rows if row.kind not in SKIPPED_ROWS]
    records = _records(table, lang, columns, rows)
    for record in records:
        record["legend"] = _wrapped(f"{record['name']}  {record['printed']}", LEGEND_WIDTH)
    legends = list(dict.fromkeys(str(r["legend"]) for r in records))
    palette = colours(list(dict.fromkeys(str(r["name"]) for r in records)), lang)
    arcs = alt.Chart(alt.InlineData(values=records)).mark_arc(
        innerRadius=60, outerRadius=115, stroke="white", strokeWidth=1.5
    )
    legend = _series_legend(len(legends), legends, _wrapped(table.stub.get(lang), LEGEND_WIDTH))
    chart: Drawing = arcs.encode(
        theta=alt.Theta("value:Q", stack=True),
        color=alt.Color(
            "legend:N",
            sort=legends,
            scale=alt.Scale(domain=legends, range=palette),
            legend=legend,
        ),
        order=alt.Order("rank:Q"),
    ).properties(width=240, height=240)
    return chart


def _gauge(table: TableView, lang: Lang) -> Drawing:
    columns = _numeric(table)[:1]
    rows = [row for row in table.rows if row.kind not in SKIPPED_ROWS]
    records = _records(table, lang, columns, rows)[:1]
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
    chart: Drawing = alt.LayerChart(layer=[track, bar, target, label]).properties(
        width=360, height=40
    )
    return chart


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
