"""A container whose root filesystem is read-only, read from its workload's YAML."""

from faultmaven.snapshots import read_snapshots

DEPLOY = """$ kubectl -n fulfil get deploy labelgen -o yaml | sed -n '/^spec:/,/^status:/p'
spec:
  template:
    spec:
      containers:
      - name: labelgen
        securityContext:
          readOnlyRootFilesystem: true
$ kubectl get pod pickwave-6d8b9c7f5d-q8wzr -o yaml
apiVersion: v1
kind: Pod
metadata:
  name: pickwave-6d8b9c7f5d-q8wzr
spec:
  containers:
  - securityContext:
      readOnlyRootFilesystem: false"""


def test_a_read_only_root_is_read_with_the_workload_its_command_names() -> None:
    found = [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(DEPLOY.splitlines())
        if finding.kind == "read_only_root"
    ]
    assert found == [(8, "labelgen")]


def test_a_pods_read_only_root_is_named_after_its_workload() -> None:
    text = DEPLOY.replace("readOnlyRootFilesystem: false", "readOnlyRootFilesystem: true")
    found = [
        finding.subject
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "read_only_root"
    ]
    assert found == ["labelgen", "pickwave"]
