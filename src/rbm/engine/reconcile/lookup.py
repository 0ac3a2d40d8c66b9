"""Finding the inputs of a printed ratio: the same table's own figures first, then its facts,
then what other sources print or sum to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rbm.engine.reconcile.facts import Figure
from rbm.engine.reconcile.findings import Side
from rbm.engine.reconcile.ledger import Ledger

Key = tuple[str, str | None, tuple[tuple[str, str], ...], frozenset[str]]


def _key(
    measure: str, phase: str | None, dims: Mapping[str, object], excludes: frozenset[str]
) -> Key:
    return (measure, phase, tuple(sorted((k, str(v)) for k, v in dims.items())), excludes)


class Lookup:
    def __init__(self, ledger: Ledger, figures: list[Figure]) -> None:
        self.ledger = ledger
        self.published: dict[Key, list[Figure]] = defaultdict(list)
        for fig in figures:
            p = fig.figure
            self.published[_key(p.measure, p.phase, fig.dims, fig.excludes)].append(fig)

    def value(
        self,
        measure: str,
        phase: str | None,
        dims: Mapping[str, object],
        source: str,
        excludes: frozenset[str] = frozenset(),
    ) -> Side | None:
        """The best available value of a cell for a figure printed in `source`."""
        candidates = self.published.get(_key(measure, phase, dims, excludes), [])
        for fig in candidates:
            if fig.figure.source == source:
                return _published(fig)
        own = [
            s
            for s in self.ledger.sums(measure, phase, dims, sources=[source], excludes=excludes)
            if self.ledger.covers(s, measure, phase, dims, excludes, own=True)
        ]
        if own:
            return Side(own[0].amount, source, "facts", own[0].description, own[0].half)
        if candidates:
            return _published(candidates[0])
        for total in self.ledger.sums(measure, phase, dims, excludes=excludes, group=True):
            if self.ledger.covers(total, measure, phase, dims, excludes):
                return Side(total.amount, total.source, "facts", total.description, total.half)
        return None


def _published(fig: Figure) -> Side:
    return Side(fig.amount, fig.figure.source, "published", fig.figure.id, fig.half)
