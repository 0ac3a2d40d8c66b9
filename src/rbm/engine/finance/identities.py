"""The identities between key financial data lines (whole and by union): each line that is a
total of others, with its parts and their signs, as the package's `financial_lines` state
them in their `formula` (a line without one is no total)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.finance import FinancialLine


@dataclass(frozen=True)
class Identity:
    total: str
    parts: tuple[tuple[str, int], ...]  # (line, +1 or -1)


def parse(total: str, formula: str) -> tuple[Identity, ...] | str:
    """The identities a line's formula states (`a + b - c`: codes and signs apart by spaces,
    alternatives separated by `;`), or the alternative that does not parse."""
    found = []
    for alternative in formula.split(";"):
        tokens = alternative.split()
        if tokens[:1] != ["-"]:
            tokens = ["+", *tokens]
        signs, lines = tokens[0::2], tokens[1::2]
        if not lines or len(signs) != len(lines) or set(signs) - {"+", "-"}:
            return alternative.strip()
        if any(line in ("+", "-") for line in lines):
            return alternative.strip()
        parts = tuple(
            (line, -1 if sign == "-" else 1) for sign, line in zip(signs, lines, strict=True)
        )
        found.append(Identity(total, parts))
    return tuple(found)


def identities(lines: Iterable[FinancialLine]) -> tuple[Identity, ...]:
    """Every identity the lines' formulas state (a formula that does not parse states none:
    validation reports it)."""
    found: list[Identity] = []
    for line in lines:
        parsed = parse(line.code, line.formula) if line.formula else ()
        if not isinstance(parsed, str):
            found.extend(parsed)
    return tuple(found)


def evaluate(identity: Identity, lines: Mapping[str, Decimal]) -> Decimal | None:
    """The total the parts give, or None when a part is missing."""
    if any(line not in lines for line, _ in identity.parts):
        return None
    return sum((lines[line] * sign for line, sign in identity.parts), Decimal(0))


def derive(lines: Iterable[FinancialLine], stored: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """The stored lines and every line the identities derive from them, in as many passes
    as it takes (a total may be a term of another)."""
    found = dict(stored)
    stated = identities(lines)
    changed = True
    while changed:
        changed = False
        for identity in stated:
            if identity.total in found:
                continue
            value = evaluate(identity, found)
            if value is not None:
                found[identity.total] = value
                changed = True
    return found
