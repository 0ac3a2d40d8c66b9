"""A finding in words: what it is about (the measure, the phase and each dimension's name),
and its numbers as `rbm reconcile` and the web print them."""

from __future__ import annotations

from decimal import Decimal

from rbm.datapackage.cells import format_decimal
from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.engine.reconcile.findings import Side
from rbm.i18n import t


def describe(dataset: Dataset, subject: dict[str, str], lang: Lang) -> str:
    """What a finding is about, in the reader's language."""
    sectors = {s.code: s.short.get(lang) for s in dataset.sectors}
    costs = {c.code: c.name.get(lang) for c in dataset.cost_categories}
    unions = {u.code: u.name.get(lang) for u in dataset.unions}
    # an item that is a financial line or an income category reads as its name
    items = {
        **{c.code: c.name.get(lang) for c in dataset.income_categories},
        **{line.code: line.name.get(lang) for line in dataset.financial_lines},
    }
    parts = [_term("measure", subject["measure"], lang)] if "measure" in subject else []
    if "phase" in subject:
        parts.append(_term("phase", subject["phase"], lang))
    for dim, value in subject.items():
        if dim in ("measure", "phase"):
            continue
        names = {"sector": sectors, "cost_category": costs, "union": unions, "item": items}
        shown = names.get(dim, {}).get(value, value)
        parts.append(f"{t(f'dimension.{dim}', lang)} {shown}")
    return " · ".join(parts)


def _term(kind: str, code: str, lang: Lang) -> str:
    """A measure or phase by its label; one of the package's own (a published figure's
    measure or phase is any code) as the package spells it."""
    try:
        return t(f"{kind}.{code}", lang)
    except KeyError:
        return code


def number_text(value: Decimal) -> str:
    """A number with the precision it has, grouped: 1,234.5 and -1."""
    plain = format_decimal(value)
    whole, _, decimals = plain.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}"
    return f"{sign}{grouped}{'.' + decimals if decimals else ''}"


def side_text(side: Side, unit: str) -> str:
    """One side of a finding, its unit as `unit_label` prints it: "4,008 kEUR · T5 (row)"."""
    ref = f" ({side.ref})" if side.ref else ""
    return f"{number_text(side.value)} {unit} · {side.source}{ref}"
