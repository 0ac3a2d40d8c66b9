"""texts in any language: each text field one JSON column, language → text

Until now a text field was two columns, `NAME_zh` and `NAME_en`; a package may now list any
languages, so the store keeps a text field as one JSON object keyed by language code (the
columns are nullable: a package's required texts are checked when it is read). A PIE's
baseline, target and performance data as printed, until now one text in the package's first
language, become such texts too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 01:00:00.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD = ("zh", "en")  # the two languages a store before this revision held

# each table with text fields at this revision: the columns that find a row, its text fields
TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bienniums": (("code",), ("organization_name", "label")),
    "sources": (("biennium", "id"), ("title",)),
    "pillars": (("biennium", "code"), ("name",)),
    "results": (("biennium", "code"), ("title",)),
    "sectors": (("biennium", "code"), ("short", "name")),
    "unions": (("biennium", "code"), ("name",)),
    "cost_categories": (("biennium", "code"), ("name",)),
    "indicators": (("biennium", "id"), ("text",)),
    "pies": (("biennium", "id"), ("segment", "assessor_justification")),
    "footnotes": (("biennium", "id"), ("text",)),
    "highlights": (("biennium", "id"), ("text",)),
    "risks": (("biennium", "id"), ("risk", "mitigation")),
    "income_categories": (("biennium", "code"), ("name",)),
    "financial_lines": (("biennium", "code"), ("name",)),
    "development_expenditure": (("row_id",), ("item",)),
    "system_indicators": (("row_id",), ("segment",)),
    "capital_projects": (
        ("biennium", "id"),
        ("name", "objectives", "achievements", "timeline", "lessons"),
    ),
    "project_deliverables": (("biennium", "project", "id"), ("name",)),
    "project_benefits": (("biennium", "project", "id"), ("description", "kpi")),
    "project_risks": (("biennium", "project", "id"), ("risk", "mitigation")),
    "trust_funds": (("biennium", "code"), ("name", "donor")),
    "trust_fund_results": (("biennium", "fund", "id"), ("indicator", "outcome", "beneficiaries")),
}


# texts that were in one language, the biennium's first: the columns that find a row, the fields
PRINTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pies": (("biennium", "id"), ("baseline_text", "target_text", "actual_text")),
}


def _first_languages() -> dict[str, str]:
    """Each biennium's first language, from its settings."""
    rows = op.get_bind().execute(sa.text("SELECT code, settings FROM bienniums")).all()
    return {
        code: (json.loads(settings or "{}").get("languages") or OLD)[0] for code, settings in rows
    }


def _printed(name: str, key: tuple[str, ...], field: str, joined: bool) -> None:
    """One printed text to a text in the biennium's first language (`joined`), or back;
    the new column is written beside the old one, which then makes way for it."""
    first = _first_languages()
    temporary = f"{field}__new"
    op.add_column(name, sa.Column(temporary, sa.JSON() if joined else sa.Text(), nullable=True))
    table = _table(
        name,
        [(c, None) for c in key]
        + [
            (field, sa.Text() if joined else sa.JSON()),
            (temporary, sa.JSON() if joined else sa.Text()),
        ],
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(*(table.c[c] for c in (*key, field)))).mappings().all()
    for row in rows:
        lang = first.get(row["biennium"], OLD[0])
        old = row[field]
        if joined:
            value: Any = {lang: old} if old else None
        else:
            value = (old or {}).get(lang) or next(iter((old or {}).values()), None)
        where = sa.and_(*(table.c[c] == row[c] for c in key))
        connection.execute(table.update().where(where).values({temporary: value}))
    _settle()
    op.drop_column(name, field)
    op.execute(f"ALTER TABLE {name} RENAME COLUMN {temporary} TO {field}")


def _settle() -> None:
    """Check the deferred references now: PostgreSQL alters no table with checks pending."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _table(name: str, columns: list[tuple[str, Any]]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, t) for c, t in columns))


def _copy(name: str, key: tuple[str, ...], fields: tuple[str, ...], joined: bool) -> None:
    """Each row's texts from the per-language columns into the JSON one (`joined`), or back."""
    split = [f"{f}_{lang}" for f in fields for lang in OLD]
    table = _table(
        name,
        [(c, None) for c in key]
        + [(f, sa.JSON()) for f in fields]
        + [(c, sa.Text()) for c in split],
    )
    read = [*key, *(split if joined else fields)]
    connection = op.get_bind()
    rows = connection.execute(sa.select(*(table.c[c] for c in read))).mappings().all()
    for row in rows:
        values: dict[str, Any] = {}
        for f in fields:
            if joined:
                texts = {lang: row[f"{f}_{lang}"] for lang in OLD if row[f"{f}_{lang}"]}
                values[f] = texts or None
            else:
                texts = row[f] or {}
                for lang in OLD:
                    values[f"{f}_{lang}"] = texts.get(lang, "")
        where = sa.and_(*(table.c[c] == row[c] for c in key))
        connection.execute(table.update().where(where).values(values))


def upgrade() -> None:
    # a biennium stored before 0004 states no settings: its languages were the two above
    op.execute(
        """UPDATE bienniums SET settings = '{"languages": ["zh", "en"]}' WHERE settings IS NULL"""
    )
    for name, (key, fields) in TEXTS.items():
        for field in fields:
            op.add_column(name, sa.Column(field, sa.JSON(), nullable=True))
        _copy(name, key, fields, joined=True)
        _settle()
        # not in a batch: on SQLite that copies the table and drops the old one, and the drop
        # would cascade to the rows that reference it (ALTER TABLE DROP COLUMN needs 3.35)
        for field in fields:
            for lang in OLD:
                op.drop_column(name, f"{field}_{lang}")
    for name, (key, fields) in PRINTED.items():
        for field in fields:
            _printed(name, key, field, joined=True)


def downgrade() -> None:
    for name, (key, fields) in PRINTED.items():
        for field in fields:
            _printed(name, key, field, joined=False)
    # the old columns come back nullable: SQLite adds a NOT NULL column only with a default
    for name, (key, fields) in TEXTS.items():
        for field in fields:
            for lang in OLD:
                op.add_column(name, sa.Column(f"{field}_{lang}", sa.Text(), nullable=True))
        _copy(name, key, fields, joined=False)
        _settle()
        for field in fields:
            op.drop_column(name, field)
