"""Alembic environment: runs the migrations on the connection `store.migrate` hands in."""

from alembic import context
from sqlalchemy import text

MIGRATION_LOCK_ID = 7_262_011_001

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)

# Two processes starting at once must not both migrate: the second waits, then finds nothing to do.
connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
try:
    context.run_migrations()
finally:
    connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
