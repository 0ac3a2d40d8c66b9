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
    parts = [_term("measure", subject["measure"], lang)] if "measure" in subject else []
    if "phase" in subject:
        parts.append(_term("phase", subject["phase"], lang))
    parts += [f"{dim} {name}" for dim, name, _ in _named(dataset, subject, lang)]
    return " · ".join(parts)


def for_readers(dataset: Dataset, subject: dict[str, str], lang: Lang) -> str:
    """What a finding is about as a report's note says it: the line's names, then its phase
    (or measure), "Unallocated (final budget)"."""
    names = ", ".join(
        name if named else f"{dim} {name}" for dim, name, named in _named(dataset, subject, lang)
    )
    if "phase" in subject:
        kind = _term("phase", subject["phase"], lang)
    elif "measure" in subject:
        kind = _term("measure", subject["measure"], lang)
    else:
        return names
    return t("reconcile.subject.reader", lang, what=names, kind=kind) if names else kind


def _named(dataset: Dataset, subject: dict[str, str], lang: Lang) -> list[tuple[str, str, bool]]:
    """(dimension's label, member's name, whether the member has a name of its own)."""
    # an item that is a financial line or an income category reads as its name
    names = {
        "sector": {s.code: s.short.get(lang) for s in dataset.sectors},
        "cost_category": {c.code: c.name.get(lang) for c in dataset.cost_categories},
        "union": {u.code: u.name.get(lang) for u in dataset.unions},
        "item": {
            **{c.code: c.name.get(lang) for c in dataset.income_categories},
            **{line.code: line.name.get(lang) for line in dataset.financial_lines},
            **{p.id: f"{p.id} {p.name.get(lang)}" for p in dataset.capital_projects},
        },
    }
    found = []
    for dim, value in subject.items():
        if dim in ("measure", "phase"):
            continue
        shown = names.get(dim, {}).get(value)
        if shown is None and subject.get("measure") == "demand" and dim == "item":
            shown = _term("report.demand", value, lang)  # a demand measure, by its label
        found.append((t(f"dimension.{dim}", lang), shown or value, shown is not None))
    return found


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
