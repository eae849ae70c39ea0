"""A candidate cause: the lines of one signature (or one error group) in one component."""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine
from faultmaven.reasoning.signatures import Signature

ComponentFinder = Callable[[str, str], str | None]

# No hypothesis the reasoner forms from evidence alone is certain (a confirmed one is).
MAX_CONFIDENCE = 0.95
# A hypothesis another explains (a log error about a workload the cluster shows broken) keeps
# this much confidence; the one that explains it gains `PROMOTION`.
DEFERRED_FACTOR = 0.6
PROMOTION = 0.15


@dataclass(frozen=True)
class CaseFacts:
    """What the case's logs and history say beyond its notable lines.

    `earlier_cases`: how many of the team's earlier cases had each template (chronic errors
    rank low). `failures`: the failure each template's stack traces name (heads of one
    failure group together). `addresses`: the service listening at each address (a peer
    named by address is that service). `settings`: untimed lines stating a known setting's
    value, grouped `setting <name>` (cited by the hypotheses of failures it governs).
    `refused_ports`: ports connections were refused at on an address other than loopback.
    """

    earlier_cases: Mapping[str, int] = field(default_factory=dict)
    failures: Mapping[str, str] = field(default_factory=dict)
    addresses: Mapping[str, str] = field(default_factory=dict)
    settings: Sequence[AnalysedLine] = ()
    refused_ports: frozenset[int] = frozenset()


OrderKey = tuple[datetime, int, int]
LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass
class Candidate:
    """A possible cause: the lines of one signature (or one error group) in one component."""

    id: str
    signature: Signature | None
    component: str | None
    group: str
    lines: list[AnalysedLine]
    keys: list[OrderKey]
    count: int = 0
    earliness: float = 0.0
    score: float = 0.0
    confidence: float = 0.0
    consequence_of: "Candidate | None" = None
    explains: list["Candidate"] = field(default_factory=list)
    onset: int = 0
    background: bool = False
    also_in: list[str] = field(default_factory=list)
    folded: list["Candidate"] = field(default_factory=list)
    category: Category | None = None
    """Set when the candidate is named after what it explains (a heavy job filling a disk)."""
    earlier_cases: int = 0
    reporter: str | None = None
    """The component whose log holds the lines (the client, for a failure placed at a peer)."""
    settings: list[AnalysedLine] = field(default_factory=list)
    """Lines stating the settings that govern the failure (`max_allowed_packet = 64M`)."""

    @property
    def cause_category(self) -> Category | None:
        """The category it is named after: adopted from what it explains, else its signature's."""
        if self.category is not None:
            return self.category
        return self.signature.category if self.signature is not None else None

    @property
    def placed_elsewhere(self) -> bool:
        """Tell whether the failure was placed at another component than the one reporting it."""
        return self.reporter is not None and self.component != self.reporter

    def place_at(self, component: str | None) -> None:
        """Move the failure to where it lives, keeping where it was reported in `also_in`."""
        if self.component and self.component not in self.also_in:
            self.also_in.append(self.component)
        self.component = component

    def absorb(self, other: "Candidate") -> None:
        """Take another report of this failure in: cite it, and count its component as seeing it."""
        self.folded.append(other)
        if other.component and other.component not in [*self.also_in, self.component]:
            self.also_in.append(other.component)

    def follows_from(self, cause: "Candidate") -> None:
        """Record that this candidate is a consequence of `cause`, on both sides."""
        self.consequence_of = cause
        cause.explains.append(self)

    def stands_alone(self) -> None:
        """Undo an earlier link to a cause: a finding showed this failure is the cause."""
        if self.consequence_of is not None:
            self.consequence_of.explains.remove(self)
            self.consequence_of = None

    @property
    def first(self) -> AnalysedLine:
        """The candidate's first occurrence."""
        return self.lines[0]

    @property
    def first_key(self) -> OrderKey:
        """Where the first occurrence sits in the case's order of events."""
        return self.keys[0]

    @property
    def onset_key(self) -> OrderKey:
        """Where the problem began in earnest (after any earlier trickle)."""
        return self.keys[self.onset]

    @property
    def onset_line(self) -> AnalysedLine:
        """The occurrence at which the problem began in earnest."""
        return self.lines[self.onset]

    @property
    def is_cause_like(self) -> bool:
        """Tell whether the candidate is a known root-cause signature (not a symptom)."""
        return self.signature is not None and not self.signature.is_symptom

    @property
    def is_symptom_like(self) -> bool:
        """Tell whether the candidate reads as a symptom: a symptom signature or a consequence."""
        return self.consequence_of is not None or (
            self.signature is not None and self.signature.is_symptom
        )


def hypothesis_id(kind: str, name: str, component: str | None) -> str:
    """Derive a hypothesis id that stays the same for the same cause across turns."""
    digest = hashlib.sha1(f"{kind}|{name}|{component or ''}".encode(), usedforsecurity=False)
    return "h-" + digest.hexdigest()[:10]
