"""The format parsers, most specific first, and the detector that ranks them for one file."""

from collections.abc import Callable, Sequence

from faultmaven.logs.formats._base import Clock, FormatParser
from faultmaven.logs.formats._container import CriParser
from faultmaven.logs.formats._dotnet import DotnetConsoleParser
from faultmaven.logs.formats._generic import GenericParser
from faultmaven.logs.formats._json import JsonParser
from faultmaven.logs.formats._logfmt import LogfmtParser
from faultmaven.logs.formats._loghub import LoghubParser
from faultmaven.logs.formats._mysql_slow import MysqlSlowLogParser
from faultmaven.logs.formats._redis import RedisParser
from faultmaven.logs.formats._syslog import SyslogParser
from faultmaven.logs.formats._web import AccessLogParser, ErrorLogParser

# Adding a format: write its parser module, then add its class here. Order breaks ties:
# a more specific layout comes before a more general one that also reads its lines.
PARSER_FACTORIES: tuple[Callable[[], FormatParser], ...] = (
    JsonParser,
    CriParser,
    SyslogParser,
    AccessLogParser,
    ErrorLogParser,
    RedisParser,
    DotnetConsoleParser,
    MysqlSlowLogParser,
    LoghubParser,
    LogfmtParser,
    GenericParser,
)
# `generic` reads any timestamped line, including those of the specific layouts: it is
# tried after every specific layout seen in the sample.
_GENERAL = frozenset({"generic"})


def default_parsers() -> list[FormatParser]:
    """Return fresh instances of every registered parser, most specific first."""
    return [factory() for factory in PARSER_FACTORIES]


class FormatDetector:
    """Rank the layouts of one file from a sample of its first lines.

    Every parser reads every non-blank, non-indented sample line and scores the lines
    it reads. The ranking lists the parsers that read at least one line, specific
    layouts by score, then `generic`: the reader tries them in that order on every
    line, and the others only for lines none of them reads.
    """

    def __init__(
        self, parsers: Sequence[FormatParser] | None = None, clock: Clock | None = None
    ) -> None:
        self.parsers = list(parsers) if parsers is not None else default_parsers()
        self.clock = clock or Clock()

    def rank(self, sample: Sequence[str]) -> list[FormatParser]:
        """Return the parsers that read any sample line, best first."""
        scores = [0.0] * len(self.parsers)
        for line in sample:
            if not line or line[0] in " \t" or line.isspace():
                continue
            for index, parser in enumerate(self.parsers):
                if parser.parse(line, self.clock) is not None:
                    scores[index] += 1.0
        general = [parser.name in _GENERAL for parser in self.parsers]
        order = sorted(
            range(len(self.parsers)), key=lambda index: (general[index], -scores[index], index)
        )
        return [self.parsers[index] for index in order if scores[index] > 0]

    def detect(self, sample: Sequence[str]) -> str:
        """Return the name of the file's main layout: the best-ranked parser, else `plain`."""
        ranked = self.rank(sample)
        return ranked[0].name if ranked else "plain"
