"""A report whose executed figures come from an expenditure ledger cites it by name."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from rbm.datapackage.package import read_package
from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.ledger import LEDGER_SOURCE
from rbm.report.build.context import Context
from rbm.report.build.report import cited_sources

NORTHWIND = Path(__file__).resolve().parents[3] / "examples" / "northwind-2026-28"


def test_the_ledger_is_cited_and_rolled_up() -> None:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    assert LEDGER_SOURCE not in dict(cited_sources(dataset))
    sector = dataset.sectors[0].code
    facts = tuple(
        BudgetFact(
            BudgetPhase.EXECUTED,
            year,
            sector,
            None,
            None,
            None,
            "regular",
            Decimal(amount),
            Unit.ONE,
            LEDGER_SOURCE,
        )
        for year, amount in ((2026, "1500.5"), (2027, "499.5"))
    )
    with_ledger = replace(dataset, ledger_facts=facts)
    cited = dict(cited_sources(with_ledger))
    assert cited[LEDGER_SOURCE].get("en") == "Expenditure ledger"
    assert cited[LEDGER_SOURCE].get("fr") == "Grand livre des dépenses"
    cube = Context(with_ledger).cube
    cell = cube.cell(BudgetPhase.EXECUTED, {"sector": sector, "funding": "regular"})
    assert cell.value == Decimal("2.000") and LEDGER_SOURCE in cell.sources
