"""A year-less log (syslog) takes the year of the case's other evidence, not the wall clock's."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.services import cases, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store.tables import case_templates, log_events

SYSLOG = "Nov  4 02:02:25 docs-1 export-orders[25916]: write failed: No space left on device"


def _paste(engine: Engine, tmp_path: Path, case_id: str, name: str, text: str) -> Evidence:
    principal = tenant_principal(engine, "t-yearless")
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case_id,
        PastedEvidence(name=name, content=text),
        spool=tmp_path,
        max_bytes=1 << 20,
    )
    assert isinstance(stored, Evidence)
    return stored


def _first_time(engine: Engine, item: Evidence) -> datetime:
    with engine.connect() as connection:
        time = connection.execute(
            select(log_events.c.time).where(log_events.c.evidence_id == uuid.UUID(item.id))
        ).scalar()
    assert isinstance(time, datetime)
    return time


def _case(engine: Engine) -> str:
    principal = tenant_principal(engine, "t-yearless")
    return cases.create_case(engine, principal, CaseCreate(title="yearless")).id


def test_syslog_read_beside_an_old_incident_takes_that_incidents_year(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = _case(engine)
    _paste(engine, tmp_path, case_id, "app.log", "2021-11-04 02:03:00,000 ERROR render failed")
    syslog = _paste(engine, tmp_path, case_id, "syslog", SYSLOG)
    assert _first_time(engine, syslog) == datetime(2021, 11, 4, 2, 2, 25, tzinfo=UTC)


def test_syslog_alone_takes_the_most_recent_year_not_in_the_future(
    engine: Engine, tmp_path: Path
) -> None:
    syslog = _paste(engine, tmp_path, _case(engine), "syslog", SYSLOG)
    now = datetime.now(UTC)
    when = _first_time(engine, syslog)
    assert (when.month, when.day) == (11, 4)
    assert now.year - 1 <= when.year <= now.year


def test_yearless_lines_never_land_in_the_future_beside_recent_evidence(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = _case(engine)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    _paste(engine, tmp_path, case_id, "app.log", f"{stamp},000 ERROR render failed")
    tomorrowish = now.replace(day=1, month=1) if now.month == 12 else now
    line = f"{tomorrowish.strftime('%b %e %H:%M:%S')} docs-1 cron[1]: job failed"
    syslog = _paste(engine, tmp_path, case_id, "syslog", line)
    assert _first_time(engine, syslog) <= now


def test_syslog_read_first_moves_to_the_year_of_the_dated_evidence_that_follows(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = _case(engine)
    syslog = _paste(engine, tmp_path, case_id, "syslog", SYSLOG)
    assert _first_time(engine, syslog).year >= 2025  # no other evidence yet: the clock's year
    _paste(engine, tmp_path, case_id, "app.log", "2021-11-04 02:03:00,000 ERROR render failed")
    assert _first_time(engine, syslog) == datetime(2021, 11, 4, 2, 2, 25, tzinfo=UTC)
    with engine.connect() as connection:
        first_seen = connection.execute(
            select(case_templates.c.first_seen).where(
                case_templates.c.case_id == uuid.UUID(case_id),
                case_templates.c.template.contains("No space left"),
            )
        ).scalar()
    assert first_seen == datetime(2021, 11, 4, 2, 2, 25, tzinfo=UTC)


def test_dated_evidence_a_year_apart_on_other_days_stays_where_it_is(
    engine: Engine, tmp_path: Path
) -> None:
    case_id = _case(engine)
    _paste(engine, tmp_path, case_id, "old.log", "2021-03-01 10:00:00,000 ERROR render failed")
    recent = _paste(engine, tmp_path, case_id, "new.log", "2022-09-14 10:00:00,000 ERROR x")
    assert _first_time(engine, recent) == datetime(2022, 9, 14, 10, 0, tzinfo=UTC)
