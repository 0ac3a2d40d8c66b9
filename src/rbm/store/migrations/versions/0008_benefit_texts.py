"""capital project benefits: baseline, target and performance as texts in any language

Until now one text in the package's first language; now, as every text, one JSON object
keyed by language code, so a package may give them in each of its languages.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 02:15:00.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "project_benefits"
KEY = ("biennium", "project", "id")
FIELDS = ("baseline", "target", "performance")


def _first_languages() -> dict[str, str]:
    rows = op.get_bind().execute(sa.text("SELECT code, settings FROM bienniums")).all()
    return {
        code: (json.loads(settings or "{}").get("languages") or ["en"])[0]
        for code, settings in rows
    }


def _convert(field: str, joined: bool) -> None:
    """One text to a text in the biennium's first language (`joined`), or back; the new
    column is written beside the old one, which then makes way for it."""
    first = _first_languages()
    temporary = f"{field}__new"
    new_type: Any = sa.JSON() if joined else sa.Text()
    op.add_column(TABLE, sa.Column(temporary, new_type, nullable=True))
    table = sa.table(
        TABLE,
        *(sa.column(c) for c in KEY),
        sa.column(field, sa.Text() if joined else sa.JSON()),
        sa.column(temporary, new_type),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(*(table.c[c] for c in (*KEY, field)))).mappings().all()
    for row in rows:
        lang = first.get(row["biennium"], "en")
        old = row[field]
        if joined:
            value: Any = {lang: old} if old else None
        else:
            value = (old or {}).get(lang) or next(iter((old or {}).values()), None)
        where = sa.and_(*(table.c[c] == row[c] for c in KEY))
        connection.execute(table.update().where(where).values({temporary: value}))
    if connection.dialect.name == "postgresql":  # no table is altered with checks pending
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.drop_column(TABLE, field)
    op.execute(f"ALTER TABLE {TABLE} RENAME COLUMN {temporary} TO {field}")


def upgrade() -> None:
    for field in FIELDS:
        _convert(field, joined=True)


def downgrade() -> None:
    for field in FIELDS:
        _convert(field, joined=False)
