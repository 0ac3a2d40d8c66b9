"""Seed-backed finance checks: the engine recomputes the report's totals and percentages,
and the reconciliation's real differences are exactly the ones the source contains."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rbm.domain.dataset import Dataset
from rbm.domain.settings import TransferBasis
from rbm.engine.headlines import headlines
from rbm.engine.reconcile.findings import Finding, FindingClass, Reconciliation
from rbm.engine.reconcile.run import reconcile
from rbm.engine.transfers_report import transfer_report


@pytest.fixture(scope="module")
def result(wipo: Dataset) -> Reconciliation:
    return reconcile(wipo)


def key(f: Finding) -> tuple[str, str, str, str, str]:
    return (
        f.check,
        f.subject.get("item")
        or f.subject.get("sector")
        or f.subject.get("source")
        or f.subject.get("pie")
        or "",
        f.left.source,
        f.right.source,
        str(f.difference),
    )


# Each real difference of the source, with why it is one (see docs/reconciliation.md).
EXPECTED_DIFFERENCES = {
    # 表5, 附件一 and 附件四 give the unallocated final budget as 4,008; 表6 as 554 + 3,188
    ("cross_source", "un", "附件一", "表6", "266"),
    ("fact_pair", "un", "表5", "表6", "266"),
    ("fact_pair", "un", "附件四", "表6", "266"),
    # 表3 prints 83,654 Madrid renewals; the yearly figures are 40,455 + 43,209 = 83,664
    ("demand_by_year", "renewals", "表3", "二-支柱3, 附件九", "-10"),
    # 表6's utilization reproduces on the P&B (20 of 28), not on the final budget (2)
    ("utilization_basis", "表6", "表6", "表6", "18"),
    # 附件六: special accounts and reserve-funded project budgets appear only in the 合计 column
    ("total", "net_assets_opening_excl_actuarial", "附件六", "附件六", "113"),
    ("published_parts", "net_assets_opening_excl_actuarial", "附件六", "附件六", "113"),
    ("fact_pair", "net_assets_opening_excl_actuarial", "表1", "附件六", "133.0"),
    ("published_parts", "net_assets_closing_excl_actuarial", "附件六", "附件六", "108"),
    ("published_parts", "net_assets_closing", "附件六", "附件六", "108"),
    ("published_parts", "surplus", "附件六", "附件六", "-5"),
    ("published_parts", "special_accounts_net", "附件六", "附件六", "-5"),
    ("published_parts", "reserve_projects_after_ipsas", "附件六", "附件六", "14853"),
    ("published_parts", "surplus_excl_special_accounts", "附件六", "附件六", "-14854"),
    # CMP 36: the summary's 99% is on the original budget, the report's 100% on the adjusted one
    ("project_utilization_basis", "CMP 36", "附件十五", "附件十五", "-1"),
    # narratives: five technology transfers where the PIE reports none; 68 organizations
    # using WIPO Connect where the PIE (and its regional rows) count 69
    ("narrative_figure", "3.3-03.1", "二-支柱3", "二-支柱3", "5"),
    ("narrative_figure", "4.4-03.1", "二-支柱4", "二-支柱4", "-1"),
}


def test_real_differences_are_exactly_the_known_ones(result: Reconciliation) -> None:
    found = {key(f) for f in result.findings if f.klass == FindingClass.DIFFERENCE}
    assert found == EXPECTED_DIFFERENCES


def test_several_hundred_checks_mostly_exact(result: Reconciliation) -> None:
    summary = result.summary()
    assert summary["checks"] > 1000
    assert summary["exact"] > summary["rounding"] > summary["differences"]


def test_annex_1_platforms_net_is_a_rounding_difference(result: Reconciliation) -> None:
    """附件一 prints 3,785 for 基础设施和平台: in 4,171 − out 385 = 3,786."""
    (found,) = [
        f for f in result.findings if f.check == "transfers" and f.subject.get("sector") == "ip"
    ]
    assert (found.left.value, found.right.value) == (Decimal(3785), Decimal(3786))
    assert found.klass == FindingClass.ROUNDING


def test_table_4_row_sums_off_by_one_are_rounding(result: Reconciliation) -> None:
    """表4 prints 28,901 for 4.2; its cells add up to 28,902."""
    (row,) = [
        f
        for f in result.findings
        if f.check == "total" and f.left.ref == "B-T4-row-4.2" and f.right.source == "表4"
    ]
    assert (row.left.value, row.right.value, row.klass) == (
        Decimal(28901),
        Decimal(28902),
        FindingClass.ROUNDING,
    )


def test_every_sector_utilization_reproduces_exactly(result: Reconciliation) -> None:
    """Utilization = expenditure ÷ final budget, half up: 表5, 附件四, every dashboard."""
    found = [
        f
        for f in result.findings
        if f.check == "utilization"
        and (f.left.source in ("表5", "附件四") or f.left.source.startswith("三-"))
    ]
    assert len(found) >= 24 + 16
    assert {f.klass for f in found} == {FindingClass.EXACT}


def test_table_6_percentages_reproduce_on_the_approved_budget(result: Reconciliation) -> None:
    table6 = [f for f in result.findings if f.check == "utilization" and f.left.source == "表6"]
    assert table6 and all(f.params["basis"] == "approved" for f in table6)
    assert {f.klass for f in table6} == {FindingClass.EXACT}


def test_fr34_gross_transfers_into_patents_and_unallocated_exceed_the_limit(wipo: Dataset) -> None:
    report = transfer_report(wipo)
    gross = {b.sector: b.amount for b in report.breaches[TransferBasis.GROSS]}
    assert gross == {"pt": Decimal(24264), "un": Decimal(16634)}
    assert report.breaches[TransferBasis.NET] == ()


def test_headline_figures_match_table_1(wipo: Dataset) -> None:
    heads = headlines(wipo)
    # operating result: 976.4 − (449.4 + 329.0 + 53.9) = 144.1 (表1 prints 144.1)
    assert heads.lines["operating_result"] == Decimal("144100.0")
    assert heads.lines["net_assets_closing"] == Decimal("884300.0")
    # expenditure from the sector dashboards, utilization against the final budget
    assert heads.executed == Decimal(778365)
    assert heads.utilization == Decimal(91)


def test_capital_master_plan_and_trust_funds(result: Reconciliation) -> None:
    """The CMP's 2024/25 expenditure (23,568) against 附件六's reserve-funded projects, and
    every trust fund's balance to the centime."""
    (cmp,) = [f for f in result.findings if f.check == "cmp_reserve_projects"]
    assert cmp.left.value == Decimal(23568)
    funds = [f for f in result.findings if f.check == "trust_fund_balance"]
    assert len(funds) == 26
    assert {f.klass for f in funds} == {FindingClass.EXACT}
