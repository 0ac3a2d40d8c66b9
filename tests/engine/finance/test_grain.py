"""Cells found by grain: stored figures win, rollups sum one breakdown, never two."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.engine.finance.grain import ANY, Cube

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


class _Scanning(Cube):
    """The cube without its index: every fact of the phase is a candidate."""

    def _candidates(self, phase: BudgetPhase, wanted: Mapping[str, object]) -> Sequence[BudgetFact]:
        return self._by_phase.get(phase, [])


_CODES = {
    "sector": st.sampled_from([None, "a", "b", "c"]),
    "result": st.sampled_from([None, "1.1", "1.2", "2.1"]),
    "cost_category": st.sampled_from([None, "staff", "staff.perm", "travel", "loop"]),
    "year": st.sampled_from([None, 2024, 2025]),
}
_FACTS = st.lists(
    st.builds(
        lambda phase, year, sector, result, cost, amount, source: BudgetFact(
            phase, year, sector, result, cost, None, None, Decimal(amount), Unit.ONE, source
        ),
        st.sampled_from([BudgetPhase.APPROVED, BudgetPhase.EXECUTED]),
        _CODES["year"],
        _CODES["sector"],
        _CODES["result"],
        _CODES["cost_category"],
        st.integers(-1000, 1000),
        st.sampled_from(["s1", "s2", "dash-a"]),
    ),
    max_size=40,
)
_ASKED = {
    "sector": ["a", "b", ANY],
    "result": ["1.1", "2.1", ANY],
    "cost_category": ["staff", "loop", "staff.perm", ANY],
    "year": [2024, "2025", ANY],
    "pillar": ["1", "2", ANY],
}
_GRAINS = st.lists(
    st.sampled_from([(dim, value) for dim, values in _ASKED.items() for value in values]),
    max_size=3,
).map(dict)


@settings(max_examples=300)
@given(_FACTS, _GRAINS, st.sampled_from([(), ("dash-*",), ("s2", "s1")]), st.booleans())
def test_the_index_finds_what_a_scan_of_every_fact_finds(
    facts: list[BudgetFact], grain: dict[str, object], prefer: tuple[str, ...], only: bool
) -> None:
    parents: dict[str, dict[str, str | None]] = {
        # a cycle (loop → staff → loop) must not count a fact twice
        "cost_category": {"staff.perm": "staff", "staff": "loop", "loop": "staff"},
        "pillar": {"1.1": "1", "1.2": "1", "2.1": "2"},
    }
    for phase in (BudgetPhase.APPROVED, BudgetPhase.EXECUTED):
        indexed = Cube(tuple(facts), parents).cell(phase, grain, prefer, only)
        scanned = _Scanning(tuple(facts), parents).cell(phase, grain, prefer, only)
        assert indexed == scanned
