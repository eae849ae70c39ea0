"""The knowledge a diagnosis cites: playbooks, runbooks and past cases that fit its causes."""

import logging
import uuid

from sqlalchemy import Engine

from faultmaven.domain.diagnosis import DiagnosisDraft, KnowledgeKind, RelatedKnowledge
from faultmaven.domain.errors import FaultMavenError
from faultmaven.domain.knowledge import KnowledgeHit
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services.knowledge_search import search_for_tenant

logger = logging.getLogger(__name__)

MAX_RELATED = 5
OWN_RESERVED = 2
HITS_PER_QUERY = 15
SNIPPET_CHARS = 300
# Questions that say nothing about the failure; searching them only adds noise.
GENERIC_QUESTIONS = {"what is wrong?", "what is wrong", "why?", "help", "what happened?"}


def _queries(question: str | None, draft: DiagnosisDraft) -> list[str]:
    queries = []
    for hypothesis in draft.hypotheses[:3]:
        evidence = hypothesis.citations[0].text if hypothesis.citations else ""
        queries.append(f"{hypothesis.title}. {hypothesis.statement} {evidence}")
    if question and question.strip().lower() not in GENERIC_QUESTIONS:
        queries.insert(0, question)
    return queries


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[: SNIPPET_CHARS - 1].rstrip() + "…"


def _related(hit: KnowledgeHit) -> RelatedKnowledge:
    return RelatedKnowledge(
        document_id=hit.document_id,
        title=hit.title,
        kind=hit.kind,
        source=hit.source,
        url=hit.url,
        heading=hit.heading,
        snippet=_snippet(hit.text),
        score=hit.score,
    )


def related_knowledge(
    engine: Engine,
    embedder: Embedder | None,
    tenant_id: uuid.UUID,
    question: str | None,
    draft: DiagnosisDraft,
) -> list[RelatedKnowledge]:
    """Search once per leading hypothesis (and the question); one entry per document.

    A knowledge base that cannot be searched (provider down, vectors from another model)
    costs the diagnosis its related knowledge, never the diagnosis itself.
    """
    best: dict[str, KnowledgeHit] = {}
    for query in _queries(question, draft):
        try:
            hits = search_for_tenant(engine, embedder, tenant_id, query, limit=HITS_PER_QUERY)
        except FaultMavenError as error:
            logger.warning("knowledge search skipped: %s", error.detail)
            return [_related(hit) for hit in best.values()]
        for hit in hits:
            if hit.document_id not in best or best[hit.document_id].score < hit.score:
                best[hit.document_id] = hit
    return [_related(hit) for hit in _pick(list(best.values()))]


def _pick(hits: list[KnowledgeHit]) -> list[KnowledgeHit]:
    """Best first, keeping room for the team's own knowledge.

    Generic playbooks match nearly every incident of their kind; the team's runbooks and
    resolved cases are rarer and more specific, so the best two always make the list.
    """
    ranked = sorted(hits, key=lambda hit: hit.score, reverse=True)
    own = [hit for hit in ranked if hit.kind != KnowledgeKind.PLAYBOOK][:OWN_RESERVED]
    chosen = ranked[: MAX_RELATED - len([hit for hit in own if hit not in ranked[:MAX_RELATED]])]
    chosen += [hit for hit in own if hit not in chosen]
    return sorted(chosen, key=lambda hit: hit.score, reverse=True)
