"""A node's own failure in Elasticsearch's JSON logs is placed at the node, not its cluster."""

from datetime import UTC, datetime

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.cluster_node_names import place_at_nodes
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

GC = (
    '{"log.level": "WARN", "message": "[gc][old][23894][42] duration [25.9s]", "service.name":'
    ' "ES_ECS", "elasticsearch.cluster.name": "search-prod", "elasticsearch.node.name":'
    ' "es-data-05"}'
)


def _candidate(signature: str, text: str) -> Candidate:
    line = AnalysedLine(
        evidence_id="ev-1",
        evidence_name="logs/es-data-05.json",
        n=1392,
        text=text,
        time=datetime(2025, 9, 3, 11, 1, tzinfo=UTC),
        level=Level.WARN,
        group=text,
        signature=signature,
    )
    return Candidate(
        id="c1",
        signature=SIGNATURES_BY_ID[signature],
        component="search-prod",
        group=text,
        lines=[line],
        keys=[(LATEST, 0, 1392)],
    )


def test_a_gc_pause_is_placed_at_the_node_its_lines_name() -> None:
    paused = _candidate("long_gc_pause", GC)
    place_at_nodes([paused])
    assert paused.component == "es-data-05"
    assert paused.reporter == "search-prod"


def test_what_the_cluster_decides_stays_with_the_cluster() -> None:
    refused = _candidate("permission_denied", GC.replace("[gc][old]", "permission denied"))
    place_at_nodes([refused])
    assert refused.component == "search-prod"
