"""A case's metric changes as lines the reasoner weighs beside log lines.

Each sustained move of a resource series becomes one line: the sample that shows the move,
at its time, about the series' component (or the component the file is named after), with
the metric signature it matches. The reasoner then orders it among the log lines like any
other cause.
"""

import logging
from collections.abc import Sequence

from sqlalchemy import Connection

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind, Level
from faultmaven.logs.components import component_of
from faultmaven.metrics import rank_changes, read_metrics
from faultmaven.reasoning.metric_signatures import metric_signature
from faultmaven.services.evidence_findings import evidence_text

logger = logging.getLogger(__name__)


def metric_change_lines(connection: Connection, ready: Sequence[Evidence]) -> list[AnalysedLine]:
    """Return one line per sustained, harmful move of a resource series in the case."""
    found: list[AnalysedLine] = []
    for item in ready:
        if item.kind is not EvidenceKind.METRICS:
            continue
        lines = evidence_text(connection, item)
        if not lines:
            continue
        try:
            metric_set = read_metrics("\n".join(lines), timezone=item.timezone)
        except InvalidInputError as error:
            logger.warning("%s: metrics not read: %s", item.name, error.detail)
            continue
        for change in rank_changes(metric_set).changes:
            signature = metric_signature(change.series, change.after > change.before)
            if signature is None or change.line_end > len(lines):
                continue
            found.append(
                AnalysedLine(
                    evidence_id=item.id,
                    evidence_name=item.name,
                    n=change.line_end,
                    text=lines[change.line_end - 1],
                    time=change.time,
                    level=Level.WARN,
                    group=f"metric {change.series}",
                    signature=signature,
                    component=change.component or component_of(item.name, ""),
                )
            )
    return found
