"""A telemetry sidecar's own failure ranks low: the app beside it keeps serving."""

from faultmaven.domain.kubernetes import FindingSeverity
from faultmaven.integrations.kubernetes import read_kubernetes

EVENTS = """\
LAST SEEN   TYPE      REASON      OBJECT                              MESSAGE
1h34m       Warning   OOMKilled   pod/ledger-sync-5f6c8d7b9-2mvhq     Container {container} in pod ledger-sync-5f6c8d7b9-2mvhq was OOMKilled (limit 128Mi), restarted
"""  # noqa: E501


def test_an_oom_killed_telemetry_sidecar_is_a_low_finding_that_says_why() -> None:
    (finding,) = read_kubernetes(EVENTS.format(container="otel-collector")).findings
    assert (finding.reason, finding.container) == ("OOMKilled", "otel-collector")
    assert finding.severity is FindingSeverity.LOW
    assert finding.details["sidecar"] == "otel-collector (telemetry, not serving)"


def test_the_app_container_or_a_proxy_sidecar_oom_killed_keeps_its_severity() -> None:
    for container in ("ledger-sync", "istio-proxy"):
        (finding,) = read_kubernetes(EVENTS.format(container=container)).findings
        assert finding.container == container
        assert finding.severity is FindingSeverity.CRITICAL
        assert "sidecar" not in finding.details
