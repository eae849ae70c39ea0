"""A server bound to loopback is a cause only when connections were refused at its port."""

from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import reason
from faultmaven.reasoning.candidates import CaseFacts
from faultmaven.reasoning.loopback_listeners import (
    LISTENING_ON_LOOPBACK,
    LOOPBACK_LISTENER,
    refused_ports,
)
from faultmaven.reasoning.quiet_signatures import QUIET_SIGNATURES
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

START = datetime(2026, 1, 20, 23, 2, tzinfo=UTC)
SIGNATURES = {**SIGNATURES_BY_ID, **{s.id: s for s in QUIET_SIGNATURES}}
LISTENING = '{"level": "info", "msg": "http server listening", "addr": "127.0.0.1:8080"}'
PROBE = 'Readiness probe failed: Get "http://10.52.6.17:8080/readyz": dial tcp 10.52.6.17:8080:'


@pytest.mark.parametrize(
    ("line", "port"),
    [
        (LISTENING, 8080),
        ("INFO  Tomcat started on port(s): 8080 listening on localhost:8080", 8080),
        ("Listening on http://[::1]:3000", 3000),
        ('{"msg": "metrics server listening", "addr": "127.0.0.1:9102"}', None),
        ("Listening on 0.0.0.0:8080", None),
    ],
)
def test_a_start_up_line_announcing_a_loopback_listener_names_its_port(
    line: str, port: int | None
) -> None:
    found = LOOPBACK_LISTENER.search(line)
    assert (int(found.group("port")) if found else None) == port


def test_only_refusals_at_other_addresses_count() -> None:
    texts = [
        [f"{PROBE} connect: connection refused"],
        ["dial tcp 127.0.0.1:5432: connect: connection refused"],
    ]
    assert refused_ports(texts) == {8080}


def _line(n: int, text: str, seconds: int, signature: str | None) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-fare",
        evidence_name="fare-engine.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.INFO if signature else Level.ERROR,
        group=text,
        signature=signature,
    )


def test_the_listener_is_a_hypothesis_only_when_its_port_was_refused() -> None:
    lines = [_line(3022, LISTENING, 0, LISTENING_ON_LOOPBACK)]
    lines += [_line(3100 + i, f"rules reload failed {i}", 60 + i, None) for i in range(3)]
    summary = EvidenceSummary(
        evidence_id="ev-fare",
        evidence_name="fare-engine.log",
        kind=EvidenceKind.LOG,
        line_count=5000,
        problem_line_count=3,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )
    refused = CaseFacts(refused_ports=frozenset({8080}))
    draft = reason(lines, [summary], "why unready?", signatures=SIGNATURES, facts=refused)
    assert draft.hypotheses[0].category is Category.CONFIGURATION
    for facts in (CaseFacts(refused_ports=frozenset({5432})), None):
        draft = reason(lines, [summary], "why unready?", signatures=SIGNATURES, facts=facts)
        assert all(h.category is not Category.CONFIGURATION for h in draft.hypotheses)
