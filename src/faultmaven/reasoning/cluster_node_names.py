"""A node's own failure in a clustered server's logs, placed at the node, not the cluster.

Elasticsearch's JSON logs carry the same placeholder service name on every node, so their
lines are named after the cluster (`elasticsearch.cluster.name`): right for what the cluster
decides (shard allocation, its settings). A long GC pause or memory that could not be
locked is one node's: its heap, its host's swap. Such failures are placed at the node the
lines name (`elasticsearch.node.name`), when they all name the same one.
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import Candidate

_NODE = re.compile(r'"elasticsearch\.node\.name"\s*:\s*"(?P<node>[\w.-]+)"')
# Failures of one node's process or host, not of the cluster's decisions.
_NODE_CATEGORIES = frozenset({Category.MEMORY, Category.CPU, Category.DISK, Category.HARDWARE})


def place_at_nodes(candidates: list[Candidate]) -> None:
    """Move each node-level failure named after its cluster to the one node its lines name."""
    for candidate in candidates:
        if candidate.cause_category not in _NODE_CATEGORIES:
            continue
        nodes = {
            found.group("node") for line in candidate.lines if (found := _NODE.search(line.text))
        }
        if len(nodes) == 1 and candidate.component not in nodes:
            candidate.reporter = candidate.reporter or candidate.component
            candidate.place_at(nodes.pop())
