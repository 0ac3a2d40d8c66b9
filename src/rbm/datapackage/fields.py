"""Field definitions of the data package's resources and how a cell's text maps to a value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

Kind = Literal["string", "integer", "number", "boolean", "object", "text", "year", "date"]

# Frictionless Table Schema types for each field kind.
TABLE_SCHEMA_TYPES: dict[Kind, str] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "object": "object",
    "text": "string",
    "year": "integer",
    "date": "date",
}

# Largest magnitude a number may have: 15 integer digits, 6 decimals (stored as text of at
# most 48 characters, exact on every backend).
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 6
# An integer cell is stored in a 32-bit INTEGER column (PostgreSQL's; SQLite's would take
# 64 bits), so both backends take exactly this range.
MIN_INTEGER = -(2**31)
MAX_INTEGER = 2**31 - 1
# How deep an object cell (JSON) may nest: parameters are a mapping of mappings at most.
MAX_OBJECT_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Field:
    """One logical field; a `text` field has a column `NAME_<lang>` per language of the
    package, of which the first (the source language) is the one `required` speaks of."""

    name: str
    kind: Kind = "string"
    required: bool = True
    translated: bool | None = None  # text fields: the other languages required; `required`
    enum: type[StrEnum] | None = None
    pattern: str | None = None
    minimum: Decimal | None = None
    max_length: int | None = None
    description: str = ""

    def columns(self, langs: Sequence[str]) -> tuple[str, ...]:
        """The package's columns of this field for a package in `langs`."""
        if self.kind == "text":
            return tuple(f"{self.name}_{lang}" for lang in langs)
        return (self.name,)

    def column_required(self, index: int) -> bool:
        """Whether the `index`th column (a text field's language) must have a value."""
        if index == 0 or self.translated is None:
            return self.required
        return self.translated


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """`fields` of this resource reference `reference` fields of `resource`."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]
