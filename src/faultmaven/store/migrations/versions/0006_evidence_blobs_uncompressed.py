"""Keep evidence's original bytes out of line but uncompressed.

PostgreSQL compressed each 1 MiB chunk with pglz (the embedded server has no lz4), which
cost it about 2 s of CPU per 100 MB of log on upload, the largest single cost of storing
it, for a third of the space. EXTERNAL storage keeps the chunks in the TOAST table as sent.
Rows stored before stay compressed and read back the same.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE evidence_blobs ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.execute("ALTER TABLE evidence_blobs ALTER COLUMN data SET STORAGE EXTENDED")
