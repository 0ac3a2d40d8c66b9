"""From PIEs to assessments, totals, agreement with the published marks and published totals."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.enums import (
    AssessorBasis,
    FigureUnit,
    FootnoteKind,
    FootnoteScope,
    Rating,
    TargetKind,
)
from rbm.domain.finance import PublishedFigure
from rbm.domain.framework import (
    ExpectedResult,
    Footnote,
    Indicator,
    IndicatorSector,
    Pillar,
    Sector,
)
from rbm.domain.settings import Settings
from rbm.domain.text import Text
from rbm.engine.rating.assess import assess_dataset, assess_pie
from rbm.engine.rating.methodology import Methodology, NotComparable
from rbm.engine.rating.report import rating_report
from rbm.engine.rating.totals import agreement, compare_published, count_totals
from tests.engine.rating.pies import pie
from tests.strategies import BIENNIUM

K = TargetKind
DOT, NOT_ACHIEVED = "●", "✗"  # a vocabulary of marks, as a package's settings give it
MARKS = {
    DOT: frozenset({Rating.FULLY, Rating.PARTIALLY, Rating.NOT_ASSESSABLE}),
    NOT_ACHIEVED: frozenset({Rating.NOT_ACHIEVED}),
}


def figure(id: str, measure: str, value: int, note: str | None) -> PublishedFigure:
    row: dict[str, Any] = {f.name: None for f in fields(PublishedFigure)}
    row.update(id=id, measure=measure, value=Decimal(value), unit=FigureUnit.COUNT)
    row.update(note=note, source="附录A")
    return PublishedFigure(**row)


def framework(*pies: Any, **records: tuple[object, ...]) -> Dataset:
    """Two pillars, three results, three indicators; a and b contribute to indicator 1.1-01."""
    return Dataset(
        replace(BIENNIUM, settings=Settings(marks=MARKS)),
        pillars=(Pillar("1", 1, Text.of(zh="一"), "S"), Pillar("F", 2, Text.of(zh="基石"), "S")),
        results=(
            ExpectedResult("1.1", "1", 1, Text.of(zh="r"), "S"),
            ExpectedResult("1.2", "1", 2, Text.of(zh="r"), "S"),
            ExpectedResult("5.1", "F", 3, Text.of(zh="r"), "S"),
        ),
        sectors=(
            Sector("b", Text.of(zh="B"), Text.of(zh="B"), 2, False, "S"),
            Sector("a", Text.of(zh="A"), Text.of(zh="A"), 1, False, "S"),
        ),
        indicators=(
            Indicator("5.1-01", "5.1", 1, Text.of(zh="i"), "S"),
            Indicator("1.1-01", "1.1", 1, Text.of(zh="i"), "S"),
            Indicator("1.2-01", "1.2", 1, Text.of(zh="i"), "S"),
        ),
        indicator_sectors=(
            IndicatorSector("1.1-01", "b", "S"),
            IndicatorSector("1.1-01", "a", "S"),
        ),
        pies=pies,
        **records,  # type: ignore[arg-type]
    )


def three_pies() -> tuple[Any, ...]:
    return (
        pie(K.MILESTONE, id="5.1-01.1", indicator="5.1-01", mark=DOT),
        pie(K.AT_LEAST, {"threshold": 10}, actual=12, id="1.1-01.2", mark=DOT),
        pie(K.AT_LEAST, {"threshold": 10}, actual=7, id="1.1-01.1", mark=NOT_ACHIEVED),
        pie(K.COUNT, {"count": 10}, actual=5, id="1.2-01.1", indicator="1.2-01"),
    )


def test_assessments_follow_the_framework_and_carry_their_place() -> None:
    assessed = assess_dataset(framework(*three_pies()))
    assert [(a.pie.id, a.result, a.pillar, a.sectors) for a in assessed] == [
        ("1.1-01.1", "1.1", "1", ("a", "b")),  # sectors in the sectors' order
        ("1.1-01.2", "1.1", "1", ("a", "b")),
        ("1.2-01.1", "1.2", "1", ()),
        ("5.1-01.1", "5.1", "F", ()),
    ]
    assert [a.computed for a in assessed] == [
        Rating.PARTIALLY,
        Rating.FULLY,
        Rating.NOT_ACHIEVED,
        Rating.NOT_ASSESSABLE,
    ]


def test_totals_by_rating_pillar_result_and_sector() -> None:
    totals = count_totals(assess_dataset(framework(*three_pies())), ["a", "b"])
    assert (totals.pies, totals.indicators) == (4, 3)
    # the PIE computed partially carries the report's not-achieved mark: that is its rating
    assert totals.by_rating == {
        Rating.FULLY: 1,
        Rating.PARTIALLY: 0,
        Rating.NOT_ACHIEVED: 2,
        Rating.NOT_ASSESSABLE: 1,
        Rating.DISCONTINUED: 0,
    }
    assert {k: sum(v.values()) for k, v in totals.by_pillar.items()} == {"1": 3, "F": 1}
    assert {k: sum(v.values()) for k, v in totals.by_result.items()} == {
        "1.1": 2,
        "1.2": 1,
        "5.1": 1,
    }
    # a shared indicator's PIEs count under each contributing sector; the rest is unassigned
    assert list(totals.by_sector) == ["a", "b", "unassigned"]
    assert {k: sum(v.values()) for k, v in totals.by_sector.items()} == {
        "a": 2,
        "b": 2,
        "unassigned": 2,
    }
    assert totals.by_sector["unassigned"][Rating.NOT_ASSESSABLE] == 1


def test_agreement_with_the_published_marks() -> None:
    result = agreement(assess_dataset(framework(*three_pies())))
    # 1.1-01.1 is partially achieved by the formula but published as not achieved
    assert (result.compared, result.agree, result.disagree, result.unmarked) == (3, 2, 1, 1)
    assert result.disagreements == ("1.1-01.1",)
    assert result.matrix[NOT_ACHIEVED][Rating.PARTIALLY] == 1
    assert result.matrix[DOT][Rating.NOT_ASSESSABLE] == 1  # ⚫ stands for not assessable too


def test_published_totals_come_from_the_data() -> None:
    figures = (
        figure("A-3", "pie_count", 4, "total"),
        figure("A-1", "pie_count", 2, "fully"),
        figure("A-2", "pie_count", 1, "not_achieved"),
        figure("A-4", "indicator_count", 2, "total"),
        figure("X-1", "pie_count", 9, "something else"),  # not a rating: left out
        figure("X-2", "utilization", 9, "fully"),
    )
    totals = count_totals(assess_dataset(framework(*three_pies())))
    rows = compare_published(figures, totals)
    assert [(r.note, r.measure, r.published, r.computed, r.difference) for r in rows] == [
        ("fully", "pie_count", 2, 1, -1),
        ("not_achieved", "pie_count", 1, 2, 1),
        ("total", "pie_count", 4, 4, 0),
        ("total", "indicator_count", 2, 3, 1),
    ]
    assert compare_published((), totals) == ()


def test_a_mark_that_stands_for_one_rating_is_the_final_rating() -> None:
    marked = assess_pie(
        pie(K.AT_LEAST, {"threshold": 10}, actual=7, mark=NOT_ACHIEVED), marks=MARKS
    )
    assert (marked.computed, marked.published, marked.final) == (
        Rating.PARTIALLY,
        Rating.NOT_ACHIEVED,
        Rating.NOT_ACHIEVED,
    )
    assert marked.reading.text("en") == (
        "7 against a target of at least 10: partially achieved by the methodology; "
        "the report's rating is not achieved"
    )
    # a mark that stands for several ratings is only checked against
    dotted = assess_pie(pie(K.MILESTONE, mark=DOT), marks=MARKS)
    assert (dotted.published, dotted.final) == (None, Rating.NOT_ASSESSABLE)


def test_a_rating_read_from_the_performance_data_says_so() -> None:
    read = replace(
        pie(K.MILESTONE, mark=DOT, assessor=Rating.FULLY, justification="条约已通过"),
        assessor_basis=AssessorBasis.PERFORMANCE_TEXT,
    )
    assessed = assess_pie(read, marks=MARKS)
    assert (assessed.computed, assessed.final) == (Rating.NOT_ASSESSABLE, Rating.FULLY)
    assert assessed.reading.text("zh") == "条约已通过（完全实现，据绩效数据判断）"


def test_assessor_rating_is_final_only_with_a_justification() -> None:
    base = pie(K.AT_LEAST, {"threshold": 85}, actual=75, unit="%")
    justified = assess_pie(
        replace(
            base, assessor_rating=Rating.NOT_ACHIEVED, assessor_justification=Text.of(zh="理由")
        )
    )
    assert (justified.computed, justified.final, justified.assessor_accepted) == (
        Rating.PARTIALLY,
        Rating.NOT_ACHIEVED,
        True,
    )
    assert justified.explain("en").endswith("; assessor: not achieved (理由)")
    bare = assess_pie(replace(base, assessor_rating=Rating.FULLY))
    assert (bare.final, bare.assessor_accepted) == (Rating.PARTIALLY, False)
    assert "not used" in bare.explain("en")
    milestone = assess_pie(
        pie(K.MILESTONE, assessor=Rating.FULLY, justification="agreed work done")
    )
    assert (milestone.computed, milestone.final) == (Rating.NOT_ASSESSABLE, Rating.FULLY)


def test_not_comparable_footnotes() -> None:
    note = Footnote(
        "FN-8", FootnoteScope.PIE, "1.1-01.1", 8, FootnoteKind.NOT_COMPARABLE, Text.of(zh="x"), "S"
    )
    on_indicator = replace(note, id="FN-9", scope=FootnoteScope.INDICATOR, ref="1.2-01", number=9)
    growth = pie(K.GROWTH_PCT, {"pct": 20}, baseline=100, actual=105, id="1.1-01.1")
    count = pie(K.COUNT, {"count": 10}, actual=12, id="1.2-01.1", indicator="1.2-01")
    data = framework(growth, count, footnotes=(note, on_indicator))

    def ratings(m: Methodology) -> list[Rating]:
        return [a.computed for a in assess_dataset(data, m)]

    # by default only formulas that compare with the baseline are affected
    assert ratings(Methodology()) == [Rating.NOT_ASSESSABLE, Rating.FULLY]
    assert "footnote 8" in assess_dataset(data)[0].explain("en")
    all_ = Methodology(not_comparable=NotComparable.ALL)
    assert ratings(all_) == [Rating.NOT_ASSESSABLE, Rating.NOT_ASSESSABLE]
    ignore = Methodology(not_comparable=NotComparable.IGNORE)
    assert ratings(ignore) == [Rating.NOT_ACHIEVED, Rating.FULLY]  # 5 of 20 points: 25%


def test_report_view_model_is_json_ready() -> None:
    report = rating_report(
        framework(*three_pies(), published_figures=(figure("A", "pie_count", 4, "total"),))
    )
    payload = report.to_dict("zh")
    json.dumps(payload, ensure_ascii=False)
    first = payload["pies"][0]
    assert first["computed_rating"] == "partially"
    assert first["explanation"].endswith("部分实现；报告的评级：未实现")
    assert first["final_rating"] == "not_achieved"
    assert payload["totals"]["published"][0]["difference"] == "0"
    assert payload["totals"]["agreement"]["disagreements"] == ["1.1-01.1"]
