"""In-site notifications: written in the recipient's language, once per (kind, ref, recipient), read one or all."""

import pytest
from django.utils.translation import gettext_lazy as _

from tests import factories
from tradeloop.notifications.models import Notification
from tradeloop.notifications.services import mark_all_read, mark_read, notify

pytestmark = pytest.mark.django_db


def test_a_chinese_reader_gets_chinese_and_a_retry_adds_nothing(
    mailoutbox, celery_eager, django_capture_on_commit_callbacks
):
    reader = factories.UserFactory(language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipient=reader, kind="test", ref="x:1", title=_("Notifications"), link="/notifications/", email=True
        )
        again = notify(recipient=reader, kind="test", ref="x:1", title=_("Notifications"))
    assert first is not None and again is None
    assert first.title == "通知"
    assert Notification.objects.filter(recipient=reader).count() == 1
    assert [m.subject for m in mailoutbox] == ["通知"]


def test_mark_one_and_all_read(clock):
    reader = factories.UserFactory()
    a = notify(recipient=reader, kind="test", ref="a", title="A")
    notify(recipient=reader, kind="test", ref="b", title="B")
    assert mark_read(actor=reader, notification_id=a.pk).read_at is not None
    assert mark_all_read(actor=reader) == 1
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
