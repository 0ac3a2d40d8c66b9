from __future__ import annotations

from decimal import Decimal as D

import pytest

from rbm.domain.enums import DeliverableStatus, ProjectCategory, ReportKind, Unit
from rbm.domain.projects import CapitalProject, Deliverable, TrustFund
from rbm.domain.text import Text
from rbm.engine.projects import (
    deliverable_utilization,
    fund_figures,
    project_figures,
    status_distribution,
    total_figures,
    weighted_progress,
)

EMPTY = Text.of(zh="", en="")


def project(
    budget: str, prior: str, current: str, category: ProjectCategory = ProjectCategory.ICT
) -> CapitalProject:
    return CapitalProject(
        "CMP 1", 1, Text.of(zh="p", en="p"), category, ReportKind.PROGRESS, None,
        D(budget), D(prior), D(current),
        False, False, None, None, None, EMPTY, EMPTY, EMPTY, EMPTY, Unit.THOUSAND, "附件十五",
    )  # fmt: skip


def deliverable(
    status: DeliverableStatus,
    budget: str | None,
    adjusted: str | None,
    spent: str | None,
    progress: str | None,
) -> Deliverable:
    return Deliverable(
        "CMP 1", "D1", 1, Text.of(zh="d", en="d"), status,
        None if budget is None else D(budget), None if adjusted is None else D(adjusted),
        None if spent is None else D(spent), None if progress is None else D(progress),
        Unit.ONE, "附件十五",
    )  # fmt: skip


def test_summary_line_of_cmp_36() -> None:
    # 附件十五: 7,531 budget, 4,722 to end 2023, 2,700 in 2024/25 → 7,422, 109 left, 99%
    f = project_figures(project("7531", "4722", "2700"))
    assert (f.expenditure, f.remaining, f.utilization) == (D(7422), D(109), D(99))


def test_totals_use_the_sums() -> None:
    t = total_figures("x", [project("100", "10", "20"), project("300", "0", "30")])
    assert (t.budget, t.expenditure, t.remaining, t.utilization) == (D(400), D(60), D(340), D(15))


@pytest.mark.parametrize(
    ("budget", "adjusted", "spent", "expected"),
    [
        ("1274380", "600126", "637469", D(106)),
        ("9945000", None, "6572092", D(66)),
        (None, None, "5", None),
    ],
)
def test_deliverable_utilization_is_on_the_adjusted_budget(
    budget: str | None, adjusted: str | None, spent: str, expected: D | None
) -> None:
    assert (
        deliverable_utilization(
            deliverable(DeliverableStatus.COMPLETED, budget, adjusted, spent, None)
        )
        == expected
    )


def test_weighted_progress_and_status_distribution() -> None:
    items = [
        deliverable(DeliverableStatus.COMPLETED, "100", "100", "100", "100"),
        deliverable(DeliverableStatus.IN_PROGRESS, "300", "300", "30", "20"),
        deliverable(DeliverableStatus.PLANNED, None, None, None, None),
    ]
    assert weighted_progress(items) == D("40.0")  # (100 × 100 + 20 × 300) ÷ 400
    counts = status_distribution(items)
    assert counts[DeliverableStatus.COMPLETED] == 1 and counts[DeliverableStatus.REMOVED] == 0
    assert weighted_progress(items[2:]) is None


def test_trust_fund_identity_and_admin_rate() -> None:
    # WAUS4 (附件十四): 444,499.01 + 533,346.03 − 280,106.34 = 697,738.70
    AUSTRALIA = Text.of(zh="澳大利亚", en="Australia")
    fund = TrustFund(
        "WAUS4", AUSTRALIA, AUSTRALIA, "rnd",
        D("444499.01"), D("530386.76"), D("2959.27"), D(0), D(0), D("247881.72"), D("32224.62"),
        D("697738.70"), Unit.ONE, "附件十四",
    )  # fmt: skip
    f = fund_figures(fund)
    assert (f.income, f.expenditure, f.closing, f.difference) == (
        D("533346.03"),
        D("280106.34"),
        D("697738.70"),
        D(0),
    )
    assert f.admin_rate == D("13.0")
