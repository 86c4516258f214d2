"""Measures per year, multi-part measures, and a measure's outcome and driver.

Additive only: two new tables and two text columns with an empty default, so an older
workbook upgrades with every figure kept, and its measures (with no years linked) keep
applying to every year.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

#: An exact decimal: NUMERIC on PostgreSQL, its text on SQLite (models.base.DecimalText).
DECIMAL = sa.String(length=40).with_variant(sa.Numeric(), "postgresql")

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: a batch rebuild of measure would, with foreign keys
    # on, cascade-delete every target and result that points at it.
    op.add_column("measure", sa.Column("outcome", sa.Text(), nullable=False, server_default=""))
    op.add_column("measure", sa.Column("driver", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "measure_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name="fk_measure_year_measure_id_measure",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["year_id"],
            ["financial_year.id"],
            name="fk_measure_year_year_id_financial_year",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_year"),
        sa.UniqueConstraint("measure_id", "year_id", name="uq_measure_year_measure_id_year_id"),
    )
    with op.batch_alter_table("measure_year") as batch_op:
        batch_op.create_index("ix_measure_year_year_id", ["year_id"], unique=False)
    op.create_table(
        "measure_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column(
            "unit",
            sa.Enum(
                "PERCENT",
                "COUNT",
                "RATE_PER_1000",
                "RATE_PER_100000",
                "DAYS",
                "ONE_IN_X",
                name="measureunit",
                native_enum=False,
            ),
            nullable=True,
        ),
        sa.Column(
            "direction",
            sa.Enum("HIGHER", "LOWER", name="direction", native_enum=False),
            nullable=True,
        ),
        sa.Column("national_value", DECIMAL, nullable=True),
        sa.Column("weighting", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name="fk_measure_part_measure_id_measure",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_part"),
        sa.UniqueConstraint("measure_id", "label", name="uq_measure_part_measure_id_label"),
    )


def downgrade() -> None:
    op.drop_table("measure_part")
    with op.batch_alter_table("measure_year") as batch_op:
        batch_op.drop_index("ix_measure_year_year_id")
    op.drop_table("measure_year")
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason as upgrade.
    op.drop_column("measure", "driver")
    op.drop_column("measure", "outcome")
