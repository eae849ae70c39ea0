"""A proxy's configured read timeout for its upstream (ingress-nginx, nginx, HAProxy).

A timeout is ordinary configuration; it becomes the cause when the failing requests all end
at it: 504s after 20.0 s while the backend needs 25-60 s for its large exports. The reader
reports every such setting a pasted ConfigMap, Ingress annotation or proxy configuration
shows, with its value in seconds (the finding's scope) and, for a ConfigMap, the controller
it configures (the subject; otherwise the proxy logging the cuts is where it lives).
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import named_by_command

# `proxy-read-timeout: "20"` (ConfigMap data), `"nginx.ingress.kubernetes.io/proxy-read-
# timeout":"20"` (an annotation), `proxy_read_timeout 20s;` (nginx), `timeout server 20s`.
_SETTINGS = (
    re.compile(
        r"""(?:^|[\s{,"'])(?:nginx\.ingress\.kubernetes\.io/)?proxy-read-timeout["']?\s*:\s*"""
        r"""["']?(?P<number>\d+(?:\.\d+)?)(?P<unit>)["']?"""
    ),
    re.compile(r"(?:^|\s)proxy_read_timeout\s+(?P<number>\d+(?:\.\d+)?)(?P<unit>ms|s|m)?\s*;"),
    re.compile(r"^\s*timeout\s+server\s+(?P<number>\d+(?:\.\d+)?)(?P<unit>ms|s|m)?\s*(?:#|$)"),
)
_SECONDS_PER_UNIT = {"": 1.0, "s": 1.0, "ms": 0.001, "m": 60.0}
_CONFIGMAP_COMMAND = re.compile(r"\bget\s+(?:configmaps?|cm)\s+(?P<name>[a-z0-9][\w.-]*)")


def proxy_timeout_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each proxy read timeout the pasted configuration sets, with its seconds."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("+") or line.lstrip().startswith(("-", "#")):
            continue  # a diff's lines (`config_diff` reads those), a comment
        for setting in _SETTINGS:
            matched = setting.search(line)
            if matched is None:
                continue
            seconds = float(matched.group("number")) * _SECONDS_PER_UNIT[matched.group("unit")]
            found.append(
                SnapshotFinding(
                    kind="proxy_timeout_set",
                    subject=named_by_command(lines, number, _CONFIGMAP_COMMAND, this_output=True)
                    or "",
                    line_start=number,
                    line_end=number,
                    detail=f"the proxy gives its upstream {seconds:g} s to answer",
                    scope=f"{seconds:g}s",
                )
            )
            break
    return found
