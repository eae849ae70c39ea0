"""Zone-free logs read in the case's local time when that lines them up with the rest."""

from datetime import UTC, datetime, timedelta

from faultmaven.reasoning.case_clock import ClockedEvidence, zone_shifts
from faultmaven.reasoning.stated_onset import question_zone

T = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
NINE = timedelta(hours=9)


def _item(
    name: str, start_hours: float, hours: float, *, free: bool, offsets: tuple[timedelta, ...] = ()
) -> ClockedEvidence:
    first = T + timedelta(hours=start_hours)
    return ClockedEvidence(name, (first, first + timedelta(hours=hours)), free, frozenset(offsets))


def test_a_zone_free_log_nine_hours_off_is_moved_to_the_zoned_logs_offset() -> None:
    """nginx's access log says +0900; its error log, read as UTC, sits nine hours late."""
    access = _item("access", 0, 3, free=False, offsets=(NINE,))
    error = _item("error", 9.5, 2, free=True)
    assert zone_shifts([access, error], None) == {"error": -NINE}
    assert zone_shifts([access, error], "since this morning JST") == {"error": -NINE}


def test_a_zone_free_log_already_in_line_stays() -> None:
    access = _item("access", 0, 3, free=False, offsets=(NINE,))
    error = _item("error", 0.5, 2, free=True)
    assert zone_shifts([access, error], None) == {}


def test_no_single_local_zone_means_no_move() -> None:
    one = _item("a", 0, 3, free=False, offsets=(NINE,))
    other = _item("b", 0, 3, free=False, offsets=(timedelta(hours=-3),))
    error = _item("error", 9.5, 2, free=True)
    assert zone_shifts([one, other, error], None) == {}
    utc_only = _item("a", 0, 3, free=False)
    assert zone_shifts([utc_only, error], None) == {}


def test_with_nothing_zoned_the_questions_zone_is_the_logs() -> None:
    """Logs from 19:00 stored as UTC; "19:30 CDT" is 00:30 UTC, which only the moved logs hold."""
    logs = [_item("redis", 0, 4, free=True), _item("syslog", 0, 4, free=True)]
    cdt = timedelta(hours=-5)
    question = "Since the 19:30 CDT kickoffs scores freeze. Why?"
    assert zone_shifts(logs, question) == {"redis": -cdt, "syslog": -cdt}
    assert zone_shifts(logs, "Since 19:30 scores freeze. Why?") == {}


def test_a_stated_time_that_meets_the_logs_as_stored_keeps_them_on_utc() -> None:
    """Hosts on UTC: "since 04:10 JST" is 19:10 UTC, inside the logs as they are."""
    logs = [_item("api", 0, 1, free=True), _item("worker", 0, 1, free=True)]
    assert zone_shifts(logs, "Errors since 04:10 JST, what is wrong?") == {}
    assert zone_shifts(logs, "Errors since this morning (JST), what is wrong?") == {
        "api": -NINE,
        "worker": -NINE,
    }


def test_the_question_names_at_most_one_zone() -> None:
    assert question_zone("Since the 19:30 CDT kickoffs scores freeze. Why?") == timedelta(hours=-5)
    assert question_zone("The wiki answers 502 since early this morning (JST).") == NINE
    assert question_zone("errors since 10:15, why?") is None
    assert question_zone("started 09:00 CET, that is 08:00 UTC") is None
