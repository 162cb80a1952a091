"""The embedded database is busy: answer 503 with Retry-After, never a 500.

SQLite lets one writer in at a time; a writer that waited its whole timeout (the `timeout` option of DATABASES)
gets "database is locked". That is load, not a bug: the client may try again (with the same Idempotency-Key for a
POST that must not run twice), so it is told so, in the API's error body or on a page.
"""

from __future__ import annotations

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 2
MESSAGE = "the site is busy: try again in a moment"


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def busy_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": "busy", "message": MESSAGE, "field": None}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyMiddleware:
    """Turns a database-is-locked error of a page into the 503 page (the API has its own handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exception) else None
