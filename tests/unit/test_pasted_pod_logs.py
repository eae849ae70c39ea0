"""`kubectl logs` output pasted inside kubectl evidence is read as the pod's log lines."""

from datetime import UTC, datetime

from faultmaven.domain.evidence import Evidence, EvidenceKind, EvidenceStatus
from faultmaven.services.pasted_pod_logs import pasted_pod_log_lines
from faultmaven.snapshots.pod_log_sections import pod_log_sections

PASTED = """$ kubectl -n media get pods
NAME                               READY   STATUS                  RESTARTS   AGE
media-transcoder-5c8d7f6b9-hq4lz   0/1     Init:CrashLoopBackOff   6          9m

$ kubectl -n media logs media-transcoder-5c8d7f6b9-hq4lz -c fix-perms --previous
chown: /media: Operation not permitted
chown: /media/incoming: Operation not permitted

$ kubectl -n shop logs pod/session-redis-0 --tail=5
1:C 14 Jul 2026 05:52:11.003 # oO0OoO0OoO0Oo Redis is starting
setpriv: setresgid failed: Operation not permitted
$ kubectl -n shop logs deploy/storefront | tail -2
connect ECONNREFUSED 10.0.0.9:6379""".splitlines()


def test_each_kubectl_logs_output_is_read_with_its_pod_and_container() -> None:
    sections = [(s.pod, s.container, [n for n, _ in s.lines]) for s in pod_log_sections(PASTED)]
    assert sections == [
        ("media-transcoder-5c8d7f6b9-hq4lz", "fix-perms", [6, 7]),
        ("session-redis-0", None, [10, 11]),
    ]


def test_lines_matching_a_signature_become_the_workloads_untimed_lines() -> None:
    item = Evidence(
        id="ev-1",
        name="kubectl-output.txt",
        kind=EvidenceKind.KUBERNETES,
        status=EvidenceStatus.READY,
        size_bytes=600,
        line_count=len(PASTED),
        decode_errors=0,
        error=None,
        created_at=datetime(2026, 7, 14, 6, 0, tzinfo=UTC),
    )
    found = pasted_pod_log_lines([item], {"ev-1": PASTED})
    assert [(line.n, line.component, line.signature) for line in found] == [
        (6, "media-transcoder", "permission_denied"),
        (7, "media-transcoder", "permission_denied"),
        (11, "session-redis", "permission_denied"),
    ]
    assert all(line.time is None for line in found)
    as_log = item.model_copy(update={"kind": EvidenceKind.LOG})
    assert pasted_pod_log_lines([as_log], {"ev-1": PASTED}) == []
