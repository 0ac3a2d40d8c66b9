"""the expenditure ledger's postings, and their totals at the finest grain

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expenditure_ledger",
        sa.Column("biennium", sa.String(length=32), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("sector", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("cost_item", sa.Text(), nullable=True),
        sa.Column("funding", sa.Text(), nullable=True),
        sa.Column("amount_e4", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
    )
    op.create_table(
        "ledger_totals",
        sa.Column("biennium", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sector", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("cost_item", sa.Text(), nullable=True),
        sa.Column("funding", sa.Text(), nullable=True),
        sa.Column("amount_e4", sa.BigInteger(), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["biennium"],
            ["bienniums.code"],
            name=op.f("fk_ledger_totals_biennium_bienniums"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_ledger_totals_biennium"), "ledger_totals", ["biennium"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ledger_totals_biennium"), table_name="ledger_totals")
    op.drop_table("ledger_totals")
    op.drop_table("expenditure_ledger")
