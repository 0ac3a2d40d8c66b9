"""Budget transfers between sectors and the Financial Regulation 3.4 limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rbm.domain.enums import Unit
from rbm.domain.finance import Transfer
from rbm.domain.money import convert
from rbm.engine.finance.ratios import percent


class TransferBasis(StrEnum):
    """What FR 3.4's limit is compared with; the regulation does not say."""

    NET = "net"  # transfers in − transfers out
    GROSS = "gross"  # transfers in


@dataclass(frozen=True)
class TransferLine:
    sector: str
    transfers_in: Decimal
    transfers_out: Decimal
    net: Decimal
    pct_sector: Decimal | None  # net ÷ the sector's P&B, one decimal
    pct_total: Decimal | None  # net ÷ the total P&B, one decimal


@dataclass(frozen=True)
class Breach:
    """A sector whose transfers exceed the FR 3.4 limit on the chosen basis."""

    sector: str
    basis: TransferBasis
    amount: Decimal
    limit: Decimal
    sector_limit: Decimal  # 5% of the sector's biennial allotment
    total_limit: Decimal  # 1% of the total budget


@dataclass(frozen=True)
class Fr34Rule:
    """5% of the receiving sector's allotment or 1% of the total budget, whichever is higher."""

    sector_share: Decimal = Decimal("0.05")
    total_share: Decimal = Decimal("0.01")


def transfer_lines(
    transfers: Sequence[Transfer], approved: Mapping[str, Decimal], unit: Unit = Unit.THOUSAND
) -> list[TransferLine]:
    """In, out and net per sector, with net as a percentage of the sector's and the total P&B."""
    total = sum(approved.values(), Decimal(0))
    lines = []
    for t in transfers:
        t_in = convert(t.transfers_in, t.unit, unit)
        t_out = convert(t.transfers_out, t.unit, unit)
        net = t_in - t_out
        lines.append(
            TransferLine(
                t.sector,
                t_in,
                t_out,
                net,
                percent(net, approved.get(t.sector, Decimal(0)), 1),
                percent(net, total, 1),
            )
        )
    return lines


def fr34_breaches(
    lines: Sequence[TransferLine],
    approved: Mapping[str, Decimal],
    basis: TransferBasis,
    rule: Fr34Rule = Fr34Rule(),
) -> list[Breach]:
    """Every sector whose transfers in (gross) or net transfers exceed its FR 3.4 limit."""
    total = sum(approved.values(), Decimal(0))
    total_limit = total * rule.total_share
    breaches = []
    for line in lines:
        sector_limit = approved.get(line.sector, Decimal(0)) * rule.sector_share
        limit = max(sector_limit, total_limit)
        amount = line.transfers_in if basis == TransferBasis.GROSS else line.net
        if amount > limit:
            breaches.append(Breach(line.sector, basis, amount, limit, sector_limit, total_limit))
    return breaches
