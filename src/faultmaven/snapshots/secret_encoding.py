"""Kubernetes Secrets (`kubectl get secret -o yaml`, a manifest or its diff) encoded twice.

A Secret's `data` holds base64; `stringData` holds plain text the API server encodes.
Putting an already-encoded value under `stringData` (or encoding it again under `data`)
stores the base64 text itself: the pod then reads `c2tf...` instead of `sk_...` and every
call it signs with it is refused. The reader flags a `data` value that decodes to base64
text, and a `stringData` value that is base64 text, when that text decodes to printable
characters (a random token is not base64 of text).
"""

import base64
import binascii
import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import named_by_command

# `data:` or `stringData:` opening a block, in YAML or in a unified diff of it.
_BLOCK = re.compile(r"^[+\- ]?(?P<indent>\s*)(?P<block>data|stringData):\s*$")
_ENTRY = re.compile(
    r"^[+\- ]?(?P<indent>\s+)(?P<key>[\w.-]+):\s+\"?(?P<value>[A-Za-z0-9+/=]+)\"?\s*$"
)
_SECRET_NAME = re.compile(r"\bsecrets?[/ ](?P<name>[a-z0-9][a-z0-9.-]*)")
_BASE64_TEXT = re.compile(r"^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
# Shorter values (a port, a flag) decode to text by chance too often to tell anything.
_SHORTEST_ENCODED = 16


def secret_encoding_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each Secret value a pasted manifest or `get secret` output holds encoded twice."""
    found: list[SnapshotFinding] = []
    block: str | None = None
    indent = ""
    for number, line in enumerate(lines, start=1):
        opened = _BLOCK.match(line)
        if opened is not None:
            block, indent = opened.group("block"), opened.group("indent")
            continue
        if block is None:
            continue
        body = line[1:] if line[:1] in "+- " else line
        if body.strip() and len(body) - len(body.lstrip()) <= len(indent):
            block = None
            continue
        entry = _ENTRY.match(line)
        if entry is None:
            continue
        value = entry.group("value")
        inner = _decoded_text(value) if block == "data" else value
        if inner is None or _decoded_text(inner) is None:
            continue
        found.append(
            SnapshotFinding(
                kind="secret_encoded_twice",
                subject=_secret_name(lines, number) or entry.group("key"),
                line_start=number,
                line_end=number,
                detail=(
                    f"{entry.group('key')} under {block} holds base64 text ({inner[:4]}...),"
                    " so the pod reads the encoded value, not the secret"
                ),
            )
        )
    return found


def _decoded_text(value: str) -> str | None:
    """Return what a base64 value decodes to when that is printable text, else None."""
    if len(value) < _SHORTEST_ENCODED or not _BASE64_TEXT.match(value):
        return None
    try:
        text = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() and not text.isspace() else None


def _secret_name(lines: Sequence[str], number: int) -> str | None:
    """Return the Secret named by the nearest command or path above line `number`."""
    named = named_by_command(lines, number, _SECRET_NAME, this_output=False)
    return re.sub(r"\.ya?ml$", "", named) if named is not None else None
