"""A Redis at its memory limit evicting keys, read from pasted `redis-cli INFO` output."""

from faultmaven.snapshots import read_snapshots

INFO = """$ redis-cli -h redis-sessions.prod.internal INFO memory | egrep 'memory'
used_memory_human:3.99G
maxmemory_human:4.00G
maxmemory_policy:allkeys-lru
$ redis-cli -h redis-sessions.prod.internal INFO stats | egrep 'evicted_keys|expired_keys'
expired_keys:1182201
evicted_keys:2841177""".splitlines()


def _evicting(lines: list[str]) -> list[tuple[str, int]]:
    return [
        (finding.subject, finding.line_start)
        for finding in read_snapshots(lines)
        if finding.kind == "redis_evicting"
    ]


def test_a_redis_at_maxmemory_with_evicted_keys_is_named_after_the_host_asked() -> None:
    assert _evicting(INFO) == [("redis-sessions", 7)]


def test_exact_byte_fields_are_read_as_well_as_human_ones() -> None:
    lines = [
        "$ redis-cli -h cache-01 INFO",
        "used_memory:1069547520",
        "maxmemory:1073741824",
        "maxmemory_policy:volatile-lru",
        "evicted_keys:12",
    ]
    assert _evicting(lines) == [("cache-01", 5)]


def test_room_to_spare_no_limit_no_evictions_or_no_redis_is_no_finding() -> None:
    below = [line.replace("3.99G", "2.10G") for line in INFO]
    unlimited = [line.replace("maxmemory_human:4.00G", "maxmemory_human:0B") for line in INFO]
    none_evicted = [line.replace("evicted_keys:2841177", "evicted_keys:0") for line in INFO]
    unasked = [line.replace("-h redis-sessions.prod.internal ", "") for line in INFO]
    assert _evicting(below) == _evicting(unlimited) == _evicting(none_evicted) == []
    assert _evicting(unasked) == [("redis", 7)]
    assert _evicting([line.replace("$ redis-cli", "$ memcached-tool") for line in INFO]) == []
