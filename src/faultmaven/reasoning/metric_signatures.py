"""Metric changes as failure signatures: a resource series of one component moving the bad way.

A CPU, memory, disk space or I/O, file-descriptor, connection or packet-loss series that
steps up (free space or memory stepping down) says where saturation began; placed among the
log lines by its time, the earliest such move explains the timeouts and errors the callers
log after it. Latency rising is a symptom: it tells where slowness shows, not why.
"""

import math
import re
from collections.abc import Sequence
from datetime import timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.metrics import RankedChange
from faultmaven.reasoning.signatures import NextStepTemplate, Signature


def _metric(
    id: str,
    title: str,
    category: Category,
    statement: str,
    step: NextStepTemplate,
    weight: float,
    causal_rank: int,
) -> Signature:
    return Signature(
        id, title, category, statement, (), (step,), weight, causal_rank, measured=True
    )


METRIC_SIGNATURES = (
    _metric(
        "metric_cpu", "CPU saturation", Category.CPU,
        "{component} became CPU-saturated: its CPU use stepped up before the errors began.",
        ("Find what burns CPU in {component}", "A hot loop, a runaway job or a noisy neighbour"
         " shows in a profile or `top`", "kubectl top pod -l app={component}"),
        0.7, 2,
    ),
    _metric(
        "metric_memory", "Memory growth", Category.MEMORY,
        "{component}'s memory use grew sharply before the errors began (a leak or an"
        " oversized load), towards its limit.",
        ("Compare {component}'s memory with its limit and look for OOM kills",
         "A leak climbs until the kernel or the runtime kills the process",
         "kubectl describe pod -l app={component}"),
        0.7, 2,
    ),
    _metric(
        "metric_disk", "Disk filling", Category.DISK,
        "A volume of {component} filled up: its disk use stepped up before the errors began.",
        ("Find what fills the disk of {component}", "Logs, temporary files or a data spike",
         "df -h; du -xh / | sort -h | tail"),
        0.7, 2,
    ),
    _metric(
        "metric_disk_io", "Disk I/O surge", Category.DISK,
        "{component}'s disk I/O surged before the errors began (a heavy reader or writer"
        " saturating the device, so every read and write waits).",
        ("Find what reads or writes so much on {component}'s disk",
         "A backup, a copy, a compaction or a runaway writer saturates the device",
         "iostat -xz 1 5; sudo iotop -oPa"),
        0.7, 2,
    ),
    _metric(
        "metric_file_descriptors", "File descriptors climbing", Category.FILE_DESCRIPTORS,
        "{component}'s open file descriptors climbed before the errors began (a leak of"
        " files or sockets).",
        ("Count {component}'s open files by kind", "Sockets left open are the usual leak",
         "ls -l /proc/<pid>/fd | wc -l"),
        0.7, 2,
    ),
    _metric(
        "metric_sockets", "Sockets piling up", Category.NETWORK,
        "{component}'s open sockets climbed before the errors began: sockets leaked or held"
        " open until its ports or connection table ran out, so new connections fail.",
        ("Count {component}'s sockets by state", "Thousands in one state (ESTABLISHED,"
         " TIME_WAIT, CLOSE_WAIT) show which side leaks them", "ss -s; ss -tan | awk '{print $1}'"
         " | sort | uniq -c"),
        0.7, 2,
    ),
    _metric(
        "metric_connections", "Connections climbing", Category.CONNECTION_POOL,
        "{component}'s connections climbed before the errors began (a pool or a socket"
        " leak, or a dependency holding connections).",
        ("Compare {component}'s connections with its pool size",
         "Connections held and not returned exhaust the pool", None),
        0.6, 3,
    ),
    _metric(
        "metric_packet_loss", "Packet loss or retransmits", Category.NETWORK,
        "The network of {component} degraded: retransmits or dropped packets stepped up"
        " before the errors began.",
        ("Check the network path of {component}", "Loss on a node or an interface shows as"
         " retransmits", "netstat -s | grep -i retrans"),
        0.7, 2,
    ),
    _metric(
        "metric_latency", "Latency rising", Category.NETWORK,
        "{component} became slow: its latency stepped up.",
        ("Find what {component} waits on", "Latency shows where slowness is felt; what it waits"
         " for is the cause", None),
        0.45, 4,
    ),
)  # fmt: skip
METRIC_SIGNATURES_BY_ID = {signature.id: signature for signature in METRIC_SIGNATURES}

# Series name patterns, most specific first: (pattern, signature id).
_SERIES = (
    (re.compile(r"retrans|packet|drop|loss"), "metric_packet_loss"),
    (re.compile(r"(?:^|[^a-z])fds?(?:$|[^a-z])|file_?desc|open_?files|filefd"),
     "metric_file_descriptors"),
    (re.compile(r"disk_?io|blkio|iops|io_?wait|(?:read|writ(?:e|ten))_?bytes"
                r"|(?:^|[^a-z])io(?:$|[^a-z])"), "metric_disk_io"),
    (re.compile(r"inode|disk|filesystem|(?:^|[^a-z])fs(?:$|[^a-z])|volume|storage"),
     "metric_disk"),
    (re.compile(r"cpu|throttl"), "metric_cpu"),
    (re.compile(r"mem|heap|rss|working_set"), "metric_memory"),
    # A node's connection-tracking table (`node_nf_conntrack_entries`) is sockets, not a pool.
    (re.compile(r"conntrack|^(?!.*(?:conn|pool)).*socket"), "metric_sockets"),
    (re.compile(r"conn|pool|socket|sessions"), "metric_connections"),
    (re.compile(r"latency|duration|response_?time|rtt|(?:^|[^a-z])p(?:50|9\d)(?:$|[^a-z0-9])"),
     "metric_latency"),
)  # fmt: skip
_HEADROOM = re.compile(r"free|avail|remaining|idle")


def metric_signature(series: str, went_up: bool) -> str | None:
    """Return the signature of a series moving that way, or None when the move is benign.

    Usage rising is bad; free space, available memory or idle CPU falling is bad.
    """
    name = series.lower()
    for pattern, signature_id in _SERIES:
        if pattern.search(name):
            bad_is_up = not _HEADROOM.search(name)
            return signature_id if went_up == bad_is_up else None
    return None


# A move from or to nothing counts as this many e-folds (a ratio of about 22,000).
_FROM_NOTHING = 10.0


def move_strength(before: float, after: float) -> float:
    """Say how far a series moved as |ln(after / before)|: 0.69 for a doubling or a halving.

    A ratio compares series of any unit and scale; a move from or to zero is as strong
    as the strongest (`_FROM_NOTHING`).
    """
    low, high = sorted((abs(before), abs(after)))
    if low == 0:
        return _FROM_NOTHING if high > 0 else 0.0
    return min(_FROM_NOTHING, math.log(high / low))


# A sustained move smaller than this (|ln ratio|: CPU from 0.087 to 0.10 cores is 0.14) is
# within what a busy service drifts by; it is no cause, whatever a change-point test says.
MIN_MOVE_STRENGTH = 0.25
# A move back to a series' level within this long of the move away from it is a recovery.
RECOVERY_WINDOW = timedelta(minutes=10)


def lone_burst(change: RankedChange, changes: Sequence[RankedChange]) -> bool:
    """Tell whether a move was undone soon after, and nothing else moved meanwhile.

    A CPU burst from 06:42:55 to 06:44 in one service, while every other series stays put
    until 06:48, explains nothing that starts after it ended; a burst during which other
    series moved may have caused their moves, and stays.
    """
    undone = next((later for later in changes if _undoes(later, change)), None)
    if undone is None:
        return False
    return not any(
        other.series != change.series and change.time <= other.time <= undone.time
        for other in changes
    )


def _undoes(later: RankedChange, change: RankedChange) -> bool:
    return (
        later.series == change.series
        and timedelta(0) < later.time - change.time <= RECOVERY_WINDOW
        and (later.after > later.before) != (change.after > change.before)
        and move_strength(change.before, later.after) < MIN_MOVE_STRENGTH
    )


def recovers(change: RankedChange, changes: Sequence[RankedChange]) -> bool:
    """Tell whether a move only brings its series back to where it was just before.

    A service restarting drops its CPU to nothing and, a minute later, back to its level:
    the climb back is a recovery, not the saturation of a step up.
    """
    return any(_undoes(change, earlier) for earlier in changes)
