"""Distributed traces pasted as a span table: which service the failing calls start in."""

from faultmaven.traces.origins import ErrorOrigin, error_origins
from faultmaven.traces.spans import Span, read_spans

__all__ = ["ErrorOrigin", "Span", "error_origins", "read_spans"]
