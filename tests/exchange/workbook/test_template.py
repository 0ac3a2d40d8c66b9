"""The sector workbook: a sheet per expected result with the sector's PIEs, a risks sheet,
instructions in every language of the package, the structure and read-only cells protected,
a drop-down of ratings, and hidden ids and versions; for both example organizations."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating
from rbm.domain.workflow import Action, Role, User
from rbm.exchange.workbook.layout import IDS, LISTS
from rbm.exchange.workbook.load import import_workbook
from rbm.exchange.workbook.problems import WorkbookError
from rbm.exchange.workbook.template import write_template
from rbm.i18n import language_name, t
from rbm.store import database
from rbm.store.load import load_dataset
from rbm.store.workflow import act, edit
from tests.exchange.workbook.conftest import BIENNIUM, NORTHWIND, NOW, SECTOR, Filled

# the template only reads the store: one backend is enough here (the import runs on both)
sqlite_only = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


def expected_sheets(dataset: Dataset, sector: str) -> list[str]:
    linked = {s.indicator for s in dataset.indicator_sectors if s.sector == sector}
    results = {i.result for i in dataset.indicators if i.id in linked}
    return [r.code for r in sorted(dataset.results, key=lambda r: r.order) if r.code in results]


def check_workbook(path: Path, dataset: Dataset, sector: str) -> openpyxl.Workbook:
    langs = dataset.biennium.settings.languages
    book = openpyxl.load_workbook(path)
    lang = langs[0]
    results = expected_sheets(dataset, sector)
    instructions, risks = t("workbook.sheet.instructions", lang), t("workbook.sheet.risks", lang)
    assert book.sheetnames == [instructions, IDS, LISTS, *results, risks]
    assert book[IDS].sheet_state == "veryHidden" and book[LISTS].sheet_state == "hidden"
    assert book.security.lockStructure
    # the instructions, in each language of the package
    text = "\n".join(str(c) for (c,) in book[instructions].iter_rows(values_only=True) if c)
    for each in langs:
        assert language_name(each, each) in text
        assert t("workbook.instructions.protected", each) in text
    # one row per PIE of the sector, each with its record id, version and original values
    linked = {s.indicator for s in dataset.indicator_sectors if s.sector == sector}
    pies = {p.id for p in dataset.pies if p.indicator in linked}
    ids = list(book[IDS].iter_rows(min_row=3, values_only=True))
    assert {r[3] for r in ids if r[2] == "pie"} == pies
    assert {r[3] for r in ids if r[2] == "risk"} == {
        r.id for r in dataset.risks if r.owner_sector == sector
    }
    for sheet, row, _, record, _, cells in ids:
        page = book[sheet]
        assert page.protection.sheet
        assert page.column_dimensions["A"].hidden and page[f"A{row}"].value == record
        for letter, (name, _) in json.loads(cells).items():
            locked = page[f"{letter}{row}"].protection.locked
            assert locked == (
                name
                in ("", "indicator", "segment", "baseline", "target", "state", "result", "kind")
            ), name
    return book


@sqlite_only
def test_northwind_workbook(store: sa.Engine, tmp_path: Path) -> None:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    path = tmp_path / "prev.xlsx"
    write_template(store, BIENNIUM, SECTOR, path)
    book = check_workbook(path, dataset, SECTOR)
    assert book.sheetnames[3:] == ["A.1", "A.2", "B.2", "Risks"]
    page = book["A.1"]
    assert page["B2"].value == "Indicator / Indicateur"
    # the rating is chosen from a drop-down of the ratings' names
    cells = json.loads(next(book[IDS].iter_rows(min_row=3, values_only=True))[5])
    (column,) = [letter for letter, (name, _) in cells.items() if name == "assessor_rating"]
    assert page[f"{column}2"].value.startswith(t("web.field.assessor_rating", "en"))
    (check,) = [v for v in page.data_validations.dataValidation if f"{column}3" in v.sqref]
    assert check.type == "list" and check.showErrorMessage
    sheet, area = check.formula1.split("!")
    assert sheet.strip("'") == LISTS
    labels = [c.value for (c,) in book[LISTS][area.replace("$", "")]]
    assert labels == [t(f"rating.{r.value}", "en") for r in Rating]
    first = next(book[IDS].iter_rows(min_row=3, max_row=3, values_only=True))
    assert first[:5] == ("A.1", 3, "pie", "A.1-01.1", 0)


@sqlite_only
def test_versions_are_the_stores(store: sa.Engine, tmp_path: Path) -> None:
    act(
        store, User("ana", Role.FOCAL_POINT, (SECTOR,)), BIENNIUM, "A.2-01.1", Action.SUBMIT, 0, NOW
    )
    path = tmp_path / "prev.xlsx"
    write_template(store, BIENNIUM, SECTOR, path)
    book = openpyxl.load_workbook(path)
    ids = {r[3]: r for r in book[IDS].iter_rows(min_row=3, values_only=True)}
    assert ids["A.2-01.1"][4] == 1 and ids["A.1-01.1"][4] == 0
    row = ids["A.2-01.1"][1]
    assert book["A.2"][f"F{row}"].value == t("web.state.submitted", "en")


def test_wipo_workbook(wipo: Dataset, tmp_path: Path) -> None:
    engine = database.open_store(f"sqlite:///{tmp_path / 'wipo.db'}")
    try:
        load_dataset(engine, wipo)
        counts: dict[str, int] = {}
        for link in wipo.indicator_sectors:
            counts[link.sector] = counts.get(link.sector, 0) + 1
        sector = max(counts, key=lambda s: counts[s])
        path = tmp_path / "wipo.xlsx"
        write_template(engine, wipo.biennium.code, sector, path)
        check_workbook(path, wipo, sector)
    finally:
        engine.dispose()


@sqlite_only
def test_an_unknown_sector_or_biennium_is_refused(store: sa.Engine, tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as refused:
        write_template(store, BIENNIUM, "NOPE", tmp_path / "x.xlsx")
    (error,) = refused.value.errors
    assert (error.type, error.value) == ("unknown-sector", "NOPE")
    assert "CLIN, PREV" in error.message("en")
    with pytest.raises(WorkbookError) as missing:
        write_template(store, "1999-00", SECTOR, tmp_path / "x.xlsx")
    assert missing.value.errors[0].type == "biennium-missing"
    assert not (tmp_path / "x.xlsx").exists()


@sqlite_only
def test_a_text_that_looks_like_a_formula_stays_text(store: sa.Engine, tmp_path: Path) -> None:
    planner = User("pia", Role.PLANNER)
    edit(store, planner, BIENNIUM, "A.1-01.1", "actual_text_en", "=96.4%", 0, NOW)
    path = tmp_path / "prev.xlsx"
    write_template(store, BIENNIUM, SECTOR, path)
    workbook = Filled(path)
    assert workbook["A.1-01.1", "actual_text_en"] == "=96.4%"
    sheet, cell = workbook.where("A.1-01.1", "actual_text_en")
    assert workbook.book[sheet][cell].data_type == "s"
    result = import_workbook(store, BIENNIUM, path, "ana", now=NOW)
    assert result.changes == 0
