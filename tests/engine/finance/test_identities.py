from __future__ import annotations

from decimal import Decimal as D

from rbm.engine.finance.identities import IDENTITIES, Identity, evaluate


def identity(total: str, parts: tuple[str, ...]) -> Identity:
    return next(i for i in IDENTITIES if i.total == total and tuple(p for p, _ in i.parts) == parts)


def test_operating_result_is_income_minus_expenditure() -> None:
    found = identity("operating_result", ("income", "expenditure_after_ipsas"))
    assert evaluate(found, {"income": D("976.4"), "expenditure_after_ipsas": D("832.2")}) == D(
        "144.2"
    )


def test_a_missing_part_gives_nothing() -> None:
    found = identity("operating_result", ("income", "expenditure_after_ipsas"))
    assert evaluate(found, {"income": D(1)}) is None


def test_net_assets_chain_of_table_1() -> None:
    lines = {
        "net_assets_opening_excl_actuarial": D("838.6"),
        "actuarial_opening": D("-233.4"),
        "surplus": D("224.5"),
        "actuarial_closing": D("-178.8"),
    }
    opening = identity(
        "net_assets_opening", ("net_assets_opening_excl_actuarial", "actuarial_opening")
    )
    assert evaluate(opening, lines) == D("605.2")
    closing_excl = identity(
        "net_assets_closing_excl_actuarial", ("net_assets_opening_excl_actuarial", "surplus")
    )
    computed = evaluate(closing_excl, lines)
    assert computed == D("1063.1")
    lines["net_assets_closing_excl_actuarial"] = computed
    closing = identity(
        "net_assets_closing", ("net_assets_closing_excl_actuarial", "actuarial_closing")
    )
    assert evaluate(closing, lines) == D("884.3")
