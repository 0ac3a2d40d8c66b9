"""Cells found by grain: a measure at a set of dimension values is the figure stored at
exactly that grain when there is one, otherwise the rollup of the finer facts below it.

Budget facts overlap: one organization stores a ledger at the finest grain, another stores
each printed table (result × sector, sector × cost category...) as facts of its own source.
A rollup therefore sums one *breakdown*: the facts of one source at one set of dimensions,
so the same money is never counted twice. `prefer` names the sources to use first (shell
patterns such as "dashboard-*", one breakdown across every source it matches); otherwise
the finest breakdown wins.

>>> from rbm.domain.enums import BudgetPhase as P, Unit
>>> from rbm.domain.finance import BudgetFact
>>> def f(sector, result, amount, source="ledger"):
...     return BudgetFact(P.EXECUTED, None, sector, result, None, None, None,
...                       Decimal(amount), Unit.THOUSAND, source)
>>> cube = Cube((f("a", "1", 5), f("a", "2", 7), f("a", None, 13, "printed")))
>>> cube.cell(P.EXECUTED, {"sector": "a"}).value, cube.cell(P.EXECUTED, {"sector": "a"}).how
(Decimal('13'), 'stored')
>>> cube.cell(P.EXECUTED, {"result": "2"}).value, cube.cell(P.EXECUTED, {"result": "2"}).how
(Decimal('7'), 'rolled_up')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Literal

from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.money import convert

FACT_DIMENSIONS = ("year", "sector", "result", "cost_category", "union", "funding")
ANY = "*"  # a grain value: every member of the dimension (facts that leave it empty excluded)
ALLOCATED = "allocated"  # a grain key: the allocated sectors only, as totals that leave out
# the unallocated lines are printed
DERIVED = {"pillar": "result"}  # a dimension computed from another through its parent map

Grain = Mapping[str, object]
How = Literal["stored", "rolled_up", "none"]


@dataclass(frozen=True)
class Cell:
    """A value and where it comes from: stored at the grain, rolled up, or nothing."""

    value: Decimal | None
    how: How
    sources: tuple[str, ...] = ()
    facts: int = 0


@dataclass(frozen=True)
class Cube:
    """Budget facts with the hierarchies that place a code under another (cost category →
    its parent, result → its pillar)."""

    facts: tuple[BudgetFact, ...]
    parents: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    unit: Unit = Unit.THOUSAND

    @cached_property
    def _by_phase(self) -> dict[BudgetPhase, list[BudgetFact]]:
        out: dict[BudgetPhase, list[BudgetFact]] = defaultdict(list)
        for fact in self.facts:
            out[fact.phase].append(fact)
        return out

    def cell(
        self,
        phase: BudgetPhase,
        grain: Grain,
        prefer: Sequence[str] = (),
        only: bool = False,
        without: Mapping[str, frozenset[str]] | None = None,
    ) -> Cell:
        """The measure of `phase` at `grain` (dimension → value; absent means all); with
        `only`, facts of the `prefer` sources alone count; `without` leaves out the facts of
        some codes (e.g. the unallocated sector)."""
        wanted = {k: v for k, v in grain.items() if v is not None}
        matching = [f for f in self._candidates(phase, wanted) if self._matches(f, wanted)]
        for dim, codes in (without or {}).items():
            matching = [f for f in matching if getattr(f, dim) not in codes]
        if only and prefer:
            matching = [f for f in matching if any(fnmatchcase(f.source, p) for p in prefer)]
        exact = [f for f in matching if _at(f, wanted)]
        if exact:
            return self._cell(_choose(_groups(exact, prefer)), "stored")
        if not matching:
            return Cell(None, "none")
        return self._cell(_choose(_groups(matching, prefer)), "rolled_up")

    @cached_property
    def _index(self) -> dict[tuple[BudgetPhase, str, str], list[BudgetFact]]:
        """Each fact under every (phase, dimension, value) a grain may ask it for: its code,
        the codes above it, `ANY`; a derived dimension under the code it derives."""
        index: dict[tuple[BudgetPhase, str, str], list[BudgetFact]] = defaultdict(list)
        for fact in self.facts:
            for dim in FACT_DIMENSIONS:
                code = getattr(fact, dim)
                if code is not None:
                    for value in (ANY, *self._lineage(dim, code)):
                        index[(fact.phase, dim, value)].append(fact)
            for dim, base in DERIVED.items():
                code = getattr(fact, base)
                parent = None if code is None else self.parents.get(dim, {}).get(str(code))
                if parent is not None:
                    index[(fact.phase, dim, ANY)].append(fact)
                    index[(fact.phase, dim, str(parent))].append(fact)
        return index

    def _lineage(self, dim: str, code: object) -> dict[str, None]:
        """`code` and the codes above it in the dimension's hierarchy, each once."""
        parents = self.parents.get(dim, {})
        lineage: dict[str, None] = {}
        current: object = code
        while current is not None and str(current) not in lineage:
            lineage[str(current)] = None
            current = parents.get(str(current))
        return lineage

    def _candidates(self, phase: BudgetPhase, wanted: Mapping[str, object]) -> Sequence[BudgetFact]:
        """The facts that may match: those under the grain's rarest value, in their order,
        so that a cell costs the facts it may concern rather than all of them."""
        lists = [
            self._index.get((phase, dim, str(value)), [])
            for dim, value in wanted.items()
            if dim in FACT_DIMENSIONS or dim in DERIVED
        ]
        return min(lists, key=len) if lists else self._by_phase.get(phase, [])

    def _cell(self, facts: list[BudgetFact], how: How) -> Cell:
        total = sum((convert(f.amount, f.unit, self.unit) for f in facts), Decimal(0))
        sources = tuple(dict.fromkeys(f.source for f in facts))
        return Cell(total, how, sources, len(facts))

    def _matches(self, fact: BudgetFact, wanted: Mapping[str, object]) -> bool:
        for dim, value in wanted.items():
            base = DERIVED.get(dim)
            if base is not None:
                code = getattr(fact, base)
                parent = None if code is None else self.parents.get(dim, {}).get(str(code))
                if parent is None or (value != ANY and parent != str(value)):
                    return False
            elif not self._within(dim, getattr(fact, dim), value):
                return False
        return True

    def _within(self, dim: str, code: object, value: object) -> bool:
        """`code` is `value` or lies under it in the dimension's hierarchy."""
        if value == ANY:
            return code is not None
        parents = self.parents.get(dim, {})
        seen = 0
        while code is not None and seen <= len(parents):
            if code == value or str(code) == str(value):
                return True
            code, seen = parents.get(str(code)), seen + 1
        return False


def _at(fact: BudgetFact, wanted: Mapping[str, object]) -> bool:
    """The fact is stored at exactly the grain: the same dimensions, the same codes."""
    return _dims(fact) == set(wanted) and all(
        str(getattr(fact, d)) == str(v) for d, v in wanted.items()
    )


def _dims(fact: BudgetFact) -> set[str]:
    return {d for d in FACT_DIMENSIONS if getattr(fact, d) is not None}


Group = tuple[int, str, frozenset[str]]


def _groups(facts: list[BudgetFact], prefer: Sequence[str]) -> dict[Group, list[BudgetFact]]:
    """Facts by breakdown: the facts of one preferred pattern (which may span several
    sources, such as one dashboard per sector) or of one other source, at one set of
    dimensions."""
    groups: dict[Group, list[BudgetFact]] = {}
    for fact in facts:
        rank = next((i for i, p in enumerate(prefer) if fnmatchcase(fact.source, p)), len(prefer))
        source = prefer[rank] if rank < len(prefer) else fact.source
        groups.setdefault((rank, source, frozenset(_dims(fact))), []).append(fact)
    return groups


def _choose(groups: dict[Group, list[BudgetFact]]) -> list[BudgetFact]:
    """One breakdown: the first preferred, else the finest (most dimensions, then most
    facts); ties keep the facts' order."""
    return groups[min(groups, key=lambda g: (g[0], -len(g[2]), -len(groups[g])))]
