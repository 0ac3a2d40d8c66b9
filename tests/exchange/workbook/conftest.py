"""A store holding the second example organization (on each backend), its users, and a
helper that fills a sector's workbook as a focal point would, with openpyxl."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa

from rbm.datapackage.package import read_package
from rbm.domain.workflow import Role
from rbm.exchange.workbook.layout import IDS
from rbm.exchange.workbook.template import write_template
from rbm.store.load import load_dataset
from rbm.store.tables import users
from tests.conftest import ROOT

NORTHWIND = ROOT / "examples" / "northwind-2026-28"
BIENNIUM = "2026-28"
SECTOR = "PREV"
NOW = datetime(2028, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(engine: sa.Engine) -> sa.Engine:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    load_dataset(engine, dataset)
    # accounts straight into the table: no one signs in here, and hashing is slow
    accounts = [
        ("ana", Role.FOCAL_POINT, [SECTOR]),
        ("pia", Role.PLANNER, []),
        ("vic", Role.VALIDATOR, []),
    ]
    with engine.begin() as connection:
        for name, role, sectors in accounts:
            connection.execute(
                users.insert().values(
                    name=name,
                    role=role.value,
                    sectors=sectors,
                    password_hash="-",
                    active=True,
                    created_at=NOW,
                )
            )
    return engine


class Filled:
    """A sector's workbook open for filling: cells found by record id and field name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.cells: dict[tuple[str, str], tuple[str, str]] = {}
        for row in self.book[IDS].iter_rows(min_row=3, values_only=True):
            sheet, number, _, record, _, cells = row[:6]
            for letter, (name, _) in json.loads(cells).items():
                self.cells[(record, name)] = (sheet, f"{letter}{number}")

    def where(self, record: str, name: str) -> tuple[str, str]:
        return self.cells[(record, name)]

    def __setitem__(self, key: tuple[str, str], value: Any) -> None:
        sheet, cell = self.where(*key)
        self.book[sheet][cell] = value

    def __getitem__(self, key: tuple[str, str]) -> Any:
        sheet, cell = self.where(*key)
        return self.book[sheet][cell].value

    def save(self) -> Path:
        self.book.save(self.path)
        return self.path


@pytest.fixture
def workbook(store: sa.Engine, tmp_path: Path) -> Filled:
    path = tmp_path / "prev.xlsx"
    write_template(store, BIENNIUM, SECTOR, path)
    return Filled(path)
