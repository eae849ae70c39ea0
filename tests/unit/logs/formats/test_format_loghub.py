import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from format_reading import Reader

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats import check_line_accounting, read_events
from faultmaven.logs.text import DecodedLines

LOGHUB = Path("/work/shared/data/loghub_2k")
SYSTEMS = ["Android", "Apache", "BGL", "HDFS", "HPC", "HealthApp", "Linux", "OpenStack",
           "Spark", "Zookeeper"]  # fmt: skip


@pytest.mark.parametrize(
    ("line", "time", "level", "message", "attributes"),
    [
        (
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating",
            datetime(2008, 11, 9, 20, 36, 15, tzinfo=UTC), Level.INFO,
            "PacketResponder 1 terminating",
            {"pid": "148", "component": "dfs.DataNode$PacketResponder"},
        ),
        (
            "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 "
            "R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
            datetime(2005, 6, 3, 22, 42, 50, tzinfo=UTC), Level.INFO,
            "instruction cache parity error corrected",
            {"node": "R02-M1-N0-C:J12-U11", "type": "RAS", "component": "KERNEL"},
        ),
        (
            "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
            datetime(2024, 3, 17, 16, 13, 38, 811000, tzinfo=UTC), Level.DEBUG,
            "printFreezingDisplayLogs",
            {"pid": "1702", "tid": "2395", "component": "WindowManager"},
        ),
        (
            "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
            datetime(2017, 12, 23, 22, 15, 29, 606000, tzinfo=UTC), None,
            "onStandStepChanged 3579", {"component": "Step_LSC", "pid": "30002312"},
        ),
        (
            "134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State "
            "Change: Component is in the unavailable state",
            datetime(2004, 2, 26, 14, 12, 22, tzinfo=UTC), None,
            "Component State Change: Component is in the unavailable state",
            {"node": "node-246", "component": "unix.hw", "state": "state_change.unavailable"},
        ),
        (
            "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO "
            "nova.osapi_compute.wsgi.server [req-38101a0b-2096 113d3a99 - - -] 10.11.10.1 "
            '"GET /v2/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
            datetime(2017, 5, 16, 0, 0, 0, 8000, tzinfo=UTC), Level.INFO,
            '10.11.10.1 "GET /v2/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
            {"source": "nova-api.log.1.2017-05-16_13:53:08", "pid": "25746",
             "component": "nova.osapi_compute.wsgi.server", "request_id": "req-38101a0b-2096"},
        ),
    ],
)  # fmt: skip
def test_loghub_header_layouts(
    read: Reader,
    line: str,
    time: datetime,
    level: Level | None,
    message: str,
    attributes: dict[str, str],
) -> None:
    (event,) = read(line)
    assert event.format == "loghub"
    assert event.time == time
    assert event.level is level
    assert event.message == message
    assert dict(event.attributes) == attributes


def test_bgl_alert_label_is_never_the_level(read: Reader) -> None:
    (event,) = read(
        "KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 "
        "R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt"
    )
    assert event.level is Level.FATAL
    assert "label" not in event.attributes


@pytest.mark.skipif(not LOGHUB.exists(), reason="Loghub samples not present")
@pytest.mark.parametrize("system", SYSTEMS)
def test_loghub_message_equals_the_benchmark_content_without_any_format_given(
    system: str,
) -> None:
    with (LOGHUB / system / f"{system}_2k.log").open("rb") as file:
        lines = list(DecodedLines(file))
    events = list(read_events(lines, now=datetime(2024, 6, 1, tzinfo=UTC)))
    check_line_accounting(events, len(lines))
    truth = LOGHUB / system / f"{system}_2k.log_structured_corrected.csv"
    with truth.open(encoding="utf-8") as file:
        content = {int(row["LineId"]): row["Content"].strip() for row in csv.DictReader(file)}
    by_line = {event.line_start: event.message.strip() for event in events}
    matching = sum(by_line.get(line) == text for line, text in content.items())
    assert matching / len(content) >= 0.98
    assert sum(event.time is not None for event in events) == len(events)
