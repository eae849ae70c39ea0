"""The offline reasoner: failure signatures and ranked, cited hypotheses."""

from faultmaven.reasoning.candidates import hypothesis_id
from faultmaven.reasoning.diagnose import reason
from faultmaven.reasoning.ranking import component_from_evidence_name
from faultmaven.reasoning.signatures import (
    BUILTIN_SIGNATURES,
    SIGNATURES_BY_ID,
    Signature,
    match_signature,
)

__all__ = [
    "BUILTIN_SIGNATURES",
    "SIGNATURES_BY_ID",
    "Signature",
    "component_from_evidence_name",
    "hypothesis_id",
    "match_signature",
    "reason",
]
