"""Table definitions used to build queries; the migrations create the same tables."""

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("status", String(20), nullable=False),
    Column("severity", String(20)),
    Column("root_cause", Text),
    Column("fix", Text),
    Column("resolved_hypothesis_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("decode_errors", Integer, nullable=False),
    Column("error", Text),
    Column("source_url", Text),
    Column("timezone", String(64)),
    Column("encoding", String(20)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

evidence_blobs = Table(
    "evidence_blobs",
    metadata,
    Column(
        "evidence_id",
        Uuid,
        ForeignKey("evidence.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

evidence_lines = Table(
    "evidence_lines",
    metadata,
    Column("evidence_id", Uuid, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("text", Text, nullable=False),
)

log_events = Table(
    "log_events",
    metadata,
    Column("evidence_id", Uuid, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("line_start", Integer, primary_key=True),
    Column("line_end", Integer, nullable=False),
    Column("time", DateTime(timezone=True)),
    Column("level", String(8)),
    Column("grp", String(32), nullable=False),
    Column("signature", String(64)),
    Column("format", String(16), nullable=False),
)

case_templates = Table(
    "case_templates",
    metadata,
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("grp", String(32), primary_key=True),
    Column("template", Text, nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
    Column("worst_level", String(8)),
)

tenant_templates = Table(
    "tenant_templates",
    metadata,
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("grp", String(32), primary_key=True),
    Column("template", Text, nullable=False),
    Column("count", BigInteger, nullable=False),
    Column("cases", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True)),
    Column("last_seen", DateTime(timezone=True)),
)

case_miner_states = Table(
    "case_miner_states",
    metadata,
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("state", JSONB, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

hypotheses = Table(
    "hypotheses",
    metadata,
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("statement", Text, nullable=False),
    Column("category", String(40), nullable=False),
    Column("component", Text),
    Column("confidence", Float, nullable=False),
    Column("state", String(20), nullable=False),
    Column("decided_by_user", Boolean, nullable=False),
    Column("note", Text),
    Column("document", JSONB, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

diagnoses = Table(
    "diagnoses",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("case_id", Uuid, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", Uuid, ForeignKey("messages.id", ondelete="SET NULL")),
    Column("document", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

knowledge_documents = Table(
    "knowledge_documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, ForeignKey("tenants.id", ondelete="CASCADE")),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("tags", ARRAY(Text), nullable=False),
    Column("metadata", JSONB, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

knowledge_chunks = Table(
    "knowledge_chunks",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("document_id", Uuid, ForeignKey("knowledge_documents.id", ondelete="CASCADE")),
    Column("tenant_id", Uuid),
    Column("kind", String(20), nullable=False),
    Column("tags", ARRAY(Text), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("heading", Text),
    Column("text", Text, nullable=False),
    Column("chunk_hash", String(64), nullable=False),
    Column("embedding", Vector()),
    Column("search", TSVECTOR),
)

knowledge_index = Table(
    "knowledge_index",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider", String(40), nullable=False),
    Column("model", Text, nullable=False),
    Column("dimension", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
