"""Whole-page cache for anonymous visitors, with holes filled per request.

What is cached: the body of a view decorated with `@cached_page`, for anonymous GET/HEAD requests without pending
messages, when the answer is a 200 that set no cookie and left the session alone. Signed-in visitors, POSTs and
everything else go straight to the view. A hit costs two cache reads and a few string substitutions: no query at all
for a visitor without a session cookie.

The key: a generation number, the view, the language, the currency, the htmx headers (partials differ from full
pages), anything a `register_vary(fn)` adds, and the path with its query string sorted.

Invalidation, correct before clever: one generation number in the cache is part of every key; bumping it
(`invalidate()`) makes every cached page old at once. It is bumped
- automatically by every INSERT, UPDATE or DELETE on a watched table (`watch_app(label)`, `register(model)`), seen by
  a database execute wrapper, so `queryset.update()`, `bulk_create()` and raw writes count as much as `save()`;
  it is bumped when the write runs and once more when its transaction commits (a page another request rendered in
  between from the old rows cannot survive);
- by hand with `invalidate()`, for a change the tables do not show (writes inside `quiet()` are not seen);
- by time: an entry lives `TRADELOOP_PAGE_CACHE_SECONDS` (300) by the injectable clock at most, never past the
  next moment a `register_deadline(fn)` names (a promotion starts or ends, a deal's sale opens, …), and never past
  the moment its own view named with `valid_until(request, moment)` (the place on the page opens or closes).

Per-person parts are holes. A template writes `{% load page_holes %}{% page_hole "name" arg %}`: in a cached
render that is a marker `<!--hole:name:arg-->`, filled for each request (hit or miss) by the renderer registered with
`register_hole(name, fn)`, `fn(request, arg) -> str` (HTML, already escaped); outside a cached render the tag calls
the renderer at once. The CSRF token is a hole too (the context's `csrf_token` is a marker while a cached page
renders, so every `{% csrf_token %}` and `{{ csrf_token }}` gets the visitor's own token). Use a hole for anything
per person or per request (cart badge, sponsored slots that count impressions): it is never frozen into the cache.

Side effects a page has on each view (a visit counted) are replayed on a hit: the view calls
`note(request, name, *args)` and the function registered with `register_replay(name, fn)` runs as
`fn(request, *args)` on every later hit of that entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware, get_token
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe

from tradeloop.core import clock

GENERATION_KEY = "pc:generation"
FORMAT = 2  # of a stored entry (2: the body as bytes): part of the key, so a new release never reads an old entry
CSRF_MARKER = "pc0csrf0marker"
HOLE = re.compile(r"<!--hole:([a-z0-9_]+):([^<>]{0,200}?)-->")
# a stored page is its UTF-8 bytes, filled as bytes: a hit encodes nothing but its holes
_CSRF_MARKER_BYTES = CSRF_MARKER.encode()
_HOLE_BYTES = re.compile(HOLE.pattern.encode())
_WRITE = re.compile(r'^(?:UPDATE|INSERT(?: OR [A-Z]+)? INTO|DELETE FROM)\s+[`"]?([A-Za-z0-9_]+)')
_KEYED_VARY = {"cookie", "accept-language", "hx-request", "hx-target", "hx-boosted"}

_watched_tables: set[str] = set()
_watched_apps: set[str] = set()
_ignored_tables: set[str] = set()
_holes: dict[str, Callable[[HttpRequest, str], str]] = {}
_replays: dict[str, Callable[..., None]] = {}
_varies: list[Callable[[HttpRequest], str]] = []
_deadlines: list[Callable[[datetime], datetime | None]] = []
_local = threading.local()
T = TypeVar("T")


def max_age() -> int:
    return int(getattr(settings, "TRADELOOP_PAGE_CACHE_SECONDS", 300))


# --- registries -----------------------------------------------------------------------------------------------------


def register(model) -> None:
    """Any write to this model's table makes every cached page old (for apps not watched as a whole)."""
    _watched_tables.add(model._meta.db_table)


def watch_app(label: str, *, except_models: tuple = ()) -> None:
    """Every table of this app is watched, except the given models' (per-person or noisy rows no page shows)."""
    _watched_apps.add(label)
    for model in except_models:
        _ignored_tables.add(model._meta.db_table)


def register_hole(name: str, fn: Callable[[HttpRequest, str], str]) -> None:
    _holes[name] = fn


def register_replay(name: str, fn: Callable[..., None]) -> None:
    _replays[name] = fn


def register_vary(fn: Callable[[HttpRequest], str]) -> None:
    """Another part of the key (a currency or region cookie, …): `fn(request) -> str`."""
    _varies.append(fn)


def register_deadline(fn: Callable[[datetime], datetime | None]) -> None:
    """`fn(now)`: the next moment after `now` when a page changes without a write (a promotion starts), or None."""
    _deadlines.append(fn)


# --- the generation -------------------------------------------------------------------------------------------------
# With a shared cache (Redis) the generation is a number in it. The local-memory cache is one per process, and the
# embedded site runs several (gunicorn workers, the Celery worker that runs imports and timed rules): there the
# generation is a stamp file in the data folder, one per database, that a bump appends a byte to; every process
# reads its inode, size and mtime (one stat, no read).

STAMP_ROTATE_BYTES = 65536
_stamps: dict[str, str] = {}


def _local_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _stamp_path() -> str:
    from django.db import connections

    name = str(connections["default"].settings_dict.get("NAME") or "")
    found = _stamps.get(name)
    if found is None:
        ident = name + (f":{os.getpid()}" if "memory" in name else "")  # an in-memory database is the process's own
        digest = hashlib.md5(ident.encode(), usedforsecurity=False).hexdigest()[:12]
        found = _stamps[name] = str(Path(settings.DATA_DIR) / f"page-cache-{digest}.stamp")
    return found


def generation() -> str:
    if _local_cache():
        try:
            st = os.stat(_stamp_path())
        except FileNotFoundError:
            return "0"
        return f"{st.st_ino}.{st.st_size}.{st.st_mtime_ns}"
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return str(value)


def invalidate() -> None:
    """Every cached page is old from now on (in every process)."""
    if _local_cache():
        path = _stamp_path()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            os.write(fd, b".")
        finally:
            os.close(fd)
        if size > STAMP_ROTATE_BYTES:  # a new file (a new inode): still a new generation
            fresh = f"{path}.{os.getpid()}.tmp"
            Path(fresh).write_bytes(b".")
            os.replace(fresh, path)
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (cleared or evicted): any new number does, the old keys are gone with it
        if not cache.add(GENERATION_KEY, 2, None):
            cache.incr(GENERATION_KEY)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Writes inside are not seen by the watcher: the caller decides with `invalidate()`."""
    depth = getattr(_local, "quiet", 0)
    _local.quiet = depth + 1
    try:
        yield
    finally:
        _local.quiet = depth


def _is_watched(table: str) -> bool:
    if table in _watched_tables:
        return True
    if table in _ignored_tables:
        return False
    app = table.split("_", 1)[0]
    return app in _watched_apps and table != app


def _after_commit() -> None:
    invalidate()


def _changed(connection) -> None:
    invalidate()  # now: the writer's own next read is fresh (and tests run inside one transaction)
    if connection.in_atomic_block and not any(f is _after_commit for _s, f, _r in connection.run_on_commit):
        connection.on_commit(_after_commit)  # and at commit: a page rendered meanwhile from the old rows is old


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql[:1] in "UID" and not getattr(_local, "quiet", 0):
        found = _WRITE.match(sql)
        if found and _is_watched(found.group(1)):
            _changed(context["connection"])
    return result


def _install(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def install() -> None:
    """Watch writes on every database connection (called once from an AppConfig.ready)."""
    from django.db import connections

    connection_created.connect(_install, dispatch_uid="tradeloop.page_cache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- templates ------------------------------------------------------------------------------------------------------


def rendering_cached(request: HttpRequest | None) -> bool:
    return bool(getattr(request, "_page_cache_render", False))


def hole(request: HttpRequest | None, name: str, arg: str = "") -> str:
    """What `{% page_hole %}` writes: a marker in a cached render, else the renderer's HTML."""
    arg = str(arg)
    if rendering_cached(request):
        return mark_safe(f"<!--hole:{name}:{re.sub(r'[<>]', '', arg)}-->")
    fn = _holes.get(name)
    return mark_safe(fn(request, arg)) if fn and request is not None else ""


def context(request: HttpRequest) -> dict:
    """Context processor: while a cached page renders, the CSRF token is a marker filled per request."""
    if rendering_cached(request):
        return {"csrf_token": CSRF_MARKER}
    return {}


def valid_until(request: HttpRequest, moment: datetime) -> None:
    """The page being rendered changes by itself at `moment` (a place opens or closes): its entry lives no longer."""
    if rendering_cached(request):
        known = getattr(request, "_page_cache_until", None)
        request._page_cache_until = moment if known is None else min(known, moment)


def note(request: HttpRequest, name: str, *args) -> None:
    """A per-view side effect the page had (a visit counted): replayed on every hit of the cached page."""
    notes = getattr(request, "_page_cache_notes", None)
    if notes is not None:
        notes.append((name, args))


# --- fragments ------------------------------------------------------------------------------------------------------


def remember(name: str, compute: Callable[[], T]) -> T:
    """A value pages show that is the same for every visitor and changes only by writes to watched tables (a
    product's review summary): computed once, kept until the next such write or the max age."""
    gen, now = generation(), clock.now()
    key = f"pv{FORMAT}:{gen}:{name}"
    entry = _fresh(cache.get(key), now)
    if entry is None:
        entry = {"born": now, "until": now + timedelta(seconds=max_age()), "body": compute()}
        cache.set(key, entry, max_age())
    return entry["body"]


def fragments(request: HttpRequest | None, name: str, items: list, key: Callable, render: Callable) -> list[str]:
    """`render(item)` for each item: HTML that is the same for every visitor (a product card), read from the cache
    in one go where a fresh copy is, rendered and stored where not. For pages that are not cached whole (a signed-in
    visitor's) and for a miss of one that is. `key(item)` names what the HTML depends on besides the watched rows,
    the language and the registered varies; whatever changes with the time (a promotion's price) belongs in it, as
    entries are made old only by writes and the max age. HTML holding a hole or the CSRF token is not stored."""
    if not items:
        return []
    gen, now = generation(), clock.now()
    prefix = f"pf{FORMAT}:{gen}:{_language(request)}:{_registered_varies(request)}:{name}:"
    keys = [prefix + key(item) for item in items]
    found = cache.get_many(keys)
    bodies, new, until = [], {}, now + timedelta(seconds=max_age())
    for cache_key, item in zip(keys, items, strict=True):
        entry = _fresh(found.get(cache_key), now)
        if entry is None:
            entry = {"born": now, "until": until, "body": render(item)}
            if "<!--hole:" not in entry["body"] and CSRF_MARKER not in entry["body"]:
                new[cache_key] = entry
        bodies.append(entry["body"])
    if new:
        cache.set_many(new, max_age())
    return bodies


# --- the decorator --------------------------------------------------------------------------------------------------


def cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated and _anonymous_without_messages(request)


def key_for(request: HttpRequest, gen: str) -> str:
    meta = request.META
    hx = f"{meta.get('HTTP_HX_REQUEST', '')}|{meta.get('HTTP_HX_TARGET', '')}|{meta.get('HTTP_HX_BOOSTED', '')}"
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    raw = f"{request.path}?{query}|{hx}|{_registered_varies(request)}"
    digest = hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
    currency = getattr(settings, "TRADELOOP_DEFAULT_CURRENCY", "")
    return f"pc{FORMAT}:{gen}:{_language(request)}:{currency}:{digest}"


def _language(request: HttpRequest | None) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or settings.LANGUAGE_CODE


def _registered_varies(request: HttpRequest | None) -> str:
    return "|".join(fn(request) for fn in _varies) if request is not None else ""


def _until_next_deadline(gen: str, now: datetime) -> datetime:
    until = now + timedelta(seconds=max_age())
    if not _deadlines:
        return until
    key = f"pc:{gen}:deadline"
    known = cache.get(key)
    if known is not None and known[0] <= now and (known[1] is None or now < known[1]):
        nearest = known[1]
    else:
        found = [moment for fn in _deadlines if (moment := fn(now)) is not None]
        nearest = min(found) if found else None
        cache.set(key, (now, nearest), max_age())
    return min(until, nearest) if nearest is not None else until


_CHARS = len(CSRF_ALLOWED_CHARS)
# random bytes → allowed characters in one C call: bytes at or above the last whole multiple of the alphabet's size
# are dropped (rejection sampling keeps it unbiased)
_TO_CHARS = bytes(ord(CSRF_ALLOWED_CHARS[b % _CHARS]) for b in range(256))
_DROPPED = bytes(range(256 - 256 % _CHARS, 256))
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}


def _random_chars(n: int) -> str:
    """n characters of CSRF_ALLOWED_CHARS from one urandom call. Django's own get_random_string makes one system
    call per character: two thirds of the cost of a cached page."""
    out = b""
    while len(out) < n:
        out += os.urandom(n + n // 2).translate(_TO_CHARS, _DROPPED)
    return out[:n].decode()


def csrf_token(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token returns (a masked token of the visitor's secret), faster."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or getattr(settings, "CSRF_USE_SESSIONS", False):
        return get_token(request)
    mask = _random_chars(CSRF_SECRET_LENGTH)
    chars, index = CSRF_ALLOWED_CHARS, _INDEX
    return mask + "".join([chars[(index[x] + index[y]) % _CHARS] for x, y in zip(secret, mask, strict=True)])


def fill(request: HttpRequest, body: bytes) -> bytes:
    """The page's UTF-8 body with this visitor's CSRF token and holes filled in."""
    if _CSRF_MARKER_BYTES in body:
        if "CSRF_COOKIE" not in request.META and not getattr(settings, "CSRF_USE_SESSIONS", False):
            request.META["CSRF_COOKIE"] = _random_chars(CSRF_SECRET_LENGTH)  # a new visitor: a new secret
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # to send (a known visitor's cookie is not sent again)
        body = body.replace(_CSRF_MARKER_BYTES, csrf_token(request).encode())
    if b"<!--hole:" in body:

        def render(found: re.Match) -> bytes:
            fn = _holes.get(found.group(1).decode())
            return fn(request, found.group(2).decode()).encode() if fn else b""

        body = _HOLE_BYTES.sub(render, body)
    return body


def _fresh(entry: dict | None, now: datetime) -> dict | None:
    return entry if entry is not None and entry["born"] <= now < entry["until"] else None


def _respond(request: HttpRequest, entry: dict) -> HttpResponse:
    for name, replay_args in entry["notes"]:
        if fn := _replays.get(name):
            fn(request, *replay_args)
    response = HttpResponse(fill(request, entry["body"]), status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    patch_cache_control(response, private=True)
    response["X-Page-Cache"] = "hit"
    return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= _KEYED_VARY:
        return False
    return "no-store" not in response.get("Cache-Control", "") and "private" not in response.get("Cache-Control", "")


def cached_page(view: Callable) -> Callable:
    """Serve this view's anonymous GET/HEAD pages from the cache (see the module docstring)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        gen, now = generation(), clock.now()
        key = key_for(request, gen)
        if (entry := _fresh(cache.get(key), now)) is not None:
            return _respond(request, entry)
        request._page_cache_render = True
        request._page_cache_notes = []
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
        finally:
            request._page_cache_render = False
        if not isinstance(response, HttpResponse) or response.streaming:
            return response
        body = response.content  # UTF-8 (DEFAULT_CHARSET), as fill() expects
        if _storable(request, response) and request.method == "GET":
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("content-length", "vary")]
            own = getattr(request, "_page_cache_until", None)
            until = _until_next_deadline(gen, now)
            entry = {
                "born": now,
                "until": min(until, own) if own is not None else until,
                "status": response.status_code,
                "headers": headers,
                "body": body,
                "notes": request._page_cache_notes,
            }
            cache.set(key, entry, max_age())
        response.content = fill(request, body)
        patch_cache_control(response, private=True)
        response["X-Page-Cache"] = "miss"
        return response

    wrapped.page_cached = True
    return wrapped


# --- the middleware -------------------------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serves a stored page before URL resolution and the rest of the middleware (sits right after the language is
    known). Only pages a `@cached_page` view stored are found, so it needs no list of its own. What the skipped
    middleware would have done to such a page it does here: the CSRF cookie, X-Frame-Options, Vary: Cookie."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.xframe = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and _anonymous_without_messages(request):
            request.get_host()  # a host not allowed gets its 400, as from CommonMiddleware
            now = clock.now()
            entry = _fresh(cache.get(key_for(request, generation())), now)
            if entry is not None:
                self.csrf.process_request(request)
                response = _respond(request, entry)
                self.csrf.process_response(request, response)
                patch_vary_headers(response, ("Cookie",))
                return self.xframe.process_response(request, response)
        return self.get_response(request)


def _anonymous_without_messages(request: HttpRequest) -> bool:
    """Anonymous with no message waiting, told from the cookies and (only if it has one) the session."""
    if request.COOKIES.get("messages"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return (
        session is not None
        and HASH_SESSION_KEY not in session
        and SESSION_KEY not in session
        and ("_messages" not in session)
    )


# --- the front door -------------------------------------------------------------------------------------------------


class FrontDoor:
    """WSGI middleware in front of Django: a GET without any cookie (a first visit, a crawler) of a page already
    stored is answered from the stored entry before Django's request handling and middleware run, with the headers
    the whole stack gave that page (captured from its last answer through the stack, per key and process) plus the
    new visitor's CSRF cookie. Everything else, and a page not stored or not yet seen here, goes through the stack.

        application = page_cache.FrontDoor(get_wsgi_application())
    """

    MAX_PAGES = 4096

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.headers: dict[str, list[tuple[str, str]]] = {}
        self.csrf = CsrfViewMiddleware(lambda request: None)  # only its process_response: the cookie it sets

    def __call__(self, environ: dict, start_response: Callable):
        if not _front_door_request(environ):
            return self.app(environ, start_response)
        request = _front_door_visitor(environ)
        if request is None:
            return self.app(environ, start_response)
        key = key_for(request, generation())
        headers = self.headers.get(key)
        entry = _fresh(cache.get(key), clock.now()) if headers is not None else None
        if entry is None:
            return self._through(key, environ, start_response)
        translation.activate(request.LANGUAGE_CODE)
        try:
            for name, replay_args in entry["notes"]:
                if fn := _replays.get(name):
                    fn(request, *replay_args)
            body = fill(request, entry["body"])
        finally:
            translation.deactivate()
        cookies = self.csrf.process_response(request, HttpResponse()).cookies  # a new visitor's CSRF cookie
        answer = [*headers, ("Content-Length", str(len(body))), ("X-Page-Cache", "hit")]
        answer += [("Set-Cookie", cookie.output(header="")) for cookie in cookies.values()]  # as Django writes it
        start_response("200 OK", answer)
        return [body]

    def _through(self, key: str, environ: dict, start_response: Callable):
        """Through the stack; a stored page's answer leaves its headers here for the next visitor."""

        def keep_headers(status: str, headers: list[tuple[str, str]], exc_info=None):
            names = {name.lower(): value for name, value in headers}
            cookies = [value for name, value in headers if name.lower() == "set-cookie"]
            only_csrf = all(c.strip().startswith(f"{settings.CSRF_COOKIE_NAME}=") for c in cookies)
            if status.startswith("200") and names.get("x-page-cache") in ("hit", "miss") and only_csrf:
                if len(self.headers) >= self.MAX_PAGES:
                    self.headers.clear()
                self.headers[key] = [(n, v) for n, v in headers if n.lower() not in _PER_ANSWER_HEADERS]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, keep_headers)


_PER_ANSWER_HEADERS = {"set-cookie", "content-length", "date", "x-page-cache"}


def _front_door_request(environ: dict) -> bool:
    """A GET with no cookie, no htmx headers and no ?lang= (those choose another answer or need the stack)."""
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and not environ.get("HTTP_COOKIE")
        and "HTTP_HX_REQUEST" not in environ
        and "lang=" not in environ.get("QUERY_STRING", "")
    )


def _front_door_visitor(environ: dict) -> HttpRequest | None:
    """The request as the stack would see it for a page hit (its host checked, its language chosen), or None when
    the stack must answer (a host not allowed, plain HTTP where HTTPS is required)."""
    from django.contrib.auth.models import AnonymousUser  # a model module: not importable before the apps are

    request = WSGIRequest(environ)
    try:
        request.get_host()
    except DisallowedHost:
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    request.LANGUAGE_CODE = translation.get_language_from_request(request)
    request.user = AnonymousUser()
    return request
