"""The gunicorn worker `tradeloop serve` runs: gunicorn's own, except that a request it refuses before Django sees it
(an over-long URL, too many or too large headers, a garbled request line) is answered with the API's JSON error body
instead of gunicorn's HTML page. Programs get the same `{"code", "message", "field"}` for every 4xx."""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine, ParseException
from gunicorn.workers.gthread import ThreadWorker

from tradeloop.core.api_errors import error_body

REASONS = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"}


def status_of(exc: ParseException) -> tuple[int, str]:
    if isinstance(exc, LimitRequestLine):
        return 414, "uri_too_long"
    if isinstance(exc, LimitRequestHeaders):
        return 431, "headers_too_large"
    return 400, "bad_request"


def json_error(exc: ParseException) -> bytes:
    status, code = status_of(exc)
    body = json.dumps(error_body(code, str(exc))).encode()
    head = (
        f"HTTP/1.1 {status} {REASONS[status]}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class JsonErrorsWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc) -> None:
        if not isinstance(exc, ParseException):
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, json_error(exc))
        except Exception:  # the client is gone: nothing to tell it
            self.log.debug("Failed to send the error message")
        return None
