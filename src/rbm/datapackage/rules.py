"""Business rules over a parsed package; each broken rule is an error with its position."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from rbm.datapackage.cells import format_decimal
from rbm.datapackage.descriptor import DESCRIPTOR
from rbm.datapackage.errors import DataError
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FootnoteScope, NarrativeRef, Unit
from rbm.domain.money import convert
from rbm.engine.finance.identities import parse
from rbm.engine.rating.marks import allowed

Lines = dict[str, list[int]]


class _Node(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


Files = dict[str, str]


def check_rules(dataset: Dataset, lines: Lines, files: Files) -> list[DataError]:
    """Every rule's errors; `lines` and `files` locate a record of a resource."""
    return [
        *_negative_expenditure(dataset, lines, files),
        *_transfers_balance(dataset, files),
        *_footnote_refs(dataset, lines, files),
        *_narrative_refs(dataset, lines, files),
        *_hierarchy_cycles("cost_categories", dataset.cost_categories, lines, files),
        *_hierarchy_cycles("income_categories", dataset.income_categories, lines, files),
        *_single_unallocated(dataset, lines, files),
        *mark_errors(dataset, lines, files),
        *_formula_errors(dataset, lines, files),
        *_headline_errors(dataset),
    ]


def _headline_errors(dataset: Dataset) -> Iterable[DataError]:
    """The summary's lines are lines of the package."""
    codes = {line.code for line in dataset.financial_lines}
    for i, code in enumerate(dataset.biennium.settings.headlines):
        if code not in codes:
            yield DataError(
                "foreign-key",
                DESCRIPTOR,
                None,
                f"rbm.headlines.{i}",
                code,
                {"resource": "financial_lines", "fields": "code"},
            )


def _formula_errors(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    """A line's formula parses and sums other lines of the package, none of them itself."""
    codes = {line.code for line in dataset.financial_lines}
    for i, line in enumerate(dataset.financial_lines):
        if not line.formula:
            continue
        parsed = parse(line.code, line.formula)
        unknown = (
            [parsed]
            if isinstance(parsed, str)
            else [
                part
                for identity in parsed
                for part, _ in identity.parts
                if part not in codes or part == line.code
            ]
        )
        if unknown:
            yield DataError(
                "formula-error",
                files["financial_lines"],
                lines["financial_lines"][i],
                "formula",
                line.formula,
                {"found": ", ".join(unknown)},
            )


def _negative_expenditure(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    for i, fact in enumerate(dataset.budget_facts):
        if fact.phase == BudgetPhase.EXECUTED and fact.amount < 0:
            yield DataError(
                "negative-expenditure",
                files["budget_facts"],
                lines["budget_facts"][i],
                "amount",
                format_decimal(fact.amount),
            )


def _transfers_balance(dataset: Dataset, files: Files) -> Iterable[DataError]:
    """Transfers move budget between sectors: what comes in must go out somewhere."""
    if not dataset.transfers:
        return
    net = sum(
        (convert(t.transfers_in - t.transfers_out, t.unit, Unit.ONE) for t in dataset.transfers),
        Decimal(0),
    )
    if net != 0:
        yield DataError(
            "transfers-unbalanced",
            files["transfers"],
            None,
            "transfers_in, transfers_out",
            format_decimal(net),
        )


def mark_errors(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    """Every published mark of a PIE is one the package's `marks` setting defines."""
    marks = dataset.biennium.settings.marks
    for i, pie in enumerate(dataset.pies):
        if pie.published_mark is not None and pie.published_mark not in marks:
            yield DataError(
                "enum-error",
                files["pies"],
                lines["pies"][i],
                "published_mark",
                pie.published_mark,
                {"allowed": allowed(marks)},
            )


def _footnote_refs(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    known: dict[FootnoteScope, set[str]] = {
        FootnoteScope.INDICATOR: {x.id for x in dataset.indicators},
        FootnoteScope.PIE: {x.id for x in dataset.pies},
        FootnoteScope.RISK: {x.id for x in dataset.risks},
        FootnoteScope.SOURCE: {x.id for x in dataset.sources},
        FootnoteScope.PROJECT: {x.id for x in dataset.capital_projects},
    }
    for i, note in enumerate(dataset.footnotes):
        if note.ref not in known[note.scope]:
            yield DataError(
                "footnote-ref",
                files["footnotes"],
                lines["footnotes"][i],
                "ref",
                note.ref,
                {"scope": note.scope.value},
            )


def _narrative_refs(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    """A narrative's figure is compared with a PIE or a printed figure that exists."""
    pies = {x.id for x in dataset.pies}
    known: dict[NarrativeRef, tuple[str, set[str]]] = {
        NarrativeRef.PIE_BASELINE: ("pies", pies),
        NarrativeRef.PIE_ACTUAL: ("pies", pies),
        NarrativeRef.PUBLISHED: ("published_figures", {x.id for x in dataset.published_figures}),
    }
    for i, figure in enumerate(dataset.narrative_figures):
        resource, ids = known[figure.compares]
        if figure.ref not in ids:
            yield DataError(
                "foreign-key",
                files["narrative_figures"],
                lines["narrative_figures"][i],
                "ref",
                figure.ref,
                {"fields": "id", "resource": resource},
            )


def _hierarchy_cycles(
    resource: str, nodes: Sequence[_Node], lines: Lines, files: Files
) -> Iterable[DataError]:
    parent = {n.code: n.parent for n in nodes}
    for i, code in enumerate(parent):
        seen = {code}
        current = parent[code]
        while current is not None and current in parent:
            if current in seen:
                yield DataError(
                    "hierarchy-cycle", files[resource], lines[resource][i], "parent", code
                )
                break
            seen.add(current)
            current = parent[current]


def _single_unallocated(dataset: Dataset, lines: Lines, files: Files) -> Iterable[DataError]:
    flagged = [i for i, s in enumerate(dataset.sectors) if s.unallocated]
    for i in flagged[1:]:
        yield DataError(
            "unallocated-sector",
            files["sectors"],
            lines["sectors"][i],
            "unallocated",
            dataset.sectors[i].code,
        )
