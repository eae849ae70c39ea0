"""Pasted kubectl output read as findings: Secrets, selectors, IngressClasses, CronJobs."""

import base64

from faultmaven.snapshots import read_snapshots


def _encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


KEY = "sk_live_4Tn7cW1pBq8sKjX2mR6eVhZo"
SECRET = f"""\
$ kubectl -n finance get secret pagora-credentials -o yaml
apiVersion: v1
data:
  PAGORA_API_KEY: {_encoded(_encoded(KEY))}
  PAGORA_WEBHOOK_SECRET: {_encoded("whsec_9fK2pQv7Tx4mL1nZ")}
kind: Secret
metadata:
  name: pagora-credentials

$ git -C infra show 4e7a91c -- secrets/pagora-credentials.yaml | tail -4
 stringData:
-  PAGORA_API_KEY: {KEY}
+  PAGORA_API_KEY: {_encoded(KEY)}
   PAGORA_WEBHOOK_SECRET: whsec_9fK2pQv7Tx4mL1nZ
"""


def test_a_secret_value_holding_base64_text_is_encoded_twice() -> None:
    found = read_snapshots(SECRET.splitlines())
    assert [(f.kind, f.subject, f.line_start) for f in found] == [
        ("secret_encoded_twice", "pagora-credentials", 4),
        ("secret_encoded_twice", "pagora-credentials", 13),
    ]
    assert found[0].detail.startswith("PAGORA_API_KEY under data holds base64 text (c2tf...)")
    assert "under stringData" in found[1].detail


def test_secret_values_encoded_once_or_binary_are_no_finding() -> None:
    random_key = base64.b64encode(bytes(range(200, 232))).decode()  # a binary key, once
    lines = [
        "data:",
        f"  API_KEY: {_encoded(KEY)}",
        f"  AES_KEY: {random_key}",
        "stringData:",
        "  PASSWORD: hunter2hunter2ab",
        f"  BINARY_AS_TEXT: {random_key}",
    ]
    assert read_snapshots(lines) == []


SELECTED = """\
$ kubectl -n shop-prod get pods -l app=checkout -o wide
NAME                               READY   STATUS    RESTARTS   AGE   IP
checkout-7f6d9b8c45-8hk2v          1/1     Running   0          12d   10.40.1.17
checkout-7f6d9b8c45-m4v7q          1/1     Running   0          12d   10.40.2.88
checkout-7f6d9b8c45-zt9xw          1/1     Running   0          12d   10.40.0.143
checkout-canary-5b7d8c9f64-jx2tn   1/1     Running   0          40m   10.40.2.91
"""


def test_a_second_workloads_pods_behind_one_selector_are_the_minority() -> None:
    (finding,) = read_snapshots(SELECTED.splitlines())
    assert (finding.kind, finding.subject, finding.scope, finding.line_start) == (
        "selector_shared",
        "checkout-canary",
        "checkout",
        6,
    )
    assert "match the selector app=checkout beside checkout's 3" in finding.detail


def test_a_rollouts_two_replica_sets_or_a_set_based_selector_are_no_finding() -> None:
    rollout = [
        "$ kubectl get pods -l app=portal-web",
        "NAME                          READY   STATUS    RESTARTS   AGE",
        "portal-web-7f4b9c6d58-2kq8v   1/1     Running   0          50m",
        "portal-web-5c8d7e6f49-h6rzn   1/1     Running   0          13d",
        "portal-web-5c8d7e6f49-w3vpd   1/1     Running   0          13d",
    ]
    assert read_snapshots(rollout) == []
    several = SELECTED.replace("-l app=checkout", "-l 'app in (checkout,checkout-canary)'")
    assert read_snapshots(several.splitlines()) == []


INGRESS_CLASSES = """\
$ kubectl get ingressclass
NAME             CONTROLLER                      PARAMETERS   AGE
nginx            k8s.io/ingress-nginx            <none>       2y118d
nginx-internal   k8s.io/ingress-nginx-internal   <none>       3h5m

$ kubectl get ingressclass nginx-internal -o jsonpath='{.metadata.annotations}'; echo
{"ingressclass.kubernetes.io/is-default-class":"true","meta.helm.sh/release-name":"internal"}

$ kubectl get ingress -A
NAMESPACE   NAME           CLASS            HOSTS                   ADDRESS         PORTS     AGE
app         app-frontend   nginx            app.quarry.example      172.105.44.19   80, 443   611d
docs        docs-portal    nginx-internal   docs.quarry.example     10.2.0.201      80, 443   40m
"""


def test_the_default_ingress_class_and_the_ingresses_on_it_are_reported() -> None:
    found = read_snapshots(INGRESS_CLASSES.splitlines())
    assert [(f.kind, f.subject, f.line_start) for f in found] == [
        ("default_ingress_class", "nginx-internal", 7),
        ("default_ingress_class", "nginx-internal", 12),
    ]
    assert found[1].detail == "Ingress docs-portal is served by class nginx-internal"


CRONJOBS = """\
$ kubectl -n treasury get cronjobs
NAME                 SCHEDULE       TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
fx-rates-sync        */15 * * * *   <none>     True      0        2d14h           212d
ledger-close         30 2 * * *     <none>     False     0        10h             212d

$ kubectl -n treasury get cronjob fx-rates-sync -o yaml
apiVersion: batch/v1
kind: CronJob
spec:
  schedule: '*/15 * * * *'
  suspend: true
"""


def test_a_suspended_cronjobs_row_and_its_suspend_field_are_findings() -> None:
    found = read_snapshots(CRONJOBS.splitlines())
    assert [(f.kind, f.subject, f.line_start) for f in found] == [
        ("cronjob_suspended", "fx-rates-sync", 3),
        ("cronjob_suspended", "fx-rates-sync", 11),
    ]
    assert found[0].detail == (
        "CronJob fx-rates-sync suspended, last scheduled 2d14h ago: none of its jobs run"
    )


def test_running_cronjobs_and_a_suspend_field_outside_a_cronjob_are_no_finding() -> None:
    lines = CRONJOBS.replace("True ", "False").replace("kind: CronJob", "kind: Job").splitlines()
    assert read_snapshots(lines) == []
