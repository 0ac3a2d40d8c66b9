"""Budget transfers between sectors and the limit a package's transfer rule sets on them
(WIPO's Financial Regulation 3.4 is one: the larger of 5% of the receiving sector's budget and
1% of the total; the percentages are the package's `rbm.transfer_rule`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import Unit
from rbm.domain.finance import Transfer
from rbm.domain.money import convert
from rbm.domain.settings import TransferBasis, TransferRule
from rbm.engine.finance.ratios import percent


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
    """A sector whose transfers exceed the limit on the chosen basis."""

    sector: str
    basis: TransferBasis
    amount: Decimal
    limit: Decimal
    sector_limit: Decimal  # the sector share of its biennial allotment
    total_limit: Decimal  # the total share of the total budget


@dataclass(frozen=True)
class TransferLimit:
    """A transfer into a sector may not exceed the larger of `sector_share` of the sector's
    allotment and `total_share` of the total budget, compared on `basis`."""

    sector_share: Decimal
    total_share: Decimal
    basis: TransferBasis = TransferBasis.NET

    @classmethod
    def of(cls, rule: TransferRule) -> TransferLimit:
        """The limit a package's rule sets (its percentages as shares)."""
        return cls(rule.sector_pct / 100, rule.total_pct / 100, TransferBasis(rule.basis))

    def limit(self, approved: Decimal, total: Decimal) -> Decimal:
        """The limit of a sector with `approved` out of `total`."""
        return max(approved * self.sector_share, total * self.total_share)


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


def breaches(
    lines: Sequence[TransferLine],
    approved: Mapping[str, Decimal],
    basis: TransferBasis,
    rule: TransferLimit,
) -> list[Breach]:
    """Every sector whose transfers in (gross) or net transfers exceed its limit."""
    total = sum(approved.values(), Decimal(0))
    total_limit = total * rule.total_share
    found = []
    for line in lines:
        sector_limit = approved.get(line.sector, Decimal(0)) * rule.sector_share
        limit = max(sector_limit, total_limit)
        amount = line.transfers_in if basis == TransferBasis.GROSS else line.net
        if amount > limit:
            found.append(Breach(line.sector, basis, amount, limit, sector_limit, total_limit))
    return found
