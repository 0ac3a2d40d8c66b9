"""The charts read at a glance: sized to the page and the phone, values on the bars, rating
colours that survive colour-vision deficiencies, nothing cut."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import numpy as np
import pytest
from colorspacious import cspace_convert
from lxml import etree

from rbm.domain.enums import Rating
from rbm.domain.text import Text
from rbm.i18n import t
from rbm.report.model import ChartKind, ChartView, Column, ReportView, Row, TableView
from rbm.report.render import charts

SVG = "http://www.w3.org/2000/svg"
PHONE = 390  # px: the narrowest screen the HTML is read on
MIN_TEXT = 9  # px: the smallest text a chart may show there
PAGE_HEIGHT = 250  # mm: about an A4 page's text area
PX = 25.4 / 96  # mm per CSS px: WeasyPrint prints an SVG at its size when it fits the column
# CAM02-UCS distance every pair of rating colours keeps, in every kind of vision checked:
# the Okabe–Ito palette, the usual reference for colour-blind-safe categories, keeps 20.8
# between its closest colours in normal vision (and 11–15 under the deficiencies); ΔE 1 is
# a just-noticeable difference for large patches, so 20 is far past "can be told apart"
# for bars side by side.
MIN_DISTANCE = 20.0
VISIONS = (None, "protanomaly", "deuteranomaly", "tritanomaly")
LANGS = ("zh", "en")


def _distances(colours: list[str], vision: str | None) -> dict[tuple[int, int], float]:
    """The CAM02-UCS distance of every pair of `colours` as a person with `vision` sees
    them (severity 100: protanopia, deuteranopia, tritanopia; Machado et al. 2009)."""
    rgb = np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours])
    if vision is not None:
        cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    ucs = cspace_convert(rgb, "sRGB1", "CAM02-UCS")
    return {
        (i, j): float(np.linalg.norm(ucs[i] - ucs[j]))
        for i, j in itertools.combinations(range(len(colours)), 2)
    }


@pytest.mark.parametrize("vision", VISIONS)
def test_rating_colours_stay_apart_in_every_vision(vision: str | None) -> None:
    """Every pair of rating colours is at least MIN_DISTANCE apart in CAM02-UCS, in normal
    vision and under simulated protanopia, deuteranopia and tritanopia: the palette alone
    tells the five ratings apart. It does not carry every reading alone: the amber and the
    light grey have less than 3:1 contrast on white, so the charts also print each bar's
    value (segment labels where they fit, a total at the bar's end), name the rating on the
    axis or in the legend, and give the table beside the drawing."""
    colours = list(charts.RATING_COLOURS.values())
    found = _distances(colours, vision)
    closest = min(found, key=found.__getitem__)
    names = [r.value for r in charts.RATING_COLOURS]
    assert found[closest] >= MIN_DISTANCE, (vision, names[closest[0]], names[closest[1]])


def test_rating_colours_keep_the_traffic_light_reading() -> None:
    """Fully achieved is green, partially amber, not achieved red, not assessable grey."""
    hue = {
        r: cspace_convert([int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)], "sRGB1", "JCh")
        for r, c in charts.RATING_COLOURS.items()
    }
    assert 110 < hue[Rating.FULLY][2] < 200  # green
    assert 50 < hue[Rating.PARTIALLY][2] < 95  # amber: between red and yellow
    assert hue[Rating.NOT_ACHIEVED][2] < 50  # red
    assert hue[Rating.NOT_ASSESSABLE][1] < 5  # grey
    assert hue[Rating.DISCONTINUED][1] < 25  # a neutral, darker than the grey
    assert hue[Rating.DISCONTINUED][0] < hue[Rating.NOT_ASSESSABLE][0] - 40


def _rating_chart(order: list[Rating]) -> ChartView:
    columns = tuple(
        Column(Text.build(LANGS, lambda lang, r=r: t(f"rating.{r.value}", lang))) for r in order
    )
    rows = tuple(
        Row(Text.plain(f"Pillar {i}"), tuple(Decimal(n * i % 7 + 1) for n in range(len(order))))
        for i in range(1, 5)
    )
    table = TableView("r", Text.plain("R"), Text.plain("PIEs"), Text.plain(""), columns, rows, "")
    return ChartView("r", Text.plain("R"), Text.plain("R"), "stacked_bar", table)


def test_colours_follow_the_rating_not_the_position() -> None:
    for order in (list(Rating), list(reversed(Rating))):
        for lang in LANGS:
            spec = charts.vega_lite(_rating_chart(order), lang)
            scale = spec["layer"][0]["encoding"]["color"]["scale"]
            given = dict(zip(scale["domain"], scale["range"], strict=True))
            for rating in Rating:
                assert given[t(f"rating.{rating.value}", lang)] == charts.RATING_COLOURS[rating]


def _texts(svg: etree._Element) -> list[str]:
    return ["".join(node.itertext()) for node in svg.iter(f"{{{SVG}}}text")]


def _drawn(chart: ChartView, lang: str) -> etree._Element:
    return etree.fromstring(charts.svg(chart, lang).encode("utf-8"))


def test_every_stacked_bar_carries_its_values() -> None:
    """Each bar ends in its total; each segment wide enough carries its value in a colour
    that reads on it."""
    chart = _rating_chart(list(Rating))
    svg = _drawn(chart, "en")
    texts = _texts(svg)
    for row in chart.table.rows:
        assert str(sum(v for v in row.values if isinstance(v, Decimal))) in texts
    segments = [n for n in svg.iter(f"{{{SVG}}}text") if n.get("fill") == "white"]
    assert segments, "the dark segments carry white labels"


@pytest.fixture(scope="module")
def wipo_charts(report: ReportView) -> dict[tuple[str, str], etree._Element]:
    """One chart of each kind the WIPO report draws, and its rating-by-pillar chart, in
    both languages."""
    chosen: dict[str, ChartView] = {}
    for chart in report.charts():
        chosen.setdefault(chart.kind, chart)
        if chart.kind == "stacked_bar" and any(
            charts.rating_colour(c.label.get("en"), "en") for c in chart.table.columns
        ):
            chosen["rating_stacked_bar"] = chart
    return {(kind, lang): _drawn(c, lang) for kind, c in chosen.items() for lang in LANGS}


def _size(svg: etree._Element) -> tuple[float, float]:
    return float(svg.get("width", "0")), float(svg.get("height", "0"))


def test_text_reads_at_least_9_px_on_a_phone(
    wipo_charts: dict[tuple[str, str], etree._Element],
) -> None:
    """Pages scale a drawing to their width: every text's size × 390 / the drawing's width
    is at least 9 px."""
    assert {kind for kind, _ in wipo_charts} >= {"bar", "stacked_bar", "donut", "gauge"}
    for key, svg in wipo_charts.items():
        width, _ = _size(svg)
        sizes = [
            float(re.sub("px$", "", node.get("font-size", "0")))
            for node in svg.iter(f"{{{SVG}}}text")
        ]
        assert sizes, key
        assert min(sizes) * PHONE / width >= MIN_TEXT, (key, min(sizes), width)


def test_charts_fit_a_page_and_cut_no_label(
    wipo_charts: dict[tuple[str, str], etree._Element],
) -> None:
    for key, svg in wipo_charts.items():
        width, height = _size(svg)
        assert width <= charts.SVG_WIDTH + 40, key
        assert height * PX <= PAGE_HEIGHT, key
        assert not [text for text in _texts(svg) if "…" in text], key


def test_rating_bars_wear_the_rating_colours(
    wipo_charts: dict[tuple[str, str], etree._Element],
) -> None:
    fills = {
        node.get("fill", "").lower()
        for node in wipo_charts["rating_stacked_bar", "zh"].iter(f"{{{SVG}}}path")
    }
    assert charts.RATING_COLOURS[Rating.FULLY] in fills
    assert charts.RATING_COLOURS[Rating.NOT_ACHIEVED] in fills


def test_a_long_category_list_is_left_to_its_table() -> None:
    """Sixty bars would run over several pages: the chart draws the largest and says the
    table lists them all."""
    rows = tuple(
        Row(Text.of(zh=f"受理局{i}", en=f"Receiving office {i}"), (Decimal(i * 37 % 101),))
        for i in range(60)
    )
    table = TableView(
        "long",
        Text.plain("L"),
        Text.plain("n"),
        Text.plain(""),
        (Column(Text.plain("n")),),
        rows,
        "",
    )
    for lang in LANGS:
        svg = _drawn(ChartView("long", Text.plain("L"), Text.plain("L"), "bar", table), lang)
        _, height = _size(svg)
        assert height <= charts.MAX_HEIGHT and height * PX <= PAGE_HEIGHT
        texts = " ".join(_texts(svg))
        shown = charts.MAX_CATEGORIES
        assert t("report.chart.largest", lang, shown=shown, count=60)[:6] in texts
        assert "100" in texts  # the largest value is drawn


def test_legend_labels_wrap_instead_of_being_cut() -> None:
    label = "Other income (arbitration, publications, miscellaneous) 0.9%"
    lines = charts.wrap(label, charts.LEGEND_WIDTH / 2)
    assert " ".join(lines) == label and len(lines) > 1
    assert all(charts.text_width(line) <= charts.LEGEND_WIDTH / 2 for line in lines)


def test_chinese_labels_break_after_a_particle_rather_than_inside_a_word() -> None:
    assert charts.wrap("知识产权作为促进增长和可持续发展的手段", 170) == [
        "知识产权作为促进增长和",
        "可持续发展的手段",
    ]


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "grouped_bar", "donut", "gauge"])
def test_the_drawn_specification_is_the_validated_one(kind: ChartKind) -> None:
    """Drawing builds specifications without Altair's schema validation (half their cost):
    for every kind, it is the very specification that passes validation."""
    columns = (Column(Text.plain("a"), "percent"), Column(Text.of(zh="乙", en="b")))
    rows = tuple(
        Row(Text.of(zh=f"类{i}", en=f"Kind {i}"), (Decimal(40 + i), Decimal(-i))) for i in range(3)
    )
    table = TableView("k", Text.plain("K"), Text.plain("n"), Text.plain(""), columns, rows, "")
    chart = ChartView("k", Text.plain("K"), Text.plain("K"), kind, table)
    for lang in LANGS:
        spec, _ = charts._spec(chart, lang)
        assert spec == charts.vega_lite(chart, lang)  # raises if the schema refuses it
