"""Use cases: what surfaces call. Each function takes the engine and plain arguments."""
