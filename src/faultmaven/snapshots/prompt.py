"""The host a pasted command ran on, read from the shell prompt that precedes its output.

`deploy@web-02:~$ df -i` and `[root@db-3 ~]# df -h` name the host whose filesystems the
table shows, and so do a prompt without the user (`dns-int-02:~$ nft list ruleset`,
`lb-02$ ...`, for a host name holding a digit or a hyphen), `$ ssh db-3 df -h` and
`$ kubectl debug node/db-3 ... -- chroot /host df -h`; a bare `$ df -h` names none.
"""

import re
from collections.abc import Sequence

# `user@host:path$ command`, `user@host path # command`, `[user@host path]$ command`.
_PROMPT = re.compile(
    r"^\s*\[?[A-Za-z_][\w.-]*@(?P<host>[A-Za-z0-9][\w.-]*?)[:\s][^$#\n]*?[$#]\s+\S"
)
# `dns-int-02:~$ cmd`, `lb-02$ cmd`: a host name with a digit or hyphen, so prose is no prompt.
_HOST_PROMPT = re.compile(r"^\s*(?P<host>[A-Za-z][\w.]*[-\d][\w.-]*?)(?::[~/][^$#\s]*)?[$#]\s+\S")
_BARE_PROMPT = re.compile(r"^\s*[$#]\s+\S")
# A command run on another machine from a bare prompt: `kubectl debug node/X`, `ssh X`.
_REMOTE = re.compile(
    r"^\s*[$#]\s+(?:kubectl\s+debug\s+(?:\S+\s+)*?node/|ssh\s+(?:[\w.-]+@)?)"
    r"(?P<host>[A-Za-z0-9][\w.-]*)"
)


def prompt_host(lines: Sequence[str], line_number: int) -> str | None:
    """Return the host named by the nearest prompt above 1-based `line_number`, if any."""
    for index in range(min(line_number, len(lines)) - 1, -1, -1):
        line = lines[index]
        found = _PROMPT.match(line) or _HOST_PROMPT.match(line)
        if found:
            return found.group("host")
        if _BARE_PROMPT.match(line):
            remote = _REMOTE.match(line)
            return remote.group("host") if remote else None
    return None


def is_command_line(line: str) -> bool:
    """Tell whether a line is a shell prompt with its command (where an output ends)."""
    return bool(_PROMPT.match(line) or _HOST_PROMPT.match(line) or _BARE_PROMPT.match(line))


def command_output(lines: Sequence[str], command: int) -> list[tuple[int, str]]:
    """Return the (1-based line, text) of the output below a command line, up to the next."""
    output = []
    for number in range(command + 1, len(lines) + 1):
        text = lines[number - 1]
        if is_command_line(text):
            break
        output.append((number, text))
    return output


def named_by_command(
    lines: Sequence[str], line_number: int, command: re.Pattern[str], *, this_output: bool
) -> str | None:
    """Return group `name` of the nearest line above 1-based `line_number` matching `command`.

    `kubectl get configmap NAME -o yaml` names what its output shows. With `this_output`,
    only the command whose output holds the line counts: another `$ ` command above it
    ends the search.
    """
    for line in reversed(lines[: line_number - 1]):
        found = command.search(line)
        if found is not None:
            return found.group("name")
        if this_output and line.startswith("$ "):
            return None
    return None
