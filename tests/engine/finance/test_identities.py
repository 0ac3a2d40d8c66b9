"""The identities the package's financial lines state in their formulas."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rbm.datapackage.package import read_package
from rbm.datasets import embedded
from rbm.domain.finance import FinancialLine
from rbm.domain.text import Text
from rbm.engine.finance.identities import Identity, evaluate, identities, parse


@pytest.fixture(scope="module")
def stated() -> tuple[Identity, ...]:
    path = embedded("wipo-2024-25")
    assert path is not None
    dataset = read_package(path).dataset
    assert dataset is not None
    return identities(dataset.financial_lines)


def identity(stated: tuple[Identity, ...], total: str, parts: tuple[str, ...]) -> Identity:
    return next(i for i in stated if i.total == total and tuple(p for p, _ in i.parts) == parts)


def test_a_formula_states_one_identity_per_alternative() -> None:
    assert parse("t", "a + b - c; - x + y") == (
        Identity("t", (("a", 1), ("b", 1), ("c", -1))),
        Identity("t", (("x", -1), ("y", 1))),
    )
    for wrong in ("a +", "a b", "a + + b", "a * b", ""):
        assert isinstance(parse("t", wrong), str), wrong


def test_lines_without_a_formula_state_nothing() -> None:
    lines = [
        FinancialLine("income", Text.plain("Income"), 1, "S"),
        FinancialLine("result", Text.plain("Result"), 2, "S", "income - spent"),
    ]
    assert identities(lines) == (Identity("result", (("income", 1), ("spent", -1))),)


def test_operating_result_is_income_minus_expenditure(stated: tuple[Identity, ...]) -> None:
    found = identity(stated, "operating_result", ("income", "expenditure_after_ipsas"))
    assert evaluate(found, {"income": D("976.4"), "expenditure_after_ipsas": D("832.2")}) == D(
        "144.2"
    )
    assert evaluate(found, {"income": D(1)}) is None  # a missing part gives nothing


def test_net_assets_chain_of_the_key_financial_data(stated: tuple[Identity, ...]) -> None:
    lines = {
        "net_assets_opening_excl_actuarial": D("838.6"),
        "actuarial_opening": D("-233.4"),
        "surplus": D("224.5"),
        "actuarial_closing": D("-178.8"),
    }
    opening = identity(
        stated, "net_assets_opening", ("net_assets_opening_excl_actuarial", "actuarial_opening")
    )
    assert evaluate(opening, lines) == D("605.2")
    closing_excl = identity(
        stated,
        "net_assets_closing_excl_actuarial",
        ("net_assets_opening_excl_actuarial", "surplus"),
    )
    computed = evaluate(closing_excl, lines)
    assert computed == D("1063.1")
    lines["net_assets_closing_excl_actuarial"] = computed
    closing = identity(
        stated, "net_assets_closing", ("net_assets_closing_excl_actuarial", "actuarial_closing")
    )
    assert evaluate(closing, lines) == D("884.3")
