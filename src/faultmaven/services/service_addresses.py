"""Which service listens where, from the case's own "listening on" lines.

A proxy names its failing upstream only by address (`upstream: "http://10.0.0.7:8080/"`);
the service's own start-up line says it listens there, which names the peer.
"""

import uuid
from collections.abc import Mapping

from sqlalchemy import Connection

from faultmaven.logs.components import component_of
from faultmaven.reasoning.peers import Addresses, listening_address
from faultmaven.store import log_groups

# A POSIX regex prefilter over templates; `listening_address` decides on each line.
_ANNOUNCING = (
    "listen|bound|serving|running on|started on|started server|serverconnector"
    "|accepting connections|running mode"
)
TEMPLATES_TO_READ = 100
LINES_PER_TEMPLATE = 5


def service_addresses(
    connection: Connection, case_id: uuid.UUID, names: Mapping[uuid.UUID, str]
) -> Addresses:
    """Map each address a service announced it listens on to that service.

    An address two services claim (a restart elsewhere, a reused port) names neither.
    """
    groups = log_groups.templates_matching(connection, case_id, _ANNOUNCING, TEMPLATES_TO_READ)
    claimed: dict[str, set[str]] = {}
    for line in log_groups.group_lines(connection, case_id, names, groups, LINES_PER_TEMPLATE):
        address = listening_address(line.text)
        component = component_of(line.evidence_name, line.text)
        if address is not None and component is not None:
            claimed.setdefault(address, set()).add(component)
    return {address: next(iter(owners)) for address, owners in claimed.items() if len(owners) == 1}
