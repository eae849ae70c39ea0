"""Where failing calls start: in each failing trace, the failed spans no failed child explains.

A product page fails because frontend's call to the catalogue failed, which failed in the
catalogue itself: the deepest failed span is where the error began, every failed span
above it only relays it. Counting those origins per service over all traces names the
service the failures start in.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from faultmaven.traces.spans import Span


@dataclass(frozen=True)
class ErrorOrigin:
    """A service where failures began: its originating failed spans, first first."""

    service: str
    spans: tuple[Span, ...]

    @property
    def traces(self) -> int:
        """Count the failing traces that began here."""
        return len({span.trace for span in self.spans})


def error_origins(spans: Sequence[Span]) -> list[ErrorOrigin]:
    """Return the services failed spans originate in, most failing traces first."""
    failed_children: set[tuple[str, str]] = {
        (span.trace, span.parent) for span in spans if span.failed and span.parent
    }
    found: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        if span.failed and (span.trace, span.span) not in failed_children:
            found[span.service].append(span)
    origins = [ErrorOrigin(name, tuple(sorted(spans, key=_when))) for name, spans in found.items()]
    return sorted(origins, key=lambda origin: (-origin.traces, origin.service))


def _when(span: Span) -> tuple[bool, float, int]:
    return span.start is None, span.start.timestamp() if span.start else 0.0, span.line
