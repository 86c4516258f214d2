"""Commissioning workspace: negotiation scenarios, plan template and exports, key-date
follow-up, backups and imports bookkeeping.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Each area adds its tables in its own block, in the order the blocks appear.
    # -- scenarios (allocations and SLA negotiation) --
    op.create_table(
        "scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum("DRAFT", "ACCEPTED", "DISCARDED", name="scenariostatus", native_enum=False),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["year_id"],
            ["financial_year.id"],
            name="fk_scenario_year_id_financial_year",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scenario"),
        sa.UniqueConstraint("year_id", "name", name="uq_scenario_year_id_name"),
    )
    op.create_table(
        "scenario_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=True),
        sa.Column("service_line_id", sa.Integer(), nullable=True),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("base_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.CheckConstraint(
            # CASE, not (x IS NOT NULL) + ...: PostgreSQL cannot add booleans.
            "CASE WHEN allocation_id IS NOT NULL THEN 1 ELSE 0 END"
            " + CASE WHEN service_line_id IS NOT NULL THEN 1 ELSE 0 END"
            " + CASE WHEN measure_id IS NOT NULL THEN 1 ELSE 0 END = 1",
            name="ck_scenario_change_one_subject",
        ),
        sa.CheckConstraint(
            "measure_id IS NULL OR provider_id IS NOT NULL",
            name="ck_scenario_change_target_names_provider",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenario.id"],
            name="fk_scenario_change_scenario_id_scenario",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["allocation.id"],
            name="fk_scenario_change_allocation_id_allocation",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_line_id"],
            ["service_line.id"],
            name="fk_scenario_change_service_line_id_service_line",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure.id"],
            name="fk_scenario_change_measure_id_measure",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name="fk_scenario_change_provider_id_provider",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scenario_change"),
    )
    with op.batch_alter_table("scenario_change") as batch_op:
        batch_op.create_index("ix_scenario_change_scenario_id", ["scenario_id"], unique=False)
    # -- end scenarios --
    # -- key dates (contracts, competitions) --
    op.create_table(
        "contract_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("EXTENSION", "BREAK", name="optionkind", native_enum=False),
            nullable=False,
        ),
        sa.Column("falls_on", sa.Date(), nullable=False),
        sa.Column("decide_by", sa.Date(), nullable=True),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("decided", sa.Date(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name="fk_contract_option_agreement_id_agreement",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contract_option"),
    )
    with op.batch_alter_table("contract_option") as batch_op:
        batch_op.create_index("ix_contract_option_agreement_id", ["agreement_id"], unique=False)
    op.create_table(
        "key_date_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.Column("done_by", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_key_date_done"),
        sa.UniqueConstraint("key", name="uq_key_date_done_key"),
    )
    # -- end key dates --
    # -- provider returns --
    with op.batch_alter_table("submission") as batch_op:
        batch_op.add_column(
            sa.Column("completed_by", sa.String(length=120), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("declared", sa.Boolean(), nullable=True))
    # -- end provider returns --
    # -- performance --
    # -- plan --
    op.create_table(
        "plan_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("included", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_section"),
        sa.UniqueConstraint("key", name="uq_plan_section_key"),
    )
    op.create_table(
        "plan_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=False),
        sa.Column("exported_by", sa.String(length=80), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["year_id"],
            ["financial_year.id"],
            name="fk_plan_export_year_id_financial_year",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_export"),
        sa.UniqueConstraint("year_id", "version", name="uq_plan_export_year_id_version"),
    )
    # -- end plan --
    # -- data safety --
    pass


def downgrade() -> None:
    # -- data safety --
    # -- plan --
    op.drop_table("plan_export")
    op.drop_table("plan_section")
    # -- end plan --
    # -- performance --
    # -- provider returns --
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the table,
    # and with foreign keys on that deletes every result that points at a submission.
    op.drop_column("submission", "declared")
    op.drop_column("submission", "completed_by")
    # -- end provider returns --
    # -- key dates (contracts, competitions) --
    op.drop_table("key_date_done")
    with op.batch_alter_table("contract_option") as batch_op:
        batch_op.drop_index("ix_contract_option_agreement_id")
    op.drop_table("contract_option")
    # -- end key dates --
    # -- scenarios (allocations and SLA negotiation) --
    with op.batch_alter_table("scenario_change") as batch_op:
        batch_op.drop_index("ix_scenario_change_scenario_id")
    op.drop_table("scenario_change")
    op.drop_table("scenario")
    # -- end scenarios --
    pass
