"""tables.json: every table of the report with the engine's numbers, in the table's unit
(percentages as 90 for 90%, negatives negative, nil as null)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from rbm.domain.text import Lang, Text
from rbm.report.model import ReportView, TableView, Value


def text_dict(value: Text) -> dict[str, str]:
    """A bilingual text as JSON (English falls back to Chinese where it has none)."""
    return {"zh": value.zh, "en": value.get("en")}


def number(value: Decimal | None) -> int | float | None:
    """A number as JSON writes it: an int when whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _value(value: Value) -> Any:
    return text_dict(value) if isinstance(value, Text) else number(value)


def table_dict(table: TableView) -> dict[str, Any]:
    return {
        "id": table.id,
        "title": text_dict(table.title),
        "unit": text_dict(table.unit),
        "stub": text_dict(table.stub),
        "columns": [{**text_dict(c.label), "format": c.format} for c in table.columns],
        "rows": [
            {
                "label": text_dict(row.label),
                "values": [_value(v) for v in row.values],
                "kind": row.kind,
                "notes": list(row.notes),
            }
            for row in table.rows
        ],
        "source": table.source,
        "notes": [{"id": n.id, **text_dict(n.text)} for n in table.notes],
    }


def render(report: ReportView) -> dict[str, Any]:
    return {"tables": [table_dict(t) for t in report.tables()]}


def write(report: ReportView, folder: Path, lang: Lang = "zh") -> list[Path]:
    """tables.json is bilingual: one file whatever `lang`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "tables.json"
    payload = json.dumps(render(report), ensure_ascii=False, indent=1)
    target.write_text(payload + "\n", encoding="utf-8")
    return [target]
