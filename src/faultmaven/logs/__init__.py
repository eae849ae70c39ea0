"""The log engine: formats, timestamps, severity, templates, anomalies and summaries of logs.

Subpackages: `formats` (lines to events), `templates` (template mining), `anomalies`.
"""

from faultmaven.domain.service_names import evidence_stem
from faultmaven.domain.workloads import workload_name
from faultmaven.logs.components import component_of
from faultmaven.logs.severity import find_level
from faultmaven.logs.timestamps import find_timestamp

__all__ = [
    "component_of",
    "evidence_stem",
    "find_level",
    "find_timestamp",
    "workload_name",
]
