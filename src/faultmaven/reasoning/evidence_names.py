"""The names evidence gives for where a cause lives: namespace, pod, service, host and table.

They fill the placeholders of playbook commands, so a value is taken only when the evidence
states it plainly; a wrong name in a command is worse than none. Kubernetes findings are
read first (the cluster's own words), then the cited lines, then the evidence file names.
"""

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from faultmaven.domain.kubernetes import KubernetesFinding

_NAME = r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?"
# `key=value`, `key="value"`, `"key": "value"` or `Key:  value`; not `host:8080`.
_IS = r"(?:\s*=\s*[\"']?|[\"']\s*:\s*[\"']|:\s+[\"']?)"
# A pod's name has a hyphen or digit (`web-0`, `checkout-7d9f8c6b5d-x2k4q`): `pod: failed` is prose.
_POD = re.compile(
    rf"\bpod(?:_?name)?{_IS}(?:(?P<namespace>{_NAME})/)?(?P<pod>(?=[a-z.]*[-0-9]){_NAME})(?![\w.-])"
)
_NAMESPACE = re.compile(rf"\b[Nn]amespace(?:_name)?{_IS}({_NAME})(?![\w.-])")
# The kubelet names a pod `name_namespace(uid)` in its messages.
_KUBELET_POD = re.compile(rf"\b({_NAME})_({_NAME})\([0-9a-f-]{{36}}\)")
# /var/log/containers/<pod>_<namespace>_<container>-<container id>.log
_CONTAINER_LOG = re.compile(rf"^({_NAME})_({_NAME})_{_NAME}-[0-9a-f]{{64}}\.log$")
# /var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<restart>.log
_POD_LOG_FOLDER = re.compile(rf"^({_NAME})_({_NAME})_[0-9a-f-]{{36}}$")
_SYSLOG_HOST = re.compile(
    r"^(?:<\d+>)?(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\S+)"
    r" (?P<host>[A-Za-z0-9][A-Za-z0-9._-]*) [\w./-]+(?:\[\d+\])?:"
)
_SYSLOG_5424_HOST = re.compile(r"^<\d+>1 \S+ (?P<host>[A-Za-z0-9][A-Za-z0-9._-]*) ")
_HOST_FIELD = re.compile(rf"\bhost(?:name)?{_IS}(?P<host>[A-Za-z0-9][\w.-]*)")
# A level word where a syslog line has its host is some other format's timestamp and level.
_LEVELS = frozenset(
    {"trace", "debug", "info", "notice", "warn", "warning", "error", "err", "fatal", "critical"}
)
# PostgreSQL's `connection received: host=...` names the client, not the server.
_CLIENT_HOST_LINE = re.compile(r"connection (?:received|authorized)")
_TABLE_PATTERNS = (
    re.compile(r"\brelation \"(?P<table>[\w.]+)\""),
    re.compile(r"\b(?:UPDATE|INSERT INTO|DELETE FROM|FROM|JOIN)\s+[`\"]?(?P<table>[\w.`\"]+)"),
    re.compile(r"\b[Tt]able\s+[`\"']?(?P<table>[\w.`\"']+)"),
)
_NOT_TABLES = frozenset({"a", "an", "and", "does", "for", "has", "in", "is", "of", "the", "to"})


def names_from_evidence(
    cited_texts: Sequence[str],
    *,
    evidence_names: Sequence[str] = (),
    findings: Sequence[KubernetesFinding] = (),
    component: str | None = None,
) -> dict[str, str]:
    """Return the names the evidence states, keyed by placeholder; unknown names are absent.

    `cited_texts` are a hypothesis's cited lines, `evidence_names` the names of the evidence
    they come from, `findings` the Kubernetes findings about the same object, and
    `component` the hypothesis's component, which is the service.
    """
    names: dict[str, str] = {}
    for finding in findings:
        _from_finding(finding, names)
    lines = [line for text in cited_texts for line in text.splitlines()]
    for line in lines:
        _from_line(line, names)
    for evidence_name in evidence_names:
        _from_file_name(evidence_name, names)
    if component:
        names.setdefault("service", component)
    return names


def _from_finding(finding: KubernetesFinding, names: dict[str, str]) -> None:
    if finding.namespace:
        names.setdefault("namespace", finding.namespace)
    if finding.kind == "Pod":
        names.setdefault("pod", finding.name)
    if finding.kind == "Node":
        names.setdefault("host", finding.name)
    elif finding.node:
        names.setdefault("host", finding.node)


def _from_line(line: str, names: dict[str, str]) -> None:
    if pod := _POD.search(line):
        names.setdefault("pod", pod.group("pod"))
        if pod.group("namespace"):
            names.setdefault("namespace", pod.group("namespace"))
    if kubelet := _KUBELET_POD.search(line):
        names.setdefault("pod", kubelet.group(1))
        names.setdefault("namespace", kubelet.group(2))
    if namespace := _NAMESPACE.search(line):
        names.setdefault("namespace", namespace.group(1))
    if host := _host(line):
        names.setdefault("host", host)
    if table := _table(line):
        names.setdefault("table", table)


def _host(line: str) -> str | None:
    for pattern in (_SYSLOG_HOST, _SYSLOG_5424_HOST):
        match = pattern.match(line)
        if match and match.group("host") != "-" and match.group("host").lower() not in _LEVELS:
            return match.group("host")
    if _CLIENT_HOST_LINE.search(line):
        return None
    field = _HOST_FIELD.search(line)
    return field.group("host") if field else None


def _table(line: str) -> str | None:
    """Return the table a SQL error names, without its schema (`shop.orders` -> `orders`)."""
    for pattern in _TABLE_PATTERNS:
        for match in pattern.finditer(line):
            table = match.group("table").strip("`\"'.").split(".")[-1].strip("`\"'")
            if table and table.lower() not in _NOT_TABLES and re.fullmatch(r"\w+", table):
                return table
    return None


def _from_file_name(evidence_name: str, names: dict[str, str]) -> None:
    path = PurePosixPath(evidence_name)
    if match := _CONTAINER_LOG.match(path.name):
        names.setdefault("pod", match.group(1))
        names.setdefault("namespace", match.group(2))
        return
    for folder in path.parts[:-1]:
        if match := _POD_LOG_FOLDER.match(folder):
            names.setdefault("namespace", match.group(1))
            names.setdefault("pod", match.group(2))
            return
