"""Event ages: a refreshed failure last seen long ago ended, as did a node Ready again; a
node removed on purpose left."""

from datetime import timedelta

from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes import read_kubernetes
from faultmaven.integrations.kubernetes._node_episodes import READY_AGAIN
from faultmaven.integrations.kubernetes._stale_events import STALE, event_age

EVENTS = """\
LAST SEEN   TYPE      REASON         OBJECT                                   MESSAGE
2h45m       Warning   BackOff        pod/thumbs-7b9d4c6f5-2kq8r               Back-off restarting failed container thumbs in pod thumbs-7b9d4c6f5-2kq8r_media(0b4f8e3a)
52m         Normal    ScaleDown      node/ip-10-42-17-66.compute.internal     marked the node as toBeDeleted/unschedulable
49m         Normal    NodeNotReady   node/ip-10-42-17-66.compute.internal     Node ip-10-42-17-66.compute.internal status is now: NodeNotReady
{recent}    Warning   Unhealthy      pod/api-6d8c5b7f9-4xk2p                  Readiness probe failed: Get "http://10.1.2.3:8080/healthz": context deadline exceeded
"""  # noqa: E501


def by_reason(findings: list[KubernetesFinding], reason: str) -> KubernetesFinding | None:
    return next((each for each in findings if each.reason == reason), None)


def test_kubectl_ages_are_read_and_anything_else_is_none() -> None:
    assert event_age("2h45m") == timedelta(hours=2, minutes=45)
    assert event_age("3m2s") == timedelta(minutes=3, seconds=2)
    assert event_age("4d") == timedelta(days=4)
    assert event_age("<unknown>") is None
    assert event_age("") is None


def test_a_back_off_last_seen_hours_before_the_newest_event_is_over() -> None:
    findings = read_kubernetes(EVENTS.format(recent="40s")).findings
    back_off = by_reason(findings, "CrashLoopBackOff") or by_reason(findings, "BackOff")
    assert back_off is not None
    assert back_off.severity is FindingSeverity.LOW
    assert back_off.details[STALE] == "2h45m ago"
    probe = by_reason(findings, "Unhealthy")
    assert probe is not None and STALE not in probe.details


def test_a_back_off_near_the_newest_event_still_counts() -> None:
    older = [line for line in EVENTS.format(recent="2h30m").splitlines() if "node/" not in line]
    findings = read_kubernetes("\n".join(older) + "\n").findings
    back_off = by_reason(findings, "CrashLoopBackOff") or by_reason(findings, "BackOff")
    assert back_off is not None and STALE not in back_off.details
    assert back_off.severity is not FindingSeverity.LOW


def test_a_node_the_autoscaler_scaled_down_going_not_ready_is_no_finding() -> None:
    findings = read_kubernetes(EVENTS.format(recent="40s")).findings
    assert by_reason(findings, "NodeNotReady") is None
    without_scale_down = "\n".join(
        line for line in EVENTS.format(recent="40s").splitlines() if "ScaleDown" not in line
    )
    not_ready = by_reason(read_kubernetes(without_scale_down + "\n").findings, "NodeNotReady")
    assert not_ready is not None and not_ready.name == "ip-10-42-17-66.compute.internal"


def test_a_node_not_ready_then_ready_again_is_an_ended_episode() -> None:
    events = (
        "LAST SEEN   TYPE     REASON         OBJECT                 MESSAGE\n"
        "1h41m       Normal   NodeNotReady   node/media-w03         Node media-w03 status is"
        " now: NodeNotReady\n"
        "1h40m       Normal   NodeReady      node/media-w03         Node media-w03 status is"
        " now: NodeReady\n"
        "5m          Normal   NodeNotReady   node/media-w04         Node media-w04 status is"
        " now: NodeNotReady\n"
    )
    findings = read_kubernetes(events).findings
    by_node = {f.name: f for f in findings if f.reason == "NodeNotReady"}
    assert by_node["media-w03"].severity is FindingSeverity.LOW
    assert by_node["media-w03"].details[READY_AGAIN] == "1h40m ago"
    assert by_node["media-w04"].severity is not FindingSeverity.LOW
