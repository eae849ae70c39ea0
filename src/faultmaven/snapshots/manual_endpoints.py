"""A Service without a selector whose Endpoints someone wrote by hand.

A Service with no selector gets no Endpoints from the cluster: they are written by hand
(or by a tool) to send in-cluster names to something outside the cluster, a database VM,
a legacy host. When that thing moves, nothing updates them: every client of the Service
keeps connecting to the old address, timing out or refused, while the new one works for
anyone using it directly. The reader pairs a selectorless Service (`kubectl get svc -o
wide`, `kubectl describe svc`) with the addresses of its Endpoints (`-o yaml`, `get
endpoints`, describe's `Endpoints:`) and reports the address lines, and any other line
saying one of those addresses was stopped, retired or replaced, scoped by the Service.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from faultmaven.snapshots.finding import SnapshotFinding

# `kubectl get svc -o wide`: a header naming the SELECTOR column, rows ending in `<none>`.
_WIDE_HEADER = re.compile(
    r"^(?P<namespace>NAMESPACE\s+)?NAME\s+TYPE\s+CLUSTER-IP\b.*\bSELECTOR\s*$"
)
_DESCRIBE_NAME = re.compile(r"^Name:\s+(?P<name>[a-z0-9][a-z0-9.-]*)\s*$")
_DESCRIBE_NO_SELECTOR = re.compile(r"^Selector:\s+<none>\s*$")
_DESCRIBE_ENDPOINTS = re.compile(r"^Endpoints:\s+(?P<addresses>\d\S*)")
# An Endpoints object as YAML: its kind, its name, its addresses, and a pod it would name.
_KIND = re.compile(r"^kind:\s+(?P<kind>\w+)\s*$")
_METADATA_NAME = re.compile(r"^  name:\s+(?P<name>[a-z0-9][a-z0-9.-]*)\s*$")
_YAML_ADDRESS = re.compile(r"^\s*-?\s*ip:\s+(?P<address>\d{1,3}(?:\.\d{1,3}){3})\s*$")
_TARGET_REF = re.compile(r"^\s*targetRef:")
# `kubectl get endpoints`: `billing-db   10.60.4.21:5432   2y41d`.
_ENDPOINTS_HEADER = re.compile(r"^(?:NAMESPACE\s+)?NAME\s+ENDPOINTS\s+AGE\s*$")
_ADDRESS = re.compile(r"(?<![\d.])(?P<address>\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
# A line saying an address is gone: a change record's step, a ticket, a chat message.
_RETIRED = re.compile(
    r"\b(?:stop(?:ped|s)?|shut\s*down|decommission(?:ed)?|retire[ds]?|terminated?|"
    r"powered\s+off|deleted|removed|old|former|previous)\b",
    re.IGNORECASE,
)


def hand_written_endpoint_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the address lines of selectorless Services' Endpoints, and their retirements."""
    selectorless = set(_selectorless_services(lines))
    found: dict[int, SnapshotFinding] = {}
    for name, number, address, managed in _endpoint_addresses(lines):
        if name not in selectorless or managed:
            continue
        detail = f"{name} has no selector; its Endpoints say {address}"
        found.setdefault(number, _finding(name, number, detail))
        for retired in _retirements(lines, address, number):
            detail = f"{address}, where {name}'s Endpoints point, is gone"
            found.setdefault(retired, _finding(name, retired, detail))
    return [found[number] for number in sorted(found)]


def _finding(name: str, number: int, detail: str) -> SnapshotFinding:
    return SnapshotFinding(
        kind="endpoints_hand_written",
        subject=name,
        line_start=number,
        line_end=number,
        detail=detail,
    )


def _selectorless_services(lines: Sequence[str]) -> Iterator[str]:
    """Yield the Services a wide listing or a description shows without a selector."""
    wide: re.Match[str] | None = None
    described: str | None = None
    for line in lines:
        header = _WIDE_HEADER.match(line)
        if header is not None:
            wide = header
            continue
        fields = line.split()
        if wide is not None and fields and fields[-1] == "<none>":
            yield fields[1] if wide.group("namespace") and len(fields) > 1 else fields[0]
        elif wide is not None and not fields:
            wide = None
        name = _DESCRIBE_NAME.match(line)
        if name is not None:
            described = name.group("name")
        elif described and _DESCRIBE_NO_SELECTOR.match(line):
            yield described


def _endpoint_addresses(lines: Sequence[str]) -> Iterator[tuple[str, int, str, bool]]:
    """Yield (Service name, 1-based line, address, whether the cluster manages it)."""
    yield from _yaml_addresses(lines)
    listing = False
    described: str | None = None
    for number, line in enumerate(lines, start=1):
        name = _DESCRIBE_NAME.match(line)
        if name is not None:
            described = name.group("name")
        endpoints = _DESCRIBE_ENDPOINTS.match(line)
        if endpoints is not None and described:
            for address in _ADDRESS.finditer(endpoints.group("addresses")):
                yield described, number, address.group("address"), False
        if _ENDPOINTS_HEADER.match(line):
            listing = True
            continue
        fields = line.split()
        if listing and len(fields) >= 3:
            for address in _ADDRESS.finditer(fields[-2]):
                yield fields[-3], number, address.group("address"), False
        elif listing:
            listing = False


@dataclass
class _YamlObject:
    """One object of a YAML listing, as far as the reader needs it."""

    kind: str
    name: str | None = None
    addresses: list[tuple[int, str]] = field(default_factory=list)
    pod_backed: bool = False


def _yaml_addresses(lines: Sequence[str]) -> Iterator[tuple[str, int, str, bool]]:
    """Yield the addresses of each Endpoints object shown as YAML, and whether pods back it."""
    objects: list[_YamlObject] = []
    for number, line in enumerate(lines, start=1):
        kind = _KIND.match(line)
        if kind is not None:
            objects.append(_YamlObject(kind.group("kind")))
            continue
        if not objects:
            continue
        shown = objects[-1]
        name = _METADATA_NAME.match(line)
        if name is not None and shown.name is None:
            shown.name = name.group("name")
        address = _YAML_ADDRESS.match(line)
        if address is not None:
            shown.addresses.append((number, address.group("address")))
        shown.pod_backed = shown.pod_backed or bool(_TARGET_REF.match(line))
    for shown in objects:
        if shown.kind == "Endpoints" and shown.name:
            for number, shown_address in shown.addresses:
                yield shown.name, number, shown_address, shown.pod_backed


def _retirements(lines: Sequence[str], address: str, shown_at: int) -> list[int]:
    """Return the lines, other than the Endpoints' own, saying `address` was taken away."""
    return [
        number
        for number, line in enumerate(lines, start=1)
        if number != shown_at
        and any(found.group("address") == address for found in _ADDRESS.finditer(line))
        and _RETIRED.search(line)
        and not _YAML_ADDRESS.match(line)
    ]
