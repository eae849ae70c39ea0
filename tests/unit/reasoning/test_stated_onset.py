"""The onset the question states ("since 18:17") dates the incident when the evidence covers it."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.stated_onset import stated_onset

FIRST = datetime(2024, 11, 29, 18, 0, tzinfo=UTC)
LAST = FIRST + timedelta(hours=1)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Lots of declined payments since 18:17; is fraud broken?", FIRST.replace(minute=17)),
        ("errors started at about 6:40 pm UTC", FIRST.replace(minute=40)),
        ("alert firing since 19:05 CET", FIRST.replace(minute=5)),
        ("5xx since 18:30:15", FIRST.replace(minute=30, second=15)),
        ("failing since about 19:26 Paris time (CET). Why?", FIRST.replace(minute=26)),
        ("errors since 18:17 and rising", FIRST.replace(minute=17)),
        ("what broke since 03:00?", None),
        ("why are checkouts failing?", None),
        ("since 25:99 nothing works", None),
        ("quotes started timing out at 18:21 UTC with EAI_AGAIN", FIRST.replace(minute=21)),
        ("invoice-api has been down since the 4.8.0 sync at 18:02 UTC", FIRST.replace(minute=2)),
        ("Since the 18:21 catalog deploy pages fail", FIRST.replace(minute=21)),
        ("the deploy at 18:05 went fine, so what broke?", None),
        ("timing out since roughly 18:53 UTC during the load test", FIRST.replace(minute=53)),
        ("slow from approx. 18:44, which service?", FIRST.replace(minute=44)),
        ("emails stopped shortly after 07:30 NZDT; what happened?", FIRST.replace(minute=30)),
        ("errors right after 04:15 ACST", FIRST.replace(minute=45)),
    ],
)
def test_a_stated_clock_time_is_placed_on_the_evidence_days(
    question: str, expected: datetime | None
) -> None:
    assert stated_onset(question, FIRST, LAST) == expected


def _line(n: int, text: str, minute: float, level: Level) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-payments",
        evidence_name="payments.log",
        n=n,
        text=text,
        time=FIRST + timedelta(minutes=minute),
        level=level,
        group=text.split(": ", 1)[0],
        signature=match_signature(text),
    )


def _payments_log(problem_lines: int) -> EvidenceSummary:
    """The one log of these cases: 2,000 lines over the hour the evidence covers."""
    return EvidenceSummary(
        evidence_id="ev-payments",
        evidence_name="payments.log",
        kind=EvidenceKind.LOG,
        line_count=2000,
        problem_line_count=problem_lines,
        first_time=FIRST,
        last_time=LAST,
        group_counts={},
    )


def test_an_error_as_frequent_before_the_stated_onset_as_after_is_background() -> None:
    minutes = (7.5, 16, 19.5, 19.6, 22.8, 23, 27.3, 32.5, 33.5, 38.2, 49)
    closed = [_line(10 + i, "client closed connection: 10.0.0.9", minute, Level.ERROR)
              for i, minute in enumerate(minutes)]  # fmt: skip
    acquirer = [_line(300, "acquirer POST /v2/auth answered 503 Service Unavailable", 17,
                      Level.WARN)]  # fmt: skip
    evidence = [_payments_log(12)]
    told = reason(closed + acquirer, evidence, "declined payments since 18:17, why?")
    assert told.hypotheses[0].category.value == "dependency"
    closed_told = next(h for h in told.hypotheses if "closed connection" in h.statement)
    assert "background" in closed_told.reasoning


def test_timeouts_trickling_long_before_the_stated_onset_are_background() -> None:
    timeouts = [_line(10 + i, f"call to geo timed out after 900ms, retry 3 of 3 failed ({i})",
                      3 + 4 * i, Level.WARN) for i in range(14)]  # fmt: skip
    acquirer = [_line(300 + i, "acquirer POST /v2/auth answered 503 Service Unavailable",
                      17 + i / 10, Level.WARN) for i in range(30)]  # fmt: skip
    evidence = [_payments_log(44)]
    told = reason(timeouts + acquirer, evidence, "declined payments since 18:17, why?")
    trickle = next(h for h in told.hypotheses if "timing out" in h.statement)
    assert "background" in trickle.reasoning
    assert told.hypotheses[0].category.value == "dependency"


def test_a_steady_failure_that_began_inside_the_evidence_is_no_background() -> None:
    refused = [_line(100 + i, "cache write failed for key product:8" + str(i) + ": ReplyError:"
                     " OOM command not allowed when used memory > 'maxmemory'", 16 + 2 * i,
                     Level.WARN) for i in range(22)]  # fmt: skip
    pool = [_line(500 + i, "KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is"
                  " probably full.", 31 + i, Level.ERROR) for i in range(25)]  # fmt: skip
    evidence = [_payments_log(45)]
    told = reason(refused + pool, evidence, "payments has been timing out since 18:30, why?")
    top = told.hypotheses[0]
    assert top.category.value == "memory"
    assert "background" not in top.reasoning


def test_a_burst_that_ended_before_the_stated_onset_was_an_earlier_episode() -> None:
    refused = [_line(10 + i, "config lookup failed: connect to ts-config-service:15679: Connection"
                     f" refused ({i})", 5 + i / 20, Level.ERROR) for i in range(20)]  # fmt: skip
    acquirer = [_line(300 + i, "acquirer POST /v2/auth answered 503 Service Unavailable",
                      30 + i / 10, Level.WARN) for i in range(30)]  # fmt: skip
    evidence = [_payments_log(50)]

    def burst(question: str) -> str:
        told = reason(refused + acquirer, evidence, question)
        return next(h for h in told.hypotheses if "refused" in h.statement).reasoning

    assert "background" not in burst("declined payments, why?")
    assert "background" in burst("declined payments since 18:30, why?")


def test_a_failure_trickling_from_the_stated_onset_began_there_not_at_its_flood() -> None:
    # Disk errors trickle at 18:29:40 and 18:31 and flood from 18:45; statement timeouts flood
    # from 18:33.
    minutes = (29.67, 31, *(45 + i / 4 for i in range(6)))
    disk = [_line(10 + i, f"blk_update_request: I/O error, dev nvme2n1, sector {900 + i}", minute,
                  Level.ERROR) for i, minute in enumerate(minutes)]  # fmt: skip
    slow = [_line(300 + i, "ERROR:  canceling statement due to statement timeout", 33 + i / 4,
                  Level.ERROR) for i in range(100)]  # fmt: skip
    evidence = [_payments_log(108)]

    def top(question: str) -> str:
        return reason(disk + slow, evidence, question).hypotheses[0].category.value

    assert top("the database freezes since about 18:30, why?") == "hardware"
    assert top("the database freezes, why?") == "database"
    assert top("the database freezes since about 18:40, why?") == "database"


def test_a_limit_set_at_start_up_long_before_the_stated_onset_is_no_background() -> None:
    lowered = [
        _line(3, "# Current maximum open files is 4096. maxclients has been reduced to 4064 to"
              " compensate for low ulimit.", 0.1, Level.WARN),
        _line(4, "# Server can't set maximum open files to 10032 because of OS error: Operation"
              " not permitted.", 0.2, Level.WARN),
    ]  # fmt: skip
    refused = [_line(500 + i, "redis.exceptions.ConnectionError: max number of clients reached",
                     40 + i / 10, Level.ERROR) for i in range(20)]  # fmt: skip
    evidence = [_payments_log(22)]
    told = reason(lowered + refused, evidence, "logins fail since 18:40, why?")
    top = told.hypotheses[0]
    assert top.category.value == "file_descriptors"
    assert "background" not in top.reasoning


def test_a_log_beginning_as_the_trouble_does_cannot_make_its_steady_failure_background() -> None:
    """A pod started at 18:29: refused logins from its first line on are its trouble."""
    login = "error authenticating: Code: 403. Errors: * namespace not authorized"
    refused = [_line(5 + i, login, 29.2 + i, Level.ERROR) for i in range(30)]
    pod_log = replace(_payments_log(30), first_time=FIRST + timedelta(minutes=29))
    told = reason(refused, [pod_log], "ledger posts failing since 18:30, why?")
    assert told.hypotheses[0].category.value == "permission"
    assert "background" not in told.hypotheses[0].reasoning
    unstated = reason(refused, [pod_log], "ledger posts failing, why?")
    assert "background" in unstated.hypotheses[0].reasoning


def test_a_single_failure_long_before_the_stated_onset_was_an_earlier_episode() -> None:
    throttled = [_line(770, "twilio send sms: 429 Too Many Requests, retry after 2s", 1,
                       Level.WARN)]  # fmt: skip
    told = reason(throttled, [_payments_log(1)], "emails stopped since 18:45, why?")
    assert "background" in told.hypotheses[0].reasoning
    untold = reason(throttled, [_payments_log(1)], "emails stopped, why?")
    assert "background" not in untold.hypotheses[0].reasoning


def test_calls_that_succeeded_on_their_retry_are_no_hypothesis() -> None:
    recovered = [_line(10 + i, f"call to geo timed out after 900ms, retry 1 of 3 succeeded ({i})",
                       3 + i, Level.WARN) for i in range(20)]  # fmt: skip
    failed = [_line(300 + i, "acquirer POST /v2/auth answered 503 Service Unavailable",
                    30 + i / 10, Level.WARN) for i in range(5)]  # fmt: skip
    told = reason(recovered + failed, [_payments_log(25)], "declined payments, why?")
    assert not any("retry" in h.statement for h in told.hypotheses)
    assert not any(c.line_start < 300 for h in told.hypotheses for c in h.citations)
