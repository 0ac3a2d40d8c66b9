"""narratives (a paragraph a row, placed by the report part they belong to), the figures
they quote, and what a PIE's assessor rating rests on

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import rbm.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "narratives",
        sa.Column("biennium", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("heading", sa.JSON(), nullable=True),
        sa.Column("text", sa.JSON(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["biennium", "source"],
            ["sources.biennium", "sources.id"],
            name="fk_narratives_source",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["biennium"],
            ["bienniums.code"],
            name=op.f("fk_narratives_biennium_bienniums"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("biennium", "id", name=op.f("pk_narratives")),
    )
    op.create_table(
        "narrative_figures",
        sa.Column("biennium", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("value", rbm.store.types.ExactDecimal(length=48), nullable=False),
        sa.Column("half", rbm.store.types.ExactDecimal(length=48), nullable=True),
        sa.Column("compares", sa.Text(), nullable=False),
        sa.Column("ref", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["biennium", "narrative"],
            ["narratives.biennium", "narratives.id"],
            name="fk_narrative_figures_narrative",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["biennium", "source"],
            ["sources.biennium", "sources.id"],
            name="fk_narrative_figures_source",
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["biennium"],
            ["bienniums.code"],
            name=op.f("fk_narrative_figures_biennium_bienniums"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("biennium", "id", name=op.f("pk_narrative_figures")),
    )
    with op.batch_alter_table("pies") as batch:
        batch.add_column(sa.Column("assessor_basis", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pies") as batch:
        batch.drop_column("assessor_basis")
    op.drop_table("narrative_figures")
    op.drop_table("narratives")
