"""Filters of the web pages: the options a query parameter may take, and checking a value
against them (an unknown value is refused with 422, never ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rbm.domain.text import Text
from rbm.report.render.tables_json import text_dict
from rbm.web.errors import ApiError


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


def checked(parameter: str, value: str | None, options: list[Option]) -> str | None:
    """The value of a filter, None when empty; 422 when it is not one of the options."""
    if value is None or value == "":
        return None
    allowed = [o.value for o in options]
    if value not in allowed:
        raise ApiError(
            422,
            "web.filters.unknown",
            {"parameter": parameter, "value": value, "allowed": allowed},
            parameter=parameter,
            value=value,
        )
    return value


def options_dict(options: list[Option]) -> list[dict[str, Any]]:
    return [{"value": o.value, "label": text_dict(o.label)} for o in options]
