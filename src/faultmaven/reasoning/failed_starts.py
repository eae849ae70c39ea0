"""A server refusing connections across its own restart: down because it could not start again.

A host stopped for a reboot refuses its callers from the moment its service stops; when
the service then fails to come back (a filesystem it requires was not mounted, its
configuration no longer loads), the refusals go on. They began before the failure that
keeps them going, so time order alone would rank them first.
"""

from datetime import timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import LATEST, Candidate

# A failure logged this long after the refusals began can be the restart's (a reboot and
# its boot-time timeouts take minutes); later, it explains nothing about their start.
RESTART_WINDOW = timedelta(minutes=10)
_REFUSALS = frozenset({"connection_refused"})
# Failures named differently when they keep a service from starting: a skipped mount whose
# service refuses to start without it is the fstab entry's fault, not a disk filling up.
_KEEPING_FROM_START = {"mount_skipped": Category.CONFIGURATION}
# The statement of a skipped mount named configuration (`changes.ADOPTED_STATEMENTS`).
MOUNT_KEEPS_SERVICE_DOWN = (
    "{component} booted without a filesystem its service requires (fstab names a device or"
    " UUID that never appeared: a replaced or renamed disk), so the mount was skipped, the"
    " service failed to start on the missing dependency and refuses its callers."
)


def link_refusals_to_failed_start(candidates: list[Candidate]) -> None:
    """Mark a server's refused connections as the consequence of its own failure to start.

    The failure must be a known cause placed at the refused server, begin within
    `RESTART_WINDOW` of the first refusal, and the refusals must go on after it. A failure
    in `_KEEPING_FROM_START` takes the category it has when a service cannot start.
    """
    for refusals in candidates:
        signature = refusals.signature
        if signature is None or signature.id not in _REFUSALS:
            continue
        if refusals.consequence_of is not None or refusals.component is None:
            continue
        began = refusals.onset_key[0]
        if began == LATEST:
            continue
        last = max(key[0] for key in refusals.keys)
        for cause in candidates:
            if cause is refusals or not cause.is_cause_like or cause.background:
                continue
            if cause.component != refusals.component:
                continue
            failed = cause.onset_key[0]
            if failed == LATEST or not began <= failed <= began + RESTART_WINDOW:
                continue
            if last >= failed:
                refusals.follows_from(cause)
                assert cause.signature is not None
                cause.category = _KEEPING_FROM_START.get(cause.signature.id, cause.category)
                break
