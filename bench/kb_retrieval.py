"""Knowledge retrieval quality: recall@1, recall@5 and MRR for words, vectors and hybrid.

The labelled set (bench/data/kb_queries.json) holds alert texts, on-call questions and raw log
lines, each naming the bundled playbooks that answer it. It was written from the playbook ids
and scopes alone, before the playbooks' text existed; its `held_out` third was frozen before
any tuning and is reported apart. Results are collapsed to documents (the best chunk of each),
since a user is pointed at a playbook, not at a chunk.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from faultmaven.knowledge.embeddings import Embedder, LocalEmbedder
from faultmaven.knowledge.indexing import prepare_chunks
from faultmaven.knowledge.playbooks import bundled_playbook_files, load_bundled
from faultmaven.services.database import open_database
from faultmaven.services.knowledge import BUNDLED_SOURCE_PREFIX
from faultmaven.services.knowledge_bundled import install_bundled_playbooks
from faultmaven.services.knowledge_search import search_for_tenant

HERE = Path(__file__).parent
QUERIES = HERE / "data" / "kb_queries.json"
MODES = ["words", "vectors", "words+vectors", "hybrid"]
CHUNKS_FETCHED = 40


@dataclass
class Scores:
    """Ranks of the first right answer per query (None: not in the results)."""

    ranks: list[int | None]

    def recall_at(self, k: int) -> float:
        """Share of queries with a right answer in the top k."""
        return sum(rank is not None and rank <= k for rank in self.ranks) / len(self.ranks)

    def mrr(self) -> float:
        """Mean reciprocal rank (0 for a miss)."""
        return statistics.fmean(1 / rank if rank else 0.0 for rank in self.ranks)


def ranked_playbooks(engine: Engine, embedder: Embedder | None, query: str, mode: str) -> list[str]:
    """Playbook ids in the order the search ranks their best chunk."""
    hits = search_for_tenant(engine, embedder, None, query, limit=CHUNKS_FETCHED, mode=mode)
    ids: list[str] = []
    for hit in hits:
        playbook = hit.source.removeprefix(BUNDLED_SOURCE_PREFIX)
        if playbook not in ids:
            ids.append(playbook)
    return ids


def first_right(ranked: list[str], expected: list[str]) -> int | None:
    """1-based rank of the first expected playbook, or None."""
    return next((index for index, item in enumerate(ranked, 1) if item in expected), None)


def main() -> None:
    """Load the bundled playbooks into a fresh database and score every query three ways."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-misses", action="store_true", help="List hybrid misses at 5.")
    arguments = parser.parse_args()
    queries = json.loads(QUERIES.read_text())["queries"]
    embedder = LocalEmbedder()
    with tempfile.TemporaryDirectory() as home:
        engine = open_database(None, Path(home))
        started = time.perf_counter()
        install_bundled_playbooks(engine, embedder)
        load_seconds = time.perf_counter() - started
        embedder.embed_query("warm up")
        ranks: dict[tuple[str, str], list[int | None]] = {}
        misses: list[str] = []
        for query in queries:
            for mode in MODES:
                ranked = ranked_playbooks(engine, embedder, query["query"], mode)
                rank = first_right(ranked, query["expected"])
                ranks.setdefault((query["split"], mode), []).append(rank)
                ranks.setdefault(("all", mode), []).append(rank)
                if mode == "hybrid" and (rank is None or rank > 5):
                    misses.append(f"{query['id']} {query['expected']} <- {ranked[:3]}")
        engine.dispose()
    chunk_texts = [
        chunk.embedding_text
        for path in bundled_playbook_files()
        for chunk in prepare_chunks(load_bundled(path))
    ]
    started = time.perf_counter()
    embedder.embed_documents(chunk_texts)
    embed_rate = len(chunk_texts) / (time.perf_counter() - started)
    print("## Knowledge retrieval: bundled playbooks, labelled queries\n")
    counts = {split: sum(q["split"] == split for q in queries) for split in ("dev", "held_out")}
    print(
        f"{len(queries)} queries (dev {counts['dev']}, held-out {counts['held_out']}, frozen"
        " before tuning); alert texts, on-call questions and raw log lines. Bundled playbooks"
        f" loaded with shipped vectors in {load_seconds:.1f} s. Words = PostgreSQL full text"
        " (any meaningful word, ranked by cover density); vectors = MiniLM + pgvector HNSW;"
        " words+vectors = reciprocal rank fusion of both; hybrid (what the product runs) ="
        " that fusion plus the playbooks whose log signatures match the query. Embedding the"
        " bundled chunks from scratch"
        f" with the local model (CPU): {len(chunk_texts)} chunks at {embed_rate:.1f} chunks/s.\n"
    )
    print("| split | mode | recall@1 | recall@5 | MRR |")
    print("|---|---|---|---|---|")
    for split in ("dev", "held_out", "all"):
        for mode in MODES:
            scores = Scores(ranks[(split, mode)])
            print(
                f"| {split} | {mode} | {scores.recall_at(1):.3f} | {scores.recall_at(5):.3f}"
                f" | {scores.mrr():.3f} |"
            )
    if arguments.show_misses:
        print("\nHybrid misses at 5:", *misses, sep="\n", file=sys.stderr)


if __name__ == "__main__":
    main()
