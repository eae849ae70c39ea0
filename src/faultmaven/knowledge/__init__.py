"""The knowledge engine: loading documents, chunking them, and ranking what matches."""
