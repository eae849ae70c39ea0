"""Name a failure after the one numbered instance it happens on, when the case holds several.

File names are shortened to their service (`mongo-2.log` -> `mongo`), since `web-1.log` and
`web-2.log` usually hold one service's replicas failing alike. When the case holds logs of
several numbered instances and a failure's own lines all come from one of them (`mongo-2`
too stale to sync, `mongo-1` fine), that instance is where it lives, and it is named so.
So it is when another file already names the instance (`build-cache-01-messages` is
`build-cache-01`'s own log, so its `build-cache-01-access.log` is not a plain `build-cache`).
"""

import re
from collections.abc import Sequence

from faultmaven.domain.evidence import EvidenceSummary
from faultmaven.domain.service_names import evidence_file_name, evidence_stem
from faultmaven.reasoning.candidates import Candidate

# Several instances of a service make their numbers meaningful.
MIN_INSTANCES = 2


def name_instances(candidates: Sequence[Candidate], evidence: Sequence[EvidenceSummary]) -> None:
    """Rename, in place, each failure seen on only one of several numbered instances."""
    names = [item.evidence_name for item in evidence]
    instances = _instances_by_service(names)
    stems = {evidence_stem(name) for name in names}
    for candidate in candidates:
        service = candidate.component
        if service is None:
            continue
        numbered = instances.get(service, set())
        if len(numbered) < MIN_INSTANCES and not numbered & stems:
            continue
        own = {
            _instance(line.evidence_name, service)
            for line in candidate.lines
            if evidence_stem(line.evidence_name) == service
        }
        if len(own) == 1 and None not in own:
            [instance] = own
            candidate.component = instance


def _instances_by_service(names: Sequence[str]) -> dict[str, set[str]]:
    """Map each service to the numbered instances the case's file names spell."""
    found: dict[str, set[str]] = {}
    for name in names:
        service = evidence_stem(name)
        instance = _instance(name, service) if service else None
        if service and instance:
            found.setdefault(service, set()).add(instance)
    return found


def _instance(evidence_name: str, service: str) -> str | None:
    """Return `mongo-2` for `logs/mongo-2.log` of service `mongo`; None when unnumbered."""
    base = evidence_file_name(evidence_name)
    numbered = re.match(
        rf"(?:kubectl[-_])?(?:logs[-_])?({re.escape(service.lower())}[-_]?\d{{1,3}})(?![\w])",
        base,
    )
    return numbered.group(1) if numbered else None
