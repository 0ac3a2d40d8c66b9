"""source labels: how a report cites a source, per language

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("label", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("sources", "label")
