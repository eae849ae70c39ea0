from datetime import UTC, datetime, timedelta

from faultmaven.logs.yearless import year_corrections, years_before


def _span(year: int, month: int, day: int, hours: int = 2) -> tuple[datetime, datetime]:
    start = datetime(year, month, day, 13, 0, tzinfo=UTC)
    return start, start + timedelta(hours=hours)


def test_a_log_dated_whole_years_after_the_rest_is_shifted_back_onto_them() -> None:
    spans = {
        "app": _span(2025, 1, 21),
        "nginx": _span(2025, 1, 21, 3),
        "syslog": _span(2026, 1, 21),
    }
    assert year_corrections(spans) == {"syslog": 1}


def test_several_misdated_logs_each_take_their_shift() -> None:
    spans = {"app": _span(2023, 6, 2), "kern": _span(2026, 6, 2), "klog": _span(2025, 6, 2)}
    assert year_corrections(spans) == {"kern": 3, "klog": 2}


def test_logs_that_overlap_or_stand_far_apart_on_other_days_stay() -> None:
    assert year_corrections({"a": _span(2025, 1, 21), "b": _span(2025, 1, 22)}) == {}
    assert year_corrections({"a": _span(2024, 3, 1), "b": _span(2025, 9, 14)}) == {}
    assert year_corrections({"only": _span(2026, 1, 1)}) == {}


def test_a_leap_day_lands_on_the_28th() -> None:
    assert years_before(datetime(2024, 2, 29, tzinfo=UTC), 1) == datetime(2023, 2, 28, tzinfo=UTC)
