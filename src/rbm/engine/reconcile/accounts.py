"""Checks on the finance statements' own arithmetic: transfers, the key financial
identities, budget variances and post differences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import FigureUnit, Unit
from rbm.domain.money import convert
from rbm.engine.finance.identities import evaluate
from rbm.engine.finance.identities import identities as stated_identities
from rbm.engine.reconcile.facts import Figure, facts
from rbm.engine.reconcile.findings import Finding, Side, classify, half_unit
from rbm.engine.reconcile.lookup import Lookup
from rbm.engine.reconcile.ratios import _percent_finding
from rbm.engine.reconcile.settings import Settings
from rbm.engine.reconcile.sums import subject


def _published(fig: Figure) -> Side:
    return Side(fig.amount, fig.figure.source, "published", fig.figure.id, fig.half)


def _difference(
    check: str,
    fig: Figure,
    a: Side,
    b: Side,
    settings: Settings,
    sign: int = -1,
) -> Finding:
    """The printed figure against `a − b` (or `a + b` with sign +1)."""
    computed = Side(
        a.value + sign * b.value,
        a.source if a.source == b.source else f"{a.source}, {b.source}",
        "computed",
        f"{a.ref} {'−' if sign < 0 else '+'} {b.ref}",
        a.half + b.half,
    )
    return _same(check, fig, computed, settings)


def transfers(
    dataset: Dataset, lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Net = in − out per sector and in total; the percentages; P&B + net = final budget."""
    rows = {}
    for t in dataset.transfers:
        rows[t.sector] = (
            Side(
                convert(t.transfers_in, t.unit, Unit.THOUSAND),
                t.source,
                "facts",
                f"in {t.sector}",
                convert(half_unit(t.transfers_in), t.unit, Unit.THOUSAND),
            ),
            Side(
                convert(t.transfers_out, t.unit, Unit.THOUSAND),
                t.source,
                "facts",
                f"out {t.sector}",
                convert(half_unit(t.transfers_out), t.unit, Unit.THOUSAND),
            ),
        )
    if not rows:
        return
    total_in = _total([i for i, _ in rows.values()], "in")
    total_out = _total([o for _, o in rows.values()], "out")
    for fig in figures:
        p = fig.figure
        sector = p.sector
        pair = rows.get(sector) if sector else (total_in, total_out)
        if pair is None:
            continue
        t_in, t_out = pair
        if p.measure == "transfers_net":
            yield _difference("transfers", fig, t_in, t_out, settings), fig
        elif p.measure == "transfers_in" and sector is None:
            yield _same("transfers", fig, total_in, settings), fig
        elif p.measure == "transfers_out" and sector is None:
            yield _same("transfers", fig, total_out, settings), fig
        elif p.measure in ("transfers_net_pct_sector", "transfers_net_pct_total") and sector:
            net = Side(
                t_in.value - t_out.value,
                t_in.source,
                "computed",
                f"net {sector}",
                t_in.half + t_out.half,
            )
            dims = {"sector": sector} if p.measure.endswith("sector") else {}
            approved = lookup.value("budget", "approved", dims, p.source)
            if approved is not None:
                found = _percent_finding("transfers_pct", fig, net, approved, settings)
                if found is not None:
                    yield found, fig
        elif p.measure == "budget" and p.phase == "adjusted" and sector:
            approved = lookup.value("budget", "approved", {"sector": sector}, p.source)
            if approved is not None:
                net = Side(
                    t_in.value - t_out.value,
                    t_in.source,
                    "computed",
                    f"net {sector}",
                    t_in.half + t_out.half,
                )
                yield _difference("transfers_budget", fig, approved, net, settings, sign=1), fig


def _total(sides: list[Side], label: str) -> Side:
    return Side(
        sum((s.value for s in sides), Decimal(0)),
        sides[0].source,
        "facts",
        f"{label} × {len(sides)}",
        sum((s.half for s in sides), Decimal(0)),
        len(sides),
    )


def _same(check: str, fig: Figure, side: Side, settings: Settings) -> Finding:
    """The printed figure against `side`."""
    printed = _published(fig)
    return Finding(
        check,
        subject(fig.figure.measure, fig.figure.phase, fig.dims),
        printed,
        side,
        fig.unit,
        classify(printed, side, settings.tolerance),
    )


def identities(
    dataset: Dataset, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure | None]]:
    """Each key financial line that is a total of others, per table, union and phase."""
    lines: dict[tuple[str, str | None, str | None], dict[str, Side]] = defaultdict(dict)
    printed: dict[tuple[str, str | None, str | None], dict[str, Figure]] = defaultdict(dict)
    for fact in facts(dataset):
        if fact.measure == "key_financial":
            union = fact.dims.get("union")
            key = (fact.source, str(union) if union else None, fact.phase)
            lines[key][str(fact.dims["item"])] = Side(
                fact.amount, fact.source, "facts", str(fact.dims["item"]), fact.half
            )
    for fig in figures:
        p = fig.figure
        if p.measure == "key_financial" and p.item:
            key = (p.source, p.union, p.phase)
            printed[key].setdefault(p.item, fig)
            lines[key].setdefault(p.item, _published(fig))
    stated = stated_identities(dataset.financial_lines)
    for key, known in lines.items():
        values = {line: side.value for line, side in known.items()}
        for identity in stated:
            total_fig = printed[key].get(identity.total)
            total = known.get(identity.total)
            computed = evaluate(identity, values)
            if total is None or computed is None:
                continue
            half = sum((known[line].half for line, _ in identity.parts), Decimal(0))
            parts = " ".join(f"{'+' if sign > 0 else '−'} {line}" for line, sign in identity.parts)
            right = Side(computed, key[0], "computed", parts.lstrip("+ "), half)
            dims = {"item": identity.total} | ({"union": key[1]} if key[1] else {})
            yield (
                Finding(
                    "identity",
                    subject("key_financial", key[2], dims),
                    total,
                    right,
                    FigureUnit.THOUSAND,
                    classify(total, right, settings.tolerance),
                ),
                total_fig,
            )


def variances(
    lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Printed variances (final budget − expenditure), post differences and the
    development expenditure differences (expenditure − P&B)."""
    for fig in figures:
        p = fig.figure
        if p.measure == "variance":
            budget = lookup.value("budget", "adjusted", fig.dims, p.source, fig.excludes)
            spent = lookup.value("expenditure", "executed", fig.dims, p.source, fig.excludes)
        elif p.measure == "posts_difference":
            budget = lookup.value("posts", "adjusted", fig.dims, p.source)
            spent = lookup.value("posts", "approved", fig.dims, p.source)
        elif p.measure == "development_expenditure_difference":
            # printed as expenditure − P&B
            budget = lookup.value("development_expenditure", "executed", fig.dims, p.source)
            spent = lookup.value("development_expenditure", "approved", fig.dims, p.source)
        else:
            continue
        if budget is not None and spent is not None:
            yield _difference(p.measure, fig, budget, spent, settings), fig


def demand_by_year(dataset: Dataset, settings: Settings) -> Iterator[Finding]:
    """A period's demand against the yearly figures printed elsewhere."""
    years = dataset.biennium.years
    yearly: dict[tuple[str, str], dict[int, Side]] = defaultdict(dict)
    for s in dataset.system_indicators:
        if s.period.isdigit() and int(s.period) in years:
            yearly[(s.union, s.measure)][int(s.period)] = Side(
                s.value, s.source, "published", f"{s.measure} {s.period}", half_unit(s.value)
            )
    for v in dataset.demand_volumes:
        found = yearly.get((v.union, v.measure), {})
        if v.phase.value != "actual" or v.year is not None or set(found) != set(years):
            continue
        parts = [found[y] for y in years]
        right = Side(
            sum((p.value for p in parts), Decimal(0)),
            ", ".join(sorted({p.source for p in parts})),
            "published",
            " + ".join(p.ref or "" for p in parts),
            sum((p.half for p in parts), Decimal(0)),
        )
        left = Side(v.value, v.source, "facts", f"{v.union} {v.measure}", half_unit(v.value))
        yield Finding(
            "demand_by_year",
            subject("demand", "actual", {"union": v.union, "item": v.measure}),
            left,
            right,
            FigureUnit.COUNT,
            classify(left, right, settings.tolerance),
        )
