"""Budget tables as printed (groups, printed totals, named lines) and plan text per year.

``envelope_line`` gains a name, a group and a position, and loses its one-line-per-
funding-source rule (a printed table has many lines from one source). ``plan_section``
gains a year: the rows already there have none and stay the region's template. Both
tables are rebuilt by Alembic's batch mode, which is safe because no other table points
at either; every row is copied as it is.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "envelope_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("total_label", sa.String(length=200), nullable=False),
        sa.Column("printed_total", sa.BigInteger(), nullable=True),
        sa.Column("tolerance", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["envelope_group.id"],
            name="fk_envelope_group_parent_id_envelope_group",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["year_id"],
            ["financial_year.id"],
            name="fk_envelope_group_year_id_financial_year",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_envelope_group"),
    )
    with op.batch_alter_table("envelope_line") as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("name", sa.String(length=160), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_envelope_line_year_id_funding_source_id", type_="unique")
        batch_op.create_foreign_key(
            "fk_envelope_line_group_id_envelope_group",
            "envelope_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("plan_section") as batch_op:
        batch_op.add_column(sa.Column("year_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_plan_section_key", type_="unique")
        batch_op.create_unique_constraint("uq_plan_section_key_year_id", ["key", "year_id"])
        batch_op.create_foreign_key(
            "fk_plan_section_year_id_financial_year",
            "financial_year",
            ["year_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_section") as batch_op:
        batch_op.drop_constraint("fk_plan_section_year_id_financial_year", type_="foreignkey")
        batch_op.drop_constraint("uq_plan_section_key_year_id", type_="unique")
        batch_op.create_unique_constraint("uq_plan_section_key", ["key"])
        batch_op.drop_column("year_id")
    with op.batch_alter_table("envelope_line") as batch_op:
        batch_op.drop_constraint("fk_envelope_line_group_id_envelope_group", type_="foreignkey")
        batch_op.create_unique_constraint(
            "uq_envelope_line_year_id_funding_source_id", ["year_id", "funding_source_id"]
        )
        batch_op.drop_column("position")
        batch_op.drop_column("name")
        batch_op.drop_column("group_id")
    op.drop_table("envelope_group")
