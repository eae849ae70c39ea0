"""OpenAI and Ollama embedders against recorded exchanges replayed on loopback."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from faultmaven.domain.errors import InvalidInputError
from faultmaven.knowledge.embeddings import (
    EmbeddingProviderError,
    LocalEmbedder,
    OllamaEmbedder,
    OpenAIEmbedder,
    make_embedder,
)
from tests_support import free_port, serving

EXCHANGES = Path(__file__).parent / "exchanges"
TEXTS = ["disk full on /var", "too many open files"]


def _exchange(name: str) -> dict[str, Any]:
    exchange: dict[str, Any] = json.loads((EXCHANGES / name).read_text())
    return exchange


@contextmanager
def replaying(name: str, *, raw: str | None = None) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve one recorded exchange; yield the base URL and the requests received."""
    exchange = _exchange(name)
    received: list[dict[str, Any]] = []
    app = FastAPI()

    @app.post(exchange["request"]["path"])
    async def answer(request: Request) -> Any:
        received.append(
            {"headers": dict(request.headers), "body": json.loads(await request.body())}
        )
        if raw is not None:
            return PlainTextResponse(raw)
        response = exchange["response"]
        return JSONResponse(response["body"], status_code=response["status"])

    with serving(app) as url:
        yield url, received


def test_openai_request_matches_the_reference_and_vectors_come_back_in_input_order() -> None:
    with replaying("openai_embeddings.json") as (url, received):
        embedder = OpenAIEmbedder(
            model="text-embedding-3-small", api_key="sk-test", base_url=f"{url}/v1"
        )
        vectors = embedder.embed_documents(TEXTS)
    assert received[0]["body"] == _exchange("openai_embeddings.json")["request"]["body"]
    assert received[0]["headers"]["authorization"] == "Bearer sk-test"
    assert vectors[0] == [-0.0069, 0.0213, -0.0331, 0.0102]
    assert vectors[1] == [0.0113, -0.0423, 0.0081, 0.0337]
    assert embedder.dimension == 4


def test_openai_error_is_reported_with_its_status_and_message() -> None:
    with replaying("openai_error.json") as (url, _):
        embedder = OpenAIEmbedder(
            model="text-embedding-3-small", api_key="sk-test", base_url=f"{url}/v1"
        )
        with pytest.raises(EmbeddingProviderError, match=r"401.*Incorrect API key"):
            embedder.embed_query("disk full")


def test_openai_non_json_answer_is_a_clear_error() -> None:
    with replaying("openai_embeddings.json", raw="<html>gateway</html>") as (url, _):
        embedder = OpenAIEmbedder(model="m", api_key=None, base_url=f"{url}/v1")
        with pytest.raises(EmbeddingProviderError, match="non-JSON"):
            embedder.embed_query("disk full")


def test_ollama_request_matches_the_reference() -> None:
    with replaying("ollama_embed.json") as (url, received):
        embedder = OllamaEmbedder(model="all-minilm", base_url=url)
        vectors = embedder.embed_documents(TEXTS)
    assert received[0]["body"] == _exchange("ollama_embed.json")["request"]["body"]
    assert len(vectors) == 2 and vectors[0][0] == pytest.approx(0.010071029)
    assert embedder.dimension == 4


def test_unreachable_provider_is_a_clear_error() -> None:
    embedder = OllamaEmbedder(model="all-minilm", base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(EmbeddingProviderError, match="cannot reach"):
        embedder.embed_query("disk full")


def test_local_model_embeds_offline_into_unit_vectors_that_know_meaning() -> None:
    embedder = LocalEmbedder()
    disk, inodes, tls = embedder.embed_documents(
        [
            "No space left on device",
            "the filesystem ran out of free space",
            "certificate has expired",
        ]
    )
    query = embedder.embed_query("disk is full")

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert len(query) == 384
    assert cosine(query, query) == pytest.approx(1.0, abs=1e-4)
    assert cosine(query, inodes) > cosine(query, tls)
    assert cosine(query, disk) > cosine(query, tls)


def test_settings_name_the_provider() -> None:
    assert make_embedder("none") is None
    assert isinstance(make_embedder("local"), LocalEmbedder)
    assert isinstance(make_embedder("ollama", "nomic-embed-text"), OllamaEmbedder)
    with pytest.raises(InvalidInputError, match="unknown embeddings provider"):
        make_embedder("word2vec")
    with pytest.raises(InvalidInputError, match="ships"):
        make_embedder("local", "bge-large")
