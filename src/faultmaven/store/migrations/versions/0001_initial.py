"""Tenants, API keys, cases, evidence with its lines and log events, templates, conversation.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NOTABLE_EVENT = "level IN ('WARN', 'ERROR', 'FATAL') OR signature IS NOT NULL"


def _created_at() -> "sa.Column[datetime]":
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _owner(table: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "tenants",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        _created_at(),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, _owner("tenants"), nullable=False, index=True),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        _created_at(),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, _owner("tenants"), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(20)),
        sa.Column("root_cause", sa.Text),
        sa.Column("fix", sa.Text),
        sa.Column("resolved_hypothesis_id", sa.String(64)),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "cases_by_tenant_newest", "cases", ["tenant_id", sa.text("created_at DESC"), "id"]
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, _owner("tenants"), nullable=False),
        sa.Column("case_id", sa.Uuid, _owner("cases"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("decode_errors", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("timezone", sa.String(64)),
        sa.Column("encoding", sa.String(20)),
        _created_at(),
    )
    op.create_index("evidence_by_case", "evidence", ["case_id", "created_at"])
    op.create_table(
        "evidence_blobs",
        sa.Column("evidence_id", sa.Uuid, _owner("evidence"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "evidence_lines",
        sa.Column("evidence_id", sa.Uuid, _owner("evidence"), primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "log_events",
        sa.Column("evidence_id", sa.Uuid, _owner("evidence"), primary_key=True),
        sa.Column("line_start", sa.Integer, primary_key=True),
        sa.Column("line_end", sa.Integer, nullable=False),
        sa.Column("time", sa.DateTime(timezone=True)),
        sa.Column("level", sa.String(8)),
        sa.Column("grp", sa.String(32), nullable=False),
        sa.Column("signature", sa.String(64)),
        sa.Column("format", sa.String(16), nullable=False),
    )
    op.create_index(
        "log_events_notable",
        "log_events",
        ["evidence_id", "line_start"],
        postgresql_where=sa.text(NOTABLE_EVENT),
    )
    op.create_index("log_events_by_template", "log_events", ["evidence_id", "grp"])
    op.create_table(
        "case_templates",
        sa.Column("case_id", sa.Uuid, _owner("cases"), primary_key=True),
        sa.Column("grp", sa.String(32), primary_key=True),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True)),
        sa.Column("last_seen", sa.DateTime(timezone=True)),
        sa.Column("worst_level", sa.String(8)),
    )
    op.create_table(
        "case_miner_states",
        sa.Column("case_id", sa.Uuid, _owner("cases"), primary_key=True),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, _owner("tenants"), nullable=False),
        sa.Column("case_id", sa.Uuid, _owner("cases"), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        _created_at(),
    )
    op.create_index("messages_by_case", "messages", ["case_id", "created_at"])
    op.create_table(
        "diagnoses",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, _owner("tenants"), nullable=False),
        sa.Column("case_id", sa.Uuid, _owner("cases"), nullable=False),
        sa.Column("message_id", sa.Uuid, _owner("messages", ondelete="SET NULL")),
        sa.Column("document", JSONB, nullable=False),
        _created_at(),
    )
    op.create_index(
        "diagnoses_by_case_newest", "diagnoses", ["case_id", sa.text("created_at DESC")]
    )
