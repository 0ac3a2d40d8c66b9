"""Writing a validated dataset into the store, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa

from rbm.datapackage.errors import DataError, Report
from rbm.datapackage.resources import RESOURCES
from rbm.datapackage.settings import settings_block
from rbm.datapackage.writer import record_values
from rbm.domain.dataset import Dataset
from rbm.store.tables import BIENNIUM, POSITION, TABLES, bienniums

Progress = Callable[[str, int], None]
BATCH = 5_000


def load_dataset(
    engine: sa.Engine,
    dataset: Dataset,
    *,
    replace: bool = False,
    loaded_from: str = "",
    progress: Progress | None = None,
) -> Report:
    """Insert `dataset` in one transaction; with `replace`, its biennium's rows go first."""
    code = dataset.biennium.code
    with engine.begin() as connection:
        exists = connection.execute(
            sa.select(bienniums.c.code).where(bienniums.c.code == code)
        ).first()
        if exists and not replace:
            return Report((DataError("biennium-exists", None, None, None, code),))
        if exists:
            delete_biennium(connection, code)
        b = dataset.biennium
        connection.execute(
            bienniums.insert().values(
                code=code,
                organization=b.organization,
                organization_name=b.organization_name.as_dict(),
                label=b.label.as_dict(),
                start_year=b.start_year,
                end_year=b.end_year,
                currency=b.currency,
                loaded_from=loaded_from,
                settings=json.dumps(settings_block(b.settings), ensure_ascii=False),
                report_spec=None
                if dataset.report_spec is None
                else json.dumps(dataset.report_spec, ensure_ascii=False),
            )
        )
        for resource in RESOURCES:
            records = dataset.records(resource.name)
            rows = [
                {BIENNIUM: code, POSITION: i, **record_values(resource, r)}
                for i, r in enumerate(records)
            ]
            for start in range(0, len(rows), BATCH):
                connection.execute(TABLES[resource.name].insert(), rows[start : start + BATCH])
            if progress:
                progress(resource.name, len(rows))
    return Report(stats=dataset.counts())


def delete_biennium(connection: sa.Connection, code: str) -> None:
    """Remove a biennium and everything that belongs to it, children first."""
    for resource in reversed(RESOURCES):
        table = TABLES[resource.name]
        connection.execute(table.delete().where(table.c[BIENNIUM] == code))
    connection.execute(bienniums.delete().where(bienniums.c.code == code))
