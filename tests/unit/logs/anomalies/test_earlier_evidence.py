"""Templates new since earlier evidence of the same source, and only of the same source."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import AnomalyKind, TemplateOccurrence
from faultmaven.logs.anomalies import (
    EvidenceTemplates,
    TemplateProfile,
    detect_anomalies,
    judge_earlier_evidence,
)
from faultmaven.logs.anomalies.earlier_evidence import baselines_of, shares_source

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
CART_ROUTINE = frozenset({"cart-get", "cart-put", "cart-health", "cart-gc"})
BILLING_ROUTINE = frozenset({"bill-charge", "bill-refund", "bill-health"})


def _item(name: str, groups: frozenset[str]) -> EvidenceTemplates:
    return EvidenceTemplates(f"id-{name}", name, groups)


def test_a_failing_log_of_the_same_service_has_the_healthy_log_as_baseline() -> None:
    healthy = _item("healthy.log", CART_ROUTINE)
    failing = _item("failing.log", CART_ROUTINE | {"disk-full", "write-retry", "fsync-failed"})
    assert baselines_of(failing, [healthy]) == [healthy]


def test_new_error_templates_dilute_the_later_log_but_not_the_overlap() -> None:
    healthy = frozenset({"cart-get", "cart-put"})
    failing = healthy | {f"error-{n}" for n in range(8)}
    assert shares_source(healthy, failing)


def test_logs_of_unrelated_services_are_not_each_others_baseline() -> None:
    assert not shares_source(CART_ROUTINE, BILLING_ROUTINE)
    assert not shares_source(CART_ROUTINE | {"startup"}, BILLING_ROUTINE | {"startup"})


def test_an_item_without_templates_is_nobodys_baseline() -> None:
    assert not shares_source(frozenset(), CART_ROUTINE)


def test_templates_first_seen_in_a_later_item_are_new_since_its_baseline() -> None:
    verdict = judge_earlier_evidence(
        [_item("healthy.log", CART_ROUTINE), _item("failing.log", CART_ROUTINE | {"disk-full"})]
    )
    assert len(verdict.new) == 1
    assert verdict.new[0].evidence_name == "failing.log"
    assert verdict.new[0].baselines == ("healthy.log",)
    assert verdict.new[0].groups == {"disk-full"}
    assert verdict.known == CART_ROUTINE


def test_a_second_service_is_not_new_since_the_first() -> None:
    verdict = judge_earlier_evidence(
        [_item("cart.log", CART_ROUTINE), _item("billing.log", BILLING_ROUTINE)]
    )
    assert verdict.new == ()
    assert verdict.known == frozenset()


def test_a_template_is_new_only_in_the_first_item_holding_it() -> None:
    verdict = judge_earlier_evidence(
        [
            _item("a.log", CART_ROUTINE),
            _item("b.log", CART_ROUTINE | {"disk-full"}),
            _item("c.log", CART_ROUTINE | {"disk-full", "oom"}),
        ]
    )
    assert [(item.evidence_name, item.groups) for item in verdict.new] == [
        ("b.log", {"disk-full"}),
        ("c.log", {"oom"}),
    ]
    assert verdict.new[1].baselines == ("a.log", "b.log")
    assert "disk-full" in verdict.known


def test_a_template_shown_earlier_by_another_service_is_not_new() -> None:
    verdict = judge_earlier_evidence(
        [
            _item("cart.log", CART_ROUTINE),
            _item("billing.log", BILLING_ROUTINE | {"disk-full"}),
            _item("cart-2.log", CART_ROUTINE | {"disk-full", "oom"}),
        ]
    )
    assert [(item.evidence_name, item.groups) for item in verdict.new] == [("cart-2.log", {"oom"})]


def _add(
    profile: TemplateProfile, evidence: str, n: int, at: datetime, group: str, level: Level
) -> None:
    profile.add(TemplateOccurrence(f"id-{evidence}", evidence, n, n, at, level, group, group))


def _two_files_profile() -> TemplateProfile:
    """An hour of healthy cart.log, then failing-cart.log whose disk errors start at once."""
    profile = TemplateProfile(bucket_seconds=60)
    for minute in range(60):
        _add(profile, "cart.log", minute + 1, START + timedelta(minutes=minute), "get", Level.INFO)
    for minute in range(60, 70):
        at = START + timedelta(minutes=minute)
        _add(profile, "failing-cart.log", 2 * minute, at, "get", Level.INFO)
        _add(profile, "failing-cart.log", 2 * minute + 1, at, "disk-full", Level.ERROR)
    return profile


def test_detection_reports_a_template_new_since_earlier_evidence_citing_its_first_line() -> None:
    verdict = judge_earlier_evidence(
        [
            _item("cart.log", frozenset({"get"})),
            _item("failing-cart.log", frozenset({"get", "disk-full"})),
        ]
    )
    anomalies = detect_anomalies(_two_files_profile(), earlier=verdict)
    new = [a for a in anomalies if a.kind is AnomalyKind.NEW_TEMPLATE]
    assert len(new) == 1
    assert new[0].groups == ("disk-full",)
    assert "absent from cart.log" in new[0].description
    assert new[0].examples[0].evidence_name == "failing-cart.log"
    assert new[0].examples[0].line_start == 121
    assert new[0].start == START + timedelta(minutes=60)


def test_an_error_that_began_late_in_a_rotated_file_stays_new_when_the_next_file_has_it() -> None:
    profile = TemplateProfile(bucket_seconds=60)
    for minute in range(60):
        _add(profile, "a.log", minute + 1, START + timedelta(minutes=minute), "get", Level.INFO)
    _add(profile, "a.log", 61, START + timedelta(minutes=59), "cron", Level.INFO)
    _add(profile, "b.log", 1, START + timedelta(minutes=61), "get", Level.INFO)
    _add(profile, "b.log", 2, START + timedelta(minutes=62), "cron", Level.INFO)
    verdict = judge_earlier_evidence(
        [_item("a.log", frozenset({"get", "cron"})), _item("b.log", frozenset({"get", "cron"}))]
    )
    assert verdict.new == ()
    with_earlier = detect_anomalies(profile, earlier=verdict)
    assert [a.groups for a in with_earlier if a.kind is AnomalyKind.NEW_TEMPLATE] == [
        a.groups for a in detect_anomalies(profile) if a.kind is AnomalyKind.NEW_TEMPLATE
    ]
    assert any("cron" in a.groups for a in with_earlier if a.kind is AnomalyKind.NEW_TEMPLATE)


def test_a_new_template_without_timestamps_in_a_timed_profile_is_reported_without_times() -> None:
    profile = _two_files_profile()
    for n in range(1, 4):
        occurrence = TemplateOccurrence(
            "id-cart-2.log", "cart-2.log", n, n, None, Level.WARN, "back-off", "back-off"
        )
        profile.add(occurrence)
    verdict = judge_earlier_evidence(
        [
            _item("cart.log", frozenset({"get"})),
            _item("cart-2.log", frozenset({"get", "back-off"})),
        ]
    )
    anomalies = detect_anomalies(profile, earlier=verdict)
    untimed = [a for a in anomalies if a.groups == ("back-off",)]
    assert untimed, anomalies
    assert (untimed[0].start, untimed[0].end) == (None, None)
    assert untimed[0].examples[0].evidence_name == "cart-2.log"
