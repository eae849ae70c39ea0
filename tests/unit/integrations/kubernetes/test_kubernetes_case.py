"""The findings of a case's several Kubernetes evidence items, combined into one ranked list."""

from hypothesis import given, settings
from hypothesis import strategies as st
from k8s_evidence import SAMPLES, numbered_lines, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import CaseFinding
from faultmaven.integrations.kubernetes import combine_findings, pod_nodes, read_kubernetes

PENDING_POD = """\
Name:             ledger-db-0
Namespace:        finance
Priority:         0
Service Account:  default
Node:             <none>
Labels:           app.kubernetes.io/instance=ledger-db
                  statefulset.kubernetes.io/pod-name=ledger-db-0
Annotations:      <none>
Status:           Pending
IP:
IPs:              <none>
Controlled By:  StatefulSet/ledger-db
Containers:
  postgresql:
    Image:      docker.io/bitnami/postgresql:16.2.0-debian-12-r8
    Port:       5432/TCP
    Host Port:  0/TCP
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False
Volumes:
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-ledger-db-0
    ReadOnly:   false
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type     Reason            Age               From               Message
  ----     ------            ----              ----               -------
  Warning  FailedScheduling  3m (x5 over 18m)  default-scheduler  0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.
"""  # noqa: E501
CLAIM = """\
Name:          data-ledger-db-0
Namespace:     finance
StorageClass:  gp3-encrypted
Status:        Pending
Volume:
Labels:        app.kubernetes.io/instance=ledger-db
Annotations:   <none>
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:
Access Modes:
VolumeMode:    Filesystem
Used By:       ledger-db-0
Events:
  Type     Reason              Age                   From                         Message
  ----     ------              ----                  ----                         -------
  Warning  ProvisioningFailed  3m12s (x63 over 18m)  persistentvolume-controller  storageclass.storage.k8s.io "gp3-encrypted" not found
"""  # noqa: E501
EVENTS = """\
LAST SEEN   TYPE      REASON               OBJECT                                   MESSAGE
3m12s       Warning   ProvisioningFailed   persistentvolumeclaim/data-ledger-db-0   storageclass.storage.k8s.io "gp3-encrypted" not found
3m          Warning   FailedScheduling     pod/ledger-db-0                          0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.
"""  # noqa: E501
ITEMS = [PENDING_POD, CLAIM, EVENTS]


def combined(items: list[str]) -> list[CaseFinding]:
    return combine_findings([read_kubernetes(text) for text in items])


def the(found: list[CaseFinding], reason: str) -> CaseFinding:
    matches = [each for each in found if each.finding.reason == reason]
    assert len(matches) == 1, [each.finding.reason for each in found]
    return matches[0]


def cited_text(items: list[str], case_finding: CaseFinding) -> dict[int, str]:
    cited = {}
    for source in case_finding.sources:
        lines = numbered_lines(items[source.item])
        cited[source.item] = "\n".join(
            "\n".join(lines[span.line_start - 1 : span.line_end]) for span in source.lines
        )
    return cited


def test_a_finding_two_items_show_comes_out_once_citing_both() -> None:
    found = combined(ITEMS)

    failed = the(found, "ProvisioningFailed")
    assert [source.item for source in failed.sources] == [1, 2]
    texts = cited_text(ITEMS, failed)
    assert all('"gp3-encrypted" not found' in text for text in texts.values())
    assert failed.finding.lines == failed.sources[0].lines
    assert failed.finding.count == 63


def test_a_pending_pod_in_one_item_follows_from_its_claim_in_another() -> None:
    found = combined(ITEMS)

    assert [each.finding.reason for each in found] == ["ProvisioningFailed", "FailedScheduling"]
    cause, symptom = found
    assert cause.finding.explained_by is None
    assert cause.finding.category is Category.CONFIGURATION
    assert symptom.finding.explained_by == "ProvisioningFailed"
    assert {source.item for source in symptom.sources} == {0, 2}
    assert cause.finding.component == symptom.finding.component == "ledger-db"


def test_claim_takes_the_workload_of_a_pod_only_another_item_names() -> None:
    events_without_pod = EVENTS.splitlines(keepends=True)[:2]

    found = combined([PENDING_POD, "".join(events_without_pod)])

    assert the(found, "ProvisioningFailed").finding.component == "ledger-db"
    assert the(found, "FailedScheduling").finding.explained_by == "ProvisioningFailed"


def test_back_off_event_follows_from_the_oom_kill_a_describe_shows() -> None:
    events = """\
LAST SEEN   TYPE      REASON    OBJECT                          MESSAGE
2m3s        Warning   BackOff   pod/checkout-7d9f8c6b5d-x2k4q   Back-off restarting failed container checkout in pod checkout-7d9f8c6b5d-x2k4q_shop(4f6c2a10-9b1e-4d7c-a3f2-6e8b0c1d2e3f)
"""  # noqa: E501
    found = combined([events, sample("describe-pod-oomkilled.txt")])

    oom = the(found, "OOMKilled")
    backoff = the(found, "CrashLoopBackOff")
    assert oom.finding.explained_by is None
    assert backoff.finding.explained_by == "OOMKilled"
    assert {source.item for source in backoff.sources} == {0, 1}
    assert found[0] == oom


def test_one_item_alone_gives_what_reading_it_gives() -> None:
    evidence = read_kubernetes(EVENTS)

    found = combine_findings([evidence])

    assert [each.finding for each in found] == evidence.findings
    assert all(each.sources[0].lines == each.finding.lines for each in found)


def test_no_items_give_no_findings() -> None:
    assert combine_findings([]) == []


SAMPLE_NAMES = sorted(path.name for path in SAMPLES.iterdir())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(SAMPLE_NAMES), min_size=1, max_size=4))
def test_any_samples_combined_give_each_thing_once_citing_lines_of_its_own_items(
    names: list[str],
) -> None:
    texts = [sample(name) for name in names]

    found = combined(texts)

    keys = [
        (f.kind, f.namespace, f.name, f.container, f.reason, f.details.get("probe"))
        for f in (each.finding for each in found)
    ]
    assert len(keys) == len(set(keys))
    for each in found:
        for source in each.sources:
            count = len(numbered_lines(texts[source.item]))
            assert all(1 <= span.line_start <= span.line_end <= count for span in source.lines)
    unexplained = [each.finding.explained_by is None for each in found]
    assert unexplained == sorted(unexplained, reverse=True)


WIDE_LISTING = """\
NAME                            READY   STATUS    RESTARTS   AGE     IP             NODE            NOMINATED NODE   READINESS GATES
media-upload-6d7f8c9b45-2hjwk   1/1     Running   0          2h19m   10.244.8.203   k8s-media-w01   <none>           <none>
media-upload-6d7f8c9b45-8rmxv   1/1     Running   0          2h19m   10.244.9.88    k8s-media-w03   <none>           <none>
media-upload-6d7f8c9b45-zz9kq   0/1     Pending   0          3m      <none>         <none>          <none>           <none>
"""  # noqa: E501
NARROW_LISTING = """\
NAME                            READY   STATUS    RESTARTS   AGE
media-upload-6d7f8c9b45-2hjwk   1/1     Running   0          2h19m
"""


def test_a_wide_pod_listing_tells_which_node_runs_each_pod() -> None:
    placed = pod_nodes([read_kubernetes(WIDE_LISTING)])
    assert placed == {
        "media-upload-6d7f8c9b45-2hjwk": "k8s-media-w01",
        "media-upload-6d7f8c9b45-8rmxv": "k8s-media-w03",
    }
    assert pod_nodes([read_kubernetes(NARROW_LISTING)]) == {}
