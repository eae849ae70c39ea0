"""Domain exceptions: one class per way a request can be refused.

Surfaces map them to HTTP problems or one-line CLI errors; engines and services raise them.
"""


class FaultMavenError(Exception):
    """Base of every error FaultMaven reports to a user on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(FaultMavenError):
    """The thing does not exist, or belongs to another tenant (never told apart)."""

    status = 404
    title = "Not found"


class InvalidInputError(FaultMavenError):
    """The request is well formed but its content cannot be used (empty evidence, bad field)."""

    status = 422
    title = "Invalid input"


class UnsupportedEvidenceError(FaultMavenError):
    """The content is binary and none of the evidence kinds FaultMaven understands."""

    status = 415
    title = "Unsupported evidence"


class EvidenceTooLargeError(FaultMavenError):
    """The upload, or what it expands to, is past the configured limit."""

    status = 413
    title = "Evidence too large"


class AuthenticationError(FaultMavenError):
    """The API key is missing, malformed, unknown or revoked."""

    status = 401
    title = "Unauthorized"


class ConflictError(FaultMavenError):
    """The request contradicts the current state (e.g. writing to a closed case)."""

    status = 409
    title = "Conflict"
