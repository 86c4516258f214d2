"""Alembic environment: always run by dom_desk.storage.workbook on a connection it owns."""

from alembic import context

from dom_desk.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: Alembic copies the table.
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
