"""The front door (core.page_cache.FrontDoor, in tradeloop.wsgi): a first visit to a stored page gets what the whole
stack would have answered, without Django's request handling; anything else goes through the stack."""

from __future__ import annotations

import io
import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from tests import factories
from tradeloop.core import page_cache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def door():
    """The site's WSGI application as tradeloop.wsgi builds it; Django's own request handling is counted."""
    handled = []

    def count(**kwargs):
        handled.append(1)

    # as django.test.Client does: the test's transaction must outlive each request
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(count)
    try:
        yield page_cache.FrontDoor(WSGIHandler()), handled
    finally:
        request_started.disconnect(count)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def shop(merchant):
    product = factories.published_product(merchant, title="Longjing", price="88.00", stock=20)
    return {
        "seller": merchant,
        "product": product,
        "url": reverse("storefront:product", args=[product.pk, product.slug]),
    }


def call(app, path: str, **headers: str) -> tuple[str, dict[str, list[str]], str]:
    environ = {
        "REQUEST_METHOD": headers.pop("method", "GET"),
        "PATH_INFO": path,
        "QUERY_STRING": headers.pop("query", ""),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": headers.pop("host", "testserver"),
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    answered = {}

    def start_response(status, response_headers, exc_info=None):
        answered["status"] = status
        answered["headers"] = response_headers

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    named: dict[str, list[str]] = {}
    for name, value in answered["headers"]:
        named.setdefault(name.lower(), []).append(value)
    return answered["status"], named, body.decode()


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


def test_a_first_visit_to_a_stored_page_gets_the_stacks_answer_without_the_stack(door, shop):
    app, handled = door
    status, through, html = call(app, shop["url"])  # stored, through the stack: its headers are kept
    assert status.startswith("200") and through["x-page-cache"] == ["miss"] and len(handled) == 1
    status, front, front_html = call(app, shop["url"])
    assert len(handled) == 1, "the front door answered without Django's request handling"
    assert status == "200 OK" and front["x-page-cache"] == ["hit"]
    per_answer = ("set-cookie", "content-length", "date", "x-page-cache")
    assert {k: v for k, v in front.items() if k not in per_answer} == {
        k: v for k, v in through.items() if k not in per_answer
    }
    assert front["set-cookie"][0].split("=")[0].strip() == through["set-cookie"][0].split("=")[0].strip() == "csrftoken"
    assert without_tokens(front_html) == without_tokens(html) and "Longjing" in front_html
    assert int(front["content-length"][0]) == len(front_html.encode())


def test_a_new_visitors_cookie_and_token_from_the_front_door_pass_the_csrf_check(door, shop):
    app, _handled = door
    for _ in range(2):
        _status, headers, html = call(app, shop["url"])
    assert headers["x-page-cache"] == ["hit"]
    cookie = headers["set-cookie"][0].strip()
    assert cookie.startswith("csrftoken=") and "Path=/" in cookie and "SameSite=Lax" in cookie
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = cookie.split(";")[0].split("=", 1)[1]
    variant = shop["product"].variants.get()
    token = TOKEN.search(html).group(1)
    added = browser.post(reverse("checkout:add"), {"variant": variant.pk, "quantity": 2, "csrfmiddlewaretoken": token})
    assert added.status_code == 302
    assert "data-cart-count>2<" in browser.get(reverse("checkout:cart")).content.decode()


def test_two_first_visits_get_their_own_tokens(door, shop):
    app, _handled = door
    answers = [call(app, shop["url"]) for _ in range(3)]
    assert answers[1][1]["set-cookie"] != answers[2][1]["set-cookie"]
    assert TOKEN.search(answers[1][2]).group(1) != TOKEN.search(answers[2][2]).group(1)


def test_a_price_change_is_seen_on_the_next_first_visit(door, shop):
    app, handled = door
    for _ in range(3):
        call(app, shop["url"])
    factories.reprice(shop["seller"], shop["product"], "77.00")
    before = len(handled)
    _status, headers, html = call(app, shop["url"])
    assert "77.00" in html and headers["x-page-cache"] == ["miss"] and len(handled) == before + 1


def test_visitors_with_a_cookie_or_htmx_or_a_language_parameter_go_through_the_stack(door, shop):
    app, handled = door
    for _ in range(3):
        call(app, shop["url"])
    before = len(handled)
    call(app, shop["url"], cookie="django_language=zh-hans")
    call(app, shop["url"], hx_request="true")
    call(app, shop["url"], query="lang=zh-hans")
    call(app, shop["url"], method="HEAD")
    assert len(handled) == before + 4


def test_the_browsers_language_chooses_the_page_at_the_front_door(door, shop):
    shop["product"].__class__.objects.filter(pk=shop["product"].pk).update(title_zh="龙井茶")
    app, handled = door
    for _ in range(3):
        call(app, shop["url"], accept_language="zh-hans")
    before = len(handled)
    _status, headers, html = call(app, shop["url"], accept_language="zh-hans")
    assert len(handled) == before and "龙井茶" in html and headers["content-language"] == ["zh-hans"]
    assert "Longjing" in call(app, shop["url"])[2]


def test_a_host_not_allowed_gets_the_stacks_answer(door, shop, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    app, _handled = door
    for _ in range(3):
        call(app, shop["url"])
    status, _headers, _html = call(app, shop["url"], host="evil.example")
    assert status.startswith("400")


def test_a_visit_at_the_front_door_is_counted(door, shop, monkeypatch):
    seen = []
    monkeypatch.setitem(page_cache._replays, "visit", lambda request, *args: seen.append(args))
    app, handled = door
    for _ in range(3):
        call(app, shop["url"])
    assert len(handled) == 1
    assert seen == [("product", shop["product"].pk, shop["seller"].pk)] * 2  # counted by the view, then replayed
