"""A tenant's templates across all its cases: what is chronic, what has never been seen."""

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import Connection, select, text

from faultmaven.store.logs import TemplateTally
from faultmaven.store.tables import case_templates, tenant_templates

_MERGE = text(
    """
    INSERT INTO tenant_templates AS known
        (tenant_id, grp, template, count, cases, first_seen, last_seen)
    SELECT cases.tenant_id, :grp, :template, :count, :new_case, :first_seen, :last_seen
    FROM cases WHERE cases.id = :case_id
    ON CONFLICT (tenant_id, grp) DO UPDATE SET
        count = known.count + excluded.count,
        cases = known.cases + excluded.cases,
        first_seen = LEAST(known.first_seen, excluded.first_seen),
        last_seen = GREATEST(known.last_seen, excluded.last_seen)
    """
)


def groups_new_to_case(
    connection: Connection, case_id: uuid.UUID, groups: Collection[str]
) -> set[str]:
    """Return which of the groups the case has not recorded yet."""
    if not groups:
        return set()
    known = connection.execute(
        select(case_templates.c.grp).where(
            case_templates.c.case_id == case_id, case_templates.c.grp.in_(list(groups))
        )
    ).scalars()
    return set(groups) - set(known)


def merge_tenant_templates(
    connection: Connection,
    case_id: uuid.UUID,
    tallies: Sequence[TemplateTally],
    new_to_case: Collection[str],
) -> None:
    """Add one evidence's template counts to its tenant's history of templates."""
    rows = [
        {
            "case_id": case_id,
            "grp": grp,
            "template": template,
            "count": count,
            "new_case": 1 if grp in new_to_case else 0,
            "first_seen": first_seen,
            "last_seen": last_seen,
        }
        for grp, template, count, first_seen, last_seen, _level in tallies
    ]
    if rows:
        connection.execute(_MERGE, rows)


def cases_with_templates(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> dict[str, int]:
    """Map each of the case's templates to how many other cases of the tenant also had it."""
    rows = connection.execute(
        select(case_templates.c.template, tenant_templates.c.cases)
        .join(
            tenant_templates,
            (tenant_templates.c.grp == case_templates.c.grp)
            & (tenant_templates.c.tenant_id == tenant_id),
        )
        .where(case_templates.c.case_id == case_id, tenant_templates.c.cases > 1)
    )
    return {template: cases - 1 for template, cases in rows}
