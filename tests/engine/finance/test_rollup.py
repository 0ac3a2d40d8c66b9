from __future__ import annotations

from decimal import Decimal as D
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.engine.finance.rollup import rollup

facts_strategy = st.lists(
    st.builds(
        BudgetFact,
        st.sampled_from(list(BudgetPhase)),
        st.none(),
        st.sampled_from(["pt", "bd", "un"]),
        st.sampled_from(["1.1", "3.2", None]),
        st.none(),
        st.none(),
        st.none(),
        st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False),
        st.sampled_from(list(Unit)),
        st.just("T"),
    ),
    max_size=30,
)


def test_rollup_by_sector_in_thousands() -> None:
    facts = [
        BudgetFact(
            BudgetPhase.EXECUTED, None, "pt", "2.1", None, None, None, D(1950), Unit.THOUSAND, "表4"
        ),
        BudgetFact(
            BudgetPhase.EXECUTED,
            None,
            "pt",
            "2.2",
            None,
            None,
            None,
            D("3.63"),
            Unit.MILLION,
            "表4",
        ),
        BudgetFact(
            BudgetPhase.EXECUTED, None, "bd", "2.1", None, None, None, D(3842000), Unit.ONE, "表4"
        ),
    ]
    assert rollup(facts, ("sector",)) == {("pt",): D("5580.00"), ("bd",): D(3842)}
    assert rollup(facts, ()) == {(): D("9422.00")}


def test_unknown_dimension() -> None:
    with pytest.raises(ValueError, match="colour"):
        rollup([], ("colour",))


@given(facts_strategy, st.randoms())
def test_rollups_are_additive_and_order_independent(facts: list[BudgetFact], rnd: Random) -> None:
    by_sector = rollup(facts, ("phase", "sector"))
    by_phase = rollup(facts, ("phase",))
    for (phase,), total in by_phase.items():
        assert sum((v for (p, _), v in by_sector.items() if p == phase), D(0)) == total
    shuffled = list(facts)
    rnd.shuffle(shuffled)
    assert rollup(shuffled, ("phase", "sector")) == by_sector
