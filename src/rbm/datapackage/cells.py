"""Turning one cell's text into a typed value, or into a problem with what was expected."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from rbm.datapackage.fields import MAX_DECIMALS, MAX_INTEGER_DIGITS, Field
from rbm.domain.enums import FigureUnit, Unit
from rbm.domain.money import unit_label
from rbm.domain.organization import Biennium

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+)(?:\.(\d+))?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:[,\u00a0 ']\d{3})+(?:\.\d+)?$")
_PARENTHESES = re.compile(r"^\(\s*[\d,.]+\s*\)$")
MAX_STRING = 20_000


@dataclass(frozen=True)
class Problem:
    """Why a cell is not acceptable: an error type and the parameters of 'expected'."""

    type: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CellContext:
    """What a cell's value depends on beyond its text: the biennium's years (of a `year`
    cell), the package's currency (of a unit cell: `kEUR` in a package in EUR) and its
    languages (the columns of a text field)."""

    years: tuple[int, ...]
    currency: str
    langs: tuple[str, ...] = ("en",)

    @classmethod
    def of(cls, biennium: Biennium) -> CellContext:
        return cls(biennium.years, biennium.currency, biennium.settings.languages)


def parse_cell(spec: Field, raw: str, context: CellContext) -> object | Problem:
    """The value of a non-empty cell for `spec` in a package described by `context`."""
    kind = spec.kind
    if kind in ("integer", "year"):
        if not _INTEGER.match(raw):
            return _number_problem(raw, "integer")
        value = int(raw)
        if len(raw.lstrip("-")) > MAX_INTEGER_DIGITS:
            return Problem("out-of-range", {"digits": MAX_INTEGER_DIGITS})
        years = context.years
        if kind == "year" and value not in years:
            return Problem("year-range", {"first": years[0], "last": years[-1]})
        return _check_minimum(spec, Decimal(value)) or value
    if kind == "number":
        return _parse_number(spec, raw)
    if kind == "boolean":
        if raw in ("true", "false"):
            return raw == "true"
        return Problem("type-error", {"type": "boolean"})
    if kind == "object":
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return Problem("type-error", {"type": "object"})
        return value if isinstance(value, dict) else Problem("type-error", {"type": "object"})
    return _parse_string(spec, raw, context.currency)


def _parse_number(spec: Field, raw: str) -> Decimal | Problem:
    match = _NUMBER.match(raw)
    if not match:
        return _number_problem(raw, "number")
    whole, decimals = match.group(1), match.group(2) or ""
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS or len(decimals) > MAX_DECIMALS:
        return Problem("out-of-range", {"digits": MAX_INTEGER_DIGITS})
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return Problem("type-error", {"type": "number"})
    return _check_minimum(spec, value) or value


def _number_problem(raw: str, type_name: str) -> Problem:
    if _THOUSANDS.match(raw):
        return Problem("number-format", {"type": type_name, "hint": "hint.thousands"})
    if _PARENTHESES.match(raw):
        return Problem("number-format", {"type": type_name, "hint": "hint.parentheses"})
    return Problem("type-error", {"type": type_name})


def _check_minimum(spec: Field, value: Decimal) -> Problem | None:
    if spec.minimum is not None and value < spec.minimum:
        return Problem("minimum-error", {"minimum": spec.minimum})
    return None


def _parse_string(spec: Field, raw: str, currency: str) -> str | Problem:
    limit = spec.max_length or MAX_STRING
    if len(raw) > limit:
        return Problem("length-error", {"limit": limit})
    if spec.enum is not None:
        members = enum_cells(spec.enum, currency)
        if raw not in members:
            return Problem("enum-error", {"allowed": ", ".join(members)})
        return members[raw]
    if spec.pattern is not None and not re.match(spec.pattern, raw):
        return Problem("pattern-error", {"pattern": spec.pattern})
    return raw


def enum_cells(enum: type[StrEnum], currency: str) -> dict[str, StrEnum]:
    """A closed vocabulary as cells hold it, text → member; `currency` is the package's."""
    return {_enum_text(member, currency): member for member in enum}


def _enum_text(member: StrEnum, currency: str) -> str:
    """A member as a cell holds it: a unit is its scale's prefix and the currency (kEUR)."""
    if isinstance(member, Unit | FigureUnit):
        return unit_label(member, currency)
    return member.value


def format_cell(value: object, currency: str) -> str:
    """The canonical text of a value, as the writer puts it in a CSV cell; `currency` is the
    package's, which unit cells name (kEUR)."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return _enum_text(value, currency)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def format_decimal(value: Decimal) -> str:
    """Plain notation keeping the printed precision: 214036, -5.9, 329.0."""
    text = format(value, "f")
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text
