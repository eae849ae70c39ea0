"""An Ingress whose rewrite target `/` swallows the path it routes, read from its YAML."""

from faultmaven.snapshots import read_snapshots

INGRESS = """$ kubectl -n partners get ingress partner-api -o yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
  name: partner-api
  namespace: partners
spec:
  rules:
  - http:
      paths:
      - backend:
          service:
            name: partner-api
        path: /partner
        pathType: Prefix
$ kubectl get ingress shop -o yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
  name: shop
spec:
  rules:
  - http:
      paths:
      - path: /shop(/|$)(.*)"""


def _rewrites(text: str) -> list[tuple[int, str, str | None]]:
    return [
        (finding.line_start, finding.subject, finding.scope)
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "rewrite_to_root"
    ]


def test_a_root_target_on_a_prefix_path_is_read_with_the_ingress_name() -> None:
    assert _rewrites(INGRESS) == [(6, "partner-api", "/partner")]


def test_a_root_target_on_the_root_path_rewrites_nothing() -> None:
    assert _rewrites(INGRESS.replace("path: /partner", "path: /")) == []
