import json

import pytest
from k8s_evidence import SAMPLES, sample

from faultmaven.integrations.kubernetes import is_kubernetes_text

PODS_TABLE = """\
NAME                         READY   STATUS             RESTARTS       AGE
checkout-7d9f8c6b5d-x2k4q    0/1     CrashLoopBackOff   7 (2m3s ago)   28m
postgres-0                   1/1     Running            0              12d
"""
EVENTS_TABLE = """\
LAST SEEN   TYPE      REASON    OBJECT                          MESSAGE
2m3s        Warning   BackOff   pod/checkout-7d9f8c6b5d-x2k4q   Back-off restarting failed container
"""
COMPACT_POD_JSON = json.dumps(
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0", "namespace": "default"}}
)


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.iterdir()))
def test_every_sample_is_recognised_as_kubernetes_output(name: str) -> None:
    assert is_kubernetes_text(sample(name))


@pytest.mark.parametrize("text", [PODS_TABLE, EVENTS_TABLE, COMPACT_POD_JSON])
def test_plain_tables_and_compact_json_are_recognised(text: str) -> None:
    assert is_kubernetes_text(text)


NOT_KUBERNETES = {
    "application log": (
        "2024-03-12T09:41:02.114Z ERROR [checkout] payment failed: upstream timeout\n"
        "2024-03-12T09:41:03.002Z INFO  [checkout] retrying order 8812\n"
    ),
    "python traceback": (
        "Traceback (most recent call last):\n"
        '  File "/app/worker.py", line 42, in <module>\n'
        "    main()\n"
        "KeyError: 'kind'\n"
    ),
    "json log lines about events": (
        '{"apiVersion":"v1","kind":"Event","metadata":{"name":"a"},"reason":"BackOff"}\n'
        '{"apiVersion":"v1","kind":"Event","metadata":{"name":"b"},"reason":"Pulled"}\n'
    ),
    "structured json log": '{"level":"error","msg":"pod restarted","kind":"Pod","name":"x"}\n',
    "docker compose yaml": 'version: "3.9"\nservices:\n  web:\n    image: nginx:1.25\n',
    "kind cluster config": (
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n"
    ),
    "github workflow": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    "prose with a name line": (
        "Name: Jane Doe\nStatus: on call\nNotes: checkout keeps restarting, CrashLoopBackOff?\n"
    ),
    "kubelet journal": (
        "Mar 12 09:41:02 ip-10-0-3-17 kubelet[1234]: E0312 09:41:02.114 pod_workers.go:1298] "
        '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" with CrashLoopBackOff"\n'
    ),
    "empty": "",
}


@pytest.mark.parametrize("text", NOT_KUBERNETES.values(), ids=NOT_KUBERNETES.keys())
def test_logs_prose_and_other_yaml_are_not_kubernetes_output(text: str) -> None:
    assert not is_kubernetes_text(text)


def test_the_package_exposes_detection_reading_combining_and_placement_only() -> None:
    import faultmaven.integrations.kubernetes as package

    assert package.__all__ == [
        "combine_findings",
        "is_kubernetes_text",
        "pod_nodes",
        "read_kubernetes",
    ]
