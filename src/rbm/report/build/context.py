"""What every section builder needs: the dataset, the engine's results once, lookups by code,
and the published figures to footnote where the report prints another value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase
from rbm.domain.finance import BudgetFact
from rbm.domain.text import Text
from rbm.engine.finance.grain import ALLOCATED, ANY, Cube
from rbm.engine.finance.rollup import rollup
from rbm.engine.headlines import Headlines, headlines
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.engine.reconcile.facts import Figure, figure
from rbm.i18n import text
from rbm.report.build.narrative import Told, told
from rbm.report.model import Note


@dataclass
class Context:
    """Shared state of one report build; notes are numbered per table as they are added."""

    dataset: Dataset
    notes: dict[str, list[Note]] = field(default_factory=dict)

    @cached_property
    def told(self) -> Told:
        """The narratives not yet placed, by the part they belong to."""
        return told(self.dataset)

    @property
    def langs(self) -> tuple[str, ...]:
        """The report's languages: the package's, in its order."""
        return self.dataset.biennium.settings.languages

    def curated(self, value: str | None) -> Text:
        """A text the package gives in one language only: its first (empty when none)."""
        return Text.of({self.langs[0]: value})

    @cached_property
    def ratings(self) -> RatingReport:
        return rating_report(self.dataset)

    @cached_property
    def headlines(self) -> Headlines:
        return headlines(self.dataset)

    @cached_property
    def dates(self) -> dict[str, object]:
        """The period's dates as titles print them: the last year, the one before it, the
        period and the date its figures stand at."""
        b = self.dataset.biennium
        return {
            "year": str(b.end_year),
            "before": str(b.end_year - 1),
            "period": b.period,
            "date": b.settings.period_end or b.period,
        }

    def unit(self, scale: str) -> Text:
        """A money unit in the package's currency: "one", "thousand" or "million"."""
        return text(f"report.unit.{scale}", currency=self.dataset.biennium.currency_label)

    @cached_property
    def unallocated(self) -> frozenset[str]:
        return frozenset(s.code for s in self.dataset.sectors if s.unallocated)

    @cached_property
    def cube(self) -> Cube:
        parents: dict[str, dict[str, str | None]] = {
            "cost_category": {c.code: c.parent for c in self.dataset.cost_categories},
            "pillar": {r.code: r.pillar for r in self.dataset.results},
        }
        return Cube(self.dataset.all_budget_facts, parents)

    def printed_figure(
        self,
        sources: Iterable[str],
        measure: str,
        phase: str | None,
        dims: Mapping[str, object],
    ) -> Figure | None:
        """A figure the report prints at exactly `dims`, from the first of `sources` with one;
        a dimension at ANY asks for the total of its members (printed as a total that
        excludes the unallocated lines)."""
        every = [d for d, v in dims.items() if v == ANY]
        plain = {d: v for d, v in dims.items() if v != ANY and d != ALLOCATED}
        excludes = None
        if every:
            excludes = ";".join(s.code for s in self.dataset.sectors if s.unallocated) or None
        for source in sources:
            fig = self.printed.get((source, measure, phase, grain_key(plain), excludes))
            if fig is not None:
                return fig
        return None

    def headline(self, measure: str) -> Decimal:
        """The total budget (P&B) or expenditure over all sectors."""
        heads = self.headlines
        return heads.executed if measure == "expenditure" else heads.approved

    @cached_property
    def sectors(self) -> dict[str, Text]:
        return {s.code: s.name for s in self.dataset.sectors}

    @cached_property
    def results(self) -> dict[str, Text]:
        return {r.code: r.title for r in self.dataset.results}

    def result_label(self, code: str) -> Text:
        """An expected result as tables print it: its code, then its title."""
        title = self.results[code]
        return title.prefixed(f"{code} ")

    @cached_property
    def result_items(self) -> list[tuple[str, Text]]:
        """Every expected result as (code, label) rows, in order."""
        return [(r.code, self.result_label(r.code)) for r in self.dataset.results]

    @cached_property
    def printed(self) -> dict[tuple[object, ...], Figure]:
        index: dict[tuple[object, ...], Figure] = {}
        for p in self.dataset.published_figures:
            fig = figure(p)
            index.setdefault((p.source, p.measure, p.phase, grain_key(fig.dims), p.excludes), fig)
        return index

    def facts(self, source: str | Iterable[str], phase: BudgetPhase) -> list[BudgetFact]:
        sources = {source} if isinstance(source, str) else set(source)
        facts = self.dataset.all_budget_facts
        return [f for f in facts if f.source in sources and f.phase == phase]

    def by(self, facts: Iterable[BudgetFact], *dims: str) -> dict[tuple[object, ...], Decimal]:
        return rollup(facts, dims)

    def add_note(self, table: str, note: Text) -> str:
        notes = self.notes.setdefault(table, [])
        for existing in notes:
            if existing.text == note:
                return existing.id
        note_id = chr(ord("a") + len(notes))
        notes.append(Note(note_id, note))
        return note_id

    def table_notes(self, table: str) -> tuple[Note, ...]:
        return tuple(self.notes.get(table, ()))


def grain_key(dims: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """A grain as the index of printed figures keys it."""
    return tuple(sorted((k, str(v)) for k, v in dims.items() if v is not None))
