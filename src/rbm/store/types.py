"""Column types that keep values exact on every backend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from rbm.datapackage.cells import format_decimal


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """NUMERIC(28, 6) where the backend has it; canonical text on SQLite, which would use floats."""

    impl = sa.Numeric(28, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(40))
        return dialect.type_descriptor(sa.Numeric(28, 6, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return format_decimal(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).normalize() if dialect.name != "sqlite" else Decimal(value)
