"""An Ingress whose TLS Secret does not exist in its own namespace.

`kubectl describe ingress storefront` prints `TLS:` and under it `storefront-tls
terminates www.example.com`. The controller looks that Secret up in the Ingress's own
namespace; when `kubectl get secrets` over that namespace has no such Secret (it may sit in
another namespace after a move), the controller serves its default self-signed
certificate and every client fails verification. The Ingress's TLS reference is the
cause; certificate errors at the clients are its symptoms.
"""

import re
import shlex
from collections.abc import Sequence

from pydantic import BaseModel, Field

from faultmaven.domain.kubernetes import KubernetesFinding, LineSpan
from faultmaven.integrations.kubernetes._facts import ObjectFacts
from faultmaven.integrations.kubernetes._reasons import profile
from faultmaven.integrations.kubernetes._text import (
    KUBECTL_COMMAND,
    OBJECT_NAME,
    cells_of,
    columns_of,
    span,
)

TLS_SECRET_NOT_FOUND = "TLSSecretNotFound"
_TERMINATES = re.compile(r"^\s+(?P<secret>[a-z0-9][-a-z0-9.]*) terminates (?P<hosts>\S+)\s*$")
# A listing cut down by labels, a pipe or a field other than the TLS type is not complete.
_NARROWING = re.compile(r"(?:^|\s)(?:-l|--selector)(?:\s|=)|\|")
_FIELD_SELECTOR = re.compile(r"--field-selector(?:=|\s+)(\S+)")
_TLS_TYPE_ONLY = "type=kubernetes.io/tls"


class TlsReference(BaseModel):
    """A Secret an Ingress terminates TLS with, as `describe ingress` shows it."""

    namespace: str
    ingress: str
    workload: str | None = None
    secret: str
    hosts: str
    lines: list[LineSpan] = Field(min_length=1)


class SecretListing(BaseModel):
    """A complete `kubectl get secrets` listing: which namespaces it covers, what it holds.

    `namespaces` is empty for a listing over all namespaces (`-A`).
    """

    namespaces: list[str] = Field(default_factory=list)
    secrets: dict[str, int] = Field(default_factory=dict)
    """`namespace/name` -> the 1-based line of its row."""
    header_line: int


def tls_references(
    lines: list[str], start: int, end: int, ingress: ObjectFacts
) -> list[TlsReference]:
    """Read the `secret terminates hosts` lines of a described Ingress's `TLS:` section."""
    if ingress.namespace is None:
        return []
    found: list[TlsReference] = []
    inside = False
    for index in range(start, end):
        text = lines[index]
        if text.startswith("TLS:"):
            inside = True
            continue
        if inside and text and not text[0].isspace():
            break
        match = _TERMINATES.match(text) if inside else None
        if match is not None:
            found.append(
                TlsReference(
                    namespace=ingress.namespace, ingress=ingress.name, workload=ingress.workload,
                    secret=match.group("secret"), hosts=match.group("hosts"),
                    lines=[span(index + 1)],
                )
            )  # fmt: skip
    return found


def read_secret_listing(lines: list[str], start: int, end: int) -> SecretListing | None:
    """Read a `kubectl get secrets` table; None when it may not list every Secret it covers.

    Without a NAMESPACE column the namespace comes from the command line above it
    (`kubectl -n web get secrets`); a listing narrowed by labels or a pipe proves nothing.
    """
    columns = columns_of(lines[start])
    all_namespaces = any(column.title == "NAMESPACE" for column in columns)
    command = _command_above(lines, start)
    if command is not None and not _complete(command):
        return None
    namespace = None if all_namespaces else _namespace_of(command)
    if not all_namespaces and namespace is None:
        return None
    secrets: dict[str, int] = {}
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns)
        name = cells.get("NAME", "")
        if OBJECT_NAME.match(name):
            secrets[f"{cells.get('NAMESPACE') or namespace}/{name}"] = index + 1
    return SecretListing(
        namespaces=[] if namespace is None else [namespace], secrets=secrets, header_line=start + 1
    )


def _command_above(lines: list[str], start: int) -> str | None:
    for index in range(start - 1, max(start - 3, -1), -1):
        match = KUBECTL_COMMAND.match(lines[index])
        if match:
            return match.group(1)
        if lines[index].strip():
            return None
    return None


def _complete(command: str) -> bool:
    if _NARROWING.search(command):
        return False
    fields = _FIELD_SELECTOR.search(command)
    return fields is None or fields.group(1).strip("'\"") == _TLS_TYPE_ONLY


def _namespace_of(command: str | None) -> str | None:
    if command is None:
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    for index, word in enumerate(words):
        if word in ("-n", "--namespace") and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--namespace="):
            return word.partition("=")[2]
    return None


def missing_tls_secrets(
    references: Sequence[TlsReference], listings: Sequence[SecretListing]
) -> list[tuple[KubernetesFinding, KubernetesFinding]]:
    """Report each Ingress TLS Secret a listing of its namespace does not hold.

    Each report is a pair about the same Ingress: one finding citing its `TLS:` line,
    one citing the listing (rows of a same-named Secret in other namespaces, else its
    header), so that a case read as a whole folds them into one finding.
    """
    reports: list[tuple[KubernetesFinding, KubernetesFinding]] = []
    for reference in references:
        key = f"{reference.namespace}/{reference.secret}"
        covering = [
            listing
            for listing in listings
            if not listing.namespaces or reference.namespace in listing.namespaces
        ]
        if not covering or any(key in listing.secrets for listing in covering):
            continue
        elsewhere = sorted(
            {
                (name, line)
                for listing in listings
                for name, line in listing.secrets.items()
                if name.partition("/")[2] == reference.secret
            }
        )
        where = ""
        if elsewhere:
            namespaces = ", ".join(name.partition("/")[0] for name, _ in elsewhere)
            where = f" (a Secret of that name exists in namespace {namespaces})"
        message = (
            f"Ingress {reference.ingress} terminates TLS for {reference.hosts} with Secret "
            f"{reference.secret}, which does not exist in namespace {reference.namespace}"
            f"{where}: the controller serves its default certificate instead"
        )
        listed = [span(line) for _, line in elsewhere] or [span(covering[0].header_line)]
        reports.append(
            (
                _finding(reference, message, reference.lines),
                _finding(reference, message, listed),
            )
        )
    return reports


def _finding(reference: TlsReference, message: str, lines: list[LineSpan]) -> KubernetesFinding:
    return KubernetesFinding(
        kind="Ingress",
        namespace=reference.namespace,
        name=reference.ingress,
        workload=reference.workload,
        reason=TLS_SECRET_NOT_FOUND,
        category=profile(TLS_SECRET_NOT_FOUND).category,
        severity=profile(TLS_SECRET_NOT_FOUND).severity,
        message=message,
        details={"secret": reference.secret, "hosts": reference.hosts},
        lines=lines,
    )
