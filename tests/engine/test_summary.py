from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.engine.summary import summarize
from tests.strategies import BIENNIUM


def fact(
    amount: str,
    unit: Unit = Unit.THOUSAND,
    sector: str | None = "a",
    result: str | None = None,
    source: str = "T",
) -> BudgetFact:
    return BudgetFact(
        BudgetPhase.EXECUTED, None, sector, result, None, None, None, Decimal(amount), unit, source
    )


def test_totals_are_per_source_phase_and_grain() -> None:
    dataset = Dataset(
        BIENNIUM,
        budget_facts=(
            fact("1.5"),
            fact("2", Unit.MILLION, sector="b"),
            fact("7", result="1.1"),  # a finer grain: not added to the sector-only facts
            fact("3", source="U"),
        ),
    )
    totals = {(g.source, g.grain): (g.facts, g.total) for g in summarize(dataset).totals}
    assert totals == {
        ("T", ("sector",)): (2, Decimal("2001.5")),
        ("T", ("sector", "result")): (1, Decimal("7")),
        ("U", ("sector",)): (1, Decimal("3")),
    }


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False), max_size=20))
def test_totals_do_not_depend_on_order(amounts: list[Decimal]) -> None:
    facts = tuple(fact(str(a)) for a in amounts)
    forward = summarize(Dataset(BIENNIUM, budget_facts=facts)).totals
    backward = summarize(Dataset(BIENNIUM, budget_facts=facts[::-1])).totals
    assert forward == backward
    assert sum((g.total for g in forward), Decimal(0)) == sum(amounts, Decimal(0))


def test_counts_of_the_embedded_dataset(wipo_path: Path) -> None:
    dataset = read_package(wipo_path).dataset
    assert dataset is not None
    counts = summarize(dataset).counts
    assert (counts["pillars"], counts["results"], counts["sectors"]) == (5, 16, 9)
