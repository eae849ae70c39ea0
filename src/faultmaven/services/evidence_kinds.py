"""Recognising what a piece of evidence is from its first bytes and its name."""

import csv
import io
import json
import re
from datetime import datetime

from faultmaven.domain.errors import UnsupportedEvidenceError
from faultmaven.domain.evidence import EvidenceKind
from faultmaven.integrations.kubernetes import is_kubernetes_text
from faultmaven.logs.severity import find_level
from faultmaven.logs.text import sniff_encoding
from faultmaven.logs.timestamps import find_timestamp
from faultmaven.metrics import is_metrics_text

SNIFF_BYTES = 64 * 1024
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
_EXECUTABLE_MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa")
_KUBECTL_DESCRIBE = re.compile(r"^Name:\s+\S+", re.MULTILINE)
_KUBECTL_NAMESPACE = re.compile(r"^Namespace:\s+\S+", re.MULTILINE)
_KUBECTL_EVENTS = re.compile(r"^(NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", re.M)
_YAML_OBJECT = re.compile(r"^apiVersion:\s*\S+", re.MULTILINE)
_YAML_KIND = re.compile(r"^kind:\s*[A-Z]\w+", re.MULTILINE)
_TIME_HEADER = re.compile(r"^(time|timestamp|date|datetime|ts|@timestamp)$", re.IGNORECASE)


def is_image(head: bytes) -> bool:
    """Tell whether the bytes start a PNG, JPEG or WebP picture."""
    return head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def refuse_binary(head: bytes, name: str) -> None:
    """Refuse content that is binary and none of the evidence kinds."""
    if sniff_encoding(head) == "utf-16":
        return
    if head.startswith(_EXECUTABLE_MAGIC) and _control_ratio(head) > 0.05:
        raise UnsupportedEvidenceError(f"{name!r} is an executable, not evidence FaultMaven reads")
    if b"\x00" in head[:8192] or _control_ratio(head) > 0.30:
        raise UnsupportedEvidenceError(
            f"{name!r} is binary data; send logs, metrics, Kubernetes output, text or a screenshot"
        )


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    sample = head[:8192]
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return control / len(sample)


def detect_kind(head_text: str, name: str) -> EvidenceKind:
    """Return the kind of textual evidence starting with `head_text`."""
    stripped = head_text.lstrip()
    if (
        _looks_like_prometheus_json(stripped)
        or _looks_like_metrics_csv(stripped)
        or is_metrics_text(stripped)
    ):
        return EvidenceKind.METRICS
    if _looks_like_kubernetes(stripped) or is_kubernetes_text(stripped):
        return EvidenceKind.KUBERNETES
    if _looks_like_log(head_text):
        return EvidenceKind.LOG
    if name.lower().endswith((".log", ".out", ".err")):
        return EvidenceKind.LOG
    return EvidenceKind.TEXT


def _looks_like_prometheus_json(text: str) -> bool:
    if not text.startswith("{"):
        return False
    return '"resultType"' in text[:2000] and '"result"' in text[:4000]


def _looks_like_metrics_csv(text: str) -> bool:
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:6]))))
    if len(rows) < 2 or len(rows[0]) < 2 or not _TIME_HEADER.match(rows[0][0].strip()):
        return False
    for row in rows[1:]:
        if len(row) != len(rows[0]) or not _is_time_value(row[0]):
            return False
        if not all(_is_number(cell) for cell in row[1:] if cell.strip()):
            return False
    return True


def _is_time_value(value: str) -> bool:
    value = value.strip()
    if _is_number(value):
        return True
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def _looks_like_kubernetes(text: str) -> bool:
    head = text[:20_000]
    if _KUBECTL_EVENTS.search(head):
        return True
    if _KUBECTL_DESCRIBE.search(head) and _KUBECTL_NAMESPACE.search(head):
        return True
    if _YAML_OBJECT.search(head) and _YAML_KIND.search(head):
        return True
    if head.startswith("{") and '"apiVersion"' in head and '"kind"' in head:
        try:
            document = json.loads(text)
        except ValueError:
            return '"metadata"' in head
        return isinstance(document, dict) and "kind" in document
    return False


def _looks_like_log(text: str) -> bool:
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    recognised = sum(1 for line in lines if find_timestamp(line) or find_level(line))
    return recognised / len(lines) >= 0.3
