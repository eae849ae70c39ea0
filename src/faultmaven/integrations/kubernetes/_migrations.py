"""Tell a failed database migration from a crashing service.

A Job (or its pods) that fails while its name, command or message says migration
(`migrate`, `alembic upgrade head`, `flyway`, `liquibase`, `rake db:migrate`) is a failed
migration: a `deployment` problem (CONTRACTS.md section 2), not a bug in a service.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesFinding

_MIGRATION = re.compile(
    r"(?i)(?<![a-z])(?:migrat(?:e|es|ed|ion|ions|or)|alembic|flyway|liquibase)(?![a-z])"
    r"|\bdb[ :_-]?upgrade\b|rake db:migrate"
)
_REFINABLE = frozenset({Category.CODE_ERROR, Category.UNKNOWN})
_BATCH = frozenset({"Job", "CronJob", "Pod"})


def is_migration(finding: KubernetesFinding) -> bool:
    """Whether a finding's workload, command or message names a schema migration."""
    texts = (finding.workload or finding.name, finding.details.get("command", ""))
    return finding.kind in _BATCH and any(_MIGRATION.search(text) for text in texts)


def with_migrations(findings: Sequence[KubernetesFinding]) -> list[KubernetesFinding]:
    """Re-categorise the failures of migration workloads as failed migrations (deployment)."""
    workloads = {finding.workload for finding in findings if is_migration(finding)}
    workloads.discard(None)
    return [
        finding.model_copy(update={"category": Category.DEPLOYMENT})
        if finding.workload in workloads
        and finding.kind in _BATCH
        and finding.category in _REFINABLE
        else finding
        for finding in findings
    ]
