"""Knowledge base: documents, chunks with a vector and a full-text column, the index's settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The local MiniLM model's size; `kb reindex` changes it when another provider is chosen.
DEFAULT_DIMENSION = 384

SEARCH_TEXT = (
    "setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(heading, '')), 'A')"
    " || setweight(to_tsvector('english', text), 'B')"
)


def upgrade() -> None:
    op.create_table(
        "knowledge_documents",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, sa.ForeignKey("tenants.id", ondelete="CASCADE")),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("tags", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("metadata", JSONB, nullable=False, server_default="{}"),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.execute(
        "ALTER TABLE knowledge_documents ADD CONSTRAINT knowledge_documents_source_key"
        " UNIQUE NULLS NOT DISTINCT (tenant_id, source)"
    )
    op.create_table(
        "knowledge_chunks",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Uuid,
            sa.ForeignKey("knowledge_documents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("tenant_id", sa.Uuid),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("tags", ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("heading", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("chunk_hash", sa.String(64), nullable=False),
        sa.Column("embedding", Vector(DEFAULT_DIMENSION)),
        sa.Column("search", TSVECTOR, sa.Computed(SEARCH_TEXT, persisted=True), nullable=False),
    )
    op.create_index(
        "knowledge_chunks_search", "knowledge_chunks", ["search"], postgresql_using="gin"
    )
    op.execute(
        "CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks"
        " USING hnsw (embedding vector_cosine_ops)"
    )
    op.create_table(
        "knowledge_index",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("dimension", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name="knowledge_index_single_row"),
    )


def downgrade() -> None:
    op.drop_table("knowledge_index")
    op.drop_table("knowledge_chunks")
    op.drop_table("knowledge_documents")
