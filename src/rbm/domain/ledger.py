"""Expenditure ledger lines: the transactions of an ERP ledger, the finest grain of spending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Ledger amounts are kept as whole ten-thousandths of the currency: exact integers that
# every backend sums natively, enough for currencies of three decimals.
AMOUNT_DECIMALS = 4
AMOUNT_SCALE = 10**AMOUNT_DECIMALS
# the source of the executed facts summed from a ledger: the resource's own name
LEDGER_SOURCE = "expenditure_ledger"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One posting: what was spent, when, by which sector, for which result and cost item."""

    date: date
    sector: str
    result: str | None
    cost_item: str | None
    funding: str | None
    amount: Decimal
    currency: str
    reference: str


def amount_of(scaled: int) -> Decimal:
    """An amount from its whole ten-thousandths."""
    return Decimal(scaled).scaleb(-AMOUNT_DECIMALS)
