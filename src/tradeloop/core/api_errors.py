"""Every failure leaves the API as `{"code", "message", "field"}` with a 4xx status."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tradeloop.core import busy
from tradeloop.core.api_parser import MalformedBody
from tradeloop.core.errors import Code, DomainError

BODY_PARAM = "payload"  # every endpoint names its body parameter so
# Where ninja says a bad value came from; the client only cares about the field itself.
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
HTTP_CODES = {
    400: Code.BAD_REQUEST,
    401: Code.NOT_AUTHENTICATED,
    403: Code.PERMISSION_DENIED,
    404: Code.NOT_FOUND,
    405: Code.METHOD_NOT_ALLOWED,
    409: Code.CONFLICT,
    413: Code.TOO_LARGE,
    422: Code.INVALID,
    429: Code.THROTTLED,
}


# Answers any operation can give, whatever it declares: documented on every operation of the OpenAPI schema.
COMMON_ERRORS = {
    "400": ("bad_request", "The request is malformed: a body that is not JSON, a cursor that is not ours"),
    "413": ("too_large", "The body is larger than the API accepts (TRADELOOP_API_MAX_BODY_BYTES)"),
    "422": ("invalid", "A parameter or a body field is invalid; `field` names it"),
    "503": ("busy", "The embedded database is busy: try again after `Retry-After` seconds (same Idempotency-Key)"),
}
ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


def document_common_errors(schema: dict) -> dict:
    """Add the error answers every operation can give (and 401 to those that need a signed-in caller)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            common = dict(COMMON_ERRORS)
            if "requestBody" not in operation:
                common.pop("413")
            if operation.get("security"):
                common["401"] = ("not_authenticated", "Sign in first: a bearer token or a signed-in session")
            for status, (_, description) in common.items():
                responses.setdefault(status, {"description": description, "content": ERROR_REF})
    return schema


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"code": code, "message": message, "field": field}


def field_of(loc: list | tuple) -> str | None:
    """("body", "payload", "variants", 0, "price") → "variants.0.price"; ("query", "limit") → "limit"."""
    parts = list(loc)
    if parts and parts[0] in LOCATIONS:
        location = parts.pop(0)
        # A body schema is nested under the endpoint's parameter name, which the client never sees.
        if location in {"body", "form"} and len(parts) > 1 and parts[0] == BODY_PARAM:
            parts.pop(0)
    return ".".join(str(p) for p in parts if p != "[key]") or None  # a bad dict key: the key itself is the field


def _readable(error: dict, field: str | None) -> str:
    message = str(error.get("msg") or "invalid value")
    return f"{field}: {message}" if field else message


def _domain_error(request: HttpRequest, exc: DomainError, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _validation_error(request: HttpRequest, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = field_of(first.get("loc", ()))
    return api.create_response(request, error_body("invalid", _readable(first, field), field), status=422)


def _authentication_error(request: HttpRequest, exc: AuthenticationError, *, api: NinjaAPI) -> HttpResponse:
    message = "sign in first: send Authorization: Bearer <token> or use a signed-in session"
    return api.create_response(request, error_body("not_authenticated", message), status=401)


def _http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    code = HTTP_CODES.get(exc.status_code, Code.BAD_REQUEST)
    field = "body" if exc.status_code == 400 else None  # ninja raises 400 only for a body it cannot parse
    message = str(exc)
    if isinstance(exc.__cause__, MalformedBody):  # JSON, but with text that is not valid Unicode: say where
        message, field = str(exc.__cause__), exc.__cause__.field or "body"
    return api.create_response(request, error_body(code, message, field), status=exc.status_code)


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "not found"), status=404)


def _suspicious(request: HttpRequest, exc: SuspiciousOperation, *, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return api.create_response(request, error_body("too_large", "the request body is too large"), status=413)
    return api.create_response(request, error_body("bad_request", "the request was malformed"), status=400)


def _forbidden(request: HttpRequest, exc: DjangoPermissionDenied, *, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, error_body("permission_denied", str(exc) or "not allowed"), status=403)


def _database_error(request: HttpRequest, exc: OperationalError, *, api: NinjaAPI) -> HttpResponse:
    if busy.is_busy(exc):
        return busy.busy_response(request)
    raise exc


def install(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Callable]] = [
        (DomainError, _domain_error),
        (ValidationError, _validation_error),
        (AuthenticationError, _authentication_error),
        (HttpError, _http_error),
        (Http404, _not_found),
        (SuspiciousOperation, _suspicious),
        (DjangoPermissionDenied, _forbidden),
        (OperationalError, _database_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, _bind(handler, api))


def _bind(handler: Callable, api: NinjaAPI) -> Callable:
    @wraps(handler)
    def bound(request: HttpRequest, exc: Exception) -> HttpResponse:
        return handler(request, exc, api=api)

    return bound


def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Answers any /api/v1/ path no endpoint matches, so even that 404 is JSON."""
    return JsonResponse(error_body("not_found", f"no API endpoint at {request.path}"), status=404)


def limit_body(view: Callable) -> Callable:
    """JSON bodies over settings.API_MAX_BODY_BYTES answer 413 before they are read (uploads keep Django's limit)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limit = settings.API_MAX_BODY_BYTES
        if request.content_type != "multipart/form-data" and _content_length(request) > limit:
            message = f"the request body is larger than {limit} bytes"
            return JsonResponse(error_body("too_large", message, "body"), status=413)
        return view(request, *args, **kwargs)

    return wrapped


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def json_method_not_allowed(view: Callable) -> Callable:
    """ninja answers a wrong method with an empty 405; give it the error body (keeping the Allow header)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(
                error_body("method_not_allowed", f"{request.method} is not allowed here; use {allowed}"), status=405
            )
            response["Allow"] = allowed
        return response

    return wrapped
