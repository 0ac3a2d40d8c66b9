"""The ledger's index: a claim finds exactly the facts a scan of every fact would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rbm.domain.enums import BudgetPhase
from rbm.engine.reconcile.ledger import Ledger
from tests.engine.reconcile.builders import dataset, fact

PHASES = (BudgetPhase.APPROVED, BudgetPhase.EXECUTED)
maybe = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
facts = st.lists(
    st.tuples(st.integers(0, 99), st.sampled_from(PHASES), maybe, maybe, maybe), max_size=30
)
claims = st.dictionaries(st.sampled_from(["sector", "result", "cost_category"]), maybe, max_size=3)


@settings(max_examples=60, deadline=None)
@given(facts, st.sampled_from(PHASES), claims)
def test_indexed_matching_equals_a_scan_of_every_fact(
    rows: list[tuple[int, BudgetPhase, str | None, str | None, str | None]],
    phase: BudgetPhase,
    claim: dict[str, str | None],
) -> None:
    measure = "budget" if phase == BudgetPhase.APPROVED else "expenditure"
    dims = {k: v for k, v in claim.items() if v is not None}
    ledger = Ledger(dataset(*(fact(str(n), "T", p, s, r, c) for n, p, s, r, c in rows)))
    scanned = [
        f
        for f in ledger.by_measure.get((measure, phase.value), [])
        if ledger._matches(f, measure, dims)
    ]
    assert list(ledger.matching(measure, phase.value, dims)) == scanned
    assert ledger.matching(measure, phase.value, dims) is ledger.matching(
        measure, phase.value, dims
    )
