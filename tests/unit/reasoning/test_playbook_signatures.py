"""Playbooks as signatures: their regexes and templates recognise lines and name causes."""

import time
from datetime import UTC, datetime

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.domain.knowledge import Playbook, PlaybookSignature
from faultmaven.knowledge.playbooks import bundled_playbook_files, load_bundled, parse_playbook
from faultmaven.reasoning.diagnose import reason
from faultmaven.reasoning.playbook_signatures import (
    match_texts,
    playbook_signature,
    playbook_signatures,
    signature_id,
    template_pattern,
)
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

LAG = Playbook(
    id="replica-lag",
    title="Replica lag",
    category=Category.DATABASE,
    severity="high",
    summary="The replica applies changes late. Reads are stale.",
    signatures=[
        PlaybookSignature(regex=r"recovery conflict on (?:snapshot|lock)"),
        PlaybookSignature(regex=r"(?i)replication lag of \d+ s"),
        PlaybookSignature(template="terminating connection due to conflict with <*>"),
        PlaybookSignature(metric="replication_lag", change="up"),
    ],
)


def test_playbook_becomes_a_signature_over_its_regexes_and_templates() -> None:
    signature = playbook_signature(LAG)
    assert signature is not None
    assert signature.id == signature_id("replica-lag")
    assert signature.category is Category.DATABASE and not signature.is_symptom
    assert signature.matches(
        "LOG:  recovery still waiting after 1000 ms: recovery conflict on lock"
    )
    assert signature.matches("WARN Replication LAG of 42 s on replica-2")
    assert signature.matches("FATAL:  terminating connection due to conflict with recovery")
    assert not signature.matches("LOG:  checkpoint complete: wrote 12 buffers")
    assert signature.statement.startswith("Replica lag in {component}: The replica applies")


def test_playbook_without_line_signatures_is_no_signature() -> None:
    only_metric = LAG.model_copy(
        update={"signatures": [PlaybookSignature(metric="lag", change="up")]}
    )
    assert playbook_signature(only_metric) is None


def test_template_with_variables_at_the_ends_stays_cheap_to_search() -> None:
    pattern = template_pattern("<*> is forbidden: User <*> cannot <*> resource <*> <*>")
    assert pattern.search('pods is forbidden: User "system:sa" cannot list resource "pods" x')
    long_line = "x " * 5_000
    started = time.perf_counter()
    for _ in range(20):
        pattern.search(long_line)
    assert time.perf_counter() - started < 0.5


def test_text_matching_prefers_the_more_causal_playbook() -> None:
    bundled = playbook_signatures(
        parse_playbook(load_bundled(path)) for path in bundled_playbook_files()
    )
    matched = match_texts(
        bundled,
        {
            "g1": ["FATAL:  sorry, too many clients already"],
            "g2": ["GET /cart 200 12ms"],
        },
    )
    assert matched == {"g1": signature_id("postgres-too-many-connections")}


def test_reasoner_names_a_cause_only_a_playbook_knows() -> None:
    signature = playbook_signature(LAG)
    assert signature is not None
    when = datetime(2024, 9, 2, 10, 15, tzinfo=UTC)
    lines = [
        AnalysedLine(
            evidence_id="e1",
            evidence_name="orders-db-replica.log",
            n=230,
            text="LOG:  recovery still waiting after 1000.184 ms: recovery conflict on snapshot",
            time=when,
            level=Level.INFO,
            group="LOG: recovery still waiting after <*> ms: recovery conflict on snapshot",
            signature=signature.id,
        )
    ]
    summary = EvidenceSummary(
        evidence_id="e1",
        evidence_name="orders-db-replica.log",
        kind=EvidenceKind.LOG,
        line_count=500,
        problem_line_count=0,
        first_time=when,
        last_time=when,
        group_counts={},
    )
    draft = reason(lines, [summary], signatures={**SIGNATURES_BY_ID, signature.id: signature})
    top = draft.hypotheses[0]
    assert top.category is Category.DATABASE and top.component == "orders-db-replica"
    assert top.citations[0].line_start == 230
    assert reason(lines, [summary]).hypotheses == []
