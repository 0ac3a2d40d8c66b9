"""Reconciliation on small datasets: each check kind, its classes, and its invariants."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rbm.domain.enums import BudgetPhase, FigureUnit, SourceKind
from rbm.domain.money import round_half_up
from rbm.engine.reconcile.describe import describe
from rbm.engine.reconcile.findings import FindingClass
from rbm.engine.reconcile.run import reconcile
from rbm.engine.reconcile.settings import Settings
from tests.engine.reconcile.builders import dataset, fact, figure, sector, source
from tests.languages import LANGS


def classes(found: object) -> list[tuple[str, str]]:
    return [(f.check, f.klass.value) for f in found.findings]  # type: ignore[attr-defined]


def test_a_total_against_its_parts() -> None:
    data = dataset(
        fact("10", sector="a", result="1"),
        fact("20", sector="b", result="1"),
        figure("T-total", "30"),
        figure("T-a", "10", sector="a"),
    )
    result = reconcile(data)
    assert ("total", "exact") in classes(result)
    assert result.count(FindingClass.DIFFERENCE) == 0
    assert result.unchecked == ()


def test_rounding_is_told_apart_from_a_real_difference() -> None:
    near = reconcile(dataset(fact("10", sector="a"), fact("20", sector="b"), figure("T", "31")))
    far = reconcile(dataset(fact("10", sector="a"), fact("20", sector="b"), figure("T", "33")))
    # two rounded parts and a rounded total: up to 1.5 apart is rounding
    assert [f.klass for f in near.findings if f.check == "total"] == [FindingClass.ROUNDING]
    assert [f.klass for f in far.findings if f.check == "total"] == [FindingClass.DIFFERENCE]
    fixed = reconcile(
        dataset(fact("10", sector="a"), fact("20", sector="b"), figure("T", "33")),
        Settings(tolerance=Decimal(3)),
    )
    assert [f.klass for f in fixed.findings if f.check == "total"] == [FindingClass.ROUNDING]


def test_the_unallocated_line_joins_a_breakdown_that_leaves_it_out() -> None:
    data = dataset(
        fact("100", source="A4", phase=BudgetPhase.APPROVED, result="1"),
        fact("50", source="A4", phase=BudgetPhase.APPROVED, result="2"),
        fact("8", source="A4", phase=BudgetPhase.APPROVED, sector="un"),
        figure("A4-total", "158", source="A4", measure="budget", phase="approved"),
        figure("A4-sub", "150", source="A4", measure="budget", phase="approved", excludes="un"),
        sectors=(sector("a"), sector("un", unallocated=True)),
    )
    result = reconcile(data)
    totals = [(f.left.ref, f.klass.value) for f in result.findings if f.check == "total"]
    assert totals == [("A4-total", "exact"), ("A4-sub", "exact")]


def test_two_sources_of_the_same_cell_are_compared_once() -> None:
    data = dataset(
        fact("7", source="T4", sector="a", result="1"),
        fact("9", source="D", sector="a", result="1"),
    )
    pairs = [f for f in reconcile(data).findings if f.check == "fact_pair"]
    assert len(pairs) == 1
    assert pairs[0].klass == FindingClass.DIFFERENCE
    assert {pairs[0].left.source, pairs[0].right.source} == {"T4", "D"}


def test_dashboards_of_one_section_form_one_table() -> None:
    sources = (
        source("三", SourceKind.SECTION),
        source("三-a", SourceKind.DASHBOARD, "三"),
        source("三-b", SourceKind.DASHBOARD, "三"),
    )
    data = dataset(
        fact("7", source="三-a", sector="a", result="1"),
        fact("5", source="三-b", sector="b", result="1"),
        fact("12", source="A4", result="1"),
        sources=sources,
    )
    pairs = [f for f in reconcile(data).findings if f.check == "fact_pair"]
    assert [(f.left.source, f.right.source, f.klass.value) for f in pairs] == [
        ("A4", "三", "exact")
    ]


def test_a_source_covering_part_of_the_sectors_is_not_compared_with_a_total() -> None:
    data = dataset(
        fact("7", source="X", sector="a"),
        fact("5", source="Y", sector="a"),
        fact("3", source="Y", sector="b"),
        figure("Z-total", "8", source="Z"),
    )
    cross = [f for f in reconcile(data).findings if f.check == "cross_source"]
    assert [(f.right.source, f.klass.value) for f in cross] == [("Y", "exact")]


def test_utilization_and_the_capped_display() -> None:
    data = dataset(
        fact("90", phase=BudgetPhase.ADJUSTED, sector="a"),
        fact("81", sector="a"),
        fact("70", phase=BudgetPhase.ADJUSTED, sector="b"),
        fact("90", sector="b"),
        figure("u-a", "90", measure="utilization", phase=None, sector="a", unit=FigureUnit.PERCENT),
        figure(
            "u-b",
            "100",
            measure="utilization",
            phase=None,
            sector="b",
            unit=FigureUnit.PERCENT,
            note=">100%",
        ),
    )
    found = {
        f.left.ref: f.klass.value for f in reconcile(data).findings if f.check == "utilization"
    }
    assert found == {"u-a": "exact", "u-b": "exact"}


amounts = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12)


@settings(max_examples=50, deadline=None)
@given(amounts, st.randoms())
def test_totals_printed_from_exact_parts_always_reconcile(
    values: list[int], rnd: random.Random
) -> None:
    """Rollups are additive and order-independent: parts given to 0.001 and rounded totals
    printed from them never show a real difference, whatever the order of the facts."""
    facts = [
        fact(str(Decimal(v) / 1000), sector=f"s{i % 3}", result=f"r{i % 4}")
        for i, v in enumerate(values)
    ]
    total = sum((f.amount for f in facts), Decimal(0))
    by_sector: dict[str, Decimal] = {}
    for f in facts:
        by_sector[f.sector or ""] = by_sector.get(f.sector or "", Decimal(0)) + f.amount
    figures = [figure("T", str(round_half_up(total, 3)))] + [
        figure(f"T-{s}", str(round_half_up(v, 3)), sector=s) for s, v in by_sector.items()
    ]
    first = reconcile(dataset(*facts, *figures))
    rnd.shuffle(facts)
    second = reconcile(dataset(*facts, *figures))
    assert first.count(FindingClass.DIFFERENCE) == 0
    assert first.summary() == second.summary()


def test_a_measure_and_phase_the_catalogue_lacks_are_described_by_their_codes() -> None:
    data = dataset(
        figure("A", "10", source="A", measure="visits", phase="q3"),
        figure("B", "12", source="B", measure="visits", phase="q3"),
    )
    (finding,) = reconcile(data).findings
    assert finding.check == "published_pair"
    assert [describe(data, finding.subject, lang) for lang in LANGS] == ["visits · q3"] * 2
