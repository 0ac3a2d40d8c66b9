"""Field definitions of the data package's resources and how a cell's text maps to a value."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

Kind = Literal["string", "integer", "number", "boolean", "object", "text", "year"]

# Frictionless Table Schema types for each field kind.
TABLE_SCHEMA_TYPES: dict[Kind, str] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "object": "object",
    "text": "string",
    "year": "integer",
}

# Largest magnitude a number may have: 15 integer digits, 6 decimals.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Field:
    """One logical field; a `text` field is stored as two columns, `NAME_zh` and `NAME_en`."""

    name: str
    kind: Kind = "string"
    required: bool = True
    en_required: bool | None = None  # text fields: defaults to `required`
    enum: type[StrEnum] | None = None
    pattern: str | None = None
    minimum: Decimal | None = None
    max_length: int | None = None
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "text":
            return (f"{self.name}_zh", f"{self.name}_en")
        return (self.name,)

    @property
    def en_is_required(self) -> bool:
        return self.required if self.en_required is None else self.en_required


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """`fields` of this resource reference `reference` fields of `resource`."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]
