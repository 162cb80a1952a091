"""Disputes: the buyer stops the escrow clock, the seller answers or refunds, the platform decides; money follows."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.c2c.trading import commission_of, paid_c2c_order, shipped_c2c_order
from tests.factories import UserFactory
from tradeloop.accounts.models import Membership
from tradeloop.c2c import disputes
from tradeloop.c2c import escrow as escrows
from tradeloop.c2c.models import Dispute, Escrow
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.states import history
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db
State = Dispute.State


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    disputes.PHOTOS.__dict__.pop("base_location", None)
    disputes.PHOTOS.__dict__.pop("location", None)
    yield
    disputes.PHOTOS.__dict__.pop("base_location", None)
    disputes.PHOTOS.__dict__.pop("location", None)


def photo(fmt: str = "PNG", name: str = "parcel.png", size=(64, 48)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (90, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def available(order) -> Decimal:
    return balance(ledger.seller_available(order.seller, order.currency)).amount


def in_escrow() -> Decimal:
    return balance(ledger.escrow("CNY")).amount


def opened(order=None, **kwargs) -> Dispute:
    order = order or shipped_c2c_order()
    kwargs.setdefault("reason", "not_as_described")
    kwargs.setdefault("description", "The screen is cracked.")
    return disputes.open_dispute(actor=order.buyer, order_id=order.pk, **kwargs)


def seller_of(order):
    return Membership.objects.filter(organization_id=order.seller_id).select_related("user").first().user


def operator():
    return UserFactory(is_staff=True, is_superuser=True)


def test_opening_pauses_the_clock_and_gives_the_seller_three_days(clock):
    order = shipped_c2c_order()
    clock.advance(days=4)
    dispute = opened(order, photos=[photo(), photo("JPEG", "a.jpg"), photo("WEBP", "b.webp")])
    order.escrow.refresh_from_db()
    assert order.escrow.state == Escrow.State.DISPUTED and order.escrow.confirm_by is None
    assert round(order.escrow.paused_for.total_seconds() / 86400) == 6
    assert (
        dispute.state == State.AWAITING_SELLER
        and abs(dispute.answer_by - clock.now() - disputes.answer_days()).total_seconds() < 5
    )
    first = dispute.messages.get()
    assert first.side == "buyer" and first.text == "The screen is cracked."
    names = [p.image for p in first.photos.all()]
    assert len(names) == 3 and all(n.startswith(f"disputes/{dispute.pk}/") for n in names)
    assert disputes.PHOTOS.exists(names[0])
    # a disputed order is never auto-confirmed, however long it waits
    clock.advance(days=60)
    assert escrows.sweep_auto_confirm() == 0
    assert in_escrow() == order.total and available(order) == 0


def test_one_open_dispute_per_order_and_only_the_buyer_after_shipping():
    order = shipped_c2c_order()
    with pytest.raises(NotFound):
        disputes.open_dispute(actor=UserFactory(), order_id=order.pk, reason="not_received", description="x")
    with pytest.raises(NotFound):
        disputes.open_dispute(actor=seller_of(order), order_id=order.pk, reason="not_received", description="x")
    opened(order)
    with pytest.raises(Conflict) as twice:
        opened(order)
    assert twice.value.code == "dispute_open"
    unshipped = paid_c2c_order()
    with pytest.raises(Conflict) as early:
        opened(unshipped)
    assert early.value.code == "not_shipped"


def test_bad_input_is_refused():
    order = shipped_c2c_order()
    with pytest.raises(ValidationFailed) as reason:
        opened(order, reason="changed_my_mind")
    assert reason.value.field == "reason"
    with pytest.raises(ValidationFailed) as empty:
        opened(order, description="   ")
    assert empty.value.field == "description"
    with pytest.raises(ValidationFailed) as gif:
        opened(order, photos=[photo("GIF", "x.gif")])
    assert gif.value.code == "photo_type" and gif.value.field == "photos.0"
    with pytest.raises(ValidationFailed) as text:
        opened(order, photos=[SimpleUploadedFile("x.png", b"not an image")])
    assert text.value.code == "photo_type"
    with pytest.raises(ValidationFailed) as many:
        opened(order, photos=[photo() for _ in range(6)])
    assert many.value.code == "too_many_photos"
    assert not Dispute.objects.exists()


def test_a_photo_too_big_is_refused(settings):
    settings.TRADELOOP_C2C_DISPUTE_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as big:
        opened(photos=[photo(size=(300, 300))])
    assert big.value.code == "photo_too_large"


def test_the_sellers_answer_and_an_unanswered_dispute_escalates(clock):
    answered = opened()
    disputes.add_message(actor=seller_of(answered.escrow.order), dispute_id=answered.pk, text="It left intact.")
    answered.refresh_from_db()
    assert answered.state == State.ANSWERED
    silent = opened()
    clock.advance(days=3, seconds=-1)
    assert disputes.sweep_dispute_deadlines() == 0
    clock.advance(seconds=2)
    assert disputes.sweep_dispute_deadlines() == 1
    assert disputes.sweep_dispute_deadlines() == 0  # idempotent
    silent.refresh_from_db()
    answered.refresh_from_db()
    assert silent.state == State.ESCALATED and answered.state == State.ANSWERED
    assert any(e.new == "escalated" and e.actor is None for e in history(silent))


def test_the_buyer_escalates_and_strangers_cannot():
    dispute = opened()
    with pytest.raises(NotFound):
        disputes.escalate(actor=UserFactory(), dispute_id=dispute.pk)
    with pytest.raises(PermissionDenied):
        disputes.escalate(actor=seller_of(dispute.escrow.order), dispute_id=dispute.pk)
    disputes.escalate(actor=dispute.opened_by, dispute_id=dispute.pk)
    dispute.refresh_from_db()
    assert dispute.state == State.ESCALATED


def test_withdrawn_the_clock_resumes_with_what_was_left(clock):
    order = shipped_c2c_order()
    clock.advance(days=7)
    dispute = opened(order)
    clock.advance(days=20)
    disputes.withdraw(actor=order.buyer, dispute_id=dispute.pk)
    order.escrow.refresh_from_db()
    assert order.escrow.state == Escrow.State.HELD
    clock.advance(days=3, seconds=-5)
    assert escrows.sweep_auto_confirm() == 0
    clock.advance(seconds=10)
    assert escrows.sweep_auto_confirm() == 1
    assert available(order) == order.total - commission_of(order)
    with pytest.raises(Conflict):
        disputes.add_message(actor=order.buyer, dispute_id=dispute.pk, text="again")


def test_the_seller_refunds_in_full():
    dispute = opened()
    order = dispute.escrow.order
    disputes.seller_refunds(actor=seller_of(order), dispute_id=dispute.pk)
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert dispute.state == State.RESOLVED and dispute.outcome == "full_refund"
    assert dispute.refund_amount == order.total
    assert order.state == Order.State.CANCELLED and order.refunded_total == order.total
    assert order.escrow.state == Escrow.State.REFUNDED
    assert in_escrow() == 0 and available(order) == 0
    with pytest.raises(PermissionDenied):
        disputes.seller_refunds(actor=order.buyer, dispute_id=dispute.pk)


@pytest.mark.parametrize("outcome", ["full_refund", "partial_refund", "release"])
def test_the_operator_resolves_and_the_money_follows(outcome):
    dispute = opened()
    order = dispute.escrow.order
    amount = Decimal("100.00") if outcome == "partial_refund" else None
    with pytest.raises(PermissionDenied):
        disputes.resolve(actor=order.buyer, dispute_id=dispute.pk, outcome=outcome, amount=amount)
    staff = operator()
    disputes.resolve(actor=staff, dispute_id=dispute.pk, outcome=outcome, amount=amount, note="Looked at the photos.")
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert dispute.state == State.RESOLVED and dispute.outcome == outcome and dispute.resolved_by == staff
    assert dispute.messages.filter(side="platform", text="Looked at the photos.").exists()
    assert in_escrow() == 0
    if outcome == "full_refund":
        assert order.escrow.state == Escrow.State.REFUNDED and available(order) == 0
        assert order.refunded_total == order.total
    elif outcome == "partial_refund":
        rest = order.total - Decimal("100.00")
        assert order.escrow.state == Escrow.State.SPLIT and order.refunded_total == Decimal("100.00")
        assert available(order) == rest - (rest * order.commission_rate).quantize(Decimal("0.01"))
    else:
        assert order.escrow.state == Escrow.State.RELEASED and order.state == Order.State.COMPLETED
        assert available(order) == order.total - commission_of(order)
    with pytest.raises(Conflict):
        disputes.resolve(actor=staff, dispute_id=dispute.pk, outcome="release")
    assert any(e.actor == staff and e.new == "resolved" for e in history(dispute))


@pytest.mark.parametrize("amount", ["0", "-1", "300.00", "999", "abc", None])
def test_a_partial_refund_is_between_nothing_and_everything(amount):
    dispute = opened()
    with pytest.raises(ValidationFailed) as bad:
        disputes.resolve(actor=operator(), dispute_id=dispute.pk, outcome="partial_refund", amount=amount)
    assert bad.value.field == "amount"
    dispute.refresh_from_db()
    assert dispute.state == State.AWAITING_SELLER


def test_return_then_refund_when_the_seller_confirms():
    dispute = opened()
    order = dispute.escrow.order
    disputes.resolve(actor=operator(), dispute_id=dispute.pk, outcome="return_then_refund")
    dispute.refresh_from_db()
    assert dispute.state == State.RETURNING and in_escrow() == order.total
    with pytest.raises(Conflict):
        disputes.return_received(actor=seller_of(order), dispute_id=dispute.pk)  # nothing sent yet
    with pytest.raises(ValidationFailed):
        disputes.submit_return(actor=order.buyer, dispute_id=dispute.pk, carrier="", tracking_number="SF1")
    disputes.submit_return(actor=order.buyer, dispute_id=dispute.pk, carrier="SF Express", tracking_number="SF99")
    with pytest.raises(PermissionDenied):
        disputes.return_received(actor=order.buyer, dispute_id=dispute.pk)
    disputes.return_received(actor=seller_of(order), dispute_id=dispute.pk)
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert dispute.state == State.RESOLVED and dispute.outcome == "return_then_refund"
    assert order.escrow.state == Escrow.State.REFUNDED and order.refunded_total == order.total
    assert in_escrow() == 0 and available(order) == 0


def test_return_then_refund_refunds_by_itself_when_the_seller_does_nothing(clock):
    dispute = opened()
    order = dispute.escrow.order
    disputes.resolve(actor=operator(), dispute_id=dispute.pk, outcome="return_then_refund")
    clock.advance(days=30)
    assert disputes.sweep_dispute_deadlines() == 0  # no return sent: nothing is due
    disputes.submit_return(actor=order.buyer, dispute_id=dispute.pk, carrier="SF Express", tracking_number="SF98")
    clock.advance(days=10, seconds=-1)
    assert disputes.sweep_dispute_deadlines() == 0
    clock.advance(seconds=2)
    assert disputes.sweep_dispute_deadlines() == 1
    dispute.refresh_from_db()
    order.refresh_from_db()
    assert dispute.state == State.RESOLVED and order.escrow.state == Escrow.State.REFUNDED
    assert in_escrow() == 0 and available(order) == 0
    assert escrows.sweep_auto_confirm() == 0


def test_confirming_receipt_during_a_dispute_is_refused():
    dispute = opened()
    with pytest.raises(Conflict) as refused:
        escrows.confirm_receipt(actor=dispute.opened_by, order_id=dispute.escrow.order_id)
    assert refused.value.code == "dispute_open"


def test_after_a_withdrawal_a_new_dispute_may_be_opened():
    dispute = opened()
    order = dispute.escrow.order
    disputes.withdraw(actor=order.buyer, dispute_id=dispute.pk)
    again = opened(order, reason="counterfeit")
    assert again.pk != dispute.pk and again.state == State.AWAITING_SELLER
