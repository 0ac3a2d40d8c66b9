"""The records the workflow lets people edit: which fields, which action each needs, whose
sectors a record belongs to, and turning submitted text into typed values.

    pie          performance data and the assessor's rating (focal point of its sectors,
                 planner); baseline and target (planner)
    risk         evolution and the risk and mitigation texts (focal point of its owner
                 sector, planner)
    indicator    its text (planner)
    highlight    a pillar's "results at a glance" figure and text (planner)
    budget_fact  the amount (planner)

A record has one id, its canonical form: the key as the package writes it, and a budget
figure's row number in ASCII digits without leading zeros. Any other spelling ("00", "٠",
"０" for row 0) names no record, so one row never gets a second version or audit trail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from rbm.datapackage.cells import CellContext, Problem, parse_cell
from rbm.datapackage.fields import Field
from rbm.datapackage.resources import RESOURCES
from rbm.domain.workflow import Action
from rbm.store.tables import BIENNIUM, POSITION, TABLES

Sectors = Callable[[sa.Connection, str, str], list[str]]

# a row number as the store keys it: ASCII digits, no leading zero, below 10**9
POSITION_ID = re.compile(r"0|[1-9][0-9]{0,8}")
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
    editable: Mapping[str, Action]  # field → the action editing it needs
    sectors: Sectors
    stateful: bool = False  # has a workflow state (draft → submitted → …)

    def fields(self, langs: Sequence[str]) -> dict[str, Action]:
        """The names a form or the API edits, each with its action: a text field's name
        per language (`risk_en`), the others' own."""
        return {
            name: action
            for field, action in self.editable.items()
            for name in self.spec(field).columns(langs)
        }

    def resolve(self, name: str) -> tuple[str, str | None] | None:
        """The field an edited name stands for, and the language of a text field's name."""
        if name in self.editable and self.spec(name).kind != "text":
            return name, None
        field, _, lang = name.rpartition("_")
        if field in self.editable and self.spec(field).kind == "text" and lang:
            return field, lang
        return None

    def action(self, name: str) -> Action:
        found = self.resolve(name)
        assert found is not None
        return self.editable[found[0]]

    @property
    def table(self) -> sa.Table:
        return TABLES[self.resource]

    def is_canonical(self, record: str) -> bool:
        """Whether `record` is written the one way the store keys this kind of record."""
        if self.key == POSITION:
            return POSITION_ID.fullmatch(record) is not None
        spec = self.spec(self.key)
        if spec.max_length is not None and len(record) > spec.max_length:
            return False
        if spec.pattern is None:
            return bool(record) and "\x00" not in record
        return re.fullmatch(spec.pattern, record) is not None

    def canonical(self, record: str) -> str | None:
        """The canonical id `record` is another spelling of (a row number in other digits or
        with leading zeros), itself when it is canonical, or None."""
        if self.is_canonical(record):
            return record
        if self.key == POSITION and record.isdecimal() and len(record) <= 64:
            position = str(int(record))  # int() reads the decimal digits of every script
            return position if self.is_canonical(position) else None
        return None

    def where(self, biennium: str, record: str) -> sa.ColumnElement[bool]:
        """The row of `record`; none for an id that is not canonical."""
        if not self.is_canonical(record):
            return sa.false()
        key = self.table.c[self.key]
        value: str | int = int(record) if self.key == POSITION else record
        return (self.table.c[BIENNIUM] == biennium) & (key == value)

    def spec(self, field: str) -> Field:
        resource = next(r for r in RESOURCES if r.name == self.resource)
        return resource.by_name[field]


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
            "assessor_justification": PERFORMANCE,
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
            "risk": PERFORMANCE,
            "mitigation": PERFORMANCE,
        },
        _risk_sectors,
    ),
    "indicator": Entity("indicator", "indicators", "id", {"text": FRAMEWORK}, _no_sectors),
    "highlight": Entity(
        "highlight",
        "highlights",
        "id",
        {"figure": FRAMEWORK, "text": FRAMEWORK},
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
    names = entity.fields(context.langs)
    for column, text in raw.items():
        if column not in names:
            raise InvalidValue(column, text, Problem("unknown-field"))
        field, lang = entity.resolve(column) or (column, None)
        spec = entity.spec(field)
        text = text.strip()
        if not text:
            if spec.required and lang in (None, context.langs[0]):
                raise InvalidValue(column, text, Problem("required"))
            values[column] = None
            continue
        parsed = parse_cell(spec, text, context)
        if isinstance(parsed, Problem):
            raise InvalidValue(column, text, parsed)
        values[column] = parsed
    return values
