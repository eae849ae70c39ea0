"""`kubectl logs` output pasted inside kubectl evidence, as lines the reasoner weighs.

The Kubernetes reader reads a kubectl file as cluster state, so its lines are not log
lines; the few lines a pasted `kubectl logs <pod>` printed are, and they often say why
the pod crashes. Each line matching a failure signature becomes an untimed line of the
pod's workload.
"""

import re
from collections.abc import Mapping, Sequence

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind, Level
from faultmaven.domain.workloads import workload_name
from faultmaven.reasoning import match_signature
from faultmaven.snapshots.pod_log_sections import pod_log_sections

_NUMBER = re.compile(r"\d+")


def pasted_pod_log_lines(
    ready: Sequence[Evidence], texts: Mapping[str, list[str]]
) -> list[AnalysedLine]:
    """Return the signature-matching lines of `kubectl logs` output in kubectl evidence."""
    found: list[AnalysedLine] = []
    for item in ready:
        if item.kind is not EvidenceKind.KUBERNETES or item.id not in texts:
            continue
        for section in pod_log_sections(texts[item.id]):
            workload = workload_name(section.pod)
            for number, text in section.lines:
                signature = match_signature(text)
                if signature is None:
                    continue
                found.append(
                    AnalysedLine(
                        evidence_id=item.id,
                        evidence_name=item.name,
                        n=number,
                        text=text,
                        time=None,
                        level=Level.ERROR,
                        group=_NUMBER.sub("<*>", text),
                        signature=signature,
                        component=workload,
                    )
                )
    return found
