"""Cells found by grain: stored figures win, rollups sum one breakdown, never two."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.engine.finance.grain import Cube

P = BudgetPhase.EXECUTED


def fact(
    sector: str | None,
    result: str | None,
    amount: int,
    source: str = "ledger",
    category: str | None = None,
) -> BudgetFact:
    return BudgetFact(
        P, None, sector, result, category, None, None, Decimal(amount), Unit.THOUSAND, source
    )


def test_a_stored_figure_at_the_grain_is_printed_as_stored() -> None:
    cube = Cube((fact("a", "1", 5), fact("a", "2", 7), fact("a", None, 13, "printed")))
    cell = cube.cell(P, {"sector": "a"})
    assert (cell.value, cell.how, cell.sources) == (Decimal(13), "stored", ("printed",))


def test_overlapping_breakdowns_are_not_added_together() -> None:
    by_result = (fact("a", "1", 5), fact("a", "2", 7))
    by_category = (fact("a", None, 4, "costs", "A"), fact("a", None, 8, "costs", "B"))
    cube = Cube(by_result + by_category)
    assert cube.cell(P, {}).value == Decimal(12)
    assert cube.cell(P, {}, prefer=["costs"]).sources == ("costs",)


def test_a_pattern_joins_the_sources_it_matches_into_one_breakdown() -> None:
    cube = Cube((fact("a", "1", 5, "dash-a"), fact("b", "1", 7, "dash-b"), fact("a", "1", 1)))
    assert cube.cell(P, {"result": "1"}, prefer=["dash-*"]).value == Decimal(12)


def test_hierarchies_roll_leaves_up_to_parents_and_results_to_pillars() -> None:
    parents = {"cost_category": {"S": None, "S.1": "S", "S.2": "S"}, "pillar": {"1": "P"}}
    cube = Cube((fact("a", "1", 5, category="S.1"), fact("a", "1", 7, category="S.2")), parents)
    assert cube.cell(P, {"cost_category": "S"}).value == Decimal(12)
    assert cube.cell(P, {"pillar": "P", "sector": "a"}).value == Decimal(12)
    assert cube.cell(P, {"pillar": "Q"}).how == "none"


ledgers = st.lists(
    st.tuples(st.sampled_from("abc"), st.sampled_from("123"), st.integers(-(10**6), 10**6)),
    max_size=30,
)


@given(ledgers)
def test_a_ledger_rolls_up_to_the_sum_of_its_rows_at_every_grain(
    rows: list[tuple[str, str, int]],
) -> None:
    cube = Cube(tuple(fact(s, r, v) for s, r, v in rows))
    for sector in "abc":
        expected = sum(v for s, _, v in rows if s == sector)
        cell = cube.cell(P, {"sector": sector})
        assert cell.value == (Decimal(expected) if any(s == sector for s, _, _ in rows) else None)
    total = sum(cube.cell(P, {"sector": s}).value or Decimal(0) for s in "abc")
    assert cube.cell(P, {}).value in (total, None)
