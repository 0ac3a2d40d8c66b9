"""financial line formulas: a line as a sum of others, stated by the package

The identities between key financial data lines were rbm's own list; a package now states
them, in the `formula` of each line that is a total.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 01:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("financial_lines", sa.Column("formula", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("financial_lines", "formula")
