"""Java thread dumps (`jstack`, `jcmd Thread.print`, kill -3): a starved thread pool, a deadlock.

A dump lists each thread as a header line (`"pricing-worker-3" #43 ... waiting on condition`),
its `java.lang.Thread.State:` and its stack. Threads of one pool share a name up to a
trailing number. A pool starves when every one of its threads is stuck in application
code, waiting or blocked, rather than idle in the pool's queue: requests for it then
wait forever, while the CPU stays idle. When several pools are stuck, the smallest is
the bottleneck the others wait on. The JVM names a deadlock itself.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from faultmaven.snapshots.finding import SnapshotFinding

# A pool this small is not worth reporting (a couple of helper threads).
MIN_POOL_THREADS = 4
_HEADER = re.compile(r'^"(?P<name>[^"]+)"\s+(?:#\d+|daemon|prio=)')
_STATE = re.compile(r"^\s+java\.lang\.Thread\.State:\s+(?P<state>[A-Z_]+)")
_FRAME = re.compile(r"^\s+at\s+(?P<frame>[\w$./<>@-]+)\(")
_POOL_NUMBER = re.compile(r"[-_ #]?\d+$")
_STUCK_STATES = frozenset({"WAITING", "TIMED_WAITING", "BLOCKED"})
# Frames of the JDK and of common frameworks: where a thread is, not whose code holds it.
_LIBRARY = re.compile(
    r"^(?:java\.|javax\.|jdk\.|sun\.|com\.sun\.|org\.springframework\.|org\.apache\."
    r"|io\.netty\.|kotlin\.|scala\.|reactor\.|io\.micrometer\.|org\.eclipse\.jetty\.)"
)
# A pooled thread parked here is idle, waiting for work.
_IDLE = re.compile(
    r"getTask|LinkedBlockingQueue\.take|SynchronousQueue|awaitWork|\.poll\(|TaskQueue"
)
_DEADLOCK = re.compile(r"^Found (?:one|\d+) Java-level deadlocks?:")


@dataclass
class _Thread:
    name: str
    line: int
    state: str = ""
    frames: list[tuple[int, str]] = field(default_factory=list)

    @property
    def own_frame(self) -> tuple[int, str] | None:
        """Return the first frame of application code (line number, frame)."""
        return next(((n, f) for n, f in self.frames if not _LIBRARY.match(f)), None)

    @property
    def stuck(self) -> bool:
        """Tell whether the thread waits inside application code instead of idling."""
        if self.state not in _STUCK_STATES or self.own_frame is None:
            return False
        return not any(_IDLE.search(frame) for _, frame in self.frames[:8])


def thread_dump_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the starved pool (the smallest stuck one) and any deadlock a dump shows."""
    found = [_deadlock(n, lines) for n, line in enumerate(lines, start=1) if _DEADLOCK.match(line)]
    threads = _threads(lines)
    pools: dict[str, list[_Thread]] = {}
    for thread in threads:
        pools.setdefault(_POOL_NUMBER.sub("", thread.name), []).append(thread)
    starved = [
        (name, members)
        for name, members in pools.items()
        if len(members) >= MIN_POOL_THREADS and all(thread.stuck for thread in members)
    ]
    if starved:
        name, members = min(starved, key=lambda pool: (len(pool[1]), pool[0]))
        found.append(_starved(name, members))
    return found


def _threads(lines: Sequence[str]) -> list[_Thread]:
    threads: list[_Thread] = []
    for n, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            threads.append(_Thread(header["name"], n))
        elif threads:
            state = _STATE.match(line)
            if state:
                threads[-1].state = state["state"]
                continue
            frame = _FRAME.match(line)
            if frame:
                threads[-1].frames.append((n, frame["frame"]))
    return threads


def _starved(name: str, members: list[_Thread]) -> SnapshotFinding:
    first = members[0]
    own = first.own_frame
    assert own is not None
    where = own[1].rsplit(".", 2)[-2:]
    return SnapshotFinding(
        kind="pool_starved",
        subject=name,
        line_start=first.line,
        line_end=own[0],
        detail=f"all {len(members)} threads of pool {name} are stuck {first.state.lower()} in"
        f" {'.'.join(where)}",
    )


def _deadlock(line_number: int, lines: Sequence[str]) -> SnapshotFinding:
    end = line_number
    while end < len(lines) and lines[end].strip() and end - line_number < 12:
        end += 1
    return SnapshotFinding(
        kind="thread_deadlock",
        subject="jvm",
        line_start=line_number,
        line_end=end,
        detail="the JVM found a Java-level deadlock between threads",
    )
