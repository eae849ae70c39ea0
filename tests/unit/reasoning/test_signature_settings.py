"""A hypothesis of a failure governed by a setting cites the lines that state the setting."""

from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.candidates import CaseFacts
from faultmaven.reasoning.signature_settings import setting_group, settings_of, stated_settings

START = datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
PACKET = "Got a packet bigger than 'max_allowed_packet' bytes"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("| max_allowed_packet | 4194304 |", {"max_allowed_packet"}),
        ("41:max_allowed_packet = 64M", {"max_allowed_packet"}),
        ("    default-server inter 2s fall 3 check maxconn 32", {"maxconn"}),
        ("\tauto.offset.reset = latest", {"auto_offset_reset"}),
        ("    jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1", {"jdk_tls_disabledalgorithms"}),
        ("Max open files            1024       1024       files", {"max_open_files"}),
        ('{"name":"REDIS_ADDR","value":"10.30.1.11:6379"}', {"redis_addr"}),
        (
            "(/Stage[main]/Postgresql_conf[max_wal_size]/value) value changed '16GB' to '256MB'",
            {"max_wal_size"},
        ),
        (
            "spring.kafka.producer.properties.transactional.id=payout-emitter-tx",
            {"spring_kafka_producer_properties_transactional_id"},
        ),
        (") ENGINE=InnoDB AUTO_INCREMENT=2147483647 DEFAULT CHARSET=utf8mb4", {"auto_increment"}),
        ("channel_max = 16", {"channel_max"}),
        ("+pool_mode = transaction", {"pool_mode"}),
        ("etl-04 sysctl[880112]: vm.overcommit_memory = 2", {"vm_overcommit_memory"}),
        ("CommitLimit:    32511704 kB", {"commitlimit"}),
        ("url: jdbc:postgresql://pgb-01:6432/ledger?prepareThreshold=5", {"preparethreshold"}),
        ("< session.timeout.ms=600000", {"session_timeout_ms"}),
        ('HINT:  Consider increasing the configuration parameter "max_wal_size".', set()),
        (PACKET, set()),
        ("HINT:  You might need to increase max_locks_per_transaction.", set()),
        ("the maxconnections flag", set()),
    ],
)
def test_a_line_states_a_setting_only_with_its_value(line: str, names: set[str]) -> None:
    assert stated_settings(line) == names


def test_separators_are_read_as_one() -> None:
    assert settings_of("consumer_offsets_reset") >= stated_settings("auto-offset-reset: latest")


def _line(name: str, n: int, text: str, time: datetime | None, group: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=name,
        n=n,
        text=text,
        time=time,
        level=Level.ERROR if time else Level.INFO,
        group=group,
        signature=match_signature(text) if time else None,
    )


def _summary(name: str) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{name}",
        evidence_name=name,
        kind=EvidenceKind.LOG,
        line_count=1000,
        problem_line_count=10,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def test_the_packet_limit_hypothesis_cites_where_max_allowed_packet_is_stated() -> None:
    failures = [
        _line("mysql-error.log", 20 + i, f"[Warning] {PACKET} (conn {i})", START, PACKET)
        for i in range(4)
    ]
    pasted = [
        _line(
            "checks.txt",
            33,
            "| max_allowed_packet | 4194304 |",
            None,
            setting_group("max_allowed_packet"),
        ),
        _line(
            "checks.txt", 40, "| max_connections | 500 |", None, setting_group("max_connections")
        ),
    ]
    facts = CaseFacts(settings=pasted)
    draft = reason(failures, [_summary("mysql-error.log")], "uploads fail", facts=facts)
    top = draft.hypotheses[0]
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert ("checks.txt", 33) in cited
    assert ("checks.txt", 40) not in cited
    plain = reason(failures, [_summary("mysql-error.log")], "uploads fail")
    assert all(c.evidence_name != "checks.txt" for c in plain.hypotheses[0].citations)


CANCELLED = "ERROR:  canceling statement due to statement timeout"


def _cancelled_batch(setting: str) -> tuple[list[AnalysedLine], CaseFacts]:
    failures = [
        _line("invoice-batch.log", 200 + i, f"aggregation failed: {CANCELLED}", START, CANCELLED)
        for i in range(4)
    ]
    stated = _line(
        "pg-fin-01/postgresql.log", 72, setting, None, setting_group("statement_timeout")
    )
    return failures, CaseFacts(settings=[stated])


def test_a_statement_timeout_set_for_the_whole_database_is_a_change_at_its_server() -> None:
    altered = "LOG:  statement: ALTER DATABASE ledger SET statement_timeout = '20s';"
    failures, facts = _cancelled_batch(altered)
    draft = reason(failures, [_summary("invoice-batch.log")], "batch failed", facts=facts)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "pg-fin-01")
    assert ("pg-fin-01/postgresql.log", 72) in {
        (c.evidence_name, c.line_start) for c in top.citations
    }
    shown = "statement_timeout = 20s"
    failures, facts = _cancelled_batch(shown)
    draft = reason(failures, [_summary("invoice-batch.log")], "batch failed", facts=facts)
    assert draft.hypotheses[0].category is Category.DATABASE


REMOVED = (
    "FATAL:  could not receive data from WAL stream: ERROR:  requested WAL segment"
    " 0000000100000A3F000000C1 has already been removed"
)


def test_a_standby_missing_wal_is_placed_at_the_primary_whose_retention_was_lowered() -> None:
    failures = [
        _line("pg-ledger-2/postgresql.log", 690 + i, REMOVED, START, REMOVED) for i in range(4)
    ]
    lowered = 'LOG:  parameter "wal_keep_size" changed to "256MB"'
    assert stated_settings(lowered) == {"wal_keep_size"}
    stated = _line("pg-ledger-1/postgresql.log", 199, lowered, None, setting_group("wal_keep_size"))
    summaries = [_summary("pg-ledger-2/postgresql.log")]
    draft = reason(failures, summaries, "standby stale", facts=CaseFacts(settings=[stated]))
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "pg-ledger-1")
    assert ("pg-ledger-1/postgresql.log", 199) in {
        (c.evidence_name, c.line_start) for c in top.citations
    }
    alone = reason(failures, summaries, "standby stale")
    assert alone.hypotheses[0].component == "pg-ledger-2"
