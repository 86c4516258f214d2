"""Acting on performance: actions with stages and dated notes, dismissed suggestions,
and decisions to move money between allocations (disinvestment and reinvestment).

Only new tables: nothing already in a workbook is touched.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("CONCERN", "IMPROVEMENT_PLAN", "REVIEW", "PERFORMANCE_TEST", "COMPETITION", "CLOSED")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "performance_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("period_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.Enum(*STAGES, name="actionstage", native_enum=False), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("opened", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("closed", sa.Date(), nullable=True),
        sa.Column("competition_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("performance_action", "competition_id", "competition", "SET NULL"),
        _fk("performance_action", "measure_id", "measure", "SET NULL"),
        _fk("performance_action", "period_id", "period", "SET NULL"),
        _fk("performance_action", "provider_id", "provider", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_performance_action"),
    )
    op.create_table(
        "action_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("written", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        _fk("action_note", "action_id", "performance_action", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_action_note"),
    )
    op.create_table(
        "suggestion_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        _fk("suggestion_dismissal", "measure_id", "measure", "CASCADE"),
        _fk("suggestion_dismissal", "period_id", "period", "CASCADE"),
        _fk("suggestion_dismissal", "provider_id", "provider", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_suggestion_dismissal"),
        sa.UniqueConstraint(
            "provider_id",
            "measure_id",
            "period_id",
            name="uq_suggestion_dismissal_provider_id_measure_id_period_id",
        ),
    )
    op.create_table(
        "resource_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=False),
        sa.Column("from_allocation_id", sa.Integer(), nullable=True),
        sa.Column("to_allocation_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("competition_id", sa.Integer(), nullable=True),
        sa.Column("scenario_id", sa.Integer(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        _fk("resource_decision", "action_id", "performance_action", "SET NULL"),
        _fk("resource_decision", "competition_id", "competition", "SET NULL"),
        _fk("resource_decision", "from_allocation_id", "allocation", "SET NULL"),
        _fk("resource_decision", "scenario_id", "scenario", "SET NULL"),
        _fk("resource_decision", "to_allocation_id", "allocation", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_resource_decision"),
    )


def downgrade() -> None:
    for table in ("resource_decision", "suggestion_dismissal", "action_note", "performance_action"):
        op.drop_table(table)
