"""A milestone's delivery date as written is unlimited text, not 60 characters.

Plans write a milestone's delivery date as a sentence ("Executive Directors to be in
place from late 2017-18, with most PGDs in place from April 2018. The remainder ..."):
importing an annex kept such wording whole in SQLite, which does not enforce lengths,
while PostgreSQL would refuse it. ``milestone`` is rebuilt by Alembic's batch mode on
SQLite, which is safe because no other table points at it; every row is copied as it is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("milestone") as batch_op:
        batch_op.alter_column(
            "due_text",
            existing_type=sa.String(length=60),
            type_=sa.Text(),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("milestone") as batch_op:
        batch_op.alter_column(
            "due_text",
            existing_type=sa.Text(),
            type_=sa.String(length=60),
            existing_nullable=False,
        )
