"""Embed every chunk of the bundled playbooks with the local model and ship the vectors.

Run after editing a playbook: `.venv/bin/python tools/precompute_playbook_vectors.py`.
A test fails while any bundled chunk lacks its shipped vector, so a forgotten run is caught.
The local model embeds only some tens of chunks per second on two cores; shipping the vectors
keeps a new installation's first start fast.
"""

import time

from faultmaven.knowledge.embeddings import LocalEmbedder
from faultmaven.knowledge.indexing import prepare_chunks
from faultmaven.knowledge.playbooks import (
    bundled_playbook_files,
    load_bundled,
    load_precomputed_vectors,
    save_precomputed_vectors,
)


def main() -> None:
    """Embed the chunks that have no shipped vector yet and drop vectors no chunk uses."""
    embedder = LocalEmbedder()
    shipped = load_precomputed_vectors(embedder.model)
    chunks = {
        chunk.chunk_hash: chunk.embedding_text
        for path in bundled_playbook_files()
        for chunk in prepare_chunks(load_bundled(path))
    }
    missing = [chunk_hash for chunk_hash in chunks if chunk_hash not in shipped]
    started = time.perf_counter()
    fresh = embedder.embed_documents([chunks[chunk_hash] for chunk_hash in missing])
    elapsed = time.perf_counter() - started
    vectors = {h: v for h, v in shipped.items() if h in chunks}
    vectors.update(zip(missing, fresh, strict=True))
    save_precomputed_vectors(embedder.model, vectors)
    rate = len(missing) / elapsed if elapsed and missing else 0.0
    print(f"{len(chunks)} chunks, {len(missing)} embedded in {elapsed:.1f} s ({rate:.1f}/s)")


if __name__ == "__main__":
    main()
