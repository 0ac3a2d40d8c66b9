from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import Unit
from rbm.domain.finance import Transfer
from rbm.domain.settings import TransferBasis
from rbm.engine.finance.transfers import TransferLimit, breaches, transfer_lines

APPROVED = {
    "pt": D("214036"),
    "ip": D("41810"),
    "un": D("8171"),
    "afm": D("593283"),
}  # total 857,300
FR34 = TransferLimit(D("0.05"), D("0.01"))  # WIPO's rule, as its package states it


def transfer(sector: str, t_in: str, t_out: str, unit: Unit = Unit.THOUSAND) -> Transfer:
    return Transfer(sector, D(t_in), D(t_out), unit, "附件一")


def test_lines_and_percentages() -> None:
    lines = transfer_lines(
        [transfer("pt", "24264", "15050"), transfer("ip", "4171", "385")], APPROVED
    )
    pt, ip = lines
    assert (pt.net, pt.pct_sector, pt.pct_total) == (D("9214"), D("4.3"), D("1.1"))
    assert (ip.net, ip.pct_sector) == (D("3786"), D("9.1"))


def test_units_are_converted() -> None:
    (line,) = transfer_lines([transfer("ip", "4171000", "385000", Unit.ONE)], APPROVED)
    assert line.net == D("3786")


def test_the_limit_is_the_higher_of_the_sector_and_the_total_share() -> None:
    lines = transfer_lines(
        [transfer("pt", "24264", "15050"), transfer("un", "16634", "20797")], APPROVED
    )
    gross = breaches(lines, APPROVED, TransferBasis.GROSS, FR34)
    # pt: 5% of 214,036 = 10,701.8 > 1% of 857,300 = 8,573; un: 1% wins over 5% of 8,171
    assert [(b.sector, b.limit) for b in gross] == [("pt", D("10701.80")), ("un", D("8573.00"))]
    assert breaches(lines, APPROVED, TransferBasis.NET, FR34) == []


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=9))
def test_transfers_net_to_zero_across_sectors(amounts: list[int]) -> None:
    """Money moved out of one sector goes into the next: the nets cancel out."""
    sectors = [f"s{i}" for i in range(len(amounts))]
    transfers = [
        Transfer(s, D(amounts[i - 1]), D(amounts[i]), Unit.THOUSAND, "x")
        for i, s in enumerate(sectors)
    ]
    lines = transfer_lines(transfers, {s: D(1000) for s in sectors})
    assert sum((line.net for line in lines), D(0)) == 0


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_more_transfer_never_removes_a_breach(base: int, extra: int) -> None:
    approved = {"a": D(100000), "b": D(100000)}
    small = transfer_lines([Transfer("a", D(base), D(0), Unit.THOUSAND, "x")], approved)
    large = transfer_lines([Transfer("a", D(base + extra), D(0), Unit.THOUSAND, "x")], approved)
    for basis in TransferBasis:
        if breaches(small, approved, basis, FR34):
            assert breaches(large, approved, basis, FR34)
