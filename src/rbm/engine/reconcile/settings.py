"""Settings of a reconciliation run; the defaults follow the WIPO report's own rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rbm.engine.finance.transfers import TransferBasis


@dataclass(frozen=True)
class Settings:
    """`tolerance` (in the compared unit) replaces the rounding-aware bound when given.

    `utilization_basis` maps a source to the budget phase its utilization percentages use;
    every other source divides by the final budget (`adjusted`).
    """

    tolerance: Decimal | None = None
    utilization_basis: dict[str, str] = field(default_factory=lambda: {"表6": "approved"})
    default_basis: str = "adjusted"
    transfer_basis: TransferBasis = TransferBasis.NET
