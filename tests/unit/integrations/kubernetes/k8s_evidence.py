"""Helpers shared by the Kubernetes evidence tests: samples, findings, cited text."""

import re
from pathlib import Path

from faultmaven.domain.kubernetes import KubernetesEvidence, KubernetesFinding

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def numbered_lines(text: str) -> list[str]:
    """Lines as CONTRACTS.md section 1 numbers them: split on \\n, \\r\\n or a lone \\r."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def cited(text: str, finding: KubernetesFinding) -> str:
    """The text of every line range a finding cites, joined by line feeds."""
    lines = numbered_lines(text)
    return "\n".join(
        "\n".join(lines[span.line_start - 1 : span.line_end]) for span in finding.lines
    )


def only(evidence: KubernetesEvidence, reason: str, name: str | None = None) -> KubernetesFinding:
    """The one finding with `reason` (about object `name` when given)."""
    found = [
        finding
        for finding in evidence.findings
        if finding.reason == reason and (name is None or finding.name == name)
    ]
    assert len(found) == 1, [(each.reason, each.name) for each in evidence.findings]
    return found[0]


def reasons(evidence: KubernetesEvidence) -> list[str]:
    return [finding.reason for finding in evidence.findings]
