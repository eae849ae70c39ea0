"""Who am I, and the published schemas: `/v1/whoami`, `/v1/schemas/diagnosis`."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from faultmaven.domain.diagnosis import Diagnosis
from faultmaven.gateway.deps import PrincipalDep

router = APIRouter(prefix="/v1", tags=["meta"])


class WhoAmI(BaseModel):
    """The tenant and key a request acts for."""

    tenant: str
    key_id: str


@router.get("/whoami")
def whoami(principal: PrincipalDep) -> WhoAmI:
    """Check an API key: answer the tenant and key id it acts for."""
    return WhoAmI(tenant=principal.tenant, key_id=principal.key_id)


@router.get("/schemas/diagnosis")
def diagnosis_schema(principal: PrincipalDep) -> dict[str, Any]:
    """Return the JSON Schema of the diagnosis document."""
    return Diagnosis.model_json_schema()
