"""Pasted kubectl state says what dated failures are: a Secret, a selector, a class, a CronJob."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.quiet_signatures import QUIET_SIGNATURES
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID

START = datetime(2026, 8, 19, 12, 0, tzinfo=UTC)
QUIET = {signature.id: signature for signature in QUIET_SIGNATURES}
SIGNATURES = {**SIGNATURES_BY_ID, **SNAPSHOT_SIGNATURES_BY_ID, **QUIET}


def _logged(
    name: str, n: int, text: str, seconds: int, signature: str | None = None
) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=f"{name}.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=text,
        signature=signature or match_signature(text),
        component=name,
    )


def _pasted(n: int, text: str, signature: str, component: str | None) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-kubectl",
        evidence_name="kubectl-get.txt",
        n=n,
        text=text,
        time=None,
        level=Level.WARN,
        group=f"{signature} {n}",
        signature=signature,
        component=component,
    )


def _logs(*names: str) -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id=f"ev-{name}",
            evidence_name=f"{name}.log",
            kind=EvidenceKind.LOG,
            line_count=1000,
            problem_line_count=10,
            first_time=START,
            last_time=START + timedelta(hours=2),
            group_counts={},
        )
        for name in names
    ]


def _cited(line: AnalysedLine, hypothesis_citations: list[tuple[str, int]]) -> bool:
    return (line.evidence_name, line.n) in hypothesis_citations


REFUSED = (
    "payout po_5a63 failed: POST https://api.pagora.example/v2/transfers -> 401 Unauthorized"
    ' {"error":"invalid_api_key"}'
)


def test_refused_credentials_read_from_a_secret_encoded_twice_are_its_configuration() -> None:
    lines = [_logged("payouts", 900 + i, REFUSED, 4000 + 30 * i) for i in range(6)]
    row = _pasted(4, "  PAGORA_API_KEY: YzJ0ZmJHbDJaVjgx...", "snapshot_secret_encoded_twice", None)
    draft = reason([*lines, row], _logs("payouts"), "why 401s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "payouts")
    assert "base64-encoded twice" in top.statement
    cited = [(c.evidence_name, c.line_start) for c in top.citations]
    assert _cited(row, cited) and _cited(lines[0], cited)


def test_an_api_refusing_a_key_is_a_permission_failure_without_a_snapshot() -> None:
    assert match_signature(REFUSED) == "permission_denied"
    eperm = "failed to build io_uring runtime for worker 0: Operation not permitted (os error 1)"
    assert match_signature(eperm) == "permission_denied"


CHARGE_FAILED = '{"level":50,"msg":"charge failed","code":"token_mode_mismatch"}'


def test_failures_of_a_second_workload_behind_a_services_selector_are_its_own() -> None:
    canary = [_logged("checkout-canary", 3 + i, CHARGE_FAILED, 3000 + 20 * i) for i in range(8)]
    row = _pasted(14, "checkout-canary-5b7d8c9f64-jx2tn 1/1 Running", "snapshot_selector_shared",
                  "checkout-canary")  # fmt: skip
    draft = reason([*canary, row], _logs("checkout-canary"), "why 502s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DEPLOYMENT, "checkout-canary")
    assert _cited(row, [(c.evidence_name, c.line_start) for c in top.citations])


def test_a_selector_shared_without_failures_of_its_own_is_no_hypothesis() -> None:
    row = _pasted(14, "checkout-canary-5b7d8c9f64-jx2tn 1/1 Running", "snapshot_selector_shared",
                  "checkout-canary")  # fmt: skip
    timeout = "call to payments timed out after 3000ms"
    lines = [_logged("checkout", 10 + i, timeout, 3000 + 20 * i) for i in range(8)]
    draft = reason([*lines, row], _logs("checkout"), "why slow?", signatures=SIGNATURES)
    assert all(h.component != "checkout-canary" for h in draft.hypotheses)


IGNORED = (
    'I0217 18:40:06.771204  7 store.go:436] "Ignoring ingress because of error while validating'
    ' ingress class" ingress="docs/docs-portal" error="ingress does not contain a valid'
    ' IngressClass"'
)


def test_an_ingress_ignored_for_its_class_is_the_new_default_classes() -> None:
    ignored = _logged("ingress-nginx", 4, IGNORED, 2400, signature="ingress_class_ignored")
    row = _pasted(7, '{"ingressclass.kubernetes.io/is-default-class":"true"}',
                  "snapshot_default_ingress_class", "nginx-internal")  # fmt: skip
    draft = reason([ignored, row], _logs("ingress-nginx"), "why 404?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "nginx-internal")
    cited = [(c.evidence_name, c.line_start) for c in top.citations]
    assert _cited(row, cited) and _cited(ignored, cited)


def test_stale_data_reports_are_the_suspended_cronjobs() -> None:
    stale = "fx rate USD/BRL as_of=2026-08-14T21:30:04Z is 60.0h old (warn after 6h)"
    lines = [_logged("pricing-api", 6 + 40 * i, stale, 600 * i) for i in range(6)]
    lines = [replace(line, level=Level.WARN) for line in lines]
    row = _pasted(3, "fx-rates-sync   */15 * * * *   <none>   True   0   2d14h   212d",
                  "snapshot_cronjob_suspended", "fx-rates-sync")  # fmt: skip
    draft = reason([*lines, row], _logs("pricing-api"), "why old rates?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "fx-rates-sync")


def test_a_suspended_cronjob_nobody_misses_is_no_hypothesis() -> None:
    row = _pasted(3, "fx-rates-sync   */15 * * * *   <none>   True   0   2d14h   212d",
                  "snapshot_cronjob_suspended", "fx-rates-sync")  # fmt: skip
    refused = "connect to db:5432 failed: Connection refused"
    lines = [_logged("api", 6 + i, refused, 60 * i) for i in range(6)]
    draft = reason([*lines, row], _logs("api"), "why errors?", signatures=SIGNATURES)
    assert all(h.component != "fx-rates-sync" for h in draft.hypotheses)


def test_a_controllers_evictions_are_its_own_not_the_evicted_pods() -> None:
    evicted = (
        'I0611 01:15:32.508 1 evictions.go:551] "Evicted pod" pod="catalog/catalog-cache-5f7b9c6d8'
        '-qzf2d" reason="" strategy="LowNodeUtilization" node="ip-10-8-21-14"'
    )
    lines = [
        _logged("descheduler", 6 + i, evicted, 300 * i, signature="descheduler_evictions")
        for i in range(5)
    ]
    lines = [replace(line, component="catalog-cache") for line in lines]
    draft = reason(
        lines, _logs("descheduler"), "why waves of 504s?", signatures=SIGNATURES,
        component_of=lambda name, _text: name.removesuffix(".log"),
    )  # fmt: skip
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.SCHEDULING, "descheduler")


TIMED_OUT = (
    "HikariPool-1 - Pool is empty, failed to create/setup connection: (java.net."
    "SocketTimeoutException: Connect timed out to billing-db.finance.svc.cluster.local/"
    "172.20.118.9:5432)"
)


def test_connections_timing_out_through_a_service_with_stale_endpoints_are_its() -> None:
    other = "call to search timed out after 1220ms"
    early = [_logged("invoicer", 10 + i, other, 60 * i) for i in range(4)]
    through = [_logged("invoicer", 900 + i, TIMED_OUT, 3600 + 20 * i) for i in range(6)]
    lines = [replace(line, group="timeouts", signature="upstream_timeout") for line in early]
    lines += [replace(line, group="timeouts", signature="upstream_timeout") for line in through]
    row = _pasted(18, "  - ip: 10.60.4.21", "snapshot_endpoints_hand_written", "billing-db")
    draft = reason([*lines, row], _logs("invoicer"), "why timeouts?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "billing-db")
    assert ("kubectl-get.txt", 18) in [(c.evidence_name, c.line_start) for c in top.citations]


def test_a_selectorless_service_nobody_fails_to_reach_is_no_hypothesis() -> None:
    row = _pasted(18, "  - ip: 10.60.4.21", "snapshot_endpoints_hand_written", "billing-db")
    refused = "connect to cache:6379 failed: Connection refused"
    lines = [_logged("api", 6 + i, refused, 60 * i) for i in range(6)]
    draft = reason([*lines, row], _logs("api"), "why errors?", signatures=SIGNATURES)
    assert all(h.component != "billing-db" for h in draft.hypotheses)


BLOCKED = (
    "java.sql.SQLException: null,  message from server: \"Host '10.44.0.12' is blocked because"
    " of many connection errors; unblock with 'mysqladmin flush-hosts'\""
)


def test_connections_refused_for_a_blocked_host_are_that_hosts() -> None:
    lines = [_logged("billing-api", 2522 + i, BLOCKED, 4000 + 30 * i) for i in range(6)]
    row = _pasted(6, "| 10.44.0.12 | dbproxy-02.billing.lan | 100 |", "snapshot_host_blocked",
                  "dbproxy-02")  # fmt: skip
    draft = reason([*lines, row], _logs("billing-api"), "why no db?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "dbproxy-02")
    assert ("billing-api.log", 2522) in [(c.evidence_name, c.line_start) for c in top.citations]


def test_requests_answered_404_under_a_path_rewritten_to_root_are_the_ingresses() -> None:
    not_found = (
        '10.17.110.230 - - [19/Aug/2026:12:{m:02d}:18 +0000] "GET /partner/v2/orders/{m} '
        'HTTP/1.1" 404 19 "-" "PartnerSync/4.2" 0.004'
    )
    lines = [_logged("ingress-nginx", 10 + m, not_found.format(m=m), 60 * m) for m in range(8)]
    annotation = _pasted(
        6, "    nginx.ingress.kubernetes.io/rewrite-target: /", "snapshot_rewrite_to_root",
        "partner-api",
    )  # fmt: skip
    annotation = replace(annotation, group="rewrite_to_root partner-api /partner")
    draft = reason([*lines, annotation], _logs("ingress-nginx"), "why 404?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "partner-api")
    assert ("kubectl-get.txt", 6) in [(c.evidence_name, c.line_start) for c in top.citations]


def test_a_path_rewritten_to_root_that_nobody_requests_is_no_hypothesis() -> None:
    annotation = _pasted(
        6, "    nginx.ingress.kubernetes.io/rewrite-target: /", "snapshot_rewrite_to_root",
        "partner-api",
    )  # fmt: skip
    annotation = replace(annotation, group="rewrite_to_root partner-api /partner")
    refused = "connect to db:5432 failed: Connection refused"
    lines = [_logged("orders", 10 + i, refused, 60 * i) for i in range(5)]
    draft = reason([*lines, annotation], _logs("orders"), "why 500s?", signatures=SIGNATURES)
    assert "partner-api" not in {h.component for h in draft.hypotheses}


def test_writes_refused_as_read_only_are_the_read_only_roots() -> None:
    refused = "OSError: [Errno 30] Read-only file system: '/var/cache/labelgen/SHP-1.pdf'"
    lines = [_logged("labelgen", 10 + 7 * i, refused, 60 * i) for i in range(6)]
    setting = _pasted(
        70, "          readOnlyRootFilesystem: true", "snapshot_read_only_root", "labelgen"
    )
    draft = reason([*lines, setting], _logs("labelgen"), "why 500s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "labelgen")
    assert ("kubectl-get.txt", 70) in [(c.evidence_name, c.line_start) for c in top.citations]


def test_a_read_only_root_nothing_fails_to_write_under_is_no_hypothesis() -> None:
    setting = _pasted(
        70, "          readOnlyRootFilesystem: true", "snapshot_read_only_root", "labelgen"
    )
    refused = "connect to db:5432 failed: Connection refused"
    lines = [_logged("orders", 10 + i, refused, 60 * i) for i in range(5)]
    draft = reason([*lines, setting], _logs("orders"), "why 500s?", signatures=SIGNATURES)
    assert "labelgen" not in {h.component for h in draft.hypotheses}
