"""Pasted command output in a case's text evidence, as lines the reasoner weighs.

Each abnormal table row (a full filesystem, a client hoarding database sessions) becomes
one untimed line with its snapshot signature; the reasoner attaches it to the dated
failures it explains.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind, Level
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID
from faultmaven.services.session_holders import account_owners
from faultmaven.snapshots import SnapshotFinding, read_snapshots

# A finding spanning more lines is cited by its first line alone.
MAX_QUOTED_LINES = 30
# Each finding kind reads as the snapshot signature named after it.
_PREFIX = "snapshot_"
_HELD = f"{_PREFIX}connections_held"
# Findings whose subject names the component the finding is about.
_SUBJECT_IS_COMPONENT = frozenset(
    {
        "connections_held",
        "timeout_lowered",
        "health_check_code_mismatch",
        "route_missing",
        "node_dns_cache_missing",
        "api_service_unavailable",
        "endpoints_hand_written",
        "host_blocked",
        "redis_slow_script",
        "cross_zone_disabled",
        "pod_cpu_hog",
        "selector_shared",
        "default_ingress_class",
        "cronjob_suspended",
        "proxy_timeout_set",
        "redis_evicting",
        "private_zone",
        "rewrite_to_root",
        "read_only_root",
        "transaction_left_open",
    }
)
# Findings about the host the command ran on: placed at it when the prompt names it.
_HOST_IS_COMPONENT = frozenset(
    {
        "filesystem_full",
        "inodes_full",
        "listen_queue_full",
        "trust_store_outdated",
        "clock_unsynchronised",
        "tls_settings_refuse",
        "sync_standby_missing",
        "hosts_file_pin",
        "dns_tcp_blocked",
        "linklocal_allowance_exceeded",
        "allowance_exceeded",
        "softirq_one_cpu",
        "upstream_resolved_once",
        "must_staple_unstapled",
        "zone_reclaim_on",
        "certificate_without_san",
        "first_resolver_dead",
    }
)


def snapshot_lines(
    connection: Connection,
    case_id: uuid.UUID,
    ready: Sequence[Evidence],
    texts: Mapping[str, list[str]],
) -> list[AnalysedLine]:
    """Return one line per abnormal row of the command output pasted in the case's text.

    `texts` are the short items' lines (`pasted_texts`). A database account holding the
    sessions is named after the service configured with it, whose configuring line joins
    the row.
    """
    found: list[AnalysedLine] = []
    for item in ready:
        if item.id not in texts:
            continue
        lines = texts[item.id]
        for finding in read_snapshots(lines):
            found.append(
                AnalysedLine(
                    evidence_id=item.id,
                    evidence_name=item.name,
                    n=finding.line_start,
                    text=lines[finding.line_start - 1],
                    continuation=_continuation(lines, finding),
                    time=None,
                    level=Level.WARN,
                    group=" ".join(filter(None, (finding.kind, finding.subject, finding.scope))),
                    signature=_signature(finding.kind),
                    component=_component(finding),
                    host=finding.host,
                )
            )
    return _held_by_services(connection, case_id, ready, found)


def _continuation(lines: Sequence[str], finding: SnapshotFinding) -> tuple[str, ...]:
    """Return the finding's lines after its first, to quote with it; none past a readable span."""
    if finding.line_end - finding.line_start >= MAX_QUOTED_LINES:
        return ()
    return tuple(lines[finding.line_start : finding.line_end])


def _held_by_services(
    connection: Connection,
    case_id: uuid.UUID,
    ready: Sequence[Evidence],
    found: list[AnalysedLine],
) -> list[AnalysedLine]:
    """Name each account hoarding sessions after its service, adding the configuring line."""
    held = {line.component for line in found if line.signature == _HELD and line.component}
    if not held:
        return found
    names = {uuid.UUID(item.id): item.name for item in ready if item.kind is EvidenceKind.LOG}
    owners = account_owners(connection, case_id, names, held)
    named: list[AnalysedLine] = []
    for line in found:
        owner = owners.get(line.component or "") if line.signature == _HELD else None
        if owner is None:
            named.append(line)
            continue
        service, configuring = owner
        named.append(replace(line, component=service))
        named.append(
            replace(
                configuring,
                time=None,
                group=f"{line.group} configured",
                signature=_HELD,
                component=service,
            )
        )
    return named


def _signature(kind: str) -> str:
    """Name the snapshot signature of a finding kind; a kind without one is a bug."""
    signature = f"{_PREFIX}{kind}"
    if signature not in SNAPSHOT_SIGNATURES_BY_ID:
        raise KeyError(f"no snapshot signature for finding kind {kind!r}")
    return signature


def _component(finding: SnapshotFinding) -> str | None:
    if finding.kind in _SUBJECT_IS_COMPONENT:
        return finding.subject or None
    return finding.host if finding.kind in _HOST_IS_COMPONENT else None
