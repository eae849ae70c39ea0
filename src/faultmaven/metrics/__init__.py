"""The metrics engine: read metrics evidence, find change points, rank them across series.

Readers take Grafana/CSV exports and Prometheus query results; detection is robust to noise
and spikes; ranking orders changes and components upstream-first and checks them against
log anomaly times.
"""

from faultmaven.metrics.changes import detect_changes
from faultmaven.metrics.ranking import Detected, detect_all, rank_changes, rank_detected
from faultmaven.metrics.reading import is_metrics_text, read_metrics

__all__ = [
    "Detected",
    "detect_all",
    "detect_changes",
    "is_metrics_text",
    "rank_changes",
    "rank_detected",
    "read_metrics",
]
