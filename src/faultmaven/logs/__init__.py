"""The log engine: timestamps, severity, line shapes and components of log lines."""

from faultmaven.logs.analyse import LineAnalyser
from faultmaven.logs.components import component_of, evidence_stem, workload_name
from faultmaven.logs.normalise import WILDCARD, line_group, strip_header
from faultmaven.logs.severity import find_level
from faultmaven.logs.timestamps import find_timestamp

__all__ = [
    "WILDCARD",
    "LineAnalyser",
    "component_of",
    "evidence_stem",
    "find_level",
    "find_timestamp",
    "line_group",
    "strip_header",
    "workload_name",
]
