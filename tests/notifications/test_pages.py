"""The header's unread badge (cached: one query at most per page), the notifications page and its API."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tradeloop.notifications.models import Notification
from tradeloop.notifications.services import notify, unread_cache_key

pytestmark = pytest.mark.django_db


def _notice_queries(ctx) -> int:
    return sum("notifications_notification" in q["sql"] for q in ctx.captured_queries)


@pytest.fixture
def reader(client):
    person = factories.UserFactory()
    client.force_login(person)
    return person


def test_the_header_badge_counts_unread_with_one_query_then_none(client, reader, django_capture_on_commit_callbacks):
    for n in range(3):
        notify(recipient=reader, kind="test", ref=f"t:{n}", title=f"Notice {n}", link="/orders/")
    cache.delete(unread_cache_key(reader.pk))  # nothing counted yet (sign-in counts them)
    with CaptureQueriesContext(connection) as first:
        page = client.get("/").content.decode()
    assert 'id="notice-badge"' in page and "data-notice-count>3<" in page
    assert _notice_queries(first) == 1
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert _notice_queries(second) == 0  # cached per person
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=reader, kind="test", ref="t:9", title="One more")  # the cached count follows
    with CaptureQueriesContext(connection) as third:
        assert "data-notice-count>4<" in client.get("/").content.decode()
    assert _notice_queries(third) == 0
    client.logout()
    client.force_login(reader)  # signing in counts them: the first page asks nothing
    with CaptureQueriesContext(connection) as fourth:
        assert "data-notice-count>4<" in client.get("/").content.decode()
    assert _notice_queries(fourth) == 0


def test_the_page_lists_marks_read_and_opens_the_object(
    client, reader, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    first = notify(recipient=reader, kind="test", ref="t:1", title="Order shipped", link="/orders/")
    notify(recipient=reader, kind="test", ref="t:2", title="Quote received")
    other = notify(recipient=factories.UserFactory(), kind="test", ref="t:1", title="Not yours")
    for n in range(3, 30):
        notify(recipient=reader, kind="test", ref=f"t:{n}", title=f"Notice {n}")
    with django_assert_max_num_queries(12):
        page = client.get("/notifications/").content.decode()
    assert "Notice 29" in page and "Not yours" not in page and "29 unread" in page
    assert "Quote received" not in page  # on the next page (20 a page)
    assert client.get(f"/notifications/{first.pk}/open/").url == "/orders/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404  # another person's
    assert "Order shipped" not in client.get("/notifications/?show=unread").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    assert "data-notice-count" not in client.get("/").content.decode()


def test_the_page_in_chinese_at_phone_width(client, reader):
    reader.language = "zh-hans"
    reader.save()
    notify(recipient=reader, kind="test", ref="t:1", title="x")
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "全部标为已读" in page


def test_api_lists_filters_counts_and_marks_read(client, reader):
    notices = [notify(recipient=reader, kind="test", ref=f"t:{n}", title=f"N{n}") for n in range(5)]
    body = client.get("/api/v1/notifications?limit=2").json()
    assert [i["title"] for i in body["items"]] == ["N4", "N3"] and body["next_cursor"]
    rest = client.get(f"/api/v1/notifications?limit=10&cursor={body['next_cursor']}").json()
    assert [i["title"] for i in rest["items"]] == ["N2", "N1", "N0"]
    assert client.post(f"/api/v1/notifications/{notices[0].pk}/read").json()["read_at"]
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 4}
    assert len(client.get("/api/v1/notifications?unread=true").json()["items"]) == 4
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 4}
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    # bad input: a clear 4xx
    assert client.get("/api/v1/notifications?cursor=%%%").status_code == 400
    assert client.post("/api/v1/notifications/999999/read").status_code == 404
    assert client.get("/api/v1/notifications?limit=0").status_code in (400, 422)
    client.logout()
    assert client.get("/api/v1/notifications").status_code == 401
