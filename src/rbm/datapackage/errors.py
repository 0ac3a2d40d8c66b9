"""Data problems as values: each error names its type, file, line, column and value.

Error types (ids; titles and texts are in the message catalogues, zh and en):

    package errors   missing-descriptor, invalid-descriptor, unknown-resource,
                     missing-resource, schema-mismatch, empty-package,
                     invalid-setting, invalid-spec
    file errors      missing-file, linked-file, encoding-error, bom, csv-format,
                     missing-column, extra-column, duplicate-column
    row errors       row-length, duplicate-key, foreign-key
    cell errors      missing-value, type-error, number-format, out-of-range, integer-range,
                     enum-error, pattern-error, minimum-error, length-error,
                     control-character, object-value
    business rules   negative-expenditure, transfers-unbalanced, footnote-ref,
                     hierarchy-cycle, year-range, unallocated-sector, formula-error
    store            biennium-exists, biennium-missing
    ledger           date-range, amount-format, more-errors
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rbm.domain.text import Lang
from rbm.i18n import t

ERROR_TYPES: tuple[str, ...] = (
    "missing-descriptor",
    "invalid-descriptor",
    "unknown-resource",
    "missing-resource",
    "schema-mismatch",
    "empty-package",
    "invalid-setting",
    "invalid-spec",
    "missing-file",
    "linked-file",
    "encoding-error",
    "bom",
    "csv-format",
    "missing-column",
    "extra-column",
    "duplicate-column",
    "row-length",
    "duplicate-key",
    "foreign-key",
    "missing-value",
    "type-error",
    "number-format",
    "out-of-range",
    "integer-range",
    "enum-error",
    "pattern-error",
    "minimum-error",
    "length-error",
    "control-character",
    "object-value",
    "negative-expenditure",
    "transfers-unbalanced",
    "footnote-ref",
    "hierarchy-cycle",
    "year-range",
    "unallocated-sector",
    "formula-error",
    "biennium-exists",
    "biennium-missing",
    "date-range",
    "amount-format",
    "more-errors",
)


@dataclass(frozen=True)
class DataError:
    """One problem in the input, with its position; `params` fill the 'expected' text."""

    type: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in ERROR_TYPES:
            raise ValueError(f"unknown error type {self.type!r}")

    def title(self, lang: Lang) -> str:
        return t(f"error.{self.type}.title", lang)

    def expected(self, lang: Lang) -> str:
        params = {k: _localize(v, lang) for k, v in self.params.items()}
        return t(f"error.{self.type}.expected", lang, **params)

    def position(self, lang: Lang) -> str:
        parts = [self.file or t("error.position.package", lang)]
        if self.row is not None:
            parts.append(t("error.position.row", lang, row=self.row))
        if self.column is not None:
            parts.append(t("error.position.column", lang, column=self.column))
        return t("error.position.separator", lang).join(parts)

    def message(self, lang: Lang) -> str:
        """One line: position, title, the value found and what was expected."""
        found = "" if self.value is None else t("error.found", lang, value=_clip(self.value))
        return t(
            "error.message",
            lang,
            position=self.position(lang),
            title=self.title(lang),
            found=found,
            expected=self.expected(lang),
        )

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.title(lang),
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected(lang),
            "message": self.message(lang),
        }


def _localize(value: object, lang: Lang) -> object:
    """Parameters that are catalogue keys (`hint.…`) are shown in the reader's language."""
    if isinstance(value, str) and value.startswith("hint."):
        return t(value, lang)
    return value


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Report:
    """The outcome of validating a package: valid only when there are no errors."""

    errors: tuple[DataError, ...] = ()
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def flatten(self, *names: str) -> list[list[Any]]:
        """Errors as lists of the named attributes, for compact assertions."""
        return [[getattr(err, n) for n in names] for err in self.errors]

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "stats": dict(self.stats),
            "errors": [err.to_dict(lang) for err in self.errors],
        }
