"""IngressClasses (`kubectl get ingressclass`): which one is the cluster's default.

An Ingress created without `ingressClassName` is given the default class at creation. When
a second controller's class is installed marked `is-default-class`, new or recreated
Ingresses land on it and the controller that served them before ignores them. The reader
reports the default-marked class and the Ingress rows (`kubectl get ingress`) on it; the
reasoner blames the class only when a controller is seen ignoring an Ingress.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import named_by_command

# The annotation as JSON (`-o jsonpath='{.metadata.annotations}'`, `-o json`) or YAML.
_DEFAULT_MARK = re.compile(r"""ingressclass\.kubernetes\.io/is-default-class"?\s*[:=]\s*"?true\b""")
_CLASS_COMMAND = re.compile(r"\bget\s+ingressclass(?:es)?(?:\.[\w.]+)?\s+(?P<name>[a-z0-9][\w.-]*)")
_METADATA_NAME = re.compile(r"^\s*name:\s*(?P<name>[a-z0-9][\w.-]*)\s*$")
_INGRESS_HEADER = re.compile(r"^(?:NAMESPACE\s+)?NAME\s+CLASS\s+HOSTS\b")


def ingress_class_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the default-marked IngressClass and the Ingress rows listed on it."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if not _DEFAULT_MARK.search(line):
            continue
        name = _class_named(lines, number)
        if name is None:
            continue
        found.append(_finding(name, number, f"IngressClass {name} is marked the cluster's default"))
        found += _ingresses_on(lines, name)
    return found


def _class_named(lines: Sequence[str], number: int) -> str | None:
    """Return the class the mark belongs to: the command above it, else its metadata name."""
    commanded = named_by_command(lines, number, _CLASS_COMMAND, this_output=False)
    if commanded is not None:
        return commanded
    for line in lines[number:]:
        named = _METADATA_NAME.match(line)
        if named is not None:
            return named.group("name")
        if line.startswith("$ ") or not line.strip():
            break
    return None


def _ingresses_on(lines: Sequence[str], name: str) -> list[SnapshotFinding]:
    """Return the rows of `kubectl get ingress` tables whose CLASS is `name`."""
    found: list[SnapshotFinding] = []
    class_column: int | None = None
    for number, line in enumerate(lines, start=1):
        if _INGRESS_HEADER.match(line):
            class_column = line.split().index("CLASS")
            continue
        cells = line.split()
        if class_column is None or len(cells) <= class_column:
            class_column = None
            continue
        if cells[class_column] == name:
            ingress = cells[class_column - 1]
            found.append(_finding(name, number, f"Ingress {ingress} is served by class {name}"))
    return found


def _finding(name: str, number: int, detail: str) -> SnapshotFinding:
    return SnapshotFinding(
        kind="default_ingress_class",
        subject=name,
        line_start=number,
        line_end=number,
        detail=detail,
    )
