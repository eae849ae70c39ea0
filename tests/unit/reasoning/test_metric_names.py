"""A metric series takes the full name the logs give its component."""

from datetime import UTC, datetime

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.reasoning.metric_names import with_case_names

MOMENT = datetime(2025, 3, 10, 6, 41, tzinfo=UTC)


def _metric(series: str, component: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-m", evidence_name="gateway-metrics.csv", n=103, text="row",
        time=MOMENT, level=Level.WARN, group=f"metric {series}", component=component,
        signature="metric_packet_loss", strength=2.1,
    )  # fmt: skip


def _log(evidence_name: str, text: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-l", evidence_name=evidence_name, n=1, text=text, time=MOMENT,
        level=Level.ERROR, group=text,
    )  # fmt: skip


def _by_stem(evidence_name: str, text: str) -> str | None:
    return evidence_name.rsplit("/", 1)[-1].removesuffix(".log")


def test_a_series_spelling_out_a_logged_component_is_about_it() -> None:
    lines = [
        _metric("ingest_gw_01_tcp_retrans_per_s", "ingest"),
        _log("logs/ingest-gw-01.log", "neighbour table overflow"),
        _log("logs/ingest-gw.log", "tls handshake failed"),
    ]
    renamed = with_case_names(lines, _by_stem)
    assert renamed[0].component == "ingest-gw-01"
    assert renamed[1:] == lines[1:]


def test_a_series_whose_name_goes_another_way_keeps_its_component() -> None:
    lines = [_metric("ingest_queue_depth", "ingest"), _log("logs/ingest-gw-01.log", "x")]
    assert with_case_names(lines, _by_stem)[0].component == "ingest"
