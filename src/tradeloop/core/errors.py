"""Domain errors. Services raise them; the API and views turn them into a 4xx answer or a form error."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """The codes any endpoint can answer; each app adds its own in `<app>/errors.py`. Listed in docs/api.md."""

    INVALID = "invalid"
    BAD_REQUEST = "bad_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    ILLEGAL_TRANSITION = "illegal_transition"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    TOO_LARGE = "too_large"
    URI_TOO_LONG = "uri_too_long"
    HEADERS_TOO_LARGE = "headers_too_large"
    THROTTLED = "throttled"
    BUSY = "busy"


class DomainError(Exception):
    status = 400
    code: str = Code.INVALID

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationFailed(DomainError):
    status = 400
    code = Code.INVALID


class NotAuthenticated(DomainError):
    status = 401
    code = Code.NOT_AUTHENTICATED


class PermissionDenied(DomainError):
    status = 403
    code = Code.PERMISSION_DENIED


class NotFound(DomainError):
    status = 404
    code = Code.NOT_FOUND


class Conflict(DomainError):
    status = 409
    code = Code.CONFLICT


class IllegalTransition(Conflict):
    code = Code.ILLEGAL_TRANSITION

    def __init__(self, kind: str, old: str, new: str):
        super().__init__(f"{kind} cannot go from {old!r} to {new!r}", field="state")
