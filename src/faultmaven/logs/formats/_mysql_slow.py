"""MySQL and MariaDB slow query logs: each entry is dated by its `# Time:` header line.

    # Time: 2025-09-02T08:11:41.412310Z          (MySQL 5.7 and later)
    # Time: 150812  9:23:27                       (MySQL 5.6, MariaDB: YYMMDD H:MM:SS)
    # User@Host: ts[ts] @  [10.244.1.17]  Id:   4821
    # Query_time: 4.918223  Lock_time: 0.000049  Rows_sent: 3  Rows_examined: 2841107
    SET timestamp=1756800701;
    select ...;

Only the header carries a time; the lines after it belong to its entry and take its time
when read (`store.logs.dated_event_columns`). `SET timestamp=<epoch>;` is dated too.
"""

import re

from faultmaven.logs.formats._base import Clock, ParsedLine
from faultmaven.logs.timestamps import epoch_time, iso_time, utc_time

_ISO_HEADER = re.compile(r"# Time: (\d{4}-\d\d-\d\dT\S+)\s*$")
_OLD_HEADER = re.compile(r"# Time: (\d\d)(\d\d)(\d\d) +(\d{1,2}):(\d\d):(\d\d)\s*$")
_SET_TIMESTAMP = re.compile(r"SET timestamp=(\d{9,11});\s*$")


class MysqlSlowLogParser:
    """The layout of mysqld's slow query log (`slow_query_log_file`)."""

    name = "mysql-slow"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read an entry's `# Time:` header or `SET timestamp=` line, else return None."""
        if line.startswith("# Time: "):
            return self._header(line, clock)
        if line.startswith("SET timestamp="):
            stamped = _SET_TIMESTAMP.match(line)
            if stamped is not None:
                return ParsedLine(
                    format=self.name, message=line, time=epoch_time(int(stamped.group(1)))
                )
        return None

    def _header(self, line: str, clock: Clock) -> ParsedLine | None:
        iso = _ISO_HEADER.match(line)
        if iso is not None:
            time = iso_time(iso.group(1), clock.default_tz)
        else:
            old = _OLD_HEADER.match(line)
            if old is None:
                return None
            year, month, day, hour, minute, second = (int(part) for part in old.groups())
            time = utc_time(2000 + year, month, day, (hour, minute, second, 0), clock.default_tz)
        return ParsedLine(format=self.name, message=line[2:], time=time) if time else None
