"""Column types that keep values exact on every backend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from rbm.datapackage.cells import format_decimal


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """A decimal kept as its canonical text, as printed: `329.0` stays `329.0`.

    The printed precision matters (reconciliation's rounding bounds come from it), SQLite
    has no decimal type, and NUMERIC(p, s) would pad every value to the same scale.
    """

    impl = sa.String(48)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        return None if value is None else format_decimal(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
