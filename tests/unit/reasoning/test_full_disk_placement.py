"""A disk several programs find full is placed at the first to hit it, not the loudest."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.cross_service import merge_same_cause
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

START = datetime(2025, 11, 4, 2, 0, tzinfo=UTC)


def _syslog(n: int, program: str, message: str, seconds: int) -> AnalysedLine:
    text = f"Nov  4 02:{seconds // 60:02d}:{seconds % 60:02d} docs-1 {program}[31]: {message}"
    return AnalysedLine(
        evidence_id="ev-syslog",
        evidence_name="syslog",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=f"{program} {message}",
        signature=match_signature(text),
        component=program,
    )


def _syslog_summary(problem_lines: int) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id="ev-syslog",
        evidence_name="syslog",
        kind=EvidenceKind.LOG,
        line_count=500,
        problem_line_count=problem_lines,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def test_the_writer_that_filled_the_disk_outranks_the_program_complaining_most() -> None:
    lines = [_syslog(10, "export-orders", "write failed: /tmp/x.csv: No space left on device", 25)]
    lines += [
        _syslog(20 + i, "postgres", "could not write to log file: No space left on device", 40 + i)
        for i in range(30)
    ]
    draft = reason(lines, [_syslog_summary(len(lines))], "invoices fail since 02:00, why?")
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "export-orders")
    assert (top.citations[0].evidence_name, top.citations[0].line_start) == ("syslog", 10)
    assert "postgres" not in [
        h.component for h in draft.hypotheses[1:] if h.category is Category.DISK
    ]


def test_the_first_reporter_is_whose_first_line_came_first_even_if_its_flood_came_later() -> None:
    quota = "backend quota reached: current-db-size 2.1 GB"
    lines = [_syslog(10, "etcd", quota, 57)]  # alone at 02:00:57, then a flood from 02:01:14
    lines += [_syslog(11 + i, "etcd", quota, 74 + i) for i in range(40)]
    exceeded = "etcdserver: mvcc: database space exceeded"
    lines += [_syslog(100 + i, "kube-apiserver", exceeded, 73 + i) for i in range(40)]
    top = reason(lines, [_syslog_summary(len(lines))], "nothing deploys, why?").hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "etcd")


def test_a_full_disk_reported_twice_at_once_lives_with_the_one_whose_first_line_came_first() -> (
    None
):
    disk = SIGNATURES_BY_ID["disk_full"]

    def reported(component: str, seconds: list[int], onset: int) -> Candidate:
        lines = [_syslog(n, component, "No space left on device", s) for n, s in enumerate(seconds)]
        keys = [(line.time or START, 0, line.n) for line in lines]
        return Candidate(f"c-{component}", disk, component, "g", lines, keys, onset=onset)

    # etcd: one line at :57, its flood from 01:14; the API server floods from 01:13.
    etcd = reported("etcd", [57, 74, 75, 76], onset=1)
    api = reported("kube-apiserver", [73, 74, 75, 76], onset=0)
    [merged] = merge_same_cause([api, etcd])
    assert merged.component == "etcd"
    assert merged.also_in == ["kube-apiserver"]


def test_shared_memory_too_small_lives_in_the_database_its_clients_relay_it_from() -> None:
    server = 'ERROR:  could not resize shared memory segment "/PostgreSQL.18" to 67145728 bytes:'
    relayed = f"tile 585 failed: org.postgresql.util.PSQLException: {server}"
    lines = [_syslog(10 + i, "warehouse-pg", f"{server} No space left on device", 30 + i)
             for i in range(2)]  # fmt: skip
    lines += [
        _syslog(40 + i, "bi-dashboards", f"{relayed} No space left on device", 45 + i)
        for i in range(12)
    ]
    draft = reason(lines, [_syslog_summary(len(lines))], "dashboards fail, why?")
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "warehouse-pg")
    assert "/dev/shm" in top.title


def test_an_index_over_its_field_limit_is_placed_at_the_first_writer_it_rejected() -> None:
    rejected = "Could not index event: Limit of total fields [1000] has been exceeded"
    lines = [_syslog(10, "billing-api", rejected, 25)]
    # Another writer's events are rejected a little later, then in a flood much later.
    lines += [_syslog(20, "notifier", rejected, 35)]
    lines += [_syslog(21 + i, "notifier", rejected, 1500 + 5 * i) for i in range(30)]
    draft = reason(lines, [_syslog_summary(len(lines))], "logs missing in Kibana, why?")
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATA, "billing-api")
    assert "notifier" not in [h.component for h in draft.hypotheses if h.category is Category.DATA]
