"""Sums of facts that add up to a claimed total: per source, by decomposition, with the
coverage checks that make two sources comparable."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import SourceKind
from rbm.engine.reconcile.facts import NON_ADDITIVE, Fact, ancestors, facts, hierarchies

SECTOR = "sector"
# Dimensions a cross-source sum may run over, when the other source covers all their values.
SUMMABLE = ("year", "sector", "result", "cost_category", "union")


@dataclass(frozen=True)
class Sum:
    """A total obtained from `parts` facts of one source (or group of sources)."""

    source: str
    amount: Decimal
    half: Decimal
    parts: tuple[Fact, ...]
    grain: frozenset[str]

    @property
    def description(self) -> str:
        return f"{len(self.parts)} × {'×'.join(sorted(self.grain)) or 'total'}"


class Ledger:
    """All facts of a dataset, indexed for matching claims against them."""

    def __init__(self, dataset: Dataset) -> None:
        self.parents = hierarchies(dataset)
        self.unallocated = frozenset(s.code for s in dataset.sectors if s.unallocated)
        kinds = {s.id: s for s in dataset.sources}
        # dashboards of one section form one table; every other source stands alone
        self.group = {
            s.id: (s.part_of if s.kind == SourceKind.DASHBOARD and s.part_of else s.id)
            for s in kinds.values()
        }
        self.by_measure: dict[tuple[str, str | None], list[Fact]] = defaultdict(list)
        # each fact under every (dimension, value) a claim may ask it for (a hierarchy's
        # ancestors included): a claim reads the facts of its rarest value, not all of them,
        # so reconciliation grows with the facts rather than with facts × checks
        self._index: dict[tuple[str, str | None], dict[tuple[str, object], list[Fact]]] = (
            defaultdict(lambda: defaultdict(list))
        )
        for fact in facts(dataset):
            key = (fact.measure, fact.phase)
            self.by_measure[key].append(fact)
            for dim, have in fact.dims.items():
                for value in self._values(dim, have):
                    self._index[key][(dim, value)].append(fact)
        self._matched: dict[tuple[object, ...], tuple[Fact, ...]] = {}

    def _values(self, dim: str, have: object) -> list[object]:
        if dim in self.parents and isinstance(have, str):
            return list(ancestors(self.parents[dim], have))
        return [have]

    def group_of(self, source: str) -> str:
        return self.group.get(source, source)

    def _matches(self, fact: Fact, measure: str, dims: Mapping[str, object]) -> bool:
        non_additive = NON_ADDITIVE.get(measure, frozenset())
        for dim in non_additive:
            if fact.dims.get(dim) != dims.get(dim):
                return False
        for dim, value in dims.items():
            have = fact.dims.get(dim)
            if have is None:
                return False
            if dim in self.parents and isinstance(have, str):
                if value not in ancestors(self.parents[dim], have):
                    return False
            elif have != value:
                return False
        return True

    def matching(
        self,
        measure: str,
        phase: str | None,
        dims: Mapping[str, object],
        excludes: frozenset[str] = frozenset(),
    ) -> tuple[Fact, ...]:
        """The facts of a measure and phase that a claim at `dims` includes."""
        key = (measure, phase, tuple(sorted(dims.items(), key=lambda kv: kv[0])), excludes)
        found = self._matched.get(key)
        if found is None:
            index = self._index.get((measure, phase), {})
            lists = [index.get((dim, value), []) for dim, value in dims.items()]
            candidates = min(lists, key=len) if lists else self.by_measure.get((measure, phase), [])
            found = tuple(
                f
                for f in candidates
                if self._matches(f, measure, dims)
                and f.dims.get(SECTOR) not in excludes
                and f.dims.get("item") not in excludes
            )
            self._matched[key] = found
        return found

    def sums(
        self,
        measure: str,
        phase: str | None,
        dims: Mapping[str, object],
        *,
        sources: Iterable[str] | None = None,
        excludes: frozenset[str] = frozenset(),
        group: bool = False,
    ) -> list[Sum]:
        """Every way the facts of each source add up to the claim `dims`.

        A source's facts are split by grain (their dimensions other than the sector); each
        grain is one decomposition, joined by the facts of sectors it lacks that the source
        gives at a coarser grain (e.g. a table's unallocated line, printed as one figure).
        """
        wanted = None if sources is None else set(sources)
        by_source: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.matching(measure, phase, dims, excludes):
            key = self.group_of(fact.source) if group else fact.source
            if wanted is None or key in wanted:
                by_source[key].append(fact)
        out = []
        for source, found in by_source.items():
            grains = {_grain(f) for f in found}
            for grain in grains:
                if any(grain < other for other in grains):
                    continue
                parts = tuple(
                    f
                    for f in found
                    if _grain(f) == grain or (_grain(f) < grain and SECTOR in f.dims)
                )
                out.append(
                    Sum(
                        source,
                        sum((f.amount for f in parts), Decimal(0)),
                        sum((f.half for f in parts), Decimal(0)),
                        parts,
                        grain | ({SECTOR} if any(SECTOR in f.dims for f in parts) else set()),
                    )
                )
        return out

    def covers(
        self,
        candidate: Sum,
        measure: str,
        phase: str | None,
        dims: Mapping[str, object],
        excludes: frozenset[str],
        own: bool = False,
    ) -> bool:
        """Whether a sum runs over every value the claim includes, for each summed dimension.

        A part without the dimension stands for all its other values, so it completes it.
        `own` says the sum comes from the claim's own table.
        """
        everything = self.matching(measure, phase, dims, excludes)
        for dim in candidate.grain - set(dims):
            # a table may add up its own items (grades, categories); another table's items
            # are a different population (e.g. the promotion resources within a result)
            if dim not in SUMMABLE and not (own and dim == "item"):
                return False
            if any(dim not in f.dims for f in candidate.parts):
                continue
            values = {self._top(dim, f.dims[dim]) for f in everything if dim in f.dims and f.amount}
            have = {
                self._top(dim, f.dims[dim]) for f in candidate.parts if dim in f.dims and f.amount
            }
            if have != values:
                return False
        return True

    def _top(self, dim: str, value: object) -> object:
        if dim in self.parents and isinstance(value, str):
            return ancestors(self.parents[dim], value)[-1]
        return value


def _grain(fact: Fact) -> frozenset[str]:
    return frozenset(d for d in fact.dims if d != SECTOR)
