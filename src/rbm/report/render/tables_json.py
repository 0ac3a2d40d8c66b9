"""tables.json: every table of the report with the engine's numbers, in the table's unit
(percentages as 90 for 90%, negatives negative, nil as null)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from rbm.domain.text import Lang, Text
from rbm.i18n import languages
from rbm.report.model import ReportView, TableView


def text_dict(value: Text, langs: Sequence[Lang] = ()) -> dict[str, str]:
    """A text as JSON, language → text, in `langs` (default: those it has; a text the same in
    every language, in those of the catalogues), each falling back as `Text.get` does."""
    chosen = langs or tuple(lang for lang in value.langs if lang) or languages()
    return value.as_dict(chosen)


def number(value: Decimal | None) -> int | float | None:
    """A number as JSON writes it: an int when whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def table_dict(
    table: TableView, langs: Sequence[Lang] = (), report: ReportView | None = None
) -> dict[str, Any]:
    """A table as JSON; with its `report`, how each language cites its source too."""

    def tx(value: Text) -> dict[str, str]:
        return text_dict(value, langs)

    cited = {} if report is None else {lang: report.cite(table.source, lang) for lang in langs}
    return {
        "id": table.id,
        "title": tx(table.title),
        "unit": tx(table.unit),
        "stub": tx(table.stub),
        "columns": [{**tx(c.heading), "format": c.format} for c in table.columns],
        "rows": [
            {
                "label": tx(row.label),
                "values": [tx(v) if isinstance(v, Text) else number(v) for v in row.values],
                "kind": row.kind,
                "notes": list(row.notes),
            }
            for row in table.rows
        ],
        "source": table.source,
        **({"cited": cited} if cited else {}),
        "notes": [{"id": n.id, **tx(n.text)} for n in table.notes],
    }


def render(report: ReportView) -> dict[str, Any]:
    return {"tables": [table_dict(t, report.langs, report) for t in report.tables()]}


def write(report: ReportView, folder: Path, lang: Lang = "") -> list[Path]:
    """tables.json holds every language of the report: one file whatever `lang`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "tables.json"
    payload = json.dumps(render(report), ensure_ascii=False, indent=1)
    target.write_text(payload + "\n", encoding="utf-8")
    return [target]
