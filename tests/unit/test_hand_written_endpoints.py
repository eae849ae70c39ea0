"""Selectorless Services whose hand-written Endpoints still name an address that is gone."""

from faultmaven.snapshots import read_snapshots

SHELL = """PS C:\\Users\\oncall> kubectl -n finance get svc billing-db ledger -o wide
NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE    SELECTOR
billing-db   ClusterIP   172.20.118.9   <none>        5432/TCP   2y     <none>
ledger       ClusterIP   172.20.40.2    <none>        8080/TCP   90d    app=ledger

PS C:\\Users\\oncall> kubectl -n finance get endpoints billing-db ledger -o yaml
apiVersion: v1
items:
- apiVersion: v1
kind: Endpoints
metadata:
  name: billing-db
  namespace: finance
subsets:
- addresses:
  - ip: 10.60.4.21
  ports:
  - port: 5432
---
apiVersion: v1
kind: Endpoints
metadata:
  name: ledger
subsets:
- addresses:
  - ip: 10.8.3.4
    targetRef:
      kind: Pod
      name: ledger-5d9c-x2
PS C:\\Users\\oncall> Get-Content .\\change.txt
  21:00 new primary pg-flex-01 10.60.9.140:5432
  21:30 stop VM pg-billing-01 (10.60.4.21)""".splitlines()


def _found(lines: list[str]) -> list[tuple[int, str]]:
    return [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(lines)
        if finding.kind == "endpoints_hand_written"
    ]


def test_a_selectorless_services_address_and_its_retirement_are_read() -> None:
    assert _found(SHELL) == [(16, "billing-db"), (32, "billing-db")]


def test_endpoints_of_a_service_with_a_selector_are_the_clusters_own() -> None:
    with_selector = [line.replace("2y     <none>", "2y     app=pg") for line in SHELL]
    assert _found(with_selector) == []


def test_a_description_and_an_endpoints_listing_are_read_too() -> None:
    described = """$ kubectl describe svc legacy-smtp
Name:              legacy-smtp
Namespace:         mail
Selector:          <none>
Type:              ClusterIP
Endpoints:         10.1.2.3:25
$ kubectl get endpoints legacy-smtp
NAME          ENDPOINTS     AGE
legacy-smtp   10.1.2.3:25   3y
decommissioned the old relay 10.1.2.3 last night""".splitlines()
    assert _found(described) == [(6, "legacy-smtp"), (9, "legacy-smtp"), (10, "legacy-smtp")]
