"""Kubernetes CRI container logs: `2024-01-01T00:00:00.123456789Z stdout F message`."""

import re

from faultmaven.logs.formats._base import Clock, ParsedLine
from faultmaven.logs.timestamps import iso_time

_CRI = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) "
    r"(stdout|stderr) ([PF])(?: (.*))?",
    re.DOTALL,
)


class CriParser:
    """The CRI log layout kubelet writes under /var/log/pods; `P` marks a split record."""

    name = "cri"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a CRI record, or return None when the line is not one."""
        if len(line) < 28 or line[4] != "-" or line[10] != "T":
            return None
        match = _CRI.match(line)
        if match is None:
            return None
        stamp, stream, tag, output = match.groups()
        return ParsedLine(
            format="cri",
            message=output or "",
            time=iso_time(stamp, clock.default_tz),
            attributes={"stream": stream},
            wrapped=True,
            partial=tag == "P",
        )
