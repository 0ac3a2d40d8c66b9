"""The package descriptor (datapackage.json): the Frictionless Data Package profile with
rbm's organization and biennium under the `rbm` property."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rbm.datapackage.cells import enum_cells, format_decimal
from rbm.datapackage.fields import TABLE_SCHEMA_TYPES, Field
from rbm.datapackage.ledger import LEDGER
from rbm.datapackage.resources import RESOURCES, Resource
from rbm.datapackage.settings import settings_block
from rbm.domain.organization import Biennium
from rbm.i18n import language_name

DESCRIPTOR = "datapackage.json"
FORMAT_VERSION = 1


def build_descriptor(
    biennium: Biennium, name: str | None = None, resources: Iterable[str] | None = None
) -> dict[str, Any]:
    """The canonical descriptor of a package holding `resources` (default: all of them)."""
    chosen = set(resources) if resources is not None else {r.name for r in RESOURCES}
    langs = biennium.settings.languages
    first = langs[0]
    return {
        "profile": "data-package",
        "name": name or f"{biennium.organization}-{biennium.code}".lower(),
        "title": f"{biennium.organization_name.get(first)} {biennium.label.get(first)}".strip(),
        "rbm": {
            "format_version": FORMAT_VERSION,
            "organization": {
                "code": biennium.organization,
                "name": biennium.organization_name.as_dict(langs),
            },
            "biennium": {
                "code": biennium.code,
                "label": biennium.label.as_dict(langs),
                "start_year": biennium.start_year,
                "end_year": biennium.end_year,
            },
            "currency": biennium.currency,
            **settings_block(biennium.settings),
        },
        "resources": [
            resource_descriptor(r, biennium.currency, langs, chosen)
            for r in (*RESOURCES, LEDGER)
            if r.name in chosen
        ],
    }


def resource_descriptor(
    resource: Resource,
    currency: str,
    langs: Sequence[str],
    present: set[str] | None = None,
) -> dict[str, Any]:
    """A resource's Table Schema in a package in `currency` (its unit cells name it) and
    `langs` (a text field's columns); references to resources not `present` are left out."""
    schema: dict[str, Any] = {
        "fields": [col for f in resource.fields for col in _field_descriptors(f, currency, langs)],
        "missingValues": [""],
    }
    if resource.primary_key:
        schema["primaryKey"] = list(_expand(resource, resource.primary_key, langs))
    if resource.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {
                    "resource": "" if fk.resource == resource.name else fk.resource,
                    "fields": list(fk.reference),
                },
            }
            for fk in resource.foreign_keys
            if present is None or fk.resource in present
        ]
    return {
        "name": resource.name,
        "title": resource.title,
        "path": resource.path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _expand(resource: Resource, names: tuple[str, ...], langs: Sequence[str]) -> tuple[str, ...]:
    return tuple(
        col
        for n in names
        for col in (resource.by_name[n].columns(langs) if n in resource.by_name else (n,))
    )


def _field_descriptors(spec: Field, currency: str, langs: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for i, column in enumerate(spec.columns(langs)):
        required = spec.column_required(i)
        constraints: dict[str, Any] = {}
        if required:
            constraints["required"] = True
        if spec.enum is not None:
            constraints["enum"] = list(enum_cells(spec.enum, currency))
        if spec.pattern is not None:
            constraints["pattern"] = spec.pattern
        if spec.minimum is not None:
            constraints["minimum"] = float(format_decimal(spec.minimum))
        if spec.max_length is not None:
            constraints["maxLength"] = spec.max_length
        entry: dict[str, Any] = {"name": column, "type": TABLE_SCHEMA_TYPES[spec.kind]}
        if spec.kind == "number":
            entry["bareNumber"] = True
        if spec.kind == "boolean":
            entry["trueValues"] = ["true"]
            entry["falseValues"] = ["false"]
        if spec.kind == "text":
            entry["rdfType"] = "https://schema.org/Text"
            name = language_name(langs[i], "en")
            entry["description"] = f"{spec.description or 'text'} in {name}"
        elif spec.description:
            entry["description"] = spec.description
        if constraints:
            entry["constraints"] = constraints
        out.append(entry)
    return out


def write_descriptor(descriptor: dict[str, Any], directory: Path) -> None:
    (directory / DESCRIPTOR).write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
