from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category, DiagnosisStatus, TimelineKind
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _line(evidence: str, n: int, text: str, seconds: int | None, level: Level) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=f"{evidence}.log",
        n=n,
        text=text,
        time=None if seconds is None else START + timedelta(seconds=seconds),
        level=level,
        group=text.split(" ", 2)[-1],
        signature=match_signature(text),
    )


def _summary(evidence: str, lines: list[AnalysedLine]) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{evidence}",
        evidence_name=f"{evidence}.log",
        kind=EvidenceKind.LOG,
        line_count=1000,
        problem_line_count=len(lines),
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def _disk_then_gateway_flood(
    timeouts: int = 200,
) -> tuple[list[AnalysedLine], list[EvidenceSummary]]:
    db = [
        _line(
            "postgres",
            412,
            '12:00:05 ERROR could not write to file "pg_wal/xlogtemp.77": No space left on device',
            5,
            Level.ERROR,
        ),
        _line(
            "postgres",
            413,
            '12:00:06 PANIC could not write to file "pg_wal/xlogtemp.77": No space left on device',
            6,
            Level.FATAL,
        ),
    ]
    gateway = [
        _line(
            "gateway",
            1000 + i,
            f'10.0.0.{i % 250} - - "GET /api/orders HTTP/1.1" 504 167',
            30 + i,
            Level.ERROR,
        )
        for i in range(timeouts)
    ]
    gateway += [
        _line(
            "gateway",
            5000 + i,
            "12:01:00 [error] upstream timed out (110: Connection timed out)",
            60 + i,
            Level.ERROR,
        )
        for i in range(timeouts)
    ]
    return gateway + db, [_summary("gateway", gateway), _summary("postgres", db)]


def test_early_disk_full_outranks_later_gateway_timeouts() -> None:
    lines, evidence = _disk_then_gateway_flood()
    draft = reason(lines, evidence)
    top = draft.hypotheses[0]
    assert draft.status == DiagnosisStatus.DIAGNOSED
    assert top.category == Category.DISK
    assert top.component == "postgres"
    assert top.citations[0].line_start == top.citations[0].line_end == 412
    assert top.citations[0].text == lines[-2].text
    assert top.citations[0].evidence_id == "ev-postgres"
    timeout = next(h for h in draft.hypotheses if h.category == Category.NETWORK)
    assert timeout.rank > top.rank
    assert timeout.confidence < top.confidence
    assert "consequence" in timeout.reasoning
    assert "postgres" in draft.summary


def test_a_disk_watermark_exceeded_on_a_named_node_is_that_nodes_full_disk() -> None:
    text = (
        "WARN flood stage disk watermark [95%] exceeded on [pV3kqz1X][es-data-2][/usr/share/"
        "elasticsearch/data] free: 47.1gb[4.7%], all indices on this node will be marked read-only"
    )
    line = _line("es-master-0", 577, text, 30, Level.WARN)
    top = reason([line], [_summary("es-master-0", [line])]).hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "es-data-2")


def test_a_unit_whose_environment_systemd_ignores_is_misconfigured() -> None:
    ignored = _line(
        "journal",
        474,
        "2025-06-03T07:58:20+00:00 batch-02 systemd[1]: settlement-worker.service: Ignoring"
        " invalid environment assignment 'spring.datasource.password=x': /etc/settlement.env",
        20,
        Level.WARN,
    )
    assert ignored.signature == "unit_config_rejected"
    top = reason([ignored], [_summary("journal", [ignored])]).hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "settlement-worker")


def test_reads_over_tombstones_are_a_problem_of_the_table_they_read() -> None:
    text = (
        "ERROR [ReadStage-2] 2025-07-08 14:21:47,371 ReadCommand.java:557 - Scanned over 100001"
        " tombstones during query 'SELECT * FROM notifications.user_inbox WHERE user_id = ?'"
    )
    line = _line("cassandra-1-system", 1002, text, 30, Level.ERROR)
    top = reason([line], [_summary("cassandra-1-system", [line])]).hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "user_inbox")


def test_an_nfs_server_not_responding_is_placed_at_that_server() -> None:
    text = "Nov 26 09:09:38 web-07 kernel: [1206089.125] nfs: server nas-02 not responding, still"
    line = _line("kern", 12, text + " trying", 30, Level.WARN)
    top = reason([line], [_summary("kern", [line])]).hypotheses[0]
    assert (top.category, top.component) == (Category.DEPENDENCY, "nas-02")


def test_a_consumer_timeout_is_the_brokers_and_cites_the_brokers_own_line() -> None:
    """The client's tracebacks come first and most; the broker's one line says most."""
    closed = (
        "pika.exceptions.ChannelClosedByBroker: (406, 'PRECONDITION_FAILED - delivery"
        " acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms.')"
    )
    client = [
        _line("report-renderer", 100 + 40 * i, closed, 60 + 60 * i, Level.ERROR) for i in range(6)
    ]
    broker_text = (
        "[warning] <0.31000.0> Consumer amq.ctag-c068 on channel 1 has timed out waiting for a"
        " consumer acknowledgement of a delivery with delivery tag = 1. Timeout used: 1800000 ms."
    )
    broker = [_line("rmq-east-1-rabbit", 195, broker_text, 400, Level.WARN)]
    lines = [*client, *broker]
    evidence = [_summary("report-renderer", client), _summary("rmq-east-1-rabbit", broker)]
    top = reason(lines, evidence).hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "rmq-east-1")
    assert [c.evidence_name for c in top.citations[:2]] == [
        "report-renderer.log",
        "rmq-east-1-rabbit.log",
    ]
    assert "consumer_timeout is shorter than report-renderer takes" in top.statement


def test_citations_quote_real_lines_and_are_capped_at_three() -> None:
    lines, evidence = _disk_then_gateway_flood()
    by_key = {(line.evidence_id, line.n): line.text for line in lines}
    draft = reason(lines, evidence)
    for hypothesis in draft.hypotheses:
        assert 1 <= len(hypothesis.citations) <= 3
        for citation in hypothesis.citations:
            assert by_key[(citation.evidence_id, citation.line_start)] == citation.text


def test_insufficient_evidence_without_lines() -> None:
    draft = reason([], [])
    assert draft.status == DiagnosisStatus.INSUFFICIENT_EVIDENCE
    assert draft.hypotheses == []
    assert any("Logs from the failing service" in item for item in draft.missing_evidence)
    assert any("kubectl describe pod" in item for item in draft.missing_evidence)


def test_insufficient_evidence_when_evidence_has_no_problems() -> None:
    _, evidence = _disk_then_gateway_flood(timeouts=1)
    draft = reason([], evidence)
    assert draft.status == DiagnosisStatus.INSUFFICIENT_EVIDENCE
    assert "gateway.log" in draft.summary
    assert draft.missing_evidence


def test_hypothesis_ids_are_stable_when_more_lines_arrive() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=3)
    first = {h.title: h.id for h in reason(lines, evidence).hypotheses}
    more, more_evidence = _disk_then_gateway_flood(timeouts=50)
    second = {h.title: h.id for h in reason(more, more_evidence).hypotheses}
    assert first
    for title, hypothesis_id in first.items():
        assert second[title] == hypothesis_id


def test_reasoning_is_deterministic() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=20)
    assert reason(lines, evidence) == reason(list(reversed(lines)), evidence)


def test_confidence_stays_within_bounds_and_generic_errors_stay_modest() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=2000)
    lines.append(
        _line("checkout", 7, "12:00:01 ERROR NullPointerException in CartService", 1, Level.ERROR)
    )
    draft = reason(lines, evidence)
    assert len(draft.hypotheses) <= 5
    for hypothesis in draft.hypotheses:
        assert 0.0 <= hypothesis.confidence <= 1.0
    generic = [h for h in draft.hypotheses if h.category in (Category.CODE_ERROR, Category.UNKNOWN)]
    assert generic and all(h.confidence < 0.5 for h in generic)
    assert [h.rank for h in draft.hypotheses] == list(range(1, len(draft.hypotheses) + 1))


def test_error_groups_become_hypotheses_when_no_signature_matches() -> None:
    lines = [
        _line(
            "billing",
            10 + i,
            "12:00:00 ERROR InvoiceRenderer failed: template missing",
            i,
            Level.ERROR,
        )
        for i in range(5)
    ]
    draft = reason(lines, [_summary("billing", lines)])
    top = draft.hypotheses[0]
    assert top.category == Category.CODE_ERROR
    assert top.component == "billing"
    assert top.confidence < 0.5
    assert "InvoiceRenderer" in top.title
    assert draft.missing_evidence


def test_timeline_is_ordered_with_first_error_cause_and_symptoms() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=5)
    timeline = reason(lines, evidence).timeline
    times = [entry.time for entry in timeline if entry.time is not None]
    assert times == sorted(times)
    kinds = [entry.kind for entry in timeline]
    assert kinds[0] == TimelineKind.FIRST_ERROR
    assert TimelineKind.SYMPTOM in kinds
    assert timeline[0].citation is not None and timeline[0].citation.line_start == 412


def test_a_cause_that_is_the_first_error_is_one_timeline_entry_naming_it() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=5)
    draft = reason(lines, evidence)
    timeline = draft.timeline
    cited = [(e.citation.evidence_id, e.citation.line_start) for e in timeline if e.citation]
    assert len(cited) == len(set(cited))
    assert draft.hypotheses[0].title in timeline[0].event


def test_next_steps_and_components_follow_the_ranking() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=5)
    draft = reason(lines, evidence)
    top = draft.hypotheses[0]
    assert draft.next_steps[0].hypothesis_id == top.id
    assert any(step.command and "df -h" in step.command for step in draft.next_steps)
    assert draft.components[0].name == "postgres"
    assert [c.rank for c in draft.components] == list(range(1, len(draft.components) + 1))


def test_injected_component_finder_names_components() -> None:
    lines, evidence = _disk_then_gateway_flood(timeouts=2)
    draft = reason(lines, evidence, component_of=lambda name, text: "db-primary")
    assert {h.component for h in draft.hypotheses} == {"db-primary"}


def test_lines_without_time_are_ordered_by_line_number() -> None:
    lines = [
        _line("worker", 90, "x ERROR dial tcp 10.0.0.5:5432: i/o timeout", None, Level.ERROR),
        _line("worker", 12, "x ERROR fork: Cannot allocate memory", None, Level.ERROR),
    ]
    draft = reason(lines, [_summary("worker", lines)])
    assert draft.hypotheses[0].category == Category.MEMORY
    assert draft.hypotheses[0].citations[0].line_start == 12
