"""A span table's failures as a signature: the service failing calls start in.

Failed spans whose own children did not fail are where errors begin; the callers above
them only relay them. The trace shows where, not why: the category is the service's own
code failing, unless its logs or metrics name a resource.
"""

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.signatures import Signature

TRACE_ERROR_ORIGIN = Signature(
    "trace_error_origin",
    "Failed calls start here (traces)",
    Category.CODE_ERROR,
    "Failed calls start in {component}: in the failing traces its own spans are the deepest"
    " that fail, and the services above it only relay the error.",
    (),
    (
        (
            "Read {component}'s failing spans and its log around them",
            "The deepest failing operation names what broke; a release just before points to it",
            None,
        ),
    ),
    0.6,
    2,
)
TRACE_SIGNATURES_BY_ID = {TRACE_ERROR_ORIGIN.id: TRACE_ERROR_ORIGIN}
