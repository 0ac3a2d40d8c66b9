"""An Open Fiscal Data Package of a dataset's budget facts and income: one table whose measures
are the phases (approved, adjusted, executed) of expenditure and of revenue, in the package's
currency, and whose dimensions are year, sector, expected result, cost category, income
category, and union and funding where the package has them.

Each row is one fact at the grain its source gives it (an empty dimension means "all"), so a
reader sums a measure only over rows of one grain; the `grain` column names it."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, IncomePhase
from rbm.domain.money import FACTORS
from rbm.domain.text import Text

DATA = "data/fiscal.csv"
RESOURCE = "fiscal"
PHASES = tuple(p.value for p in BudgetPhase)  # approved, adjusted, executed
# an income estimate is what was approved, its update the adjusted figure, the actual executed
INCOME_PHASES: dict[IncomePhase, BudgetPhase] = {
    IncomePhase.ESTIMATE: BudgetPhase.APPROVED,
    IncomePhase.UPDATED: BudgetPhase.ADJUSTED,
    IncomePhase.ACTUAL: BudgetPhase.EXECUTED,
}
DIRECTIONS = ("expenditure", "revenue")


@dataclass(frozen=True)
class Dimension:
    """A dimension of the model: its code column, its labels and its FDP dimension type."""

    name: str
    column: str
    kind: str
    labels: dict[str, Text]  # code → its name, for the label columns
    classification: str | None = None


def write_ofdp(dataset: Dataset, out: Path) -> list[Path]:
    """Write `datapackage.json` and its CSV into `out`; the paths written."""
    langs = dataset.biennium.settings.languages
    dimensions = _dimensions(dataset)
    header = _header(dimensions, langs)
    rows = [*_expenditure(dataset), *_revenue(dataset)]
    data = out / DATA
    data.parent.mkdir(parents=True, exist_ok=True)
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(_cells(row, dimensions, langs, header))
    descriptor = out / "datapackage.json"
    text = json.dumps(_descriptor(dataset, dimensions, header), ensure_ascii=False, indent=2)
    descriptor.write_text(text + "\n", encoding="utf-8")
    return [descriptor, data]


def _dimensions(dataset: Dataset) -> list[Dimension]:
    """The dimensions of the model; union and funding only where some fact has one."""
    facts = dataset.all_budget_facts
    incomes = dataset.income_facts
    found = [
        Dimension("year", "year", "datetime", {}),
        Dimension(
            "sector",
            "sector",
            "classification",
            {s.code: s.name for s in dataset.sectors},
            "administrative",
        ),
        Dimension(
            "expected_result",
            "result",
            "activity",
            {r.code: r.title for r in dataset.results},
        ),
        Dimension(
            "cost_category",
            "cost_category",
            "classification",
            {c.code: c.name for c in dataset.cost_categories},
            "economic",
        ),
    ]
    if incomes:
        found.append(
            Dimension(
                "income_category",
                "income_category",
                "classification",
                {c.code: c.name for c in dataset.income_categories},
                "revenue",
            )
        )
    if any(f.union for f in facts) or any(i.union for i in incomes):
        found.append(Dimension("union", "union", "other", {u.code: u.name for u in dataset.unions}))
    if any(f.funding for f in facts):
        found.append(Dimension("funding", "funding", "other", {}))
    return found


def _label_column(dimension: Dimension, lang: str) -> str:
    return f"{dimension.column}_name_{lang}"


def _header(dimensions: Sequence[Dimension], langs: Sequence[str]) -> list[str]:
    columns = ["direction", "grain"]
    for dimension in dimensions:
        columns.append(dimension.column)
        if dimension.labels:
            columns.extend(_label_column(dimension, lang) for lang in langs)
    columns.append("source")
    columns.extend(_measure_column(d, p) for d in DIRECTIONS for p in PHASES)
    return columns


def _measure_column(direction: str, phase: str) -> str:
    return phase if direction == "expenditure" else f"revenue_{phase}"


MEASURE_COLUMNS = frozenset(_measure_column(d, p) for d in DIRECTIONS for p in PHASES)


Row = dict[str, Any]


def _money(amount: Decimal, factor: Decimal) -> str:
    """An amount in units of the currency, written in full (no exponent)."""
    value = amount * factor
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _expenditure(dataset: Dataset) -> Iterable[Row]:
    """Budget facts, one row for each fact's dimensions and source, a column per phase."""
    rows: dict[tuple[object, ...], Row] = {}
    for fact in dataset.all_budget_facts:
        dims = {
            "year": fact.year,
            "sector": fact.sector,
            "result": fact.result,
            "cost_category": fact.cost_category,
            "union": fact.union,
            "funding": fact.funding,
        }
        key = (*dims.values(), fact.source)
        row = rows.setdefault(key, {"direction": "expenditure", **dims, "source": fact.source})
        row[_measure_column("expenditure", fact.phase.value)] = _money(
            fact.amount, FACTORS[fact.unit]
        )
    return rows.values()


def _revenue(dataset: Dataset) -> Iterable[Row]:
    rows: dict[tuple[object, ...], Row] = {}
    for fact in dataset.income_facts:
        dims = {"year": fact.year, "income_category": fact.category, "union": fact.union}
        key = (*dims.values(), fact.source)
        row = rows.setdefault(key, {"direction": "revenue", **dims, "source": fact.source})
        phase = INCOME_PHASES[fact.phase].value
        row[_measure_column("revenue", phase)] = _money(fact.amount, FACTORS[fact.unit])
    return rows.values()


def _grain(row: Row, dimensions: Sequence[Dimension]) -> str:
    """The dimensions a row is broken down by, `+`-joined ("" for a grand total)."""
    return "+".join(d.name for d in dimensions if row.get(d.column) not in (None, ""))


def _cells(
    row: Row, dimensions: Sequence[Dimension], langs: Sequence[str], header: Sequence[str]
) -> list[str]:
    values: dict[str, object] = {**row, "grain": _grain(row, dimensions)}
    for dimension in dimensions:
        code = row.get(dimension.column)
        label = dimension.labels.get(str(code)) if code is not None else None
        for lang in langs if dimension.labels else ():
            values[_label_column(dimension, lang)] = label.exact(lang) if label else ""
    return ["" if values.get(c) is None else str(values[c]) for c in header]


def _name(dataset: Dataset) -> str:
    """A package name as Data Package names go: lower case letters, digits, `-`, `_`, `.`."""
    b = dataset.biennium
    raw = f"{b.organization}-{b.code}-fiscal".lower()
    return re.sub(r"[^a-z0-9._-]+", "-", raw).strip("-") or "fiscal"


def _field(name: str) -> dict[str, Any]:
    if name == "year":
        return {"name": name, "type": "integer"}
    if name in MEASURE_COLUMNS:
        return {"name": name, "type": "number"}
    if name == "direction":
        return {"name": name, "type": "string", "constraints": {"enum": list(DIRECTIONS)}}
    return {"name": name, "type": "string"}


def _descriptor(
    dataset: Dataset, dimensions: Sequence[Dimension], header: Sequence[str]
) -> dict[str, Any]:
    b = dataset.biennium
    langs = b.settings.languages
    title = Text.join(" ", b.organization_name, b.period)
    measures = {
        f"{direction}_{phase}": {
            "source": _measure_column(direction, phase),
            "resource": RESOURCE,
            "currency": b.currency,
            "factor": 1,
            "direction": direction,
            "phase": phase,
        }
        for direction in DIRECTIONS
        if direction == "expenditure" or dataset.income_facts
        for phase in PHASES
    }
    return {
        "profile": "tabular-data-package",
        "name": _name(dataset),
        "title": title.get(langs[0]),
        "rbm": {
            "organization": b.organization,
            "biennium": b.code,
            "languages": list(langs),
            "titles": {lang: title.get(lang) for lang in langs},
        },
        "resources": [
            {
                "name": RESOURCE,
                "path": DATA,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [_field(c) for c in header], "missingValues": [""]},
            }
        ],
        "model": {
            "measures": measures,
            "dimensions": {d.name: _model_dimension(d, langs) for d in dimensions},
        },
    }


def _model_dimension(dimension: Dimension, langs: Sequence[str]) -> dict[str, Any]:
    attributes: dict[str, Any] = {"code": {"source": dimension.column, "resource": RESOURCE}}
    if dimension.labels:
        for lang in langs:
            attributes[f"name_{lang}"] = {
                "source": _label_column(dimension, lang),
                "resource": RESOURCE,
                "labelfor": "code",
            }
    out: dict[str, Any] = {
        "attributes": attributes,
        "primaryKey": ["code"],
        "dimensionType": dimension.kind,
    }
    if dimension.classification:
        out["classificationType"] = dimension.classification
    return out
