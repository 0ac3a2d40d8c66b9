"""The workbook a sector's focal point fills in offline: a sheet per expected result with
its PIEs, a risks sheet, instructions in the package's languages; the structure and the
read-only cells protected, and a hidden sheet of record ids, versions and original values
that the import compares against (`rbm.exchange.workbook.load`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from rbm.datapackage.errors import DataError
from rbm.domain.dataset import Dataset
from rbm.domain.enums import WorkflowState
from rbm.domain.text import Lang, Text
from rbm.exchange.workbook.layout import (
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    IDS,
    LISTS,
    PIE,
    RISK,
    cell_text,
    choice_label,
    choices,
    columns,
    header,
    kind,
    sheet_name,
)
from rbm.exchange.workbook.problems import WorkbookError, WorkbookProblem
from rbm.i18n import language_name, t
from rbm.store.read import read_dataset
from rbm.store.records import Entity
from rbm.store.tables import BIENNIUM, TABLES
from rbm.store.workflow import RecordState, state_of, states

DRAFT = RecordState(WorkflowState.DRAFT, 0)  # a record never edited
READ_ONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
INSTRUCTIONS = ("intro", "fill", "ratings", "flags", "risks", "protected", "import", "conflict")


def write_template(engine: sa.Engine, biennium: str, sector: str, out: Path) -> None:
    """Write the workbook of `sector`'s PIEs and risks in `biennium` to `out`."""
    # versions before values: an edit in between then reads as a conflict at import, never
    # as new values under an old version that the import would overwrite unseen
    pie_states = states(engine, biennium)
    risks = TABLES["risks"]
    with engine.connect() as connection:
        owned = connection.execute(
            sa.select(risks.c.id).where(
                risks.c[BIENNIUM] == biennium, risks.c.owner_sector == sector
            )
        ).scalars()
        risk_states = {r: state_of(connection, biennium, r, RISK) for r in owned}
    dataset = read_dataset(engine, biennium)
    if dataset is None:
        raise WorkbookError([DataError("biennium-missing", value=biennium)])
    if sector not in {s.code for s in dataset.sectors}:
        codes = ", ".join(s.code for s in dataset.sectors)
        raise WorkbookError(
            [WorkbookProblem("unknown-sector", value=sector, params={"codes": codes})]
        )
    build(dataset, sector, pie_states, risk_states).save(out)


def build(
    dataset: Dataset,
    sector: str,
    pie_states: dict[str, RecordState],
    risk_states: dict[str, RecordState],
) -> Workbook:
    """The workbook of one sector, from the dataset and the records' versions (pure)."""
    langs = dataset.biennium.settings.languages
    lang = langs[0]
    book = Workbook()
    taken: set[str] = {IDS, LISTS}
    instructions = book.active
    instructions.title = sheet_name(t("workbook.sheet.instructions", lang), taken)
    ids = book.create_sheet(IDS)
    ids.sheet_state = "veryHidden"
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    validations = _lists(lists, langs)
    sheets = [instructions.title]

    linked = {link.indicator for link in dataset.indicator_sectors if link.sector == sector}
    indicators = {i.id: i for i in dataset.indicators if i.id in linked}
    id_rows: list[list[Any]] = []
    for result in sorted(dataset.results, key=lambda r: r.order):
        mine = sorted(
            (i for i in indicators.values() if i.result == result.code), key=lambda i: i.order
        )
        order = {i.id: n for n, i in enumerate(mine)}
        pies = sorted(
            (p for p in dataset.pies if p.indicator in order),
            key=lambda p: (order[p.indicator], p.order),
        )
        if not pies:
            continue
        sheet = book.create_sheet(sheet_name(result.code, taken))
        sheets.append(sheet.title)
        title = f"{result.code} {result.title.get(lang)}"
        records: list[tuple[str, Any, dict[str, str], int]] = []
        for pie in pies:
            state = pie_states.get(pie.id, DRAFT)
            shown = {
                "indicator": indicators[pie.indicator].text.get(lang),
                "segment": pie.segment.get(lang),
                "baseline": pie.baseline_text.get(lang) or cell_text(pie.baseline_value),
                "target": pie.target_text.get(lang),
                "state": t(f"web.state.{state.state.value}", lang),
            }
            records.append((pie.id, pie, shown, state.version))
        id_rows += _record_sheet(sheet, title, PIE, records, langs, validations)

    risks = [r for r in dataset.risks if r.owner_sector == sector]
    sheet = book.create_sheet(sheet_name(t("workbook.sheet.risks", lang), taken))
    sheets.append(sheet.title)
    records = [
        (r.id, r, {"result": r.result or "", "kind": r.kind.value}, _version(risk_states, r.id))
        for r in sorted(risks, key=lambda r: r.order)
    ]
    id_rows += _record_sheet(
        sheet, t("workbook.sheet.risks", lang), RISK, records, langs, validations
    )

    _instructions(instructions, dataset, sector, langs)
    ids.append(
        [
            FORMAT,
            FORMAT_VERSION,
            dataset.biennium.code,
            sector,
            json.dumps(list(langs)),
            json.dumps(sheets, ensure_ascii=False),
        ]
    )
    ids.append(["sheet", "row", "entity", "record", "version", "cells"])
    for row in id_rows:
        ids.append(row)
    book.security = WorkbookProtection(lockStructure=True)
    return book


def _version(found: dict[str, RecordState], record: str) -> int:
    return found.get(record, DRAFT).version


def _lists(sheet: Any, langs: Sequence[Lang]) -> dict[tuple[str, str], str]:
    """Write each drop-down's labels in a column; (entity, field) → its range."""
    ranges: dict[tuple[str, str], str] = {}
    n = 0
    for entity in (PIE, RISK):
        for column in columns(entity, langs):
            codes = choices(entity, column.name) if column.editable else None
            if not codes:
                continue
            n += 1
            letter = get_column_letter(n)
            for row, code in enumerate(codes, start=1):
                sheet.cell(row, n, choice_label(column.name, code, langs[0]))
            ranges[(entity.name, column.name)] = (
                f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(codes)}"
            )
    return ranges


def _value(entity: Entity, record: Any, name: str, lang: Lang) -> object:
    """A record's current value of an editable field, as the cell shows it."""
    field, text_lang = entity.resolve(name) or (name, None)
    value = getattr(record, field)
    if text_lang is not None:
        return value.exact(text_lang) if isinstance(value, Text) else value
    if value is not None and choices(entity, field):
        return choice_label(field, cell_text(value), lang)
    return value


def _record_sheet(
    sheet: Any,
    title: str,
    entity: Entity,
    records: Sequence[tuple[str, Any, dict[str, str], int]],
    langs: Sequence[Lang],
    validations: dict[tuple[str, str], str],
) -> list[list[Any]]:
    """Fill a sheet with one row per record; the hidden sheet's rows for them."""
    cols = columns(entity, langs)
    sheet.cell(1, 2, title).font = Font(bold=True)
    sheet.column_dimensions["A"].hidden = True
    for n, column in enumerate(cols, start=2):
        cell = sheet.cell(HEADER_ROW, n, header(column.name, langs))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(n)].width = 40 if column.editable else 30
    last = FIRST_ROW + len(records) - 1
    for n, column in enumerate(cols, start=2):
        found = validations.get((entity.name, column.name))
        if found and records:
            letter = get_column_letter(n)
            check = DataValidation(type="list", formula1=found, allow_blank=True)
            check.showErrorMessage = True
            check.add(f"{letter}{FIRST_ROW}:{letter}{last}")
            sheet.add_data_validation(check)
    rows: list[list[Any]] = []
    for r, (key, record, shown, version) in enumerate(records, start=FIRST_ROW):
        sheet.cell(r, 1, key)
        cells = {"A": ["", key]}
        for n, column in enumerate(cols, start=2):
            value = (
                _value(entity, record, column.name, langs[0])
                if column.editable
                else shown[column.name]
            )
            cell = sheet.cell(r, n, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a text that looks like a formula stays text
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.editable:
                cell.protection = Protection(locked=False)
                if kind(entity, column.name) in ("text", "string"):
                    cell.number_format = "@"  # what is typed stays text (a year, a code)
            else:
                cell.fill = READ_ONLY_FILL
            cells[get_column_letter(n)] = [column.name, cell_text(value)]
        rows.append(
            [sheet.title, r, entity.name, key, version, json.dumps(cells, ensure_ascii=False)]
        )
    sheet.freeze_panes = f"C{FIRST_ROW}"
    _protect(sheet)
    return rows


def _protect(sheet: Any) -> None:
    """Lock the structure and the read-only cells; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _instructions(sheet: Any, dataset: Dataset, sector: str, langs: Sequence[Lang]) -> None:
    b = dataset.biennium
    names = {s.code: s.name for s in dataset.sectors}
    sheet.column_dimensions["A"].width = 120
    row = 1
    for lang in langs:
        sheet.cell(row, 1, language_name(lang, lang)).font = Font(bold=True, size=13)
        row += 1
        params = {
            "sector": names[sector].get(lang),
            "code": sector,
            "organization": b.organization_name.get(lang),
            "period": b.period.get(lang),
            "ratings": t("format.list_separator", lang).join(
                choice_label("assessor_rating", c, lang)
                for c in choices(PIE, "assessor_rating") or ()
            ),
        }
        for key in INSTRUCTIONS:
            cell = sheet.cell(row, 1, t(f"workbook.instructions.{key}", lang, **params))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        row += 1
    _protect(sheet)
