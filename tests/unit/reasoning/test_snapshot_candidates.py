"""Pasted tables say where a dated failure lives (who holds the connections) or what it is."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SIGNATURES = {**SIGNATURES_BY_ID, **SNAPSHOT_SIGNATURES_BY_ID}
TOO_MANY = "FATAL:  remaining connection slots are reserved for non-replication superuser"


def _logged(evidence: str, n: int, text: str, seconds: int) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=f"{evidence}.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=text,
        signature=match_signature(text),
    )


def _pasted(
    n: int, text: str, signature: str, component: str | None, host: str | None = None
) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=n,
        text=text,
        time=None,
        level=Level.WARN,
        group=f"{signature} {n}",
        signature=signature,
        component=component,
        host=host,
    )


def _summaries(*names: str) -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id=f"ev-{name}",
            evidence_name=f"{name}.log",
            kind=EvidenceKind.LOG,
            line_count=1000,
            problem_line_count=10,
            first_time=START,
            last_time=START + timedelta(hours=1),
            group_counts={},
        )
        for name in names
    ]


def test_database_refusing_clients_is_placed_at_the_client_holding_its_sessions() -> None:
    lines = [_logged("postgresql", 6 + i, TOO_MANY, 60 + i) for i in range(5)]
    row = " report-worker | orders_app | idle | 27"
    lines.append(_pasted(4, row, "snapshot_connections_held", "report-worker"))
    draft = reason(lines, _summaries("postgresql"), "why 500s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONNECTION_POOL, "report-worker")
    assert "holds most of the database's connections" in top.statement
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("postgresql.log", 6), ("notes.txt", 4)} <= cited


def test_df_row_is_cited_with_the_disk_failure_it_shows() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(_pasted(3, "/dev/root 49G 49G 0 100% /", "snapshot_filesystem_full", None))
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "app")
    assert ("notes.txt", 3) in {(c.evidence_name, c.line_start) for c in top.citations}
    assert len(draft.hypotheses) == 1 or draft.hypotheses[1].component != "notes"


def test_a_finding_spanning_a_commands_output_is_cited_with_all_of_it() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    row = _pasted(3, "Filesystem Size Used Avail Use% Mounted on", "snapshot_filesystem_full", None)
    rest = ("/dev/root 49G 49G 0 100% /", "tmpfs 2G 0 2G 0% /run")
    lines.append(replace(row, continuation=rest))
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    quoted = [c for c in draft.hypotheses[0].citations if c.evidence_name == "notes.txt"]
    assert [(c.line_start, c.line_end) for c in quoted] == [(3, 5)]
    assert quoted[0].text.split("\n") == [row.text, *rest]


def test_full_inode_table_turns_no_space_into_inode_exhaustion() -> None:
    enospc = "open /srv/sessions/sess_91ac: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(_pasted(2, "/dev/sdb1 6553600 6553600 0 100% /srv", "snapshot_inodes_full", None))
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert top.category is Category.DISK
    assert "inodes" in top.statement


def test_a_snapshot_that_explains_no_dated_failure_stays_a_hypothesis() -> None:
    lines = [_pasted(4, " billing | app | idle | 40", "snapshot_connections_held", "billing")]
    draft = reason(lines, _summaries(), "why?", signatures=SIGNATURES)
    assert [(h.category, h.component) for h in draft.hypotheses] == [
        (Category.CONNECTION_POOL, "billing")
    ]


def test_a_starved_pool_explains_why_the_service_its_callers_wait_on_is_slow() -> None:
    timeout = "ERROR upstream request timeout calling pricing: read ETIMEDOUT"
    callers = [
        AnalysedLine(
            evidence_id="ev-checkout",
            evidence_name="checkout.log",
            n=100 + i,
            text=timeout,
            time=START + timedelta(seconds=60 + i),
            level=Level.ERROR,
            group="upstream request timeout calling pricing",
            signature="timeout",
            component="pricing",
        )
        for i in range(10)
    ]
    header = '"pricing-worker-1" #41 [77] prio=5 os_prio=0 waiting on condition'
    dump = _pasted(4, header, "snapshot_pool_starved", "pricing")
    draft = reason([*callers, dump], _summaries("checkout"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONNECTION_POOL, "pricing")
    assert ("notes.txt", 4) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_failure_quoted_in_undated_notes_is_the_dated_failure_not_a_new_component() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    quoted = AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=3,
        text='08:05 paged: checkout 500s, "No space left on device" in the PHP errors',
        time=None,
        level=Level.ERROR,
        group="paged: <*>",
        signature="disk_full",
    )
    draft = reason([*lines, quoted], _summaries("app"), "why?", signatures=SIGNATURES)
    assert [h.component for h in draft.hypotheses] == ["app"]


def test_notes_that_are_all_the_case_holds_keep_their_hypothesis() -> None:
    quoted = AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=3,
        text="ERROR: could not extend file: No space left on device",
        time=None,
        level=Level.ERROR,
        group="could not extend file: <*>",
        signature="disk_full",
    )
    draft = reason([quoted], [], "why?", signatures=SIGNATURES)
    assert [h.category for h in draft.hypotheses] == [Category.DISK]


def test_a_full_filesystem_several_programs_report_is_placed_at_the_host_df_ran_on() -> None:
    lines = [
        _logged("nginx", 10 + i, "open() failed (28: No space left on device)", i) for i in range(4)
    ]
    lines += [
        _logged("php-fpm", 40 + i, "write failed: No space left on device", 1900 + i)
        for i in range(3)
    ]
    lines.append(
        _pasted(
            23,
            "/dev/nvme0n1p1 6553600 6553600 0 100% /",
            "snapshot_inodes_full",
            "web-02",
            "web-02",
        )
    )
    draft = reason(
        lines, _summaries("nginx", "php-fpm"), "what is filling up?", signatures=SIGNATURES
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "web-02")
    assert "inodes" in top.statement
    assert all(
        hypothesis.component not in ("nginx", "php-fpm") or hypothesis.category is not Category.DISK
        for hypothesis in draft.hypotheses[1:]
    )


def test_a_full_filesystem_one_program_reports_stays_with_it_whatever_host_df_ran_on() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(
        _pasted(3, "/dev/root 49G 49G 0 100% /", "snapshot_filesystem_full", "web-02", "web-02")
    )
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    assert (draft.hypotheses[0].category, draft.hypotheses[0].component) == (Category.DISK, "app")


HAPROXY_504 = (
    "Oct  7 09:43:42 lb-2 haproxy[2210]: 192.0.2.1:6010 [07/Oct/2025:09:43:42.436] fe_api~"
    ' be_api/api-3 0/0/1/-1/5000 504 198 - - sH-- 18/37/7/1/0 0/0 "GET /export.csv HTTP/1.1"'
)
ABORTED = "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe"


def test_a_timeout_cut_by_a_config_diff_is_the_cause_of_the_proxys_504s_and_the_aborts() -> None:
    assert match_signature(HAPROXY_504) == "timeout"
    assert match_signature(ABORTED) == "client_disconnected"
    lines = [_logged("api", 5 + i, ABORTED, 20 + i) for i in range(6)]
    lines += [_logged("haproxy", 40 + i, HAPROXY_504, 30 + i) for i in range(6)]
    lines.append(
        _pasted(16, "+    timeout server 5s", "snapshot_timeout_lowered", "haproxy", "lb-2")
    )
    draft = reason(lines, _summaries("api", "haproxy"), "why 504?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "lb-2")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("haproxy.log", 40), ("notes.txt", 16)} <= cited
    assert all(h.component != "api" for h in draft.hypotheses[:1])


NGINX_CUT = (
    "2026/10/05 14:07:05 [error] 31#31: *28165 upstream timed out (110: Connection timed out)"
    ' while reading response header from upstream, request: "POST /v1/charges HTTP/1.1"'
)


def test_a_proxys_lowered_read_timeout_takes_the_proxys_upstream_timeouts() -> None:
    """`sites/payments.conf` configures the proxy, not payments: the proxy's cuts are its."""
    own = "call to recommendations timed out after 840ms"
    lines = [_logged("payments", 2 + i, own, i * 300) for i in range(6)]
    lines += [_logged("edge-proxy", 40 + i, NGINX_CUT, 900 + i * 20) for i in range(6)]
    lines.append(_pasted(11, "+    proxy_read_timeout 4s;", "snapshot_timeout_lowered", "payments"))
    summaries = _summaries("payments", "edge-proxy")
    draft = reason(lines, summaries, "why charged twice?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "edge-proxy")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("edge-proxy.log", 40), ("notes.txt", 11)} <= cited


def test_a_lowered_timeout_elsewhere_does_not_take_another_programs_timeouts() -> None:
    timed_out = "call to payments timed out after 3000 ms"
    lines = [_logged("api", 5 + i, timed_out, 20 + i) for i in range(6)]
    lines.append(
        _pasted(16, "+    timeout server 5s", "snapshot_timeout_lowered", "haproxy", "lb-2")
    )
    draft = reason(lines, _summaries("api"), "why?", signatures=SIGNATURES)
    timeouts = [h for h in draft.hypotheses if h.category is Category.NETWORK]
    assert timeouts and timeouts[0].component != "lb-2"


def test_a_full_listen_queue_with_no_host_named_moves_nothing() -> None:
    refused = "upstream timed out (110: Connection timed out) while connecting to upstream"
    lines = [_logged("lb", 10 + i, refused, 30 + i) for i in range(5)]
    row = "LISTEN 511    511          0.0.0.0:443        0.0.0.0:*"
    lines.append(_pasted(19, row, "snapshot_listen_queue_full", None))
    draft = reason(lines, _summaries("lb"), "why 502?", signatures=SIGNATURES)
    assert draft.hypotheses[0].component != "notes"
    assert all(h.component != "notes.txt" for h in draft.hypotheses)


CONNECT_TIMED_OUT = (
    "upstream timed out (110: Connection timed out) while connecting to upstream, client:"
    " 10.80.20.183, upstream: http://10.1.7.7:8443/v2/quote"
)
VERIFY_FAILED = (
    "upload failed: HTTPSConnectionPool(host='api.partner.example', port=443): Max retries"
    " exceeded (Caused by SSLError(SSLError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate"
    " verify failed')))"
)

DH_TOO_SMALL = (
    "AS2 message to partner failed: requests.exceptions.SSLError: HTTPSConnectionPool("
    "host='as2.partner.example', port=443): Max retries exceeded (Caused by SSLError(SSLError("
    "1, '[SSL: DH_KEY_TOO_SMALL] dh key too small (_ssl.c:1006)')))"
)
SKEWED = (
    "upload failed: operation error S3: PutObject, StatusCode: 403, api error"
    " RequestTimeTooSkewed: The difference between the request time and the server's time is"
    " too large."
)


@pytest.mark.parametrize(
    ("failure", "row", "signature", "category"),
    [
        (CONNECT_TIMED_OUT, "LISTEN 129    128          0.0.0.0:8443       0.0.0.0:*",
         "snapshot_listen_queue_full", Category.NETWORK),
        (VERIFY_FAILED, "verify error:num=20:unable to get local issuer certificate",
         "snapshot_trust_store_outdated", Category.TLS),
        (DH_TOO_SMALL, "40F7A1C3E37F0000:error:0A00018A:SSL routines:tls_process_ske_dhe:dh key"
         " too small:ssl/statem/statem_clnt.c:2103:", "snapshot_tls_settings_refuse",
         Category.TLS),
        (SKEWED, "506 Cannot talk to daemon", "snapshot_clock_unsynchronised", Category.CLOCK),
    ],
)  # fmt: skip
def test_a_snapshot_run_on_a_named_host_places_the_failure_it_explains_there(
    failure: str, row: str, signature: str, category: Category
) -> None:
    lines = [_logged("client", 10 + i, failure, 30 + i) for i in range(5)]
    lines.append(_pasted(3, row, signature, "host-07", "host-07"))
    draft = reason(lines, _summaries("client"), "why does it fail?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (category, "host-07")
    assert ("notes.txt", 3) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_writers_timing_out_behind_a_missing_synchronous_standby_are_its_symptom() -> None:
    posting = (
        "POST /api/v1/entries failed after 30002ms: Connection is not available,"
        " request timed out after 30000ms"
    )
    assert match_signature(posting) == "connection_pool_exhausted"
    lines = [_logged("ledger-api", 50 + i, posting, 60 + i) for i in range(8)]
    lines.append(
        _pasted(4, " pg-ledger-2", "snapshot_sync_standby_missing", "pg-ledger-2", "pg-ledger-2")
    )
    draft = reason(
        lines, _summaries("ledger-api"), "why do postings time out?", signatures=SIGNATURES
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "pg-ledger-2")
    assert "synchronous standby" in top.statement
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("ledger-api.log", 50), ("notes.txt", 4)} <= cited


def test_a_missing_standby_with_no_stalled_writers_stays_a_hypothesis_of_its_own() -> None:
    lines = [_logged("ledger-api", 50, "disk quota warning on /tmp", 60)]
    lines.append(
        _pasted(4, " pg-ledger-2", "snapshot_sync_standby_missing", "pg-ledger-2", "pg-ledger-2")
    )
    draft = reason(lines, _summaries("ledger-api"), "why?", signatures=SIGNATURES)
    standby = [h for h in draft.hypotheses if h.component == "pg-ledger-2"]
    assert standby and standby[0].category is Category.DATABASE


def test_a_name_pinned_in_a_hosts_file_explains_the_failures_of_that_hosts_services() -> None:
    readonly = (
        "psycopg2.errors.ReadOnlySqlTransaction: cannot execute INSERT in a read-only transaction"
    )
    lines = [_logged("web-04-app", 20 + i, readonly, 60 + i) for i in range(6)]
    lines.append(
        _pasted(2, "10.20.1.31  pg-main.db.internal", "snapshot_hosts_file_pin", "web-04", "web-04")
    )
    draft = reason(lines, _summaries("web-04-app"), "why 500s on web-04?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "web-04")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("web-04-app.log", 20), ("notes.txt", 2)} <= cited


def test_an_instances_link_local_drops_explain_its_name_resolution_failures() -> None:
    failed = (
        "ERROR partner poll failed: HTTPSConnectionPool(host='api.orbitdata.io', port=443): Max"
        " retries exceeded (Caused by NameResolutionError(\"Failed to resolve 'api.orbitdata.io'"
        ' ([Errno -3] Temporary failure in name resolution)"))'
    )
    lines = [_logged("ingest-worker", 30 + i, failed, 60 + i) for i in range(5)]
    counter = "     linklocal_allowance_exceeded: 1184207"
    lines.append(
        _pasted(12, counter, "snapshot_linklocal_allowance_exceeded", "ingest-07", "ingest-07")
    )
    draft = reason(lines, _summaries("ingest-worker"), "why lag?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "ingest-07")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("ingest-worker.log", 30), ("notes.txt", 12)} <= cited


def test_dns_over_tcp_dropped_at_a_server_explains_the_lookups_left_unanswered() -> None:
    lookup = (
        'product search failed: Get "http://search-api.service.consul:8080/v1": dial tcp:'
        " lookup search-api.service.consul on 10.50.0.12:53: read udp: i/o timeout"
    )
    lines = [_logged("checkout-api", 30 + i, lookup, 60 + i) for i in range(5)]
    lines.append(
        _pasted(9, "udp dport 53 accept", "snapshot_dns_tcp_blocked", "dns-int-02", "dns-int-02")
    )
    draft = reason(lines, _summaries("checkout-api"), "why no search?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "dns-int-02")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("checkout-api.log", 30), ("notes.txt", 9)} <= cited


def test_targets_failing_health_checks_on_a_redirect_outrank_a_busy_worker_pool() -> None:
    """Nothing dated explains the 502s: the target group's verdict is the configuration cause."""
    busy = "[pool www] seems busy (you may need to increase pm.start_servers), spawning 8 children"
    lines = [_logged("shopweb-error", 10 + i, busy, 60 * i) for i in range(6)]
    row = "i-0b71c3e5d2a9f4410\tunhealthy\tTarget.ResponseCodeMismatch\tHealth checks failed"
    lines.append(_pasted(2, row, "snapshot_health_check_code_mismatch", "shopweb"))
    draft = reason(lines, _summaries("shopweb-error"), "why 502s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "shopweb")
    assert ("notes.txt", 2) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_cpu_pinned_by_interrupts_is_the_cause_its_hosts_dropped_traffic_follows_from() -> None:
    """The host's CPU climbing before the trouble is no background: mpstat shows it saturated."""
    loss = "probe failed target=https://edge-lb-04/v1/feed err=connect timed out"
    lines = [_logged("synthetics", 40 + i, loss, 1800 + 30 * i) for i in range(6)]
    lines = [replace(line, component="edge-lb-04") for line in lines]
    row = "Average:       0    0.00    0.00    0.00    0.00    0.00  100.00    0.00   0.00"
    lines.append(_pasted(11, row, "snapshot_softirq_one_cpu", "edge-lb-04", "edge-lb-04"))
    question = "Since about 12:30 UTC requests through edge-lb-04 time out. Why?"
    draft = reason(lines, _summaries("synthetics"), question, signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CPU, "edge-lb-04")
    assert ("notes.txt", 11) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_timeouts_to_addresses_a_missing_route_covers_are_that_route_tables() -> None:
    cache = "quote 500: cache get vehicle:9631: dial tcp 10.60.14.9:6379: i/o timeout"
    database = "quote 500: dial tcp 10.60.3.20:5432: i/o timeout"
    lines = [_logged("quote-api", 40 + i, cache, 60 * i) for i in range(6)]
    lines += [_logged("quote-api", 80 + i, database, 60 * i + 30) for i in range(3)]
    lines.append(
        replace(
            _pasted(10, "app-private-c-rt", "snapshot_route_missing", "app-private-c-rt"),
            group="route_missing app-private-c-rt 10.60.0.0/16",
        )
    )
    draft = reason(lines, _summaries("quote-api"), "why 500s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.NETWORK, "app-private-c-rt")
    assert ("notes.txt", 10) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_lookups_unanswered_where_the_node_dns_cache_does_not_run_are_the_caches() -> None:
    lookup = (
        "pg connect failed: dial tcp: lookup tiles-pg.data.svc.cluster.local on"
        " 169.254.20.10:53: read udp 10.8.21.44:51234->169.254.20.10:53: i/o timeout"
    )
    lines = [_logged("geo-ingest", 30 + i, lookup, 60 + i) for i in range(5)]
    row = "node-local-dns   3         3         3       3            3           <none>   301d"
    lines.append(_pasted(3, row, "snapshot_node_dns_cache_missing", "node-local-dns"))
    draft = reason(lines, _summaries("geo-ingest"), "why no db?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "node-local-dns")
    assert ("notes.txt", 3) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_namespaces_stuck_terminating_are_the_unavailable_aggregated_apis() -> None:
    stuck = "preview-pr-2291: namespace still Terminating after 150m, cannot recreate"
    lines = [_logged("preview-controller", 30 + i, stuck, 60 * i) for i in range(5)]
    row = "v1beta1.custom.metrics.k8s.io   monitoring/prometheus-adapter   False (ServiceNotFound)"
    lines.append(_pasted(31, row, "snapshot_api_service_unavailable", "prometheus-adapter"))
    draft = reason(lines, _summaries("preview-controller"), "what broke?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DEPENDENCY, "prometheus-adapter")
    assert ("notes.txt", 31) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_an_unavailable_api_whose_service_logs_its_own_failure_supports_that_failure() -> None:
    """metrics-server failing TLS is why its APIService is down: the TLS failure stays the cause."""
    tls = (
        'E0402 08:52:18 scraper.go:149] "Failed to scrape node" err="x509: certificate signed by'
        ' unknown authority"'
    )
    lines = [_logged("metrics-server", 5 + i, tls, 60 * i) for i in range(5)]
    lines = [replace(line, component="metrics-server") for line in lines]
    stuck = "the HPA was unable to compute the replica count: failed to get cpu utilization metric"
    lines += [_logged("hpa", 20 + i, stuck, 600 + 60 * i) for i in range(5)]
    row = "v1beta1.metrics.k8s.io   kube-system/metrics-server   False (MissingEndpoints)"
    lines.append(_pasted(29, row, "snapshot_api_service_unavailable", "metrics-server"))
    summaries = _summaries("metrics-server", "hpa")
    draft = reason(lines, summaries, "why no scale-out?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.TLS, "metrics-server")
    assert ("notes.txt", 29) in {(c.evidence_name, c.line_start) for c in top.citations}


def _cut_export(n: int, seconds: str) -> str:
    return (
        f'84.27.235.{n} - - [02/Jul/2026:10:01:19 +0200] "GET /api/v1/exports/{n}.csv HTTP/2.0"'
        f' 504 160 "-" "Mozilla/5.0" 604 {seconds} [reports-api-8000] [] 10.42.5.1:8000 0'
        f" {seconds} 504"
    )


def _proxy_lines(seconds: str) -> list[AnalysedLine]:
    lines = [_logged("ingress", 30 + i, NGINX_CUT, 600 + i * 30) for i in range(4)]
    lines += [
        replace(_logged("ingress", 40 + i, _cut_export(i, seconds), 601 + i * 30), group="504")
        for i in range(4)
    ]
    setting = '  proxy-read-timeout: "20"'
    lines.append(
        replace(
            _pasted(15, setting, "snapshot_proxy_timeout_set", "ingress-nginx-controller"),
            group="proxy_timeout_set ingress-nginx-controller 20s",
        )
    )
    return lines


def test_504s_ending_at_the_proxys_read_timeout_are_that_settings() -> None:
    lines = _proxy_lines("20.008")
    draft = reason(lines, _summaries("ingress"), "why 504?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "ingress-nginx-controller")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert ("notes.txt", 15) in cited
    assert cited & {("ingress.log", 30), ("ingress.log", 40)}, "the cut requests are its"


def test_a_read_timeout_the_504s_do_not_end_at_is_dropped() -> None:
    lines = _proxy_lines("3.412")
    draft = reason(lines, _summaries("ingress"), "why 504?", signatures=SIGNATURES)
    assert all(h.category is not Category.CONFIGURATION for h in draft.hypotheses)
    cited = {(c.evidence_name, c.line_start) for h in draft.hypotheses for c in h.citations}
    assert ("notes.txt", 15) not in cited


def test_sessions_reported_gone_are_the_evicting_redis_they_were_stored_in() -> None:
    gone = "session sid:68544040aeb13760 not found in store, redirecting to /login"
    lines = [_logged("storefront", 10 + i, gone, 60 + i * 10) for i in range(5)]
    row = "evicted_keys:2841177"
    lines.append(_pasted(12, row, "snapshot_redis_evicting", "redis-sessions"))
    draft = reason(lines, _summaries("storefront"), "why logged out?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.MEMORY, "redis-sessions")
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("storefront.log", 10), ("notes.txt", 12)} <= cited


def test_an_evicting_cache_nobody_misses_is_dropped() -> None:
    slow = "call to search timed out after 1220 ms"
    lines = [_logged("storefront", 10 + i, slow, 60 + i * 10) for i in range(5)]
    lines.append(_pasted(12, "evicted_keys:2841177", "snapshot_redis_evicting", "redis-cache"))
    draft = reason(lines, _summaries("storefront"), "why slow?", signatures=SIGNATURES)
    assert all(h.component != "redis-cache" for h in draft.hypotheses)


def test_a_proxy_resolving_its_upstream_once_takes_that_hosts_upstream_failures() -> None:
    refused = "connect() failed (111: Connection refused) while connecting to upstream"
    lines = [_logged("gw-edge-02", 300 + i, refused, 600 + i * 10) for i in range(5)]
    lines += [_logged("gw-edge-01", 300 + i, refused, 600 + i * 10) for i in range(2)]
    server = "39:        server internal-ledger-alb-17.elb.amazonaws.com:443 max_fails=3;"
    lines.append(_pasted(6, server, "snapshot_upstream_resolved_once", "gw-edge-02", "gw-edge-02"))
    summaries = _summaries("gw-edge-02", "gw-edge-01")
    draft = reason(lines, summaries, "why 502?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "gw-edge-02")
    assert ("notes.txt", 6) in {(c.evidence_name, c.line_start) for c in top.citations}
    quiet = [line for line in lines if line.evidence_name != "gw-edge-02.log"]
    draft = reason(quiet, _summaries("gw-edge-01"), "why 502?", signatures=SIGNATURES)
    assert all(h.category is not Category.DNS for h in draft.hypotheses)


def test_tls_failures_beside_a_certificate_without_san_are_that_hosts() -> None:
    refused = (
        "rates refresh failed: tls: failed to verify certificate: x509: certificate relies on"
        " legacy Common Name field, use SANs instead"
    )
    lines = [_logged("pricing-engine", 10 + i, refused, 30 + i) for i in range(5)]
    lines.append(
        _pasted(12, "        Subject: CN = rates.internal", "snapshot_certificate_without_san",
                "rates-gw-01", host="rates-gw-01")
    )  # fmt: skip
    draft = reason(lines, _summaries("pricing-engine"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.TLS, "rates-gw-01")
    assert ("notes.txt", 12) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_timeouts_on_a_host_whose_first_nameserver_is_dead_are_its_resolver_settings() -> None:
    timed_out = (
        "invoice INV-1 failed: HTTPSConnectionPool(host='tax-rates.internal', port=443): Read"
        " timed out. (read timeout=5)"
    )
    lines = [_logged("billing-batch-03-journal", 60 + i, timed_out, 30 + i) for i in range(6)]
    lines.append(
        _pasted(4, "nameserver 10.9.0.53", "snapshot_first_resolver_dead", "billing-batch-03",
                host="billing-batch-03")
    )  # fmt: skip
    draft = reason(lines, _summaries("billing-batch-03-journal"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "billing-batch-03")
    assert ("notes.txt", 4) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_slow_queries_on_a_host_reclaiming_its_numa_zone_are_that_settings() -> None:
    slow = "ERROR:  canceling statement due to statement timeout"
    lines = [_logged("pg-orders-3-postgresql", 1100 + i, slow, 60 + i) for i in range(6)]
    lines.append(
        _pasted(12, "vm.zone_reclaim_mode = 1", "snapshot_zone_reclaim_on", None,
                host="pg-orders-3")
    )  # fmt: skip
    draft = reason(lines, _summaries("pg-orders-3-postgresql"), "why slow?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.MEMORY, "pg-orders-3")
    assert ("notes.txt", 12) in {(c.evidence_name, c.line_start) for c in top.citations}
