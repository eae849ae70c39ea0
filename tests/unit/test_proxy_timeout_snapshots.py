"""A proxy's configured read timeout, read from pasted ConfigMaps, annotations and configs."""

from faultmaven.snapshots import read_snapshots

CONFIGMAP = """$ kubectl -n ingress-nginx get configmap ingress-nginx-controller -o yaml
apiVersion: v1
data:
  proxy-body-size: "25m"
  proxy-connect-timeout: "5"
  proxy-read-timeout: "20"
kind: ConfigMap""".splitlines()


def _timeouts(lines: list[str]) -> list[tuple[str, int, str | None]]:
    return [
        (finding.subject, finding.line_start, finding.scope)
        for finding in read_snapshots(lines)
        if finding.kind == "proxy_timeout_set"
    ]


def test_a_configmaps_read_timeout_names_the_controller_and_its_seconds() -> None:
    assert _timeouts(CONFIGMAP) == [("ingress-nginx-controller", 6, "20s")]


def test_annotations_nginx_and_haproxy_settings_are_read_in_seconds() -> None:
    lines = [
        '{"nginx.ingress.kubernetes.io/proxy-read-timeout":"120"}',
        "    proxy_read_timeout 4s;",
        "    proxy_read_timeout 1500ms;",
        "  timeout server 30s",
    ]
    assert _timeouts(lines) == [("", 1, "120s"), ("", 2, "4s"), ("", 3, "1.5s"), ("", 4, "30s")]


def test_diff_lines_comments_and_other_timeouts_are_no_setting() -> None:
    lines = [
        "-    proxy_read_timeout 30s;",
        "+    proxy_read_timeout 4s;",
        "#    proxy_read_timeout 30s;",
        '  proxy-connect-timeout: "5"',
        "  timeout client 30s",
        "proxy_read_timeout is the time nginx waits",
    ]
    assert _timeouts(lines) == []
