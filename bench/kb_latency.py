"""Knowledge search latency with 100,000 chunks in the index, and HNSW against exact search.

The index holds the bundled playbooks plus generated chunks owned by a tenant: texts made of
playbook sentences with fresh service names and numbers, vectors placed between pairs of real
playbook vectors (a real corpus clusters by topic; uniform random vectors would flatter HNSW).
Latency is what a caller of the search service waits for: embedding the query, both retrievers,
fusion and fetching the chunks. The reference is exact nearest-neighbour search (a sequential
scan) in the same database: its latency, and HNSW's recall of its top 10.
"""

import argparse
import io
import json
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import psycopg
from sqlalchemy import Engine, text

from faultmaven.knowledge.embeddings import LocalEmbedder
from faultmaven.knowledge.playbooks import load_precomputed_vectors
from faultmaven.knowledge.query import meaningful_text
from faultmaven.services.apikeys import tenant_principal, tenant_uuid
from faultmaven.services.database import open_database
from faultmaven.services.knowledge_bundled import install_bundled_playbooks
from faultmaven.services.knowledge_search import search_for_tenant
from faultmaven.store.database import libpq_url
from faultmaven.store.knowledge import EF_SEARCH

HERE = Path(__file__).parent
QUERIES = HERE / "data" / "kb_queries.json"
SERVICES = ["checkout", "payments", "search", "orders", "auth", "billing", "ledger", "catalog"]


def sentences(engine: Engine) -> list[str]:
    """Sentences of the bundled playbooks, the raw material of generated chunks."""
    with engine.connect() as connection:
        texts = connection.execute(text("SELECT text FROM knowledge_chunks")).scalars().all()
    found = [s.strip() for t in texts for s in t.replace("\n", " ").split(". ") if len(s) > 30]
    return found


def generated_rows(count: int, tenant: uuid.UUID, pool: list[str], seed: int) -> io.StringIO:
    """COPY text rows for knowledge_chunks: generated text and a vector between two real ones.

    Mixing two playbook vectors with a little noise fills the space between topics as a real
    corpus does; copies of a few hundred centres would make "the exact top 10" a lottery among
    near-duplicates.
    """
    rng = random.Random(seed)
    centres = np.array(list(load_precomputed_vectors("all-MiniLM-L6-v2").values()))
    generator = np.random.default_rng(seed)
    first = centres[generator.integers(0, len(centres), count)]
    second = centres[generator.integers(0, len(centres), count)]
    share = generator.uniform(0.0, 1.0, size=(count, 1))
    noise = generator.normal(0, 0.03, size=(count, centres.shape[1]))
    vectors = share * first + (1 - share) * second + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    buffer = io.StringIO()
    documents = [uuid.uuid4() for _ in range(count // 100)]
    for index in range(count):
        service = f"{rng.choice(SERVICES)}-{rng.randrange(1000)}"
        body = ". ".join(rng.sample(pool, 4)) + f". Seen on {service} at {rng.randrange(10**6)}."
        body = body.replace("\\", "\\\\").replace("\t", " ")
        vector = "[" + ",".join(f"{x:.6f}" for x in vectors[index]) + "]"
        buffer.write(
            f"{documents[index // 100]}\t{tenant}\tdoc\t{{}}\t{index % 100}"
            f"\tGenerated {index // 100}\t\\N\t{body}\t{index:064x}\t{vector}\n"
        )
    buffer.seek(0)
    return buffer


def load(engine: Engine, url: str, count: int, tenant: uuid.UUID) -> float:
    """Bulk-load generated chunks and rebuild the HNSW index; return the build seconds."""
    pool = sentences(engine)
    with psycopg.connect(url, autocommit=True) as connection:
        rows = generated_rows(count, tenant, pool, 7).getvalue()
        documents = sorted({row.split("\t", 1)[0] for row in rows.splitlines()})
        with connection.cursor().copy(
            "COPY knowledge_documents (id, tenant_id, kind, title, source, tags, metadata,"
            " content_hash, created_at, updated_at) FROM STDIN"
        ) as copy:
            for number, document in enumerate(documents):
                copy.write_row(
                    (
                        document,
                        tenant,
                        "doc",
                        f"Generated {number}",
                        f"gen:{number}",
                        [],
                        "{}",
                        "0" * 64,
                        "2026-01-01",
                        "2026-01-01",
                    )
                )
        connection.execute("DROP INDEX knowledge_chunks_embedding")
        with connection.cursor().copy(
            "COPY knowledge_chunks (document_id, tenant_id, kind, tags, ordinal, title, heading,"
            " text, chunk_hash, embedding) FROM STDIN"
        ) as copy:
            copy.write(rows)
        connection.execute("SET maintenance_work_mem = '2GB'")
        started = time.perf_counter()
        connection.execute(
            "CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks"
            " USING hnsw (embedding vector_cosine_ops)"
        )
        build_seconds = time.perf_counter() - started
        connection.execute("ANALYZE knowledge_chunks")
    return build_seconds


def percentile(values: list[float], share: float) -> float:
    """Return the value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def exact_and_hnsw(
    url: str, vector: list[float], tenant: uuid.UUID
) -> tuple[float, set[int], set[int]]:
    """Exact top 10 (sequential scan) with its latency, and HNSW's top 10, same filter."""
    literal = "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
    query = (
        "SELECT id FROM knowledge_chunks WHERE (tenant_id = %s OR tenant_id IS NULL)"
        " AND embedding IS NOT NULL ORDER BY embedding <=> %s::vector LIMIT 10"
    )
    with psycopg.connect(url) as connection:
        connection.execute(f"SET hnsw.ef_search = {EF_SEARCH}")
        connection.execute("SET hnsw.iterative_scan = relaxed_order")
        approximate = {row[0] for row in connection.execute(query, (tenant, literal))}
        connection.execute("SET enable_indexscan = off")
        started = time.perf_counter()
        exact = {row[0] for row in connection.execute(query, (tenant, literal))}
        return time.perf_counter() - started, exact, approximate


def main() -> None:
    """Build the big index, then time every labelled query through the search service."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=100_000)
    arguments = parser.parse_args()
    queries = [q["query"] for q in json.loads(QUERIES.read_text())["queries"]]
    embedder = LocalEmbedder()
    with tempfile.TemporaryDirectory() as home:
        engine = open_database(None, Path(home))
        url = libpq_url(str(engine.url.render_as_string(hide_password=False)))
        install_bundled_playbooks(engine, embedder)
        tenant = tenant_uuid(tenant_principal(engine, "bench"))
        build_seconds = load(engine, url, arguments.chunks, tenant)
        embedder.embed_query("warm up")
        timings: dict[str, list[float]] = {"hybrid": [], "words": [], "vectors": []}
        for _ in range(2):
            for query in queries:
                for mode in timings:
                    started = time.perf_counter()
                    search_for_tenant(engine, embedder, tenant, query, limit=5, mode=mode)
                    timings[mode].append((time.perf_counter() - started) * 1000)
        embed_ms = []
        exact_ms, recalls = [], []
        for query in queries:
            started = time.perf_counter()
            vector = embedder.embed_query(meaningful_text(query))
            embed_ms.append((time.perf_counter() - started) * 1000)
            seconds, exact, approximate = exact_and_hnsw(url, vector, tenant)
            exact_ms.append(seconds * 1000)
            recalls.append(len(exact & approximate) / len(exact))
        with engine.connect() as connection:
            total = connection.execute(text("SELECT count(*) FROM knowledge_chunks")).scalar_one()
        engine.dispose()
    print(f"## Knowledge search latency, {total:,} chunks\n")
    print(
        f"{len(queries)} labelled queries, each run twice per mode through the search service"
        f" (query embedding included); HNSW index built in {build_seconds:.0f} s.\n"
    )
    print("| what | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|")
    for mode, values in timings.items():
        print(
            f"| search, {mode} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f}"
            f" | {percentile(values, 0.99):.1f} |"
        )
    print(
        f"| query embedding alone | {percentile(embed_ms, 0.5):.1f}"
        f" | {percentile(embed_ms, 0.95):.1f} | {percentile(embed_ms, 0.99):.1f} |"
    )
    print(
        f"| reference: exact top 10 (sequential scan, SQL only) | {percentile(exact_ms, 0.5):.1f}"
        f" | {percentile(exact_ms, 0.95):.1f} | {percentile(exact_ms, 0.99):.1f} |"
    )
    ratio = percentile(exact_ms, 0.95) / percentile(timings["vectors"], 0.95)
    print(
        f"\nHNSW recall of the exact top 10: {statistics.fmean(recalls):.3f} (mean over queries);"
        f" exact-scan p95 / whole vector-search p95 = {ratio:.1f}x.\n"
    )


if __name__ == "__main__":
    main()
