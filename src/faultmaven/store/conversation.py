"""Messages and diagnoses of a case in the database."""

import uuid
from datetime import datetime

from sqlalchemy import Connection, select

from faultmaven.domain.diagnosis import Diagnosis
from faultmaven.domain.messages import Message, Role
from faultmaven.store.tables import diagnoses, messages


def insert_message(
    connection: Connection,
    *,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    role: Role,
    content: str,
    created_at: datetime,
) -> Message:
    """Store one turn of the conversation."""
    row = connection.execute(
        messages.insert()
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            case_id=case_id,
            role=role.value,
            content=content,
            created_at=created_at,
        )
        .returning(messages.c.id, messages.c.role, messages.c.content, messages.c.created_at)
    ).one()
    return Message(
        id=str(row.id), role=Role(row.role), content=row.content, created_at=row.created_at
    )


def list_messages(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> list[Message]:
    """Return the case's conversation, oldest first."""
    rows = connection.execute(
        select(messages.c.id, messages.c.role, messages.c.content, messages.c.created_at)
        .where(messages.c.case_id == case_id, messages.c.tenant_id == tenant_id)
        .order_by(messages.c.created_at, messages.c.id)
    )
    return [
        Message(id=str(row.id), role=Role(row.role), content=row.content, created_at=row.created_at)
        for row in rows
    ]


def insert_diagnosis(
    connection: Connection,
    *,
    tenant_id: uuid.UUID,
    diagnosis: Diagnosis,
    message_id: uuid.UUID | None,
) -> None:
    """Store a diagnosis document, linked to the answer that carried it."""
    connection.execute(
        diagnoses.insert().values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            case_id=uuid.UUID(diagnosis.case_id),
            message_id=message_id,
            document=diagnosis.model_dump(mode="json"),
            created_at=diagnosis.created_at,
        )
    )


def latest_diagnosis(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> Diagnosis | None:
    """Return the case's newest diagnosis, or None before the first question."""
    document = connection.execute(
        select(diagnoses.c.document)
        .where(diagnoses.c.case_id == case_id, diagnoses.c.tenant_id == tenant_id)
        .order_by(diagnoses.c.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    return Diagnosis.model_validate(document) if document is not None else None
