"""Snapshot rules for a cluster's state: what pasted kubectl output says dated failures are.

- an aggregated API registered but unavailable: namespaces never finish deleting and
  discovery stays incomplete (or its backing service's own failure is the cause);
- a Secret whose value is base64-encoded twice: the service reading it has its credential
  refused;
- pods of a second workload matching a Service's selector: a share of its requests fail,
  and the second workload's own failures are the cause;
- an IngressClass newly marked default: a controller ignores an Ingress;
- a CronJob left suspended: its readers report stale data;
- a selectorless Service whose hand-written Endpoints name an old address: its clients'
  connections through it fail;
- an Ingress rewriting every request under its path to `/`: requests under the path get 404;
- a container's root filesystem made read-only: its writes fail with EROFS.
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.stale_data import reports_stale_data
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.snapshot_blame import (
    Blame,
    Find,
    blame_named_after_snapshot,
    dated_failures,
    most_reported,
    others_follow,
)

# What an unavailable aggregated API does to its cluster: namespaces that never finish
# deleting, discovery left incomplete, autoscalers without their metrics.
_DISCOVERY_VICTIM = re.compile(
    r"\bTerminating\b|being terminated|complete list of server APIs|unable to handle the"
    r" request|\b(?:custom|external)\.metrics\.k8s\.io\b|failed to get \S+ (?:object )?metric",
    re.IGNORECASE,
)


def _discovery_victims(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the backing service's own dated failure, else the discovery victim reported most.

    metrics-server failing its TLS handshakes is why its APIService is unavailable: that
    failure is the cause the snapshot supports. With no failure of its own logged, the
    service is gone, and the failures showing discovery or deletion stuck are the snapshot's.
    """
    dated = [c for c in dated_failures(candidates) if c is not snapshot]
    own = [c for c in dated if c.component == snapshot.component]
    if own:
        return most_reported(own)
    return most_reported(c for c in dated if _stuck(c))


def _blame_unavailable_api(
    failing: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Fold the snapshot into its service's own failure, else name the victims after it."""
    if failing.component != snapshot.component:
        blame_named_after_snapshot(failing, snapshot, candidates)
        return
    failing.folded.insert(0, snapshot)
    others_follow(failing, candidates, _stuck)


def _stuck(candidate: Candidate) -> bool:
    """Tell whether a failure's lines show discovery or deletion stuck."""
    return any(_DISCOVERY_VICTIM.search(line.text) for line in candidate.lines)


def _refused_credentials(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated refusal of a credential reported most (401s, invalid keys)."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c is not snapshot and c.cause_category is Category.PERMISSION
    )


def _blame_where_refused(
    failing: Candidate, snapshot: Candidate, _candidates: list[Candidate]
) -> None:
    """Name the refusals after the snapshot, left at the service sending the credential."""
    failing.folded.insert(0, snapshot)
    failing.signature = snapshot.signature


def _own_failures(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure the snapshot's own component reports most, if any."""
    return most_reported(c for c in dated_failures(candidates) if c.component == snapshot.component)


def _ignored_ingresses(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated reports of a controller ignoring an Ingress for its class."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c.signature is not None and c.signature.id == "ingress_class_ignored"
    )


def _stale_data_reports(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most whose lines say data is stale."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if any(reports_stale_data(line.text) for line in c.lines)
    )


def _blame_joined_workload(
    failing: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Name the joined workload's failures after the snapshot; they are as old as its pods.

    A canary's log begins when its pod started: failing from its first minute on is not
    background but the pod being wrong from the start.
    """
    blame_named_after_snapshot(failing, snapshot, candidates)
    failing.background = False


def _naming_service(snapshot: Candidate) -> re.Pattern[str] | None:
    """Return a pattern finding the Service's name as a host name in a line, if it has one."""
    if not snapshot.component:
        return None
    return re.compile(rf"(?<![\w.-]){re.escape(snapshot.component)}(?![\w-])")


def _through_service(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure with most lines naming the Service (connecting through it)."""
    named = _naming_service(snapshot)
    if named is None:
        return None
    failures = dated_failures(candidates)
    counts = {c.id: sum(1 for line in c.lines if named.search(line.text)) for c in failures}
    return max(
        (c for c in failures if counts[c.id]), key=lambda c: (counts[c.id], c.id), default=None
    )


def _blame_stale_endpoints(
    failing: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Name the failure after the Endpoints; other failures naming the Service follow from it.

    Timeouts to other peers may share the failure's signature and begin earlier: the failure
    begins with its first line naming the Service.
    """
    blame_named_after_snapshot(failing, snapshot, candidates)
    named = _naming_service(snapshot)
    through = [i for i, line in enumerate(failing.lines) if named and named.search(line.text)]
    if through and through[0] > failing.onset:
        failing.onset, failing.background = through[0], False
    if named is not None:
        others_follow(
            failing, candidates, lambda c: any(named.search(line.text) for line in c.lines)
        )


def _not_found_under(snapshot: Candidate) -> re.Pattern[str] | None:
    """Return a pattern of a request under the rewritten path answered 404, from the scope."""
    path = snapshot.first.group.split()[-1]
    if not path.startswith("/"):
        return None
    return re.compile(rf"{re.escape(path.rstrip('/'))}(?:[/?\s\"]).*\s404\s")


def _requests_not_found(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure with most requests under the rewritten path answered 404."""
    pattern = _not_found_under(snapshot)
    if pattern is None:
        return None
    counts = [
        (sum(1 for line in c.lines if pattern.search(line.text)), c.id, c)
        for c in dated_failures(candidates)
    ]
    count, _, failure = max(counts, key=lambda entry: entry[:2], default=(0, "", None))
    return failure if count else None


def _blame_rewrite(failure: Candidate, snapshot: Candidate, candidates: list[Candidate]) -> None:
    """Name the 404s after the Ingress; other failures of requests under its path follow."""
    blame_named_after_snapshot(failure, snapshot, candidates)
    pattern = _not_found_under(snapshot)
    if pattern is not None:
        others_follow(
            failure, candidates, lambda c: any(pattern.search(line.text) for line in c.lines)
        )


_DISK_FAILURE = frozenset({Category.HARDWARE, Category.DISK})
_READ_ONLY_WRITE = re.compile(r"(?i)read-only file system|\bEROFS\b")


def _read_only_writes(c: Candidate) -> bool:
    return any(_READ_ONLY_WRITE.search(line.text) for line in c.lines)


def _writes_refused(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure of writes refused as read-only, the workload's own first.

    The workload's own disk failure counts too: "Read-only file system" often sits in a
    stack trace's continuation line, which a playbook about failing disks matched.
    """
    refused = [c for c in dated_failures(candidates) if _read_only_writes(c)]
    own = [
        c
        for c in dated_failures(candidates)
        if snapshot.component in {c.component, c.reporter, *c.also_in}
        and (c in refused or c.cause_category in _DISK_FAILURE)
    ]
    return most_reported(own or refused)


def _blame_read_only_root(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Name the refused writes after the read-only root; other such refusals follow."""
    blame_named_after_snapshot(failure, snapshot, candidates)
    failure.background = False
    others_follow(failure, candidates, _read_only_writes)


CLUSTER_RULES: dict[str, tuple[Find, Blame]] = {
    "snapshot_api_service_unavailable": (_discovery_victims, _blame_unavailable_api),
    "snapshot_secret_encoded_twice": (_refused_credentials, _blame_where_refused),
    "snapshot_selector_shared": (_own_failures, _blame_joined_workload),
    "snapshot_default_ingress_class": (_ignored_ingresses, blame_named_after_snapshot),
    "snapshot_cronjob_suspended": (_stale_data_reports, blame_named_after_snapshot),
    "snapshot_endpoints_hand_written": (_through_service, _blame_stale_endpoints),
    "snapshot_rewrite_to_root": (_requests_not_found, _blame_rewrite),
    "snapshot_read_only_root": (_writes_refused, _blame_read_only_root),
}
# Snapshots showing a normal state unless a failure they explain is seen: without one they
# are dropped (a default IngressClass, a canary sharing its Service on purpose, a CronJob
# suspended on purpose, a selectorless Service whose address is right).
CLUSTER_ONLY_WITH_A_FAILURE = frozenset(
    {
        "snapshot_selector_shared",
        "snapshot_default_ingress_class",
        "snapshot_cronjob_suspended",
        "snapshot_endpoints_hand_written",
        "snapshot_rewrite_to_root",
        "snapshot_read_only_root",
    }
)
