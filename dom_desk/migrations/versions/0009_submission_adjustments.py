"""Returns import decisions: each cell the DOM corrected in the preview and each row left
out, kept with the submission (its provenance).

Only a new table: nothing already in a workbook is touched.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission_adjustment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("CORRECTED", "LEFT_OUT", name="adjustmentkind", native_enum=False),
            nullable=False,
        ),
        sa.Column("sheet", sa.String(length=31), nullable=False),
        sa.Column("cell", sa.String(length=12), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("return_column", sa.String(length=40), nullable=False),
        sa.Column("old_text", sa.Text(), nullable=False),
        sa.Column("new_text", sa.Text(), nullable=False),
        sa.Column("stored", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name="fk_submission_adjustment_submission_id_submission",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_submission_adjustment"),
    )
    op.create_index(
        "ix_submission_adjustment_submission_id",
        "submission_adjustment",
        ["submission_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_submission_adjustment_submission_id", table_name="submission_adjustment")
    op.drop_table("submission_adjustment")
