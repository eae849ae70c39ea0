"""The host a pasted command ran on, read from the shell prompt that precedes its output.

`deploy@web-02:~$ df -i` and `[root@db-3 ~]# df -h` name the host whose filesystems the
table shows, and so do `$ ssh db-3 df -h` and `$ kubectl debug node/db-3 ... -- chroot /host
df -h`; a bare `$ df -h` names none.
"""

import re
from collections.abc import Sequence

# `user@host:path$ command`, `user@host path # command`, `[user@host path]$ command`.
_PROMPT = re.compile(
    r"^\s*\[?[A-Za-z_][\w.-]*@(?P<host>[A-Za-z0-9][\w.-]*?)[:\s][^$#\n]*?[$#]\s+\S"
)
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
        found = _PROMPT.match(line)
        if found:
            return found.group("host")
        if _BARE_PROMPT.match(line):
            remote = _REMOTE.match(line)
            return remote.group("host") if remote else None
    return None


def is_command_line(line: str) -> bool:
    """Tell whether a line is a shell prompt with its command (where an output ends)."""
    return bool(_PROMPT.match(line) or _BARE_PROMPT.match(line))
