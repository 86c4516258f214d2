"""Working offline: a checked-out workbook knows its server and base; a server region
knows which check-outs were checked in.

Only new tables: nothing already in a workbook is touched.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("server", sa.String(length=300), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(), nullable=False),
        sa.Column("checked_out_by", sa.String(length=80), nullable=False),
        sa.Column("machine", sa.String(length=100), nullable=False),
        sa.Column("base_mark", sa.Integer(), nullable=False),
        sa.Column("base", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_offline_copy"),
        sa.UniqueConstraint("token", name="uq_offline_copy_token"),
    )
    op.create_table(
        "offline_checkin",
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=False),
        sa.Column("checked_in_by", sa.String(length=80), nullable=False),
        sa.Column("machine", sa.String(length=100), nullable=False),
        sa.Column("file_mark", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token", name="pk_offline_checkin"),
    )


def downgrade() -> None:
    op.drop_table("offline_checkin")
    op.drop_table("offline_copy")
