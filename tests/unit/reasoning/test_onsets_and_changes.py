"""Onsets, background noise, suspected changes and one cause reported by several services."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.domain.service_names import core_name
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.changes import CHANGE_SIGNATURES, CHANGE_SIGNATURES_BY_ID
from faultmaven.reasoning.metric_signatures import METRIC_SIGNATURES_BY_ID
from faultmaven.reasoning.onsets import find_onset
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
SIGNATURES = {**SIGNATURES_BY_ID, **CHANGE_SIGNATURES_BY_ID}


def _at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def _line(
    service: str, n: int, text: str, minutes: float, level: Level, signature: str | None = None
) -> AnalysedLine:
    """One line; its group is its text with numbers masked, as the template miner does."""
    return AnalysedLine(
        evidence_id=f"ev-{service}",
        evidence_name=f"{service}.log",
        n=n,
        text=text,
        time=_at(minutes),
        level=level,
        group=re.sub(r"\d+", "<*>", text),
        signature=signature or match_signature(text),
    )


def _summaries(*services: str) -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id=f"ev-{service}",
            evidence_name=f"{service}.log",
            kind=EvidenceKind.LOG,
            line_count=5000,
            problem_line_count=100,
            first_time=START,
            last_time=END,
            group_counts={},
        )
        for service in services
    ]


def test_trickle_then_flood_begins_at_the_flood() -> None:
    times = [_at(5), _at(20), *[_at(40 + i / 10) for i in range(30)]]
    onset = find_onset(times, START, END)
    assert onset.index == 2 and not onset.background


def test_steady_trickle_across_the_evidence_is_background() -> None:
    onset = find_onset([_at(m) for m in range(1, 60, 3)], START, END)
    assert onset.index == 0 and onset.background


def test_few_occurrences_are_their_own_onset() -> None:
    assert find_onset([_at(50), _at(51)], START, END) == find_onset([_at(50)], START, END)
    assert find_onset([_at(50), _at(51)], START, END).background is False


def test_change_signatures_recognise_releases_flags_and_dropped_indexes() -> None:
    def matched(text: str) -> set[str]:
        return {s.id for s in CHANGE_SIGNATURES if s.matches(text)}

    assert matched("deployed checkout version 4.2.0 (image shop/checkout:4.2.0)") == {
        "change_release"
    }
    assert matched("flag checkout.tax-v2 changed default false -> true") == {"change_config"}
    assert matched("FRAUD_URL is not set; falling back to default http://localhost") == {
        "change_config"
    }
    assert matched("WARNING [pricing.config] PRICING_CACHE_URL is not set; cache disabled") == {
        "change_config"
    }
    assert matched('caller=main.go:98 msg="catalogue build" version=0.3.6-re3 commit=7be2c1f0') == {
        "change_restart"
    }
    assert matched("LOG:  statement: DROP INDEX CONCURRENTLY idx_orders_customer") == {
        "change_index"
    }
    assert matched("GET /api/orders 200 12ms") == set()
    assert matched("bumped version 1.4.2 -> 1.5.0") == {"change_release"}
    # Kafka's partition state, not a release: `ISR updated to 2,1,3 and version updated to 418`.
    assert matched(
        "[Partition orders-7 broker=2] ISR updated to 2,1,3 and version updated to 4"
    ) == (set())
    assert matched("[GetQuote] received request with empty address, using default zip") == set()


def _release_then(errors_at: float) -> list[AnalysedLine]:
    release = _line(
        "fraud",
        53,
        "loaded model fraud-gbm v7 (4000 trees)",
        30,
        Level.INFO,
        signature="change_release",
    )
    errors = [
        _line("payments", 200 + i, f"ERROR fraud check failed for payment {i}", errors_at + i / 20,
              Level.ERROR)
        for i in range(40)
    ]  # fmt: skip
    return [release, *errors]


def test_change_followed_by_new_trouble_is_the_leading_suspect() -> None:
    draft = reason(_release_then(33), _summaries("fraud", "payments"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert top.category is Category.DEPLOYMENT and top.component == "fraud"
    assert top.citations[0].line_start == 53
    assert (top.citations[1].evidence_name, top.citations[1].line_start) == ("payments.log", 200)


def test_a_release_whose_own_service_then_throws_errors_shipped_a_bug() -> None:
    release, *_ = _release_then(33)
    own = [_line("fraud", 300 + i, "ERROR TypeError: cannot read properties of undefined"
                 f" (request {i})", 33 + i / 20, Level.ERROR) for i in range(40)]  # fmt: skip
    draft = reason([release, *own], _summaries("fraud"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CODE_ERROR, "fraud")
    assert "a bug shipped in the release" in top.statement
    assert top.citations[0].line_start == 53


def test_a_release_whose_callers_then_reject_its_answers_shipped_a_bug() -> None:
    release = _line("catalogue", 11, 'msg="catalogue build" version=0.3.6 commit=7be2c1f0', 30,
                    Level.INFO, signature="change_restart")  # fmt: skip
    rejected = [_line("orders", 400 + i, f"ERROR order {i} rejected: Invalid payment amount 0.0",
                      33 + i / 20, Level.ERROR) for i in range(40)]  # fmt: skip
    draft = reason([release, *rejected], _summaries("catalogue", "orders"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CODE_ERROR, "catalogue")
    assert "callers' rejecting what it now answers" in top.statement


def test_a_producers_release_followed_by_consumers_rejecting_records_changed_their_format() -> None:
    release = _line("order-service", 902, "Starting OrderServiceApplication v3.4.0 using Java 21",
                    30, Level.INFO, signature="change_restart")  # fmt: skip
    rejected = [
        _line("invoice-worker", 1100 + i, "pydantic_core._pydantic_core.ValidationError: 2"
              " validation errors for OrderPlaced", 31 + i / 20, Level.ERROR)
        for i in range(40)
    ]  # fmt: skip
    assert rejected[0].signature == "message_schema_mismatch"
    summaries = _summaries("order-service", "invoice-worker")
    top = reason([release, *rejected], summaries, signatures=SIGNATURES).hypotheses[0]
    assert (top.category, top.component) == (Category.DATA, "order-service")
    assert "no longer matches the schema its consumers expect" in top.statement
    settings = "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings"
    assert match_signature(settings) != "message_schema_mismatch"


def _checks_failing(backend: str) -> list[AnalysedLine]:
    text = (f"haproxy[2231]: Server {backend}/inv-1 is DOWN, reason: Layer7 wrong status, code:"
            " 400, info: \"Bad Request\", check duration: 2ms.")  # fmt: skip
    return [_line("lb-edge-01", 700 + i, text, 31 + i, Level.WARN) for i in range(4)]


def test_health_checks_refused_by_a_new_release_of_the_checked_service_are_that_release() -> None:
    release = _line("inventory-api", 798, "inventory-api 3.2.0 starting on inv-1:"
                    " security.host_validation=enabled", 30, Level.INFO,
                    signature="change_restart")  # fmt: skip
    checks = _checks_failing("be_inventory")
    assert checks[0].signature == "health_check_wrong_code"
    summaries = _summaries("inventory-api", "lb-edge-01")
    top = reason([release, *checks], summaries, signatures=SIGNATURES).hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "inventory-api")
    assert "validates the Host header" in top.statement
    unrelated = reason([release, *_checks_failing("be_billing")], summaries, signatures=SIGNATURES)
    assert all(h.category is not Category.CONFIGURATION for h in unrelated.hypotheses
               if h.component == "inventory-api")  # fmt: skip


def test_change_with_no_trouble_soon_after_is_not_suspected() -> None:
    draft = reason(_release_then(31 + 45), _summaries("fraud", "payments"), signatures=SIGNATURES)
    assert all(h.category is not Category.DEPLOYMENT for h in draft.hypotheses)


def test_background_warnings_do_not_outrank_the_cause_that_began_later() -> None:
    noise = [
        _line("api", n, "WARN slow request GET /search took 2100 ms", n, Level.WARN)
        for n in range(1, 59, 2)
    ]
    cause = [_line("api", 500, "ERROR write failed: No space left on device", 41, Level.ERROR)]
    draft = reason(noise + cause, _summaries("api"), signatures=SIGNATURES)
    assert draft.hypotheses[0].category is Category.DISK
    background = next(h for h in draft.hypotheses if h.category is Category.UNKNOWN)
    assert "background noise" in background.reasoning


def test_one_failure_logged_by_several_services_is_one_hypothesis_where_it_is_logged_most() -> None:
    deadlock = "ERROR:  deadlock detected"
    lines = [
        _line("app", 10, f"app {deadlock}", 40, Level.ERROR),
        *[_line("postgres", 100 + i, deadlock, 40 + i / 10, Level.ERROR) for i in range(6)],
        *[
            _line("worker", 300 + i, f"job {deadlock}", 40.05 + i / 10, Level.ERROR)
            for i in range(3)
        ],
    ]
    draft = reason(lines, _summaries("app", "postgres", "worker"), signatures=SIGNATURES)
    database = [h for h in draft.hypotheses if h.category is Category.DATABASE]
    assert [h.component for h in database] == ["postgres"]
    assert "Also reported at the same time by" in database[0].reasoning


def test_errors_that_name_another_failing_service_defer_to_it() -> None:
    lines = [
        *[
            _line("checkout", 700 + i, f"ERROR quote failed for cart {i}: promotions returned 500",
                  40 + i / 60, Level.ERROR)
            for i in range(200)
        ],
        *[
            _line("promotions", 900 + i, f"ERROR Servlet threw exception for request {i}",
                  40 + i / 50, Level.ERROR)
            for i in range(40)
        ],
    ]  # fmt: skip
    draft = reason(lines, _summaries("checkout", "promotions"), signatures=SIGNATURES)
    assert draft.hypotheses[0].component == "promotions"
    checkout = next(h for h in draft.hypotheses if h.component == "checkout")
    assert "consequence" in checkout.reasoning


def test_errors_that_name_what_another_failing_service_does_defer_to_it() -> None:
    lines = [
        *[
            _line("ts-preserve-service", 700 + i, f"ERROR [Step 7][Buy Assurance Fail][order {i}]",
                  40 + i / 60, Level.ERROR)
            for i in range(200)
        ],
        *[
            _line("ts-assurance-service", 900 + i, "ERROR create failed: java.lang."
                  f"ArrayIndexOutOfBoundsException: Index {i}", 40 + i / 50, Level.ERROR)
            for i in range(40)
        ],
    ]  # fmt: skip
    summaries = _summaries("ts-preserve-service", "ts-assurance-service")
    draft = reason(lines, summaries, signatures=SIGNATURES)
    assert draft.hypotheses[0].component == "ts-assurance-service"
    preserve = next(h for h in draft.hypotheses if h.component == "ts-preserve-service")
    assert "consequence" in preserve.reasoning


def test_errors_that_quote_another_services_own_message_defer_to_it() -> None:
    relayed = "rpc error: code = Unknown desc = Your credit card (ending {0}) expired on 3/2027"
    lines = [
        *[
            _line("frontend", 700 + i, "ERROR request error path=/cart/checkout status=500 error="
                  f"failed to charge card: {relayed.format(1000 + i)}", 40 + i / 60, Level.ERROR)
            for i in range(200)
        ],
        *[
            _line("paymentservice", 900 + i, f"ERROR ExpiredCreditCard [Error]: Your credit card"
                  f" (ending {1000 + i}) expired on 3/2027", 40 + i / 70, Level.ERROR)
            for i in range(150)
        ],
    ]  # fmt: skip
    draft = reason(lines, _summaries("frontend", "paymentservice"), signatures=SIGNATURES)
    assert draft.hypotheses[0].component == "paymentservice"
    frontend = next(h for h in draft.hypotheses if h.component == "frontend")
    assert "consequence" in frontend.reasoning


def test_a_caller_naming_a_service_whose_log_has_no_times_defers_to_its_errors() -> None:
    relayed = "rpc error: code = Unknown desc = Exception was thrown by handler."
    lines = [
        *[_line("frontend", 700 + i, f"ERROR could not retrieve cart: {relayed}", 40 + i / 60,
                Level.ERROR) for i in range(100)],
        *[replace(_line("cartservice", 900 + 2 * i, "Error when executing service method"
                        " 'GetCart'.", 40, Level.ERROR), time=None) for i in range(50)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("frontend", "cartservice"), signatures=SIGNATURES)
    assert draft.hypotheses[0].component == "cartservice"


def test_shared_rpc_wording_alone_is_no_quote() -> None:
    def unavailable(service: str, n: int, minutes: float) -> AnalysedLine:
        text = f"ERROR call {n} failed: rpc error: code = Internal desc = unknown service status"
        return _line(service, 100 + n, text, minutes, Level.ERROR)

    lines = [
        *[unavailable("frontend", i, 40 + i / 60) for i in range(100)],
        *[unavailable("checkout", i, 40 + i / 70) for i in range(100)],
    ]
    draft = reason(lines, _summaries("frontend", "checkout"), signatures=SIGNATURES)
    assert all("consequence of" not in h.reasoning for h in draft.hypotheses)


def test_of_several_services_an_error_names_the_one_failing_first_is_the_cause() -> None:
    def price(n: int, minutes: float) -> AnalysedLine:
        text = f"ERROR java.lang.StringIndexOutOfBoundsException: begin 0, end 3, length {n}"
        return _line("ts-price-service", 300 + n, text, minutes, Level.ERROR)

    lines = [
        # One failure first, then the flood: its onset comes after the callers'.
        price(0, 40), *[price(i, 41 + i / 20) for i in range(1, 40)],
        *[
            _line("ts-basic-service", 500 + i, "ERROR [Query For Travel] price config query"
                  f" failed {i}", 40.2 + i / 20, Level.ERROR)
            for i in range(200)
        ],
        *[
            _line("ts-travel-service", 700 + i, f"ERROR [Query Trip] response failed: basic {i}",
                  40.3 + i / 20, Level.ERROR)
            for i in range(200)
        ],
    ]  # fmt: skip
    summaries = _summaries("ts-price-service", "ts-basic-service", "ts-travel-service")
    draft = reason(lines, summaries, signatures=SIGNATURES)
    assert draft.hypotheses[0].component == "ts-price-service"
    basic, travel = (next(h for h in draft.hypotheses if h.component == name)
                     for name in ("ts-basic-service", "ts-travel-service"))  # fmt: skip
    assert "It began after Repeated error in ts-price-service" in basic.reasoning
    assert "It began after Repeated error in ts-basic-service" in travel.reasoning


def test_a_failure_running_since_before_the_incident_explains_nothing_in_it() -> None:
    steady = [
        _line("backup", 10 + i, f"ERROR write chunk {i}: No space left on device", i * 1.5,
              Level.ERROR)
        for i in range(40)
    ]  # fmt: skip
    errors = [
        _line("api", 500 + i, f"ERROR order {i} failed: NoSuchMethodError", 40 + i / 20,
              Level.ERROR)
        for i in range(100)
    ]  # fmt: skip
    draft = reason(steady + errors, _summaries("backup", "api"), signatures=SIGNATURES)
    api = next(h for h in draft.hypotheses if h.component == "api")
    assert "consequence" not in api.reasoning


@pytest.mark.parametrize(
    ("name", "core"),
    [("ts-assurance-service", "assurance"), ("currencyservice", "currency"),
     ("reviews-api", "reviews"), ("orders", None), ("ts-ui-dashboard", None), ("api", None)],
)  # fmt: skip
def test_a_services_core_name_is_what_its_name_says_beyond_conventions(
    name: str, core: str | None
) -> None:
    assert core_name(name) == core


def test_unrecognised_error_long_before_the_incident_is_background() -> None:
    stray = [_line("api", 5, "ERROR client closed connection early", 2, Level.ERROR)]
    incident = [
        _line("api", 100 + i, f"ERROR order {i} failed: NoSuchMethodError", 45 + i / 30,
              Level.ERROR)
        for i in range(60)
    ]  # fmt: skip
    draft = reason(stray + incident, _summaries("api"), signatures=SIGNATURES)
    assert "NoSuchMethodError" in draft.hypotheses[0].title
    early = next(h for h in draft.hypotheses if "closed connection" in h.title)
    assert "background noise" in early.reasoning


def test_remote_failures_without_a_peer_go_to_the_peer_the_same_log_names() -> None:
    lines = [
        _line("billing", 10, 'I/O error on POST "https://ledger.internal:8443/v1": handshake'
              " failed: certificate has expired", 40, Level.ERROR),
        *[
            _line("billing", 20 + i, "javax.net.ssl.SSLHandshakeException: certificate has"
                  " expired", 40 + i / 10, Level.ERROR)
            for i in range(20)
        ],
    ]  # fmt: skip
    draft = reason(lines, _summaries("billing"), signatures=SIGNATURES)
    assert [(h.category, h.component) for h in draft.hypotheses] == [(Category.TLS, "ledger")]


def test_folded_report_is_cited_beside_the_main_one() -> None:
    lines = [
        *[_line("worker", 30 + i, "ERROR duplicate key value violates unique constraint",
                40 + i / 10, Level.ERROR) for i in range(8)],
        _line("postgres", 6, "ERROR:  duplicate key value violates unique constraint \"k\"",
              40.01, Level.ERROR),
    ]  # fmt: skip
    draft = reason(lines, _summaries("worker", "postgres"), signatures=SIGNATURES)
    (data,) = [h for h in draft.hypotheses if h.category is Category.DATA]
    assert data.component == "worker"
    assert "postgres.log" in {citation.evidence_name for citation in data.citations}


def test_traceback_beside_a_specific_failure_is_its_consequence() -> None:
    crash = SIGNATURES_BY_ID["crash"]
    lines = [
        *[_line("orders", 100 + i, f"ERROR unhandled error while serving GET /orders/{i}",
                40 + i / 100, Level.ERROR, signature=crash.id) for i in range(30)],
        *[_line("orders", 200 + i, "ERROR FATAL: password authentication failed for user app",
                40.2 + i / 100, Level.ERROR) for i in range(30)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("orders"), signatures=SIGNATURES)
    assert draft.hypotheses[0].category is Category.PERMISSION


def test_schema_errors_right_after_a_migration_are_the_migrations_doing() -> None:
    lines = [
        _line("jobs", 4, "INFO Running upgrade 3f1c2a9d -> 8b0e5d6c, rename customers email",
              40, Level.INFO, signature="change_migration"),
        *[_line("orders", 100 + i, 'ERROR column "email" does not exist', 40.1 + i / 10,
                Level.ERROR) for i in range(30)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("jobs", "orders"), signatures=SIGNATURES)
    assert draft.hypotheses[0].category is Category.DEPLOYMENT
    schema = next(h for h in draft.hypotheses if h.category is Category.DATA)
    assert "consequence" in schema.reasoning


def test_release_line_names_the_released_service() -> None:
    from faultmaven.reasoning.changes import change_subject

    assert change_subject("rollout orders-api 2.13.2 -> 2.14.0 started") == "orders-api"
    assert change_subject("deployed checkout version 4.2.0") == "checkout"
    assert change_subject("config reloaded") is None


def test_a_flag_named_under_a_service_of_the_case_is_that_services_change() -> None:
    from faultmaven.reasoning.changes import change_subject

    line = 'msg="flag checkout.tax-engine-v2 changed default false -> true (100% rollout)"'
    assert change_subject(line, {"checkout", "web", "flagd"}) == "checkout"
    assert change_subject(line, {"web", "flagd"}) is None


def test_refused_service_account_names_its_workload() -> None:
    from faultmaven.reasoning.peers import identity_of

    line = 'pods is forbidden: User "system:serviceaccount:ops:queue-autoscaler" cannot list'
    assert identity_of(line) == "queue-autoscaler"
    assert identity_of("permission denied: /var/lib/app") is None


def test_stop_after_which_the_log_carries_on_is_a_restart_not_an_outage() -> None:
    lines = [
        _line("risk", 296, "INFO Shutting down", 30, Level.INFO, signature="change_stopped"),
        *[_line("orders", 300 + i, "ERROR Connection refused", 30.5 + i / 10, Level.ERROR)
          for i in range(30)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("risk", "orders"), signatures=SIGNATURES)
    assert all("stopped" not in h.title for h in draft.hypotheses)


def _stopped_then_refused(after_minutes: float) -> list[str]:
    """A database's log ending with its stop, then a caller refused `after_minutes` later."""
    risk = _summaries("risk")[0]
    stopped = replace(risk, last_time=_at(30.1))
    lines = [
        _line("risk", 296, "LOG:  database system is shut down", 30, Level.INFO,
              signature="change_stopped"),
        *[_line("orders", 300 + i, "ERROR Connection refused", 30 + after_minutes + i / 10,
                Level.ERROR) for i in range(30)],
    ]  # fmt: skip
    draft = reason(lines, [stopped, *_summaries("orders")], signatures=SIGNATURES)
    return [h.title for h in draft.hypotheses]


def test_a_stop_explains_failures_that_begin_at_once_not_a_quarter_hour_later() -> None:
    assert any("stopped" in title for title in _stopped_then_refused(1))
    assert all("stopped" not in title for title in _stopped_then_refused(12))


def test_statement_timeouts_are_a_database_problem_not_the_network() -> None:
    line = "ERROR:  canceling statement due to statement timeout"
    assert SIGNATURES_BY_ID[match_signature(line) or ""].category is Category.DATABASE


def test_error_the_peer_replied_with_belongs_to_the_peer() -> None:
    lines = [
        _line("sessions", 200 + i, "ReplyError: OOM command not allowed when used memory >"
              " 'maxmemory'. (command SET s:1, redis sessions-cache:6379)", 40 + i / 10,
              Level.ERROR)
        for i in range(10)
    ]  # fmt: skip
    draft = reason(lines, _summaries("sessions"), signatures=SIGNATURES)
    assert (draft.hypotheses[0].category, draft.hypotheses[0].component) == (
        Category.MEMORY,
        "sessions-cache",
    )


def test_unrecognised_flood_right_after_a_recognised_failure_is_its_consequence() -> None:
    lines = [
        _line("payments", 262, "WARN acquirer POST /v2/authorizations answered 503 Service"
              " Unavailable", 40, Level.WARN),
        *[_line("payments", 270 + i, f"ERROR charge {i} failed: declined by processor",
                40.3 + i / 50, Level.ERROR) for i in range(200)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("payments"), signatures=SIGNATURES)
    flood = next(h for h in draft.hypotheses if "declined" in h.title)
    assert "consequence" in flood.reasoning


def test_migration_a_release_runs_is_folded_into_that_release() -> None:
    lines = [
        _line("jobs", 1, "INFO rollout orders-api 2.13.2 -> 2.14.0 started (strategy: migrate)",
              39.9, Level.INFO, signature="change_release"),
        _line("jobs", 4, "INFO Running upgrade 3f1c2a9d -> 8b0e5d6c, rename customers email",
              40, Level.INFO, signature="change_migration"),
        *[_line("orders-api", 100 + i, 'ERROR column "email" does not exist', 40.1 + i / 10,
                Level.ERROR) for i in range(30)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("jobs", "orders-api"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DEPLOYMENT, "orders-api")
    assert [c.line_start for c in top.citations if c.evidence_name == "jobs.log"] == [1, 4]
    assert sum(1 for h in draft.hypotheses if h.category is Category.DEPLOYMENT) == 1


def test_gateway_5xx_stamped_a_second_before_a_cause_is_still_its_consequence() -> None:
    lines = [
        *[_line("nginx", 1000 + i, f'"GET /api/orders/{i} HTTP/1.1" 500 34', 40 + i / 60,
                Level.ERROR) for i in range(60)],
        *[_line("orders", 100 + i, "ERROR could not extend file: No space left on device",
                40 + 1.5 / 60 + i / 60, Level.ERROR) for i in range(60)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("nginx", "orders"), signatures=SIGNATURES)
    assert (draft.hypotheses[0].category, draft.hypotheses[0].component) == (
        Category.DISK,
        "orders",
    )
    gateway = next(h for h in draft.hypotheses if h.component == "nginx")
    assert "consequence" in gateway.reasoning


def _lookups_failing(coredns_errors: bool) -> list[AnalysedLine]:
    lines = [
        _line("cart", 200 + i, "ERROR dial tcp: lookup inventory.shop.svc.cluster.local on"
              " 10.96.0.10:53: no such host", 14 + i / 10, Level.ERROR) for i in range(40)
    ]  # fmt: skip
    if coredns_errors:
        lines.append(
            _line("coredns", 292, "[WARNING] plugin/kubernetes: zone cluster.local. not served:"
                  " Corefile block 'cluster.lokal:53' has no kubernetes plugin", 13.9,
                  Level.WARN)
        )  # fmt: skip
    return lines


def test_lookups_fail_at_the_resolver_when_the_resolver_logs_trouble() -> None:
    draft = reason(_lookups_failing(True), _summaries("cart", "coredns"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "coredns")
    assert top.statement.startswith("coredns fails cart's lookups")
    assert any(c.evidence_name == "coredns.log" for c in top.citations)
    assert all(h.component != "coredns" or h is top for h in draft.hypotheses)


def test_lookups_fail_at_the_resolver_whose_previous_container_logged_an_undated_fatal() -> None:
    fatal = _line(
        "coredns",
        6,
        "[FATAL] plugin/loop: Loop (127.0.0.1:47819 -> :53) detected for"
        ' zone ".", see https://coredns.io/plugins/loop#troubleshooting.',
        0,
        Level.FATAL,
    )
    lines = [*_lookups_failing(False), replace(fatal, time=None)]
    draft = reason(lines, _summaries("cart", "coredns"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "coredns")
    assert ("coredns.log", 6) in {(c.evidence_name, c.line_start) for c in top.citations}
    assert all(h.component != "coredns" or h is top for h in draft.hypotheses)


def test_a_service_name_missing_beside_a_healthy_resolver_is_the_services() -> None:
    """A healthy resolver answering NXDOMAIN for a cluster Service: the Service is gone."""
    draft = reason(_lookups_failing(False), _summaries("cart", "coredns"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "inventory")
    assert "the Service inventory does not exist" in top.statement


def test_other_names_failing_beside_a_healthy_resolver_stay_with_the_client() -> None:
    lines = [
        replace(line, text=line.text.replace("inventory.shop.svc.cluster.local", "inventory"))
        for line in _lookups_failing(False)
    ]
    draft = reason(lines, _summaries("cart", "coredns"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "cart")


def test_a_resolver_whose_only_error_is_its_start_up_loop_probe_is_not_in_trouble() -> None:
    probe = _line(
        "coredns",
        6,
        "[ERROR] plugin/errors: 2 8215370196734402933.3960384581273398264. HINFO: read udp"
        " 10.244.3.7:41822->10.212.0.2:53: i/o timeout",
        0,
        Level.ERROR,
    )
    lines = [*_lookups_failing(False), replace(probe, time=None)]
    draft = reason(lines, _summaries("cart", "coredns"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "inventory")


def test_start_up_lines_naming_a_version_are_restarts() -> None:
    def matched(text: str) -> set[str]:
        return {s.id for s in CHANGE_SIGNATURES if s.matches(text)}

    restart = "Starting gRPC server on port 7000 (currencyservice 0.10.1, node v20.10.0)"
    assert matched(restart) == {"change_restart"}
    assert matched("Starting OrderApplication v1.3.0 using Java 17.0.9 with PID 1") == {
        "change_restart"
    }
    assert matched("catalog-api 1.8.3 starting (pid 15152)") == {"change_restart"}
    assert matched("Starting cleanup of 120 sessions") == set()


def _restart_at(minutes: float) -> list[AnalysedLine]:
    restart = _line("currency", 1834, "INFO Starting gRPC server on port 7000 (currency 0.10.1)",
                    minutes, Level.INFO, signature="change_restart")  # fmt: skip
    errors = [
        _line("currency", 1840 + i, "ERROR conversion failed: TypeError: undefined 'nanos'",
              minutes + 0.3 + i / 20, Level.ERROR)
        for i in range(40)
    ]  # fmt: skip
    return [restart, *errors]


def test_a_restart_on_a_new_version_mid_log_is_suspected_but_the_first_start_is_not() -> None:
    mid = reason(_restart_at(18), _summaries("currency"), signatures=SIGNATURES)
    assert mid.hypotheses[0].category is Category.CODE_ERROR  # its own errors: a shipped bug
    assert mid.hypotheses[0].statement.startswith("currency restarted on a new version")
    first = reason(_restart_at(0.5), _summaries("currency"), signatures=SIGNATURES)
    assert not any("restarted on a new version" in h.statement for h in first.hypotheses)


def test_a_systemd_reload_is_a_configuration_change_of_the_reloaded_service() -> None:
    from faultmaven.reasoning.changes import change_subject

    reload = "Jan 21 10:02:03 lb-1 systemd[1]: Reloaded haproxy.service - HAProxy Load Balancer."
    assert {s.id for s in CHANGE_SIGNATURES if s.matches(reload)} == {"change_config"}
    assert change_subject(reload) == "haproxy"
    assert change_subject("systemd[1]: Reloaded getty@tty1.service.") == "getty"


def test_lookups_failing_right_after_the_resolver_was_reconfigured_are_that_change() -> None:
    ansible = ("2025-07-30T13:21:07+0000 app-1 ansible-ansible.legacy.copy[40983]: Invoked with"
               " dest=/etc/systemd/resolved.conf.d/10-corp.conf mode=0644 owner=root")  # fmt: skip
    assert {s.id for s in CHANGE_SIGNATURES if s.matches(ansible)} == {"change_resolver"}
    assert not any(s.matches("GET /etc/hosts 404") for s in CHANGE_SIGNATURES)
    change = replace(
        _line("journal", 668, ansible, 20, Level.INFO, signature="change_resolver"),
        component="app-1",
    )
    lines = [
        change,
        *[_line("quotes", 100 + i, "rates refresh failed: getaddrinfo EAI_AGAIN"
                " rates.partner-api.com", 20.5 + i / 10, Level.ERROR) for i in range(40)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("journal", "quotes"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "app-1")
    assert top.citations[0].line_start == 668


def test_a_migration_whose_locks_block_the_app_is_a_database_cause_behind_the_pool() -> None:
    migration = _line("postgres", 495, 'LOG:  statement: ALTER TABLE "billing_invoice" ALTER'
                      ' COLUMN "amount" TYPE numeric(14,2)', 20, Level.INFO,
                      signature="change_migration")  # fmt: skip
    waits = [_line("postgres", 496 + i, "ERROR:  canceling statement due to lock timeout",
                   20.1 + i / 10, Level.ERROR) for i in range(30)]  # fmt: skip
    refused = [_line("postgres", 900 + i, "FATAL:  remaining connection slots are reserved for"
                     " non-replication superuser connections", 29 + i / 10, Level.FATAL)
               for i in range(40)]  # fmt: skip
    draft = reason([migration, *waits, *refused], _summaries("postgres"),
                   "billing times out and postgres is out of connections, why?",
                   signatures=SIGNATURES)  # fmt: skip
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "postgres")
    assert "took locks" in top.statement
    assert top.citations[0].line_start == 495


def test_local_ports_running_out_are_placed_at_the_first_to_report_them_not_its_callers() -> None:
    dial = "connect: cannot assign requested address (dial tcp 10.96.41.201:7070)"
    lines = [
        *[_line("checkout", 10 + i, f"WARN grpc: {dial}", 14 + i / 10, Level.WARN)
          for i in range(3)],
        *[_line("frontend", 100 + i, f"ERROR request error: rpc error: desc = {dial}",
                14.2 + i / 20, Level.ERROR) for i in range(60)],
    ]  # fmt: skip
    draft = reason(lines, _summaries("checkout", "frontend"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.NETWORK, "checkout")


def test_asked_what_changed_a_release_trouble_followed_outranks_a_later_failure() -> None:
    oom = [
        _line("ads", 290 + i, "Exception in thread main java.lang.OutOfMemoryError: Java heap",
              18.8 + i / 10, Level.ERROR)
        for i in range(3)
    ]  # fmt: skip
    lines = [*_restart_at(18), *oom]
    summaries = _summaries("currency", "ads")

    def top(question: str) -> Category:
        return reason(lines, summaries, question, signatures=SIGNATURES).hypotheses[0].category

    assert top("Storefront errors went up at 12:18, why?") is Category.MEMORY
    assert top("What changed? Storefront errors went up at 12:18.") is Category.CODE_ERROR


def test_a_socket_gone_right_after_the_tmp_cleanup_ran_is_that_cleanup() -> None:
    """systemd-tmpfiles deleted a long-running service's socket in /tmp; the proxy then fails."""
    cleanup = ("Nov 18 04:12:23 wiki-app-01 systemd[1]: Starting systemd-tmpfiles-clean.service"
               " - Cleanup of Temporary Directories...")  # fmt: skip
    assert {s.id for s in CHANGE_SIGNATURES if s.matches(cleanup)} == {"change_tmp_cleanup"}
    change = replace(
        _line("syslog", 414, cleanup, 20, Level.INFO, signature="change_tmp_cleanup"),
        component="wiki-app-01",
    )
    refused = ("2026/11/18 04:12:33 [error] 31#31: *42804 connect() to unix:/tmp/wiki.sock failed"
               " (2: No such file or directory) while connecting to upstream")  # fmt: skip
    lines = [change, *[_line("nginx", 2 + i, refused, 20.2 + i / 10, Level.ERROR)
                       for i in range(40)]]  # fmt: skip
    assert all(line.signature == "unix_socket_missing" for line in lines[1:])
    draft = reason(lines, _summaries("syslog", "nginx"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "wiki-app-01")
    assert top.citations[0].line_start == 414


def test_lookups_failing_right_after_a_record_was_deleted_are_that_deletion() -> None:
    """BIND logs a dynamic update deleting the record; resolvers then cache the NXDOMAIN."""
    update = ("08-Jun-2026 10:14:12.079 update: info: client @0x7f3a 10.9.7.30#40122/key"
              " migrate-key: updating zone 'corp.example.net/IN': deleting rrset at"
              " 'sso.corp.example.net' A")  # fmt: skip
    assert {s.id for s in CHANGE_SIGNATURES if s.matches(update)} == {"change_dns_record"}
    assert not any(s.matches(update.replace("deleting rrset", "adding an RR")) for s in
                   CHANGE_SIGNATURES)  # fmt: skip
    change = replace(
        _line("named", 298, update, 20, Level.INFO, signature="change_dns_record"),
        component="dns-auth-01",
    )
    failed = ('oidc discovery failed: Get "https://sso.corp.example.net/realms/x": dial tcp:'
              " lookup sso.corp.example.net on 10.9.0.53:53: no such host")  # fmt: skip
    lines = [change, *[_line("authproxy", 500 + i, failed, 21 + i / 10, Level.ERROR)
                       for i in range(30)]]  # fmt: skip
    draft = reason(lines, _summaries("named", "authproxy"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "dns-auth-01")
    assert ("named.log", 298) in {(c.evidence_name, c.line_start) for c in top.citations}


def _cpu_step(service: str, minutes: float) -> AnalysedLine:
    line = _line(service, 942, f"{service} cpu 0.57", minutes, Level.WARN, "metric_cpu")
    return replace(line, evidence_name=f"metrics/{service}.csv", component=service)


def test_cpu_stepping_up_as_a_release_starts_is_its_start_up_and_its_errors_follow_it() -> None:
    """A price config reloaded elsewhere first, then consign restarting on a new version."""
    reloaded = _line("price", 180, "WARN [updatePriceConfig][Price config reloaded]", 13.5,
                     Level.WARN, signature="change_config")  # fmt: skip
    restart = _line("consign", 521, "INFO Starting ConsignApplication v1.0.3-rc2", 18,
                    Level.INFO, signature="change_restart")  # fmt: skip
    errors = [
        _line("consign", 541 + i, 'ERROR java.lang.NumberFormatException: For input "2.5"',
              19.3 + i / 4, Level.ERROR)
        for i in range(30)
    ]  # fmt: skip
    lines = [reloaded, restart, _cpu_step("consign", 18), *errors]
    signatures = {**SIGNATURES, **METRIC_SIGNATURES_BY_ID}
    draft = reason(
        lines, _summaries("price", "consign"), "why do bookings fail?", signatures=signatures
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CODE_ERROR, "consign")
    assert top.statement.startswith("consign restarted on a new version")
    config = next(h for h in draft.hypotheses if h.component == "price")
    assert config.confidence < top.confidence


def test_a_database_wide_setting_changed_before_serialization_failures_is_the_cause() -> None:
    statement = (
        "LOG:  statement: ALTER DATABASE ledger SET default_transaction_isolation TO"
        " 'serializable';"
    )
    assert CHANGE_SIGNATURES_BY_ID["change_db_setting"].matches(statement)
    altered = _line("pg-ledger-01", 691, statement, 18, Level.INFO, "change_db_setting")
    failures = [
        _line("pg-ledger-01", 748 + i, "ERROR:  could not serialize access due to concurrent"
              " update", 21 + i / 3, Level.ERROR)
        for i in range(20)
    ]  # fmt: skip
    draft = reason([altered, *failures], _summaries("pg-ledger-01"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "pg-ledger-01")
    assert top.citations[0].line_start == 691


@pytest.mark.parametrize(
    "text",
    ["ALTER TABLE orders ALTER COLUMN total SET NOT NULL", "SET SESSION sql_mode = ''"],
)
def test_changes_to_a_table_or_one_session_are_no_database_wide_setting(text: str) -> None:
    assert not CHANGE_SIGNATURES_BY_ID["change_db_setting"].matches(text)


@pytest.mark.parametrize(
    ("line", "subject"),
    [
        ("puppet-agent[40417]: /Stage[main]/Profile::Memcached/File[/etc/memcached.conf]/content:"
         " content changed '{sha256}4b0e1f96' to '{sha256}91c3a5e0'", "memcached"),
        ("puppet-agent[40417]: --- /etc/memcached.conf\t2025-08-03 10:14:22 +1000  +++"
         " /tmp/puppet-file20260120  @@ -23 +23 @@ -m 3072 +-m 64", "memcached"),
        ("  - update content in file /etc/nginx/nginx.conf from 1a2b3c to 4d5e6f", "nginx"),
    ],
)  # fmt: skip
def test_configuration_management_rewriting_a_services_file_is_its_change(
    line: str, subject: str
) -> None:
    from faultmaven.reasoning.changes import change_subject

    assert {s.id for s in CHANGE_SIGNATURES if s.matches(line)} == {"change_config"}
    assert change_subject(line) == subject


def test_a_services_memory_pinned_after_its_own_configuration_change_follows_from_it() -> None:
    rewritten = _line("memcached", 324, "File[/etc/memcached.conf]/content: content changed",
                      18, Level.INFO, "change_config")  # fmt: skip
    pinned = replace(
        _line("memcached", 96, "memcached bytes 67108864", 21, Level.WARN, "metric_memory"),
        evidence_name="metrics/memcached.csv",
    )
    signatures = {**SIGNATURES, **METRIC_SIGNATURES_BY_ID}
    draft = reason([rewritten, pinned], _summaries("memcached"), signatures=signatures)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "memcached")
    assert "metrics/memcached.csv" in [citation.evidence_name for citation in top.citations]


def test_a_release_starting_without_a_setting_is_a_configuration_change_not_a_bug() -> None:
    restart = _line("notify", 3095, "INFO notify-dispatch 4.6.2 starting (node v20.11.1, pid 1)",
                    18, Level.INFO, signature="change_restart")  # fmt: skip
    empty = _line("notify", 3097, "WARN config: SENDGRID_API_KEY is empty, email client created"
                  " without auth", 18.001, Level.WARN, signature="change_config")  # fmt: skip
    failures = [
        _line("notify", 3100 + i, "ERROR sendgrid send failed: 401 Unauthorized", 19 + i / 10,
              Level.ERROR)
        for i in range(30)
    ]  # fmt: skip
    draft = reason([restart, empty, *failures], _summaries("notify"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "notify")
    assert 3097 in [citation.line_start for citation in top.citations]


def test_a_lowered_lock_timeout_leaves_the_lock_waits_it_bounds_their_own_cause() -> None:
    statement = "LOG:  statement: ALTER ROLE orders_app SET lock_timeout = '2s'"
    lowered = _line("postgres", 9, statement, 18, Level.INFO, "change_db_setting")
    waits = [
        _line("postgres", 11 + i, "ERROR:  canceling statement due to lock timeout", 18.3 + i / 10,
              Level.ERROR)
        for i in range(20)
    ]  # fmt: skip
    draft = reason([lowered, *waits], _summaries("postgres"), signatures=SIGNATURES)
    assert draft.hypotheses[0].category is Category.DATABASE
