"""Totals against their parts: every published total recomputed from the facts of its own
table, then from every other source that covers the same population, and every figure or
fact that two sources both give."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal

from rbm.engine.reconcile.facts import Figure
from rbm.engine.reconcile.findings import Finding, Side, classify
from rbm.engine.reconcile.ledger import Ledger, Sum
from rbm.engine.reconcile.settings import Settings

ADDITIVE_MEASURES = frozenset(
    {
        "budget",
        "expenditure",
        "development_expenditure",
        "income",
        "key_financial",
        "demand",
        "posts",
    }
)


def subject(measure: str, phase: str | None, dims: Mapping[str, object]) -> dict[str, str]:
    out = {"measure": measure}
    if phase:
        out["phase"] = phase
    out.update({k: str(v) for k, v in dims.items()})
    return out


def _side(total: Sum) -> Side:
    return Side(
        total.amount, total.source, "facts", total.description, total.half, len(total.parts)
    )


def _figure_side(fig: Figure) -> Side:
    return Side(fig.amount, fig.figure.source, "published", fig.figure.id, fig.half)


def published_totals(
    ledger: Ledger, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding | None, Figure]]:
    """Each additive published figure against its own table's parts, else other sources'."""
    for fig in figures:
        p = fig.figure
        if p.measure not in ADDITIVE_MEASURES:
            continue
        dims, excludes = fig.dims, fig.excludes
        own = [
            s
            for s in ledger.sums(p.measure, p.phase, dims, sources=[p.source], excludes=excludes)
            if ledger.covers(s, p.measure, p.phase, dims, excludes, own=True)
        ]
        if own:
            for total in own:
                yield _finding("total", fig, total, settings), fig
            continue
        others = [
            s
            for s in ledger.sums(p.measure, p.phase, dims, excludes=excludes, group=True)
            if s.source != ledger.group_of(p.source)
            and ledger.covers(s, p.measure, p.phase, dims, excludes)
        ]
        for total in others:
            yield _finding("cross_source", fig, total, settings), fig
        if not others:
            yield None, fig


def _finding(check: str, fig: Figure, total: Sum, settings: Settings) -> Finding:
    p = fig.figure
    left, right = _figure_side(fig), _side(total)
    params = {"excludes": p.excludes} if p.excludes else {}
    return Finding(
        check,
        subject(p.measure, p.phase, fig.dims),
        left,
        right,
        fig.unit,
        classify(left, right, settings.tolerance),
        params=params,
    )


def published_pairs(figures: list[Figure], settings: Settings) -> Iterator[Finding]:
    """Figures that two sources both print for the same thing, compared pairwise."""
    groups: dict[tuple[object, ...], list[Figure]] = defaultdict(list)
    for fig in figures:
        p = fig.figure
        key = (p.measure, p.phase, tuple(sorted(fig.dims.items())), fig.excludes, fig.unit)
        groups[key].append(fig)
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.figure.source == b.figure.source:
                    continue
                left, right = _figure_side(a), _figure_side(b)
                yield Finding(
                    "published_pair",
                    subject(a.figure.measure, a.figure.phase, a.dims),
                    left,
                    right,
                    a.unit,
                    classify(left, right, settings.tolerance),
                )


def fact_pairs(ledger: Ledger, settings: Settings) -> Iterator[Finding]:
    """Each fact against the sums other sources give for the same cell, once per pair."""
    seen: set[tuple[object, ...]] = set()
    for (measure, phase), facts in ledger.by_measure.items():
        for fact in facts:
            own = ledger.group_of(fact.source)
            cell = tuple(sorted((k, str(v)) for k, v in fact.dims.items()))
            for total in ledger.sums(measure, phase, fact.dims, group=True):
                if total.source == own:
                    continue
                pair = (measure, phase, cell, frozenset({own, total.source}))
                if pair in seen or not ledger.covers(total, measure, phase, fact.dims, frozenset()):
                    continue
                seen.add(pair)
                left = Side(fact.amount, fact.source, "facts", "1 fact", fact.half)
                right = _side(total)
                yield Finding(
                    "fact_pair",
                    subject(measure, phase, fact.dims),
                    left,
                    right,
                    fact.unit,
                    classify(left, right, settings.tolerance),
                )


SUMMABLE_DIMS = ("year", "sector", "result", "cost_category", "union")


def published_parts(
    ledger: Ledger, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """A printed total against the figures of the same table that split it by one more
    dimension (a 合计 column against its unions, a total row against its sectors); the
    parts are printed figures or, where the table stores them as facts, its facts."""
    by_table: dict[tuple[object, ...], list[Figure]] = defaultdict(list)
    for fig in figures:
        p = fig.figure
        if p.measure in ADDITIVE_MEASURES:
            by_table[(p.source, p.measure, p.phase, fig.excludes)].append(fig)
    for group in by_table.values():
        for total in group:
            for dim in SUMMABLE_DIMS:
                parts = _split(ledger, group, total, dim)
                if len(parts) < 2:
                    continue
                right = Side(
                    sum((side.value for side in parts.values()), Decimal(0)),
                    total.figure.source,
                    "published",
                    f"{len(parts)} × {dim}",
                    sum((side.half for side in parts.values()), Decimal(0)),
                    len(parts),
                )
                left = _figure_side(total)
                yield (
                    Finding(
                        "published_parts",
                        subject(total.figure.measure, total.figure.phase, total.dims),
                        left,
                        right,
                        total.unit,
                        classify(left, right, settings.tolerance),
                        params={"dimension": dim},
                    ),
                    total,
                )


def _split(ledger: Ledger, group: list[Figure], total: Figure, dim: str) -> dict[object, Side]:
    """The parts of `total` along `dim`, one per value: children in a hierarchy."""
    dims = total.dims
    p = total.figure
    parents = ledger.parents.get(dim)
    if dim in dims and parents is None:
        return {}

    def is_part(found: Mapping[str, object]) -> bool:
        if set(found) != set(dims) | {dim}:
            return False
        if any(found[k] != v for k, v in dims.items() if k != dim):
            return False
        value = found[dim]
        if value in total.excludes:
            return False
        if parents is not None:
            return parents.get(str(value)) == dims.get(dim)
        return dim not in dims

    def is_unallocated_line(found: Mapping[str, object]) -> bool:
        """The unallocated sector's line, printed beside a breakdown that leaves it out."""
        sector = found.get("sector")
        return (
            dim != "sector"
            and sector in ledger.unallocated
            and sector not in total.excludes
            and set(found) == set(dims) | {"sector"}
            and all(found[k] == v for k, v in dims.items())
        )

    parts: dict[object, Side] = {}
    rest: dict[object, Side] = {}
    facts = [f for f in ledger.by_measure.get((p.measure, p.phase), []) if f.source == p.source]
    candidates = [(f.dims, _figure_side(f)) for f in group if f is not total] + [
        (f.dims, Side(f.amount, f.source, "facts", "1 fact", f.half)) for f in facts
    ]
    # when the table splits the unallocated sector along `dim` too, the parts include it
    split_too = any(
        found.get("sector") in ledger.unallocated
        and dim in found
        and (parents is None or parents.get(str(found[dim])) == dims.get(dim))
        for found, _ in candidates
    )
    for found, side in candidates:
        if is_part(found):
            parts.setdefault(found[dim], side)
        elif not split_too and is_unallocated_line(found):
            rest.setdefault(found["sector"], side)
    return {**parts, **rest} if len(parts) >= 2 else parts
