"""Cells of the CSV files the web serves, as a spreadsheet will read them."""

from __future__ import annotations

import re

# what a spreadsheet starts a formula with (OWASP's CSV injection list, full-width forms too)
FORMULA_START = tuple("=+-@\t\r＝＋－＠")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralised(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: prefixed with ' if it would start a
    formula, unless it is a plain number (a negative amount stays a number)."""
    if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell
