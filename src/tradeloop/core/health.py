"""GET /healthz for load balancers and monitors: 200 when this app server reaches its database and its cache
(Redis when scaled out), 503 naming what is down. Cheap (one SELECT 1, one cache round trip), no session, no
template, never cached."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("the cache did not keep a value")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means "not healthy", it is logged and reported
            log.exception("health check %s failed", name)
            checks[name] = "down"
        else:
            checks[name] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
