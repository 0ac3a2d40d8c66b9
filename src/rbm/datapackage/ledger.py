"""The expenditure ledger: a resource of millions of postings, read a row at a time. Its
cells are checked against compact sets (the package's codes, the biennium's days) and
become plain tuples for the store's bulk path; no row is kept once it has been checked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from rbm.datapackage.errors import DataError
from rbm.datapackage.fields import Field, ForeignKey
from rbm.datapackage.resources import CODE, Resource
from rbm.datapackage.table import Table, Undecodable, csv_lines, readable
from rbm.domain.ledger import AMOUNT_DECIMALS, LEDGER_SOURCE, LedgerLine
from rbm.domain.text import forbidden_character

REFERENCE_LENGTH = 64
LEDGER = Resource(
    LEDGER_SOURCE,
    LedgerLine,
    (
        Field("date", "date", description="the posting date, within the biennium"),
        Field("sector", description="the spending sector, a code of `sectors`"),
        Field("result", required=False, description="an expected result, a code of `results`"),
        Field(
            "cost_item",
            required=False,
            description="what the money bought, a code of `cost_categories`",
        ),
        Field("funding", required=False, pattern=CODE, description="a funding source's code"),
        Field(
            "amount",
            "number",
            description=f"in the package's currency, at most {AMOUNT_DECIMALS} decimals; "
            "negative for a reversal",
        ),
        Field("currency", description="the package's currency (`rbm.currency`)"),
        Field(
            "reference",
            max_length=REFERENCE_LENGTH,
            description="the posting's journal reference",
        ),
    ),
    "Expenditure ledger: one row per posting, the source of executed budget facts",
    foreign_keys=(
        ForeignKey(("sector",), "sectors", ("code",)),
        ForeignKey(("result",), "results", ("code",)),
        ForeignKey(("cost_item",), "cost_categories", ("code",)),
    ),
)
COLUMNS = tuple(f.name for f in LEDGER.fields)

# A checked posting as the store takes it: line, year, date, sector, result, cost item,
# funding, amount in ten-thousandths, reference.
Posting = tuple[int, int, str, str, str | None, str | None, str | None, int, str]

MAX_ERRORS = 100  # listed in full; past these a ledger's errors are only counted
MAX_INTEGER_DIGITS = 15
_AMOUNT = re.compile(rf"(-?)(\d{{1,{MAX_INTEGER_DIGITS}}})(?:\.(\d{{1,{AMOUNT_DECIMALS}}}))?")
_CODE = re.compile(CODE)
_FUNDING_MEMO = 10_000  # funding codes remembered as valid; a ledger has a handful


@dataclass(frozen=True)
class LedgerKeys:
    """What a posting may name: the package's codes, its currency and the biennium's days."""

    sectors: frozenset[str]
    results: frozenset[str]
    cost_items: frozenset[str]
    currency: str
    years: tuple[int, ...]

    @cached_property
    def days(self) -> dict[str, int]:
        """Every day of the biennium in ISO form, with its year."""
        first, last = date(self.years[0], 1, 1), date(self.years[-1], 12, 31)
        count = (last - first).days + 1
        return {(d := first + timedelta(n)).isoformat(): d.year for n in range(count)}


@dataclass
class LedgerCheck:
    """The outcome of reading a ledger: how many postings passed, and the errors."""

    file: str
    rows: int = 0
    errors: list[DataError] = field(default_factory=list)
    more: int = 0  # errors past MAX_ERRORS

    def add(self, error: DataError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more += 1

    def all_errors(self) -> list[DataError]:
        """The errors, with one that counts those not listed."""
        if not self.more:
            return list(self.errors)
        more = DataError("more-errors", self.file, None, None, None, {"count": self.more})
        return [*self.errors, more]


def read_ledger(path: Path, file: str, keys: LedgerKeys, check: LedgerCheck) -> Iterator[Posting]:
    """The postings of the ledger at `path` that pass every check; the others, and
    problems with the file, go to `check`. Read a row at a time."""
    table = Table(LEDGER, file)
    if not readable(path, table):
        check.errors.extend(table.errors)
        return
    days = keys.days
    sectors, results, cost_items, currency = (
        keys.sectors,
        keys.results,
        keys.cost_items,
        keys.currency,
    )
    fundings: set[str] = set()
    amount_of = _AMOUNT.fullmatch
    plain = _plain_reference
    try:
        for line, cells in csv_lines(path, table, COLUMNS):
            if table.errors:  # the file's own problems (header, row length) come first
                for error in table.errors:
                    check.add(error)
                table.errors.clear()
            posted, sector, result, cost_item, funding, amount, unit, reference = cells
            # one test for the common case, a posting with nothing wrong; the slow path below
            # works out what is wrong, and learns new funding codes
            year = days.get(posted)
            number = amount_of(amount)
            if not (
                year is not None
                and sector in sectors
                and (not result or result in results)
                and (not cost_item or cost_item in cost_items)
                and (not funding or funding in fundings)
                and number is not None
                and unit == currency
                and plain(reference)
            ):
                problems = _problems(file, line, cells, keys, fundings)
                if problems:
                    for problem in problems:
                        check.add(problem)
                    continue
            assert year is not None and number is not None
            sign, whole, fraction = number.groups()
            scaled = int(whole + (fraction + _PAD[len(fraction)] if fraction else _ZEROS))
            check.rows += 1
            yield (
                line,
                year,
                posted,
                sector,
                result or None,
                cost_item or None,
                funding or None,
                -scaled if sign else scaled,
                reference,
            )
    except Undecodable as bad:  # the rows so far are counted; the file is in error
        check.add(bad.error)
    for error in table.errors:
        check.add(error)


_ZEROS = "0" * AMOUNT_DECIMALS
_PAD = [_ZEROS[: AMOUNT_DECIMALS - n] for n in range(AMOUNT_DECIMALS + 1)]


def _problems(
    file: str, line: int, cells: list[str], keys: LedgerKeys, fundings: set[str]
) -> list[DataError]:
    """What is wrong with a posting, cell by cell; a valid funding code is remembered."""
    posted, sector, result, cost_item, funding, amount, currency, reference = cells
    problems = []
    if posted not in keys.days:
        params: dict[str, object] = {"first": keys.years[0], "last": keys.years[-1]}
        problems.append(DataError("date-range", file, line, "date", posted, params))
    if sector not in keys.sectors:
        problems.append(_reference_error(file, line, "sector", sector))
    if result and result not in keys.results:
        problems.append(_reference_error(file, line, "result", result))
    if cost_item and cost_item not in keys.cost_items:
        problems.append(_reference_error(file, line, "cost_item", cost_item))
    if funding and funding not in fundings:
        if _CODE.fullmatch(funding) is None:
            params = {"pattern": CODE}
            problems.append(DataError("pattern-error", file, line, "funding", funding, params))
        elif len(fundings) < _FUNDING_MEMO:
            fundings.add(funding)
    if _AMOUNT.fullmatch(amount) is None:
        problems.append(_amount_error(file, line, amount))
    if currency != keys.currency:
        allowed = {"allowed": keys.currency}
        problems.append(DataError("enum-error", file, line, "currency", currency, allowed))
    if not _plain_reference(reference):
        problems.append(_journal_error(file, line, reference))
    return problems


def check_ledger(path: Path, file: str, keys: LedgerKeys) -> LedgerCheck:
    """Read the whole ledger for its errors alone, in constant memory."""
    check = LedgerCheck(file)
    for _ in read_ledger(path, file, keys, check):
        pass
    return check


# the resource each coded column refers to, as the resource declares it
_TARGETS = {fk.fields[0]: fk.resource for fk in LEDGER.foreign_keys}


def _reference_error(file: str, line: int, column: str, value: str) -> DataError:
    """A code that names nothing in the package, or none where one is required."""
    if value == "":
        return DataError("missing-value", file, line, column, "")
    params = {"resource": _TARGETS[column], "fields": "code"}
    return DataError("foreign-key", file, line, column, value, params)


def _amount_error(file: str, line: int, amount: str) -> DataError:
    if amount == "":
        return DataError("missing-value", file, line, "amount", "")
    params = {"digits": MAX_INTEGER_DIGITS, "decimals": AMOUNT_DECIMALS}
    return DataError("amount-format", file, line, "amount", amount, params)


def _plain_reference(reference: str) -> bool:
    """A journal reference is required, short, and free of control characters."""
    return (
        bool(reference)
        and len(reference) <= REFERENCE_LENGTH
        and forbidden_character(reference) is None
    )


def _journal_error(file: str, line: int, reference: str) -> DataError:
    if reference == "":
        return DataError("missing-value", file, line, "reference", "")
    if len(reference) > REFERENCE_LENGTH:
        params: dict[str, object] = {"limit": REFERENCE_LENGTH}
        return DataError("length-error", file, line, "reference", reference, params)
    position, character = forbidden_character(reference) or (0, "?")
    params = {"character": character, "position": position + 1}
    return DataError("control-character", file, line, "reference", reference, params)


def keys_of(tables: dict[str, Table], currency: str, years: Iterable[int]) -> LedgerKeys:
    """The codes a posting may name, from the package's tables as read."""

    def codes(name: str) -> frozenset[str]:
        table = tables.get(name)
        return frozenset(str(row["code"]) for row in table.rows) if table else frozenset()

    return LedgerKeys(
        codes("sectors"), codes("results"), codes("cost_categories"), currency, tuple(years)
    )
