"""An Ingress rewriting every request under its path to `/`, read from its YAML.

ingress-nginx replaces the whole request URI with `rewrite-target`; a target without a
capture group (`rewrite-target: /`) on a path such as `/partner` sends every request,
`/partner/v2/orders/1` included, to the backend's `/`, which answers 404 (or its index) to
all of them. Older controllers stripped the prefix; an upgrade past that change turns a
long-standing annotation into an outage. The reader reports the annotation's line, named
after the Ingress, with its first non-root path; the reasoner keeps it only when requests
under that path fail.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_ROOT_TARGET = re.compile(
    r"^\s*nginx\.ingress\.kubernetes\.io/rewrite-target:\s*(?P<q>[\"']?)/(?P=q)\s*$"
)
_METADATA_NAME = re.compile(r"^ {2}name:\s*(?P<name>[a-z0-9][\w.-]*)\s*$")
_PATH = re.compile(r"^\s+(?:-\s+)?path:\s*(?P<q>[\"']?)(?P<path>/[^\s\"'(]+)(?P=q)\s*$")
# Where one object's YAML ends: another object, a separator, a new command.
_BOUNDARY = re.compile(r"^(?:apiVersion:|---|\$ |\S*[$#] \S)")


def rewrite_to_root_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each Ingress whose rewrite target `/` swallows the paths it routes."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if not _ROOT_TARGET.match(line):
            continue
        document = _document(lines, number - 1)
        names = [m.group("name") for m in map(_METADATA_NAME.match, document) if m]
        paths = [m.group("path") for m in map(_PATH.match, document) if m]
        paths = [path for path in paths if path.rstrip("/")]
        if names and paths:
            found.append(
                SnapshotFinding(
                    kind="rewrite_to_root",
                    subject=names[0],
                    line_start=number,
                    line_end=number,
                    detail=f"Ingress {names[0]} rewrites every request under {paths[0]} to /",
                    scope=paths[0],
                )
            )
    return found


def _document(lines: Sequence[str], index: int) -> list[str]:
    """Return the lines of the YAML object holding line `index` (0-based)."""
    start = index
    while start > 0 and not _BOUNDARY.match(lines[start]):
        start -= 1
    end = index + 1
    while end < len(lines) and not _BOUNDARY.match(lines[end]):
        end += 1
    return list(lines[start:end])
