"""Commissioning workspace: negotiation scenarios, plan template and exports, key-date
follow-up, backups and imports bookkeeping.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401 - used by the table definitions below
from alembic import op  # noqa: F401

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Each area adds its tables in its own block, in the order the blocks appear.
    # -- scenarios (allocations and SLA negotiation) --
    # -- key dates (contracts, competitions) --
    # -- provider returns --
    # -- performance --
    # -- plan --
    # -- data safety --
    pass


def downgrade() -> None:
    # -- data safety --
    # -- plan --
    # -- performance --
    # -- provider returns --
    # -- key dates (contracts, competitions) --
    # -- scenarios (allocations and SLA negotiation) --
    pass
