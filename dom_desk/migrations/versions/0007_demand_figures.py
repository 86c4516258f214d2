"""Need and demand: the figures a region plans from, per provider and year.

Only a new table: nothing already in a workbook is touched.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

#: An exact decimal: NUMERIC on PostgreSQL, its text on SQLite (models.base.DecimalText).
DECIMAL = sa.String(length=40).with_variant(sa.Numeric(), "postgresql")

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "CASELOAD_COMMUNITY",
    "CASELOAD_SUSPENDED",
    "CASELOAD_LICENCE",
    "PRISON_POPULATION",
    "CAPACITY",
    "OGRS_LOW",
    "OGRS_MEDIUM",
    "OGRS_HIGH",
    "OGRS_VERY_HIGH",
    "OGRS_EXTREME",
    "REOFFENDING_RATE",
    "SERVICE",
)


def upgrade() -> None:
    op.create_table(
        "demand_figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="demandkind", native_enum=False), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("value", DECIMAL, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name="fk_demand_figure_provider_id_provider",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["service.id"],
            name="fk_demand_figure_service_id_service",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_demand_figure"),
    )


def downgrade() -> None:
    op.drop_table("demand_figure")
