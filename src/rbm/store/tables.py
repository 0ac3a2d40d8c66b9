"""The store's tables: one per package resource, each row tagged with its biennium."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from rbm.datapackage.fields import Field
from rbm.datapackage.resources import RESOURCES, Resource
from rbm.store.types import ExactDecimal

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

bienniums = sa.Table(
    "bienniums",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("organization", sa.String(64), nullable=False),
    sa.Column("organization_name", sa.JSON, nullable=True),  # language → text
    sa.Column("label", sa.JSON, nullable=True),
    sa.Column("start_year", sa.Integer, nullable=False),
    sa.Column("end_year", sa.Integer, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("loaded_from", sa.Text, nullable=False),
    sa.Column("settings", sa.Text, nullable=True),  # the package's settings, as JSON
    sa.Column("report_spec", sa.Text, nullable=True),  # its report specification, as JSON
)

ROW_ID = "row_id"
BIENNIUM = "biennium"
POSITION = "position"  # the row's place in its package file, so export keeps the order


ColumnType = sa.types.TypeEngine[Any] | type[sa.types.TypeEngine[Any]]


def _column_type(spec: Field) -> ColumnType:
    types: dict[str, ColumnType] = {
        "integer": sa.Integer,
        "year": sa.Integer,
        "number": ExactDecimal(),
        "boolean": sa.Boolean,
        "object": sa.JSON,
        "text": sa.JSON,  # language → text, in the package's languages
    }
    return types.get(spec.kind, sa.Text)


def _table(resource: Resource) -> sa.Table:
    columns: list[sa.Column[Any]] = []
    if not resource.primary_key:
        columns.append(sa.Column(ROW_ID, sa.Integer, primary_key=True, autoincrement=True))
    columns.append(
        sa.Column(
            BIENNIUM,
            sa.String(32),
            sa.ForeignKey("bienniums.code", ondelete="CASCADE"),
            nullable=False,
            primary_key=bool(resource.primary_key),
            index=not resource.primary_key,
        )
    )
    columns.append(sa.Column(POSITION, sa.Integer, nullable=False))
    for spec in resource.fields:
        columns.append(
            sa.Column(
                spec.name,
                _column_type(spec),
                # a text is checked when its package is read: which languages it needs
                # depends on the package
                nullable=not spec.required or spec.kind == "text",
                primary_key=spec.name in resource.primary_key,
            )
        )
    constraints = [
        sa.ForeignKeyConstraint(
            [BIENNIUM, *fk.fields],
            [f"{fk.resource}.{BIENNIUM}", *(f"{fk.resource}.{c}" for c in fk.reference)],
            name=f"fk_{resource.name}_{'_'.join(fk.fields)}",
            deferrable=True,
            initially="DEFERRED",
        )
        for fk in resource.foreign_keys
    ]
    return sa.Table(resource.name, metadata, *columns, *constraints)


TABLES: dict[str, sa.Table] = {r.name: _table(r) for r in RESOURCES}


# The workflow's tables: users and their API tokens, each PIE's state with a version for
# optimistic locking, and the append-only audit trail.
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("sectors", sa.JSON, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user", sa.String(64), sa.ForeignKey("users.name"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

# signed-in web sessions: the cookie carries a random id, the store only its SHA-256, so
# signing out, disabling the user or expiry ends the session on every worker
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user", sa.String(64), sa.ForeignKey("users.name"), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

pie_states = sa.Table(
    "pie_states",
    metadata,
    sa.Column(BIENNIUM, sa.String(32), primary_key=True),
    sa.Column("pie", sa.Text, primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("comment", sa.Text, nullable=True),
    sa.ForeignKeyConstraint(
        [BIENNIUM, "pie"],
        [f"pies.{BIENNIUM}", "pies.id"],
        name="fk_pie_states_pie",
        ondelete="CASCADE",
    ),
)

# the version of each edited record that has no workflow state (a PIE's is in pie_states)
record_versions = sa.Table(
    "record_versions",
    metadata,
    sa.Column(
        BIENNIUM,
        sa.String(32),
        sa.ForeignKey("bienniums.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("entity", sa.String(32), primary_key=True),
    sa.Column("record", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("old", sa.Text, nullable=True),
    sa.Column("new", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=True),
)

biennium_locks = sa.Table(
    "biennium_locks",
    metadata,
    sa.Column(
        BIENNIUM,
        sa.String(32),
        sa.ForeignKey("bienniums.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("locked_by", sa.String(64), nullable=False),
    sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
)


def _posted() -> list[sa.Column[Any]]:
    """What a posting and a total of postings both say: whose money, for what, how much (in
    whole ten-thousandths of the currency)."""
    return [
        sa.Column("sector", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("cost_item", sa.Text, nullable=True),
        sa.Column("funding", sa.Text, nullable=True),
        sa.Column("amount_e4", sa.BigInteger, nullable=False),
    ]


# The expenditure ledger: millions of postings, loaded in bulk and only ever read back
# summed. No foreign keys: the package's checks have vouched for every code, and a
# per-row trigger would cost more than the insert. Amounts in whole ten-thousandths.
expenditure_ledger = sa.Table(
    "expenditure_ledger",
    metadata,
    sa.Column(BIENNIUM, sa.String(32), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),  # its line in the package's file
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    *_posted(),
    sa.Column("reference", sa.Text, nullable=False),
)

# The ledger summed by the database at its finest grain when it loads: what the report's
# executed figures are rolled up from, a few thousand rows however long the ledger.
ledger_totals = sa.Table(
    "ledger_totals",
    metadata,
    sa.Column(
        BIENNIUM,
        sa.String(32),
        sa.ForeignKey("bienniums.code", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("year", sa.Integer, nullable=False),
    *_posted(),
    sa.Column("postings", sa.Integer, nullable=False),
)
