"""Reading a biennium back from the store as a dataset of domain objects."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from rbm.datapackage.resources import RESOURCES, Resource
from rbm.datapackage.settings import read_settings
from rbm.domain.dataset import Dataset
from rbm.domain.organization import Biennium
from rbm.domain.text import Text
from rbm.store.ledger import ledger_facts
from rbm.store.tables import BIENNIUM, POSITION, TABLES, bienniums


def list_bienniums(engine: sa.Engine) -> list[Biennium]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(bienniums).order_by(bienniums.c.code)).mappings()
        return [_biennium(row) for row in rows]


def _biennium(row: sa.RowMapping) -> Biennium:
    settings = read_settings(json.loads(row["settings"] or "{}"), "store")
    langs = settings.languages
    return Biennium(
        code=row["code"],
        organization=row["organization"],
        organization_name=_text(row["organization_name"], langs),
        label=_text(row["label"], langs),
        start_year=row["start_year"],
        end_year=row["end_year"],
        currency=row["currency"],
        settings=settings,
    )


def _text(stored: dict[str, str] | None, langs: tuple[str, ...]) -> Text:
    """A stored text in the package's languages first, then any other the store holds."""
    stored = stored or {}
    return Text.of({**{lang: stored.get(lang) for lang in langs}, **stored})


def read_dataset(engine: sa.Engine, code: str | None = None) -> Dataset | None:
    """The biennium `code` (the latest when None), or None when the store has none."""
    with engine.connect() as connection:
        query = sa.select(bienniums).order_by(bienniums.c.end_year.desc(), bienniums.c.code.desc())
        if code is not None:
            query = query.where(bienniums.c.code == code)
        row = connection.execute(query).mappings().first()
        if row is None:
            return None
        biennium = _biennium(row)
        records = {r.name: tuple(_records(connection, r, biennium)) for r in RESOURCES}
        ledger = tuple(ledger_facts(connection, biennium.code))
    spec = row["report_spec"]
    dataset = Dataset.build(biennium, records, None if spec is None else json.loads(spec))
    return replace(dataset, ledger_facts=ledger)


def _records(connection: sa.Connection, resource: Resource, biennium: Biennium) -> list[object]:
    table = TABLES[resource.name]
    rows = connection.execute(
        sa.select(table).where(table.c[BIENNIUM] == biennium.code).order_by(table.c[POSITION])
    ).mappings()
    langs = biennium.settings.languages
    return [resource.model(**_values(resource, row, langs)) for row in rows]


def _values(resource: Resource, row: sa.RowMapping, langs: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in resource.fields:
        if spec.kind == "text":
            values[spec.name] = _text(row[spec.name], langs)
            continue
        value = row[spec.name]
        if value is not None and spec.enum is not None:
            value = spec.enum(value)
        if spec.kind == "object" and value is None:
            value = {}
        values[spec.name] = value
    return values
