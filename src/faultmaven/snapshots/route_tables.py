"""Route tables side by side (`aws ec2 describe-route-tables --output text`): a route missing.

Subnets of one tier share their routes: every private app subnet reaches the database VPC
over the peering connection. A table created later (a new subnet, a new zone) without one of
those routes sends that traffic to the default route instead, where it dies, so only the
instances in that subnet time out. The finding names the table that lacks a route every
other table listed beside it has.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from faultmaven.snapshots.finding import SnapshotFinding

# A table's name on a line of its own, then its routes: `ROUTES  10.60.0.0/16  pcx-0d2a  active`.
_NAME = re.compile(r"^(?P<name>[A-Za-z][\w.-]*)\s*$")
_ROUTE = re.compile(r"^ROUTES\s+(?P<destination>\d+\.\d+\.\d+\.\d+/\d+)\s+(?P<target>\S+)")
# Routes every table has its own of: the VPC itself and the default route.
_OWN_TARGETS = re.compile(r"^(?:local|nat-|igw-)")


@dataclass
class _Table:
    name: str
    line: int
    routes: dict[str, tuple[str, int]] = field(default_factory=dict)


def route_table_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each listed route table lacking a shared route every other listed table has."""
    tables = _tables(lines)
    if len(tables) < 2:
        return []
    found: list[SnapshotFinding] = []
    for table in tables:
        others = [other for other in tables if other is not table]
        shared = set.intersection(*(set(_shared_routes(other)) for other in others))
        for destination in sorted(shared - set(table.routes)):
            target, line = others[0].routes[destination]
            found.append(
                SnapshotFinding(
                    kind="route_missing",
                    subject=table.name,
                    line_start=table.line,
                    line_end=table.line,
                    detail=f"{table.name} has no route to {destination} (via {target}) that"
                    f" {others[0].name} has (line {line})",
                    scope=destination,
                )
            )
    return found


def _tables(lines: Sequence[str]) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    for number, line in enumerate(lines, start=1):
        route = _ROUTE.match(line)
        if route is not None and current is not None:
            current.routes[route.group("destination")] = (route.group("target"), number)
            continue
        name = _NAME.match(line)
        if name is not None and number < len(lines) and _ROUTE.match(lines[number]):
            current = _Table(name.group("name"), number)
            tables.append(current)
        elif route is None:
            current = None
    return tables


def _shared_routes(table: _Table) -> list[str]:
    """Return the destinations a table reaches through something other than its own gateways."""
    return [
        destination
        for destination, (target, _) in table.routes.items()
        if not _OWN_TARGETS.match(target) and destination != "0.0.0.0/0"
    ]
