"""Order e-mails: sent once per (kind, ref, recipient), after the change commits, in the recipient's language."""

import pytest
from django.db import transaction

from tests import factories
from tradeloop.aftersales import services as aftersales
from tradeloop.core.errors import ValidationFailed
from tradeloop.fulfilment import services as fulfilment
from tradeloop.notifications.models import EmailLog
from tradeloop.notifications.services import order_email
from tradeloop.notifications.tasks import send_order_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    """Run what queues e-mails inside `with emails():`; they are in `mailoutbox` afterwards."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def subjects(mailoutbox) -> list[str]:
    return [m.subject for m in mailoutbox]


def test_paid_shipped_delivered_and_refunded_each_once(merchant, emails, mailoutbox):
    with emails():
        order = factories.paid_order(seller=merchant)
    # The factory places the order through orders' placing service, then the payment comes.
    to_buyer = [m for m in mailoutbox if m.to == [order.buyer.email]]
    assert subjects(to_buyer) == [f"Order {order.number} placed", f"Payment received for order {order.number}"]
    # the seller's staff hear of the new order (e-mail and in-site notice)
    assert [m.subject for m in mailoutbox if m.to == [merchant.owner.email]] == [f"New order {order.number}"]

    line = order.lines.get()
    with emails():
        first = fulfilment.ship(
            actor=merchant.owner, order=order, lines={line.pk: 1}, carrier="SF", tracking_number="SF1"
        )
        second = fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="SF2")
    shipped = [m for m in mailoutbox if "on its way" in m.subject]
    assert len(shipped) == 2  # one per parcel, each with its tracking number
    assert "SF1" in shipped[0].body and "SF2" in shipped[1].body
    html, mime = shipped[0].alternatives[0]
    assert mime == "text/html" and "SF1" in html

    with emails():
        fulfilment.mark_delivered(actor=merchant.owner, shipment_id=first.pk)
        fulfilment.mark_delivered(actor=merchant.owner, shipment_id=second.pk)
    assert sum("was delivered" in s for s in subjects(mailoutbox)) == 1

    with emails():
        request = aftersales.request_return(actor=order.buyer, order=order, lines={line.pk: 1})
        aftersales.approve(actor=merchant.owner, return_id=request.pk)
    refunded = [m for m in mailoutbox if m.subject.startswith("Refund for order")]
    assert len(refunded) == 1 and "12.50" in refunded[0].body


def test_a_retried_job_sends_nothing_twice(merchant, mailoutbox):
    order = factories.paid_order(seller=merchant)
    assert send_order_email(order.pk, "paid") == 1
    assert send_order_email(order.pk, "paid") == 0
    assert order_email(order=order, kind="paid") == 0
    assert len(mailoutbox) == 1
    assert EmailLog.objects.filter(kind="paid", ref=f"order:{order.pk}", to=order.buyer.email).count() == 1
    assert send_order_email(10**9, "paid") == 0  # the order is gone: nothing to do


def test_nothing_is_sent_for_a_rolled_back_change(merchant, emails, mailoutbox):
    order = factories.paid_order(seller=merchant)
    with emails(), pytest.raises(RuntimeError), transaction.atomic():
        fulfilment.ship(actor=merchant.owner, order=order, lines=None, carrier="SF", tracking_number="SF9")
        raise RuntimeError("something after the shipment failed: it is rolled back, and so is its e-mail")
    assert mailoutbox == []


def test_a_failed_send_is_retried_later(merchant, mailoutbox, monkeypatch):
    order = factories.paid_order(seller=merchant)

    def broken(self, *args, **kwargs):
        raise OSError("SMTP server away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        order_email(order=order, kind="paid")
    assert not EmailLog.objects.exists()  # so the retry sends it
    monkeypatch.undo()
    assert order_email(order=order, kind="paid") == 1


def test_email_in_the_buyers_language(merchant, mailoutbox):
    buyer = factories.UserFactory(language="zh-hans")
    order = factories.paid_order(seller=merchant, buyer=buyer)
    order_email(order=order, kind="paid")
    message = mailoutbox[0]
    assert "¥" in message.body  # money formatted for the buyer's locale
    assert order.number in message.subject


def test_ship_reminder_goes_to_the_people_who_ship(merchant, mailoutbox):
    packer = factories.member(merchant, "fulfilment")
    factories.member(merchant, "catalog")
    order = factories.paid_order(seller=merchant)
    mailoutbox.clear()  # the invitations
    order_email(order=order, kind="ship_reminder")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([merchant.owner.email, packer.email])
    assert all("within 24 hours" in m.subject for m in mailoutbox)


def test_placed_only_for_a_new_order(merchant, monkeypatch):
    from tradeloop.notifications import receivers
    from tradeloop.orders.models import Order

    order = factories.paid_order(seller=merchant)
    queued = []
    monkeypatch.setattr(receivers, "queue_order_email", lambda o, kind, ref=None: queued.append(kind))
    receivers.on_order_changed(Order, order=order, old="", new="pending_payment")  # checkout created it
    receivers.on_order_changed(Order, order=order, old="paid", new="pending_payment")  # not new: no "placed"
    receivers.on_order_changed(Order, order=order, old="paid", new="shipped")  # shipped mails go per parcel
    assert queued == ["placed"]


def test_unknown_kind_is_refused(merchant):
    order = factories.paid_order(seller=merchant)
    with pytest.raises(ValidationFailed):
        order_email(order=order, kind="birthday")


@pytest.mark.parametrize("kind", ["placed", "paid", "shipped", "delivered", "cancelled", "refunded", "return_rejected"])
def test_every_kind_renders_text_and_html(merchant, mailoutbox, kind):
    order = factories.paid_order(seller=merchant)
    assert order_email(order=order, kind=kind) == 1
    message = mailoutbox[0]
    assert order.number in message.subject and order.number in message.body
    assert message.alternatives and "<html" in message.alternatives[0][0]
