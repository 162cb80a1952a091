"""The demo's local services are there to try: places in Nanjing with staff and hours, a deal that tipped and one
that has not, vouchers in every state, a reviewed visit with the salon's answer, bookings, an answered request."""

import pytest

from tradeloop.demo import content, loader
from tradeloop.o2o.models import Booking, ConsumerRequest, Deal, Place, RequestAnswer, StaffMember, Voucher
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_the_demo_holds_local_services_in_every_state_and_loading_again_adds_nothing(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    loader.load()
    loader.load()
    assert set(Place.objects.values_list("city", flat=True)) == {"Nanjing"}
    assert Place.objects.count() == 3
    assert all(place.hours.exists() for place in StaffMember.objects.all()) and StaffMember.objects.count() == 5

    deals = {deal.product.variants.get().sku: deal for deal in Deal.objects.select_related("product")}
    assert deals["JL-WEEKLY"].tipped_at is not None  # three buyers: it tipped
    assert deals["QH-COLOUR"].tipped_at is None and deals["QH-COLOUR"].buyer_count == 1  # 1 of 30

    assert set(Voucher.objects.values_list("state", flat=True)) == set(Voucher.State.values)
    redeemed = Voucher.objects.get(state=Voucher.State.REDEEMED)
    review = Review.objects.get(record_kind="voucher", record_id=redeemed.pk)
    assert review.reply and review.author.email == content.CONSUMER.email
    assert redeemed.redeemed_place.rating_count == 1

    mine = Booking.objects.get(consumer__email=content.CONSUMER.email)
    assert mine.state == Booking.State.CONFIRMED and mine.order.state == "paid"  # the deposit is paid
    request = ConsumerRequest.objects.get()
    assert request.state == ConsumerRequest.State.OPEN and RequestAnswer.objects.filter(request=request).count() == 1
