"""What the case's logs say beyond notable lines: stack-trace failures, listening addresses,
and two readings of one failure."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import SIGNATURES_BY_ID, match_signature, reason
from faultmaven.reasoning.candidates import CaseFacts

START = datetime(2025, 1, 13, 9, 0, tzinfo=UTC)


def _line(
    evidence: str, n: int, text: str, seconds: int, group: str, signature: str | None = None
) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=evidence,
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=group,
        signature=signature if signature is not None else match_signature(text),
    )


def _summaries(lines: list[AnalysedLine]) -> list[EvidenceSummary]:
    names = sorted({line.evidence_name for line in lines})
    return [
        EvidenceSummary(
            evidence_id=f"ev-{name}",
            evidence_name=name,
            kind=EvidenceKind.LOG,
            line_count=5000,
            problem_line_count=sum(1 for line in lines if line.evidence_name == name),
            first_time=START,
            last_time=START + timedelta(hours=1),
            group_counts={},
        )
        for name in names
    ]


def test_heads_whose_traces_name_one_failure_are_one_hypothesis_from_the_first() -> None:
    servlet = "o.a.c.c.C.[dispatcherServlet] : Servlet.service() threw exception [<*>]"
    service = "c.s.promotions.DiscountService : Servlet.service() threw exception"
    failure = "java.lang.NullPointerException: Cannot invoke Campaign.getDiscount()"
    lines = [_line("promotions.log", 901, f"09:31:00 ERROR {servlet}", 1860, servlet)]
    lines += [
        _line("promotions.log", 920 + 17 * i, f"09:31 ERROR {service}", 1876 + 8 * i, service)
        for i in range(12)
    ]
    facts = CaseFacts(failures={servlet: failure, service: failure})
    merged = reason(lines, _summaries(lines), facts=facts)
    apart = reason(lines, _summaries(lines))
    assert len(apart.hypotheses) == 2
    assert len(merged.hypotheses) == 1
    top = merged.hypotheses[0]
    assert top.category is Category.CODE_ERROR
    assert top.citations[0].line_start == 901
    assert "NullPointerException" in top.statement


def _nginx(evidence_name: str, text: str) -> str:
    return "nginx"


def test_a_proxy_error_with_no_known_peer_defers_to_the_peer_its_error_log_names() -> None:
    refused = (
        "2026/11/25 19:31:31 [error] 15156#15156: *4461 connect() failed (111: Connection"
        ' refused) while connecting to upstream, upstream: "http://127.0.0.1:50281/api"'
    )
    bad_gateway = '127.0.0.1 - - [25/Nov/2026:19:31:31 +0000] "GET /api HTTP/1.1" 502 157'
    lines = [
        _line("nginx-error.log", 1 + i, refused, 10 + i, "connect() failed <*>") for i in range(50)
    ] + [
        _line("nginx-access.log", 900 + i, bad_gateway, 10 + i, '"GET <*>" <*> <*>')
        for i in range(50)
    ]
    blind = reason(lines, _summaries(lines), component_of=_nginx)
    assert blind.hypotheses[0].component == "nginx"
    placed = reason(
        lines,
        _summaries(lines),
        facts=CaseFacts(addresses={"127.0.0.1:50281": "catalog-api"}),
        component_of=_nginx,
    )
    top = placed.hypotheses[0]
    assert (top.component, top.category) == ("catalog-api", Category.DEPENDENCY)
    assert top.statement.startswith("catalog-api is down or not listening: nginx's connections")
    assert placed.components[0].name == "catalog-api"


def test_two_readings_of_one_failure_fold_into_the_one_that_began_first() -> None:
    builtin = SIGNATURES_BY_ID["db_lock"]
    playbook = replace(
        builtin,
        id="playbook:db-lock-wait-timeout",
        title="Queries blocked on locks",
        patterns=(
            re.compile(r"process \d+ still waiting for \w+ on .+ after [\d.]+ ms"),
            re.compile(r"canceling statement due to lock timeout"),
        ),
        keywords=(),
    )
    signatures = {**SIGNATURES_BY_ID, playbook.id: playbook}
    waiting = (
        "LOG:  process 22278 still waiting for AccessShareLock on relation 16419 after 1000 ms"
    )
    cancelled = "ERROR:  canceling statement due to lock timeout"
    lines = [
        _line("postgresql.log", 11 + i, waiting, 100 + i, "still waiting <*>", playbook.id)
        for i in range(3)
    ] + [
        _line("postgresql.log", 23 + i, cancelled, 101 + i, "canceling <*>", "db_lock")
        for i in range(10)
    ]
    draft = reason(lines, _summaries(lines), signatures=signatures)
    database = [h for h in draft.hypotheses if h.category is Category.DATABASE]
    assert len(database) == 1
    cited = [citation.line_start for citation in database[0].citations]
    assert 11 in cited and any(n >= 23 for n in cited)
