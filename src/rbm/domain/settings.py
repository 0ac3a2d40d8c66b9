"""An organization's settings, carried by its data package: nothing of one organization is
assumed by the code (currency, languages, period, transfer rule, rating, published marks)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from rbm.domain.enums import Rating
from rbm.domain.text import Text

# The rating bands (achievement, percent of target) where a package's `rating` leaves them out.
FULLY_AT = Decimal(100)
PARTIALLY_AT = Decimal(60)


class TransferBasis(StrEnum):
    """What a transfer limit is compared with: the net transfer or the transfers in."""

    NET = "net"  # transfers in − transfers out
    GROSS = "gross"  # transfers in


@dataclass(frozen=True, slots=True)
class TransferRule:
    """A transfer into a sector may not exceed the larger of `sector_pct` of that sector's
    approved budget and `total_pct` of the total, compared on the `basis` (net or gross)."""

    sector_pct: Decimal
    total_pct: Decimal
    basis: str = "net"


@dataclass(frozen=True, slots=True)
class Settings:
    """What a package says of itself beyond its rows; every field is optional."""

    languages: tuple[str, ...] = ("zh", "en")
    currency_name: Text | None = None  # the currency as units print it; its ISO code otherwise
    period: Text | None = None  # the period as titles print it; the biennium label otherwise
    period_end: Text | None = None  # the date the figures stand at, as titles print it
    transfer_rule: TransferRule | None = None
    rating: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    marks: Mapping[str, frozenset[Rating]] = field(default_factory=lambda: MappingProxyType({}))
    utilization_basis: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    headlines: tuple[str, ...] = ()  # the key financial lines a summary leads with, in order
