"""Give a metric series the full name of the component the case's logs call it.

A CSV column such as `ingest_gw_01_tcp_retrans_per_s` is named after its leading word
(`ingest`), since where the component's name ends and the measure's begins is unknown. When
the logs name a component `ingest-gw-01` that the column spells out in full, the series is
about that component, and both sources' evidence joins one hypothesis.
"""

import re
from collections.abc import Sequence
from dataclasses import replace

from faultmaven.domain.evidence import AnalysedLine
from faultmaven.reasoning.candidates import ComponentFinder

_METRIC_GROUP = "metric "
_SEPARATORS = re.compile(r"[_.\s{}\"=,]+")


def with_case_names(
    lines: Sequence[AnalysedLine], component_of: ComponentFinder
) -> list[AnalysedLine]:
    """Return the lines, each metric line renamed to the logged component its series spells."""
    named = {component_of(line.evidence_name, line.text) for line in lines if line.strength is None}
    known = {name.lower() for name in named if name}
    if not known:
        return list(lines)
    return [_renamed(line, known) for line in lines]


def _renamed(line: AnalysedLine, known: set[str]) -> AnalysedLine:
    if line.strength is None or not line.component or not line.group.startswith(_METRIC_GROUP):
        return line
    short = line.component.lower()
    series = _SEPARATORS.sub("-", line.group[len(_METRIC_GROUP) :].lower())
    longer = [
        name for name in known if name.startswith(short + "-") and series.startswith(name + "-")
    ]
    if not longer:
        return line
    # `ingest-gw-01` over `ingest-gw`: the series spells out the longest.
    return replace(line, component=max(longer, key=len))
