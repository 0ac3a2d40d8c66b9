"""package settings and report specification; money units kept as their scale

A unit column held the unit as the package printed it (e.g. `kEUR`); it now holds the scale
(`1`, `k` or `M`) and the currency is the biennium's.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# the tables with a money `unit` column at this revision (published_figures' can also say
# `percent` or `count`, which stay)
UNIT_TABLES = (
    "budget_facts",
    "transfers",
    "income_facts",
    "key_financials",
    "development_expenditure",
    "published_figures",
    "capital_projects",
    "project_deliverables",
    "trust_funds",
)


def upgrade() -> None:
    with op.batch_alter_table("bienniums") as batch:
        batch.add_column(sa.Column("settings", sa.Text(), nullable=True))
        batch.add_column(sa.Column("report_spec", sa.Text(), nullable=True))
    # `EUR` → `1`, `kEUR` → `k`, `MEUR` → `M`, whatever the three-letter currency
    for table in UNIT_TABLES:
        op.execute(
            f"UPDATE {table} SET unit = CASE WHEN length(unit) = 3 THEN '1' "
            "ELSE substr(unit, 1, 1) END "
            "WHERE length(unit) = 3 OR (length(unit) = 4 AND substr(unit, 1, 1) IN ('k', 'M'))"
        )


def downgrade() -> None:
    # the scale back in front of the biennium's currency: `k` → `kEUR`
    for table in UNIT_TABLES:
        op.execute(
            f"UPDATE {table} SET unit = (CASE WHEN unit = '1' THEN '' ELSE unit END) || "
            f"(SELECT currency FROM bienniums WHERE bienniums.code = {table}.biennium) "
            "WHERE unit IN ('1', 'k', 'M')"
        )
    # not in a batch: on SQLite that copies `bienniums` and drops the old table, and the
    # drop cascades to every row of the biennium (ALTER TABLE DROP COLUMN needs 3.35)
    op.drop_column("bienniums", "report_spec")
    op.drop_column("bienniums", "settings")
