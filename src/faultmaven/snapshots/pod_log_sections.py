"""The output of `kubectl logs` pasted beside other kubectl output.

An engineer pastes `kubectl logs <pod> --previous` (or `-c <init container>`) under the
describe that shows the pod crash-looping: those few lines say why it crashes
(`chown: /media: Operation not permitted`), though the file as a whole reads as cluster
state. The reader returns each such section with the pod and container it came from.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from faultmaven.snapshots.prompt import command_output, is_command_line

# `$ kubectl -n media logs media-transcoder-5c8d7f6b9-hq4lz -c fix-perms --previous`,
# `kubectl logs pod/session-redis-0`; not `kubectl logs deploy/x` (which pod is unknown).
_LOGS = re.compile(r"\bkubectl\b(?:\s+(?:-n|--namespace)[ =]?\S+)*\s+logs\b(?P<rest>.*)$")
_POD = re.compile(r"^(?:pods?/)?(?P<pod>[a-z0-9][a-z0-9.-]*)$")
_CONTAINER = re.compile(r"(?:^|\s)(?:-c|--container)[ =](?P<container>[a-z0-9][a-z0-9-]*)")
# Options taking a value, whose value is not the pod.
_VALUED = frozenset({"-n", "--namespace", "-c", "--container", "--tail", "--since", "-l"})


@dataclass(frozen=True)
class PodLogSection:
    """Lines a `kubectl logs` command printed: (1-based line number, text) each."""

    pod: str
    container: str | None
    lines: list[tuple[int, str]]


def pod_log_sections(lines: Sequence[str]) -> list[PodLogSection]:
    """Return every `kubectl logs <pod>` output pasted in `lines`, with its pod."""
    sections: list[PodLogSection] = []
    for number, line in enumerate(lines, start=1):
        command = _LOGS.search(line)
        if command is None or not is_command_line(line):
            continue
        pod = _pod_of(command.group("rest"))
        if pod is None:
            continue
        container = _CONTAINER.search(command.group("rest"))
        output = [(n, text) for n, text in command_output(lines, number) if text.strip()]
        if output:
            sections.append(
                PodLogSection(pod, container.group("container") if container else None, output)
            )
    return sections


def _pod_of(arguments: str) -> str | None:
    """Return the first bare argument of `kubectl logs` naming a pod, if one."""
    words = arguments.split()
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word in _VALUED:
            skip = True
            continue
        if word.startswith("-") or word in ("|", ">", "2>&1"):
            if word in ("|", ">"):
                return None
            continue
        named = _POD.match(word)
        return named.group("pod") if named else None
    return None
