"""Redis at its memory limit and evicting keys (`redis-cli INFO memory` / `INFO stats`).

With `maxmemory` reached and an eviction policy (`allkeys-lru`, `volatile-ttl`, ...) Redis
silently deletes keys to make room: a cache barely notices, but sessions, locks or queues
kept in the same instance vanish, and their owners report them "not found". The reader
reports an instance whose used memory is at its limit and that has evicted keys, at the
`evicted_keys` line, named after the host `redis-cli -h` asked (else plain `redis`).
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# Used memory at this share of maxmemory is at the limit (eviction keeps it just below).
AT_LIMIT_SHARE = 0.95
_FIELD = re.compile(r"^\s*(?P<key>[a-z_]+):(?P<value>\S+)\s*$")
_HUMAN = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>[BKMGT]?)$", re.IGNORECASE)
_UNIT = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_HOST = re.compile(r"\bredis-cli\b.*?\s-h\s+(?P<host>[A-Za-z0-9][\w.-]*)")
_COMMAND = re.compile(r"^\s*(?:\S+[$#]|[$#])\s")


def redis_eviction_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return one finding per Redis shown at its memory limit with keys evicted."""
    found: list[SnapshotFinding] = []
    for host, fields in _instances(lines).items():
        used = _bytes(fields, "used_memory")
        limit = _bytes(fields, "maxmemory")
        evicted = fields.get("evicted_keys")
        policy = fields.get("maxmemory_policy")
        if not used or not limit or limit[0] <= 0 or evicted is None or policy is None:
            continue
        count = int(evicted[0]) if evicted[0].isdigit() else 0
        if used[0] < AT_LIMIT_SHARE * limit[0] or count == 0:
            continue
        number = evicted[1]
        found.append(
            SnapshotFinding(
                kind="redis_evicting",
                subject=host.split(".")[0],
                line_start=number,
                line_end=number,
                detail=f"at its maxmemory with policy {policy[0]}: {count} keys evicted",
            )
        )
    return found


def _instances(lines: Sequence[str]) -> dict[str, dict[str, tuple[str, int]]]:
    """Map each host `redis-cli` asked to its INFO fields and their 1-based lines."""
    instances: dict[str, dict[str, tuple[str, int]]] = {}
    host: str | None = None
    for number, line in enumerate(lines, start=1):
        if _COMMAND.match(line):
            asked = _HOST.search(line)
            host = asked.group("host") if asked else "redis" if "redis-cli" in line else None
            continue
        field = _FIELD.match(line)
        if host is not None and field is not None:
            instances.setdefault(host, {})[field.group("key")] = (field.group("value"), number)
    return instances


def _bytes(fields: dict[str, tuple[str, int]], key: str) -> tuple[float, int] | None:
    """Return a memory field in bytes (from `key` or `key_human`) with its line."""
    exact = fields.get(key)
    if exact is not None and exact[0].isdigit():
        return float(exact[0]), exact[1]
    human = fields.get(f"{key}_human")
    parsed = _HUMAN.match(human[0]) if human else None
    if human is None or parsed is None:
        return None
    return float(parsed.group("number")) * _UNIT[parsed.group("unit").upper()], human[1]
