"""Evidence: `/v1/cases/{case_id}/evidence`: upload a file or paste text, list, read lines."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from faultmaven.domain.errors import EvidenceTooLargeError, InvalidInputError
from faultmaven.domain.evidence import (
    Evidence,
    EvidenceBatch,
    EvidenceKind,
    LineWindow,
    PastedEvidence,
)
from faultmaven.domain.tenants import Principal
from faultmaven.gateway.deps import EngineDep, PrincipalDep, SettingsDep
from faultmaven.gateway.upload import (
    SpooledUpload,
    file_or_json_body,
    read_json_body,
    spool_multipart,
)
from faultmaven.services import cases as case_service
from faultmaven.services import evidence as evidence_service

router = APIRouter(prefix="/v1/cases/{case_id}/evidence", tags=["evidence"])

MAX_JSON_BODY = 64 * 1024 * 1024
MULTIPART_OVERHEAD = 64 * 1024

_UPLOAD_BODY = file_or_json_body(
    {
        "kind": {"$ref": "#/components/schemas/EvidenceKind"},
        "name": {"type": "string"},
        "timezone": {"type": "string", "description": "IANA name, e.g. Europe/Berlin"},
    },
    PastedEvidence,
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_UPLOAD_BODY,
    responses={
        413: {"description": "Over the upload limit, or a decompression bomb"},
        415: {"description": "Binary content that is no evidence kind"},
        422: {"description": "Empty or unusable content"},
    },
)
async def add_evidence(
    case_id: str,
    request: Request,
    engine: EngineDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Evidence | EvidenceBatch:
    """Add evidence: a file (multipart field `file`; gzip, zip, tar welcome) or pasted JSON text."""
    content_type = request.headers.get("content-type", "")
    _refuse_oversized(request, settings.max_upload_bytes)
    await run_in_threadpool(case_service.get_case, engine, principal, case_id)
    if content_type.startswith("multipart/form-data"):
        upload = await spool_multipart(
            content_type, request.stream(), settings.upload_folder, settings.max_upload_bytes
        )
        return await run_in_threadpool(
            _add_upload,
            engine,
            principal,
            case_id,
            upload,
            settings.upload_folder,
            settings.max_upload_bytes,
        )
    if content_type.startswith("application/json"):
        pasted = await read_json_body(
            request.stream(),
            PastedEvidence,
            MAX_JSON_BODY,
            f"JSON evidence is limited to {MAX_JSON_BODY} bytes: upload larger ones as a file",
            "evidence",
        )
        return await run_in_threadpool(
            evidence_service.add_pasted_evidence,
            engine,
            principal,
            case_id,
            pasted,
            spool=settings.upload_folder,
            max_bytes=settings.max_upload_bytes,
        )
    raise InvalidInputError("send multipart/form-data with a 'file' field, or JSON {name, content}")


def _refuse_oversized(request: Request, max_bytes: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise EvidenceTooLargeError(f"upload of {declared} bytes is over the limit of {max_bytes}")


def _add_upload(
    engine: Engine,
    principal: Principal,
    case_id: str,
    upload: SpooledUpload,
    spool: Path,
    max_bytes: int,
) -> Evidence | EvidenceBatch:
    assert upload.path is not None
    try:
        kind_field = upload.fields.get("kind") or None
        try:
            kind = EvidenceKind(kind_field) if kind_field else None
        except ValueError:
            raise InvalidInputError(f"unknown evidence kind {kind_field!r}") from None
        options = evidence_service.ingest_options(kind, upload.fields.get("timezone") or None)
        name = upload.fields.get("name") or upload.filename or "upload"
        return evidence_service.add_uploaded_evidence(
            engine, principal, case_id, upload.path, name, options, spool=spool, max_bytes=max_bytes
        )
    finally:
        upload.path.unlink(missing_ok=True)


@router.get("")
def list_evidence(case_id: str, engine: EngineDep, principal: PrincipalDep) -> list[Evidence]:
    """List the case's evidence, oldest first."""
    return evidence_service.list_evidence(engine, principal, case_id)


@router.get("/{evidence_id}")
def get_evidence(
    case_id: str, evidence_id: str, engine: EngineDep, principal: PrincipalDep
) -> Evidence:
    """Read one piece of evidence's record."""
    return evidence_service.get_evidence(engine, principal, case_id, evidence_id)


@router.get("/{evidence_id}/lines")
def read_lines(
    case_id: str,
    evidence_id: str,
    engine: EngineDep,
    principal: PrincipalDep,
    start: Annotated[int, Query(ge=1)] = 1,
    end: Annotated[int | None, Query(ge=1)] = None,
) -> LineWindow:
    """Read lines `start`..`end` (inclusive, 1-based; at most 5,000 per call)."""
    return evidence_service.read_lines(engine, principal, case_id, evidence_id, start, end)


@router.delete("/{evidence_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_evidence(
    case_id: str, evidence_id: str, engine: EngineDep, principal: PrincipalDep
) -> Response:
    """Delete one piece of evidence with its lines."""
    evidence_service.delete_evidence(engine, principal, case_id, evidence_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
