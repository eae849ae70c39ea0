"""Resolved cases become knowledge: the next similar incident finds how this one ended."""

import logging
import uuid

from sqlalchemy import Engine

from faultmaven.domain.cases import Case
from faultmaven.domain.diagnosis import Diagnosis, Hypothesis, KnowledgeKind
from faultmaven.domain.errors import FaultMavenError
from faultmaven.domain.knowledge import LoadedDocument
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.knowledge import add_loaded
from faultmaven.store import conversation as conversation_store

KEY_LINES = 8

logger = logging.getLogger(__name__)


def _chosen(diagnosis: Diagnosis | None, hypothesis_id: str | None) -> Hypothesis | None:
    """Pick the hypothesis the resolution names, else the diagnosis's leading one."""
    if diagnosis is None or not diagnosis.hypotheses:
        return None
    named = next((h for h in diagnosis.hypotheses if h.id == hypothesis_id), None)
    return named or diagnosis.hypotheses[0]


def case_document(case: Case, chosen: Hypothesis | None) -> str:
    """Write the resolved case as Markdown: what happened, why, the fix, the proving lines."""
    parts = [f"# {case.title}", ""]
    if case.description:
        parts += ["## Summary", case.description.strip(), ""]
    parts += ["## Root cause", (case.root_cause or "").strip(), ""]
    parts += ["## Fix", (case.fix or "").strip(), ""]
    if chosen is not None:
        parts += [
            "## Diagnosis",
            f"{chosen.title} ({chosen.category.value}"
            + (f", in {chosen.component})" if chosen.component else ")"),
            "",
            chosen.statement,
            "",
        ]
        lines = [citation.text for citation in chosen.citations[:KEY_LINES]]
        if lines:
            parts += ["## Key evidence", "```text", *lines, "```", ""]
    return "\n".join(parts).strip() + "\n"


def remember_resolved_case(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    case: Case,
    hypothesis_id: str | None,
) -> None:
    """Store (or update) the resolved case as a `case` document of its tenant.

    The resolution itself is already saved; a knowledge base that cannot take the document
    (embedding provider down) is logged as an error rather than undoing or failing it.
    """
    with engine.connect() as connection:
        diagnosis = conversation_store.latest_diagnosis(
            connection, tenant_uuid(principal), uuid.UUID(case.id)
        )
    chosen = _chosen(diagnosis, hypothesis_id)
    document = LoadedDocument(
        title=f"Resolved case: {case.title}",
        text=case_document(case, chosen),
        media_type="text/markdown",
        kind=KnowledgeKind.CASE,
        metadata={"case_id": case.id},
    )
    try:
        add_loaded(
            engine,
            embedder,
            principal,
            document,
            kind=KnowledgeKind.CASE,
            tags=[chosen.category.value] if chosen else [],
            source=f"case:{case.id}",
        )
    except FaultMavenError as error:
        logger.error("resolved case %s not added to the knowledge base: %s", case.id, error.detail)
