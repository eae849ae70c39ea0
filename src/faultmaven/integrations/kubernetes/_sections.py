"""Find what kubectl printed in a text: describe blocks, tables, or object documents."""

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from faultmaven.integrations.kubernetes._text import KUBECTL_COMMAND, columns_of
from faultmaven.integrations.kubernetes._workloads import canonical_kind

_DESCRIBE_START = re.compile(r"^Name:\s+\S")
_DESCRIBE_COMMAND = re.compile(r"\bdescribe\s+([a-z]+)(?:/|\s+)([a-z0-9][\w.-]*)")
_NAMESPACE_OPTION = re.compile(r"(?:^|\s)(?:-n\s*|--namespace[=\s]+)([a-z0-9][\w.-]*)")
_KIND_ALIASES = {
    "deploy": "Deployment", "deployments": "Deployment", "hpa": "HorizontalPodAutoscaler",
    "po": "Pod", "pods": "Pod", "sts": "StatefulSet", "ds": "DaemonSet", "rs": "ReplicaSet",
    "svc": "Service", "no": "Node", "nodes": "Node", "pvc": "PersistentVolumeClaim",
    "cj": "CronJob", "ing": "Ingress",
}  # fmt: skip
_TOP_KEY = re.compile(r"^([A-Z][\w -]*?):(?:\s|$)")
_DESCRIBE_KEYS = frozenset(
    {"Namespace", "Labels", "Annotations", "Events", "Conditions", "Containers",
     "Init Containers", "Node", "Status", "Roles", "Taints", "Capacity", "Allocatable",
     "Selector", "Replicas", "Pods Statuses", "Pods Status", "Controlled By", "Priority",
     "Service Account", "Start Time", "CreationTimestamp", "QoS Class", "IP", "IPs",
     "Volumes", "Tolerations", "Node-Selectors", "StrategyType", "Pod Template",
     "Backoff Limit", "Completions", "Parallelism", "Unschedulable", "Lease", "Addresses",
     "System Info", "Update Strategy", "Volume Claims", "NewReplicaSet", "StorageClass",
     "Access Modes", "VolumeMode", "Used By", "Finalizers", "Reclaim Policy", "TargetPort",
     "Session Affinity", "IP Family Policy", "Subsets", "Ingress Class", "Default backend",
     "Created on", "Reference", "Min replicas", "Max replicas", "Provisioner",
     "IsDefaultClass", "AddressType"}
)  # fmt: skip
# `kubectl describe quota` prints its figures as a table right under Name and Namespace.
_QUOTA_HEADER = re.compile(r"^Resource\s{2,}Used\s{2,}Hard\s*$")
_PODS_HEADER = re.compile(
    r"^(?:NAMESPACE\s{2,})?NAME\s{2,}READY\s{2,}STATUS\s{2,}RESTARTS\s{2,}AGE\b"
)
_ENDPOINTS_HEADER = re.compile(r"^(?:NAMESPACE\s{2,})?NAME\s{2,}ENDPOINTS\s{2,}AGE\s*$")
# `kubectl top pods` (with -A, or --containers which adds a POD column before NAME).
_TOP_HEADER = re.compile(
    r"^(?:NAMESPACE\s{2,})?(?:POD\s{2,})?NAME\s{2,}CPU\(cores\)\s{2,}MEMORY\(bytes\)\s*$"
)
_NODES_HEADER = re.compile(r"^NAME\s{2,}STATUS\s{2,}ROLES\s{2,}AGE\s{2,}VERSION\b")
_SECRETS_HEADER = re.compile(r"^(?:NAMESPACE\s{2,})?NAME\s{2,}TYPE\s{2,}DATA\s{2,}AGE\s*$")
_EVENTS_HEADER = re.compile(r"^(?:NAMESPACE\s{2,})?LAST ?SEEN\s{2,}\S")
_YAML_START = re.compile(r"^(?:---\s*$|apiVersion:|kind:|items:|metadata:)")
_YAML_API_VERSION = re.compile(r"^apiVersion:\s*\S")
_YAML_KIND = re.compile(r"^kind:\s*\S")
_YAML_BODY = re.compile(r"^(?:metadata|items):")
_JSON_API_VERSION = re.compile(r'^\s+"apiVersion":\s*"')
_JSON_KIND = re.compile(r'^\s+"kind":\s*"')
_JSON_BODY = re.compile(r'^\s+"(?:metadata|items)":\s*[{\[]')
_JSON_KEYS = (_JSON_API_VERSION, _JSON_KIND, _JSON_BODY)
_JSON_LIMIT = 64 * 1024 * 1024
_DESCRIBE_LOOKAHEAD = 80
_OBJECT_LOOKAHEAD = 400


class SectionKind(StrEnum):
    """The kinds of kubectl output the reader understands."""

    DESCRIBE = "describe"
    EVENTS = "events"
    PODS = "pods"
    ENDPOINTS = "endpoints"
    TOP = "top"
    SECRETS = "secrets"
    NODES = "nodes"
    OBJECT_EVENTS = "object_events"
    OBJECTS = "objects"


@dataclass(frozen=True, slots=True)
class Section:
    """Lines `start`..`end - 1` (0-based) hold one kind of kubectl output."""

    kind: SectionKind
    start: int
    end: int


def object_section(lines: list[str], text: str) -> Section | None:
    """Find the YAML or JSON object documents the text is, after any leading command line."""
    start = next(
        (i for i, line in enumerate(lines[:20]) if line.strip() and not _is_preamble(line)),
        None,
    )
    if start is None:
        return None
    first = lines[start]
    if first.startswith("{"):
        found = _json_object(lines, start, text)
    elif _YAML_START.match(first):
        found = _yaml_object(lines[start : start + _OBJECT_LOOKAHEAD])
    else:
        found = False
    return Section(SectionKind.OBJECTS, start, len(lines)) if found else None


def _is_preamble(line: str) -> bool:
    return bool(KUBECTL_COMMAND.match(line)) or line.startswith("#")


def _yaml_object(head: list[str]) -> bool:
    return (
        any(_YAML_API_VERSION.match(line) for line in head)
        and any(_YAML_KIND.match(line) for line in head)
        and any(_YAML_BODY.match(line) for line in head)
    )


def _json_object(lines: list[str], start: int, text: str) -> bool:
    if lines[start].strip() == "{":
        head = lines[start + 1 : start + _OBJECT_LOOKAHEAD]
        return all(any(map(pattern.match, head)) for pattern in _JSON_KEYS)
    if len(text) > _JSON_LIMIT:
        return False
    try:
        document = json.loads(text[text.index("{") :])
    except ValueError:
        return False
    return (
        isinstance(document, dict)
        and isinstance(document.get("apiVersion"), str)
        and isinstance(document.get("kind"), str)
        and (isinstance(document.get("metadata"), dict) or isinstance(document.get("items"), list))
    )


def text_sections(lines: list[str]) -> list[Section]:
    """Find the describe blocks and tables in the lines, in order."""
    sections: list[Section] = []
    index = 0
    while index < len(lines):
        kind = _section_at(lines, index)
        if kind is None:
            index += 1
            continue
        end = _section_end(lines, index + 1, kind)
        sections.append(Section(kind, index, end))
        index = end
    return sections


def _section_at(lines: list[str], index: int) -> SectionKind | None:
    line = lines[index]
    if (
        index + 1 < len(lines)
        and lines[index + 1].rstrip() == "Events:"
        and described_object(line) is not None
    ):
        return SectionKind.OBJECT_EVENTS
    if _DESCRIBE_START.match(line) and _confirmed_describe(lines, index):
        return SectionKind.DESCRIBE
    if _EVENTS_HEADER.match(line) and _events_header(line):
        return SectionKind.EVENTS
    if _PODS_HEADER.match(line):
        return SectionKind.PODS
    if _ENDPOINTS_HEADER.match(line):
        return SectionKind.ENDPOINTS
    if _TOP_HEADER.match(line):
        return SectionKind.TOP
    if _SECRETS_HEADER.match(line):
        return SectionKind.SECRETS
    if _NODES_HEADER.match(line):
        return SectionKind.NODES
    return None


def described_object(line: str) -> tuple[str, str | None, str] | None:
    """Read `kubectl -n shop describe deploy search-api` as (kind, namespace, name).

    A describe cut down to its events (`| sed -n '/^Events:/,$p'`) shows only the command
    to say which object the events are about.
    """
    command = KUBECTL_COMMAND.match(line)
    found = _DESCRIBE_COMMAND.search(command.group(1)) if command else None
    if found is None:
        return None
    kind, name = found.group(1).lower(), found.group(2)
    namespace = _NAMESPACE_OPTION.search(command.group(1)) if command else None
    return (
        _KIND_ALIASES.get(kind, canonical_kind(kind)),
        namespace.group(1) if namespace else None,
        name,
    )


def _events_header(line: str) -> bool:
    titles = {column.title for column in columns_of(line)}
    return {"TYPE", "REASON", "MESSAGE"} <= titles and bool(titles & {"OBJECT", "KIND"})


def _confirmed_describe(lines: list[str], index: int) -> bool:
    """Whether a `Name:` line starts a describe block: two more of kubectl's top-level keys."""
    seen: set[str] = set()
    for line in lines[index + 1 : index + 1 + _DESCRIBE_LOOKAHEAD]:
        if _is_boundary(line):
            break
        match = _TOP_KEY.match(line)
        key = match.group(1) if match else ("Resource" if _QUOTA_HEADER.match(line) else None)
        if key in _DESCRIBE_KEYS or key == "Resource":
            seen.add(key)
            if len(seen) >= 2:
                return True
    return False


def _is_boundary(line: str) -> bool:
    return bool(
        _DESCRIBE_START.match(line)
        or KUBECTL_COMMAND.match(line)
        or _PODS_HEADER.match(line)
        or _ENDPOINTS_HEADER.match(line)
        or _TOP_HEADER.match(line)
        or _SECRETS_HEADER.match(line)
        or _NODES_HEADER.match(line)
        or (_EVENTS_HEADER.match(line) and _events_header(line))
    )


def _section_end(lines: list[str], index: int, kind: SectionKind) -> int:
    while index < len(lines):
        line = lines[index]
        if _is_boundary(line) or (kind is not SectionKind.DESCRIBE and not line.strip()):
            return index
        index += 1
    return index
