"""Turning one cell's text into a typed value, or into a problem with what was expected."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any

from rbm.datapackage.fields import (
    MAX_DECIMALS,
    MAX_INTEGER,
    MAX_INTEGER_DIGITS,
    MAX_OBJECT_DEPTH,
    MIN_INTEGER,
    Field,
)
from rbm.domain.enums import FigureUnit, Unit
from rbm.domain.money import unit_label
from rbm.domain.organization import Biennium
from rbm.domain.text import forbidden_character

# ASCII digits only: `\d` would also take full-width and other scripts' digits.
_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?([0-9]+)(?:\.([0-9]+))?$")
_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(?:[,\u00a0 '][0-9]{3})+(?:\.[0-9]+)?$")
_PARENTHESES = re.compile(r"^\(\s*[0-9,.]+\s*\)$")
MAX_STRING = 20_000
# What an object cell may hold: finite numbers no larger than a number cell's, texts
# without control characters, nested this deep at most.
OBJECT_LIMITS = {"digits": MAX_INTEGER_DIGITS, "depth": MAX_OBJECT_DEPTH}


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
        # counted before int(): Python refuses to convert more than 4,300 digits
        if len(raw.lstrip("-").lstrip("0")) > MAX_INTEGER_DIGITS:
            return Problem("out-of-range", {"digits": MAX_INTEGER_DIGITS})
        value = int(raw)
        if not MIN_INTEGER <= value <= MAX_INTEGER:
            return Problem("integer-range", {"minimum": MIN_INTEGER, "maximum": MAX_INTEGER})
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
        return _parse_object(raw)
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


class _Refused(ValueError):
    """A number a JSON object may not hold (NaN, Infinity, too many digits)."""


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refused(text)
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) >= 10**MAX_INTEGER_DIGITS:
        raise _Refused(text)
    return value


def _json_constant(text: str) -> float:
    raise _Refused(text)  # NaN, Infinity, -Infinity: not JSON, and no database stores them


def _parse_object(raw: str) -> dict[str, Any] | Problem:
    if len(raw) > MAX_STRING:
        return Problem("length-error", {"limit": MAX_STRING})
    try:
        value = json.loads(
            raw, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
        )
    except _Refused:
        return Problem("object-value", OBJECT_LIMITS)
    except (json.JSONDecodeError, RecursionError):
        return Problem("type-error", {"type": "object"})
    if not isinstance(value, dict):
        return Problem("type-error", {"type": "object"})
    if not _storable(value):
        return Problem("object-value", OBJECT_LIMITS)
    return value


def _storable(value: dict[str, Any]) -> bool:
    """Whether an object's texts (keys and values) are free of control characters and it
    nests no deeper than MAX_OBJECT_DEPTH."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if forbidden_character(item) is not None:
                return False
        elif isinstance(item, dict | list):
            if depth > MAX_OBJECT_DEPTH:
                return False
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return True


def _parse_string(spec: Field, raw: str, currency: str) -> str | Problem:
    limit = spec.max_length or MAX_STRING
    if len(raw) > limit:
        return Problem("length-error", {"limit": limit})
    bad = forbidden_character(raw)
    if bad is not None:
        return Problem("control-character", {"character": bad[1], "position": bad[0] + 1})
    if spec.enum is not None:
        members = enum_cells(spec.enum, currency)
        if raw not in members:
            return Problem("enum-error", {"allowed": ", ".join(members)})
        return members[raw]
    if spec.pattern is not None and not re.match(spec.pattern, raw):
        return Problem("pattern-error", {"pattern": spec.pattern})
    return raw


@cache
def enum_cells(enum: type[StrEnum], currency: str) -> dict[str, StrEnum]:
    """A closed vocabulary as cells hold it, text → member; `currency` is the package's.
    Cached: asked once per cell; the caller must not change the mapping."""
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
