"""The records the workflow lets people edit: which fields, which action each needs, whose
sectors a record belongs to, and turning submitted text into typed values.

    pie          performance data and the assessor's rating (focal point of its sectors,
                 planner); baseline and target (planner)
    risk         evolution and the risk and mitigation texts (focal point of its owner
                 sector, planner)
    indicator    its text (planner)
    highlight    a pillar's "results at a glance" figure and text (planner)
    budget_fact  the amount (planner)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from rbm.datapackage.cells import CellContext, Problem, parse_cell
from rbm.datapackage.fields import Field
from rbm.datapackage.resources import RESOURCES
from rbm.domain.workflow import Action
from rbm.store.tables import BIENNIUM, POSITION, TABLES

Sectors = Callable[[sa.Connection, str, str], list[str]]

PERFORMANCE = Action.EDIT_PERFORMANCE
FRAMEWORK = Action.EDIT_FRAMEWORK


def _pie_sectors(connection: sa.Connection, biennium: str, pie: str) -> list[str]:
    pies, links = TABLES["pies"], TABLES["indicator_sectors"]
    query = (
        sa.select(links.c.sector)
        .join(
            pies, (pies.c.indicator == links.c.indicator) & (pies.c[BIENNIUM] == links.c[BIENNIUM])
        )
        .where(pies.c[BIENNIUM] == biennium, pies.c.id == pie)
    )
    return list(connection.execute(query).scalars())


def _risk_sectors(connection: sa.Connection, biennium: str, risk: str) -> list[str]:
    risks = TABLES["risks"]
    query = sa.select(risks.c.owner_sector).where(risks.c[BIENNIUM] == biennium, risks.c.id == risk)
    return [s for s in connection.execute(query).scalars() if s]


def _no_sectors(connection: sa.Connection, biennium: str, record: str) -> list[str]:
    return []


@dataclass(frozen=True)
class Entity:
    """An editable kind of record: its resource, key column, fields and owners."""

    name: str
    resource: str
    key: str
    fields: Mapping[str, Action]  # column → the action editing it needs
    sectors: Sectors
    stateful: bool = False  # has a workflow state (draft → submitted → …)

    @property
    def table(self) -> sa.Table:
        return TABLES[self.resource]

    def where(self, biennium: str, record: str) -> sa.ColumnElement[bool]:
        key = self.table.c[self.key]
        if self.key != POSITION:
            return (self.table.c[BIENNIUM] == biennium) & (key == record)
        if not record.isdigit() or len(record) > 9:
            return sa.false()
        return (self.table.c[BIENNIUM] == biennium) & (key == int(record))

    def spec(self, column: str) -> Field:
        resource = next(r for r in RESOURCES if r.name == self.resource)
        return next(f for f in resource.fields if column in f.columns)


ENTITIES: dict[str, Entity] = {
    "pie": Entity(
        "pie",
        "pies",
        "id",
        {
            "actual_text": PERFORMANCE,
            "actual_value": PERFORMANCE,
            "actual_unit": PERFORMANCE,
            "actual_period": PERFORMANCE,
            "actual_flags": PERFORMANCE,
            "assessor_rating": PERFORMANCE,
            "assessor_justification_zh": PERFORMANCE,
            "assessor_justification_en": PERFORMANCE,
            "baseline_text": FRAMEWORK,
            "baseline_value": FRAMEWORK,
            "target_text": FRAMEWORK,
            "target_kind": FRAMEWORK,
            "target_params": FRAMEWORK,
        },
        _pie_sectors,
        stateful=True,
    ),
    "risk": Entity(
        "risk",
        "risks",
        "id",
        {
            "materialized": PERFORMANCE,
            "exposure": PERFORMANCE,
            "effectiveness": PERFORMANCE,
            "impact": PERFORMANCE,
            "risk_zh": PERFORMANCE,
            "risk_en": PERFORMANCE,
            "mitigation_zh": PERFORMANCE,
            "mitigation_en": PERFORMANCE,
        },
        _risk_sectors,
    ),
    "indicator": Entity(
        "indicator", "indicators", "id", {"text_zh": FRAMEWORK, "text_en": FRAMEWORK}, _no_sectors
    ),
    "highlight": Entity(
        "highlight",
        "highlights",
        "id",
        {"figure": FRAMEWORK, "text_zh": FRAMEWORK, "text_en": FRAMEWORK},
        _no_sectors,
    ),
    # a budget figure is addressed by its row's place in the package: stable across reloads
    "budget_fact": Entity(
        "budget_fact", "budget_facts", POSITION, {"amount": FRAMEWORK}, _no_sectors
    ),
}


class InvalidValue(Exception):
    """A submitted value that does not fit its field: the field, the value and the problem."""

    def __init__(self, field: str, value: str, problem: Problem) -> None:
        super().__init__(field, value, problem.type)
        self.field = field
        self.value = value
        self.problem = problem


def parse_changes(
    entity: Entity, raw: Mapping[str, str], context: CellContext
) -> dict[str, object]:
    """Typed values for the submitted text of each field; "" clears an optional field."""
    values: dict[str, object] = {}
    for column, text in raw.items():
        if column not in entity.fields:
            raise InvalidValue(column, text, Problem("unknown-field"))
        spec = entity.spec(column)
        text = text.strip()
        if not text:
            if spec.required and column == spec.columns[0]:
                raise InvalidValue(column, text, Problem("required"))
            values[column] = None
            continue
        if spec.kind == "text":
            values[column] = text
            continue
        parsed = parse_cell(spec, text, context)
        if isinstance(parsed, Problem):
            raise InvalidValue(column, text, parsed)
        values[column] = parsed
    return values
