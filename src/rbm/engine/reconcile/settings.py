"""Settings of a reconciliation run; the defaults come from the package's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from rbm.domain.settings import Settings as PackageSettings
from rbm.domain.settings import TransferBasis


@dataclass(frozen=True)
class Settings:
    """`tolerance` (in the compared unit) replaces the rounding-aware bound when given.

    `utilization_basis` maps a source to the budget phase its utilization percentages use;
    every other source divides by the final budget (`adjusted`). `Settings.of` takes it and
    the transfer basis from the package.
    """

    tolerance: Decimal | None = None
    utilization_basis: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    default_basis: str = "adjusted"
    transfer_basis: TransferBasis = TransferBasis.NET

    @classmethod
    def of(
        cls,
        package: PackageSettings,
        *,
        tolerance: Decimal | None = None,
        transfer_basis: TransferBasis | None = None,
    ) -> Settings:
        """The package's settings; `tolerance` and `transfer_basis` override them when given."""
        rule = package.transfer_rule
        basis = transfer_basis or (TransferBasis.NET if rule is None else TransferBasis(rule.basis))
        return cls(
            tolerance=tolerance,
            utilization_basis=MappingProxyType(dict(package.utilization_basis)),
            transfer_basis=basis,
        )
