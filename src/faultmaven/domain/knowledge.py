"""Knowledge base entities: documents, their chunks, playbooks and search hits."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from faultmaven.domain.diagnosis import Category, KnowledgeKind
from faultmaven.domain.errors import InvalidInputError

__all__ = [
    "Chunk",
    "KnowledgeDocument",
    "KnowledgeHit",
    "KnowledgeKind",
    "LoadedDocument",
    "MetricChange",
    "Playbook",
    "PlaybookSignature",
    "knowledge_kind",
]


def knowledge_kind(value: str | None) -> KnowledgeKind | None:
    """Read a kind a user typed (None when not given); a clear error when it is no kind."""
    if not value:
        return None
    try:
        return KnowledgeKind(value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in KnowledgeKind)
        raise InvalidInputError(f"unknown kind {value!r}: one of {kinds}") from None


class LoadedDocument(BaseModel):
    """A source file turned into Markdown-shaped text plus what it says about itself.

    `text` keeps the document's structure as Markdown headings (`#`, `##`, ...) and fenced code
    blocks whatever the original format was, so one chunker serves every loader.
    """

    title: str
    text: str
    media_type: str
    kind: KnowledgeKind | None = None
    tags: list[str] = Field(default_factory=list)
    url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class Chunk(BaseModel):
    """One searchable piece of a document, with the headings it sits under."""

    ordinal: int = Field(ge=0)
    heading: list[str] = Field(default_factory=list)
    text: str

    @property
    def heading_path(self) -> str | None:
        """The heading path as shown to users: `A > B > C`, or None at the top level."""
        return " > ".join(self.heading) if self.heading else None


class KnowledgeDocument(BaseModel):
    """A stored document as listed to its owner (bundled playbooks have no tenant)."""

    id: str
    title: str
    kind: KnowledgeKind
    source: str
    url: str | None = None
    tags: list[str] = Field(default_factory=list)
    chunks: int = 0
    bundled: bool = False
    content_hash: str
    updated_at: str


class KnowledgeHit(BaseModel):
    """One search result: the whole chunk, where it sits, and how well it matched."""

    document_id: str
    title: str
    kind: KnowledgeKind
    source: str
    url: str | None = None
    heading: str | None = None
    text: str
    score: float


class MetricChange(StrEnum):
    """Which way a metric must move for a playbook's metric signature to match."""

    UP = "up"
    DOWN = "down"


class PlaybookSignature(BaseModel):
    """One way a playbook recognises its failure in evidence (exactly one kind per entry)."""

    model_config = ConfigDict(extra="forbid")

    regex: str | None = None
    template: str | None = None
    kubernetes_reason: str | None = None
    metric: str | None = None
    change: MetricChange | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "PlaybookSignature":
        kinds = [self.regex, self.template, self.kubernetes_reason, self.metric]
        if sum(kind is not None for kind in kinds) != 1:
            raise ValueError(
                "a signature has exactly one of regex, template, kubernetes_reason, metric"
            )
        if (self.metric is None) != (self.change is None):
            raise ValueError("`change` (up or down) goes with `metric` and only with it")
        return self


class Playbook(BaseModel):
    """A bundled (or team) playbook: front matter plus its four body sections."""

    id: str
    title: str
    category: Category
    tags: list[str] = Field(default_factory=list)
    severity: str
    signatures: list[PlaybookSignature] = Field(default_factory=list)
    summary: str = ""
    """The paragraph under the title: what the failure is, in the playbook's words."""
    symptoms: str = ""
    diagnosis: str = ""
    remediation: str = ""
    verify: str = ""
    commands: list[str] = Field(default_factory=list)
