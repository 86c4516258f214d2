"""Tenders: a competition's bidders and their priced bids, evaluation criteria with
weights, each bidder's scores, and the award that becomes a contract.

Only new tables: nothing already in a workbook is touched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

#: An exact decimal: NUMERIC on PostgreSQL, its text on SQLite (models.base.DecimalText).
DECIMAL = sa.String(length=40).with_variant(sa.Numeric(), "postgresql")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "bidder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("BIDDING", "WITHDRAWN", "EXCLUDED", name="bidderstatus", native_enum=False),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("bidder", "competition_id", "competition", "CASCADE"),
        _fk("bidder", "provider_id", "provider", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_bidder"),
        sa.UniqueConstraint("competition_id", "name", name="uq_bidder_competition_id_name"),
    )
    op.create_table(
        "evaluation_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("QUALITY", "PRICE", name="criterionkind", native_enum=False),
            nullable=False,
        ),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("evaluation_criterion", "competition_id", "competition", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_evaluation_criterion"),
        sa.UniqueConstraint(
            "competition_id", "name", name="uq_evaluation_criterion_competition_id_name"
        ),
    )
    op.create_table(
        "bid_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("volume", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("bid_line", "bidder_id", "bidder", "CASCADE"),
        _fk("bid_line", "service_id", "service", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_bid_line"),
        sa.UniqueConstraint("bidder_id", "service_id", name="uq_bid_line_bidder_id_service_id"),
    )
    op.create_table(
        "bid_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", DECIMAL, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("bid_score", "bidder_id", "bidder", "CASCADE"),
        _fk("bid_score", "criterion_id", "evaluation_criterion", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_bid_score"),
        sa.UniqueConstraint(
            "bidder_id", "criterion_id", name="uq_bid_score_bidder_id_criterion_id"
        ),
    )
    op.create_table(
        "competition_award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competition_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("competition_award", "agreement_id", "agreement", "SET NULL"),
        _fk("competition_award", "bidder_id", "bidder", "RESTRICT"),
        _fk("competition_award", "competition_id", "competition", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_competition_award"),
        sa.UniqueConstraint("competition_id", name="uq_competition_award_competition_id"),
    )


def downgrade() -> None:
    for table in ("competition_award", "bid_score", "bid_line", "evaluation_criterion", "bidder"):
        op.drop_table(table)
