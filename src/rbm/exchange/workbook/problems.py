"""Problems in a filled workbook: each names its sheet, cell, the value found and what was
expected, like the package loader's errors (a `DataError` whose file is the sheet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rbm.datapackage.errors import ERROR_TYPES, DataError
from rbm.domain.text import Lang
from rbm.i18n import keys, t

# problems only a workbook has; the others are the loader's cell errors (number-format…)
WORKBOOK_TYPES: tuple[str, ...] = (
    "not-a-workbook",
    "wrong-biennium",
    "unknown-sector",
    "unknown-user",
    "missing-sheet",
    "wrong-row",
    "read-only",
    "choice",
    "stale",
    "refused",
)


@dataclass(frozen=True)
class WorkbookProblem(DataError):
    """A located problem: `file` is the sheet, `row` and `column` the cell (E7)."""

    def __post_init__(self) -> None:
        if self.type not in WORKBOOK_TYPES and self.type not in ERROR_TYPES:
            raise ValueError(f"unknown problem type {self.type!r}")

    def _prefix(self) -> str:
        return "workbook.error" if self.type in WORKBOOK_TYPES else "error"

    def title(self, lang: Lang) -> str:
        return t(f"{self._prefix()}.{self.type}.title", lang)

    def expected(self, lang: Lang) -> str:
        params = {k: _localized(v, lang) for k, v in self.params.items()}
        return t(f"{self._prefix()}.{self.type}.expected", lang, **params)

    def position(self, lang: Lang) -> str:
        if self.file is None:
            return t("workbook.position.workbook", lang)
        if self.row is None or self.column is None:
            return t("workbook.position.sheet", lang, sheet=self.file)
        return t("workbook.position.cell", lang, sheet=self.file, cell=self.cell)

    @property
    def cell(self) -> str | None:
        """The cell's name as a spreadsheet shows it (E7)."""
        if self.row is None or self.column is None:
            return None
        return f"{self.column}{self.row}"


def _localized(value: object, lang: Lang) -> object:
    """Parameters that are catalogue keys (a refusal's reason, a hint) in the reader's
    language."""
    if isinstance(value, str) and "." in value and value in keys(lang):
        return t(value, lang)
    return value


class WorkbookError(Exception):
    """A workbook that was not loaded, with every problem found; nothing was changed."""

    def __init__(self, errors: Sequence[DataError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the workbook")
        self.errors = tuple(errors)

    def messages(self, lang: Lang) -> list[str]:
        return [error.message(lang) for error in self.errors]
