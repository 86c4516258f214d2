"""Payment by results and bonuses: an agreement's fixed, variable and at-risk parts, and
the rule (with bands) by which results earn what is at risk.

Only new tables: nothing already in a workbook is touched.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

#: An exact decimal: NUMERIC on PostgreSQL, its text on SQLite (models.base.DecimalText).
DECIMAL = sa.String(length=40).with_variant(sa.Numeric(), "postgresql")

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "PROPORTIONAL",
                "BANDED",
                "SCORECARD_BONUS",
                name="paymentrulekind",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("fixed", sa.BigInteger(), nullable=False),
        sa.Column("variable", sa.BigInteger(), nullable=False),
        sa.Column("at_risk", sa.BigInteger(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name="fk_payment_rule_agreement_id_agreement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_rule"),
        sa.UniqueConstraint("agreement_id", name="uq_payment_rule_agreement_id"),
    )
    op.create_table(
        "payment_band",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("threshold", DECIMAL, nullable=False),
        sa.Column("paid", DECIMAL, nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["payment_rule.id"],
            name="fk_payment_band_rule_id_payment_rule",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_payment_band"),
        sa.UniqueConstraint("rule_id", "threshold", name="uq_payment_band_rule_id_threshold"),
    )


def downgrade() -> None:
    op.drop_table("payment_band")
    op.drop_table("payment_rule")
