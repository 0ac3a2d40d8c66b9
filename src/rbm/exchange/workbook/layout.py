"""What the template writes and the import reads back: the sheets' columns, the hidden sheet
of record ids, versions and original cell values, the drop-down choices, and one text form of
a cell's value that both sides compare."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from rbm.domain.enums import Rating
from rbm.domain.text import Lang
from rbm.domain.workflow import Action
from rbm.i18n import keys, language_name, t
from rbm.store.records import ENTITIES, Entity

FORMAT = "rbm-workbook"
FORMAT_VERSION = 1
IDS = "_rbm"  # very hidden: the workbook's biennium and sector, a row per record
LISTS = "_lists"  # hidden: the drop-down choices, a column per field
HEADER_ROW = 2
FIRST_ROW = 3

PIE = ENTITIES["pie"]
RISK = ENTITIES["risk"]


@dataclass(frozen=True)
class Column:
    """A column of a record sheet: an editable field's name, or a read-only label's key."""

    name: str
    editable: bool


def editable(entity: Entity, langs: Sequence[Lang]) -> list[str]:
    """The fields of `entity` a focal point fills in, a text field's once per language."""
    return [n for n, action in entity.fields(langs).items() if action == Action.EDIT_PERFORMANCE]


PIE_READ_ONLY = ("indicator", "segment", "baseline", "target", "state")
RISK_READ_ONLY = ("result", "kind")


def columns(entity: Entity, langs: Sequence[Lang]) -> list[Column]:
    read_only = PIE_READ_ONLY if entity is PIE else RISK_READ_ONLY
    return [Column(n, False) for n in read_only] + [
        Column(n, True) for n in editable(entity, langs)
    ]


def kind(entity: Entity, name: str) -> str:
    """The kind of the field an editable name stands for (`text` for `risk_en`)."""
    field, _ = entity.resolve(name) or (name, None)
    return entity.spec(field).kind


def choices(entity: Entity, name: str) -> list[str] | None:
    """The codes a drop-down offers for a field (an enumeration or a yes/no), else None."""
    found = entity.resolve(name)
    if found is None or found[1] is not None:
        return None
    spec = entity.spec(found[0])
    if spec.kind == "boolean":
        return ["true", "false"]
    enum: type[StrEnum] | None = spec.enum
    return None if enum is None else [member.value for member in enum]


def choice_label(field: str, code: str, lang: Lang) -> str:
    """A choice by the shortest name the catalogue has for it; its code when none."""
    candidates = [f"web.choice.{field}.{code}"]
    if field == "assessor_rating" and code in tuple(Rating):
        candidates.append(f"rating.{code}")
    if code in ("true", "false"):
        candidates.append(f"web.choice.{code}")
    candidates += [f"report.{field}.{code}", f"report.risk.{field}.{code}"]
    return next((t(key, lang) for key in candidates if key in keys(lang)), code)


def cell_text(value: object) -> str:
    """A cell's value as text: numbers in full without a trailing `.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def header(name: str, langs: Sequence[Lang]) -> str:
    """A column's heading in each language of the package, `/` between them."""
    labels = [header_label(name, lang) for lang in langs]
    return " / ".join(dict.fromkeys(labels))


def header_label(name: str, lang: Lang) -> str:
    key = f"workbook.column.{name}"
    if key in keys(lang):
        return t(key, lang)
    if f"web.field.{name}" in keys(lang):
        return t(f"web.field.{name}", lang)
    base, _, code = name.rpartition("_")
    if base and f"web.field.{base}" in keys(lang):
        label = t(f"web.field.{base}", lang)
        return t("workbook.column.in_language", lang, label=label, lang=language_name(code, lang))
    return name


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid sheet name (31 characters, none of []:*?/\\) not already taken."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in text).strip("'") or "_"
    name, n = clean[:31], 1
    while name.lower() in {s.lower() for s in taken}:
        n += 1
        name = f"{clean[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(name)
    return name
