"""Product reviews: only the buyer of a delivered B2C/B2B order line reviews its product, once per line; the product's
rating follows published reviews; helpful votes; reports go to the moderation queue; near-duplicate texts from
other accounts are held; a daily limit."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from tests import factories
from tradeloop.catalog.models import Product
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.models import Event
from tradeloop.reviews import records, selectors, services
from tradeloop.reviews.models import Review, ReviewReport

pytestmark = pytest.mark.django_db


def png(name: str = "tea.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def delivered(product: Product | None = None, buyer=None, *, quantity: int = 1, mode: str = "b2c"):
    """A delivered order of `product` (default: a new one) for `buyer`: its one line."""
    if product is None:
        product = factories.published_product(factories.seller_with_owner(), title="Longjing tea")
    order = factories.delivered_order(
        seller=product.seller, buyer=buyer, items=[(product.variants.first(), quantity)], mode=mode
    )
    return order.lines.get()


def review(line, author=None, **fields) -> Review:
    fields.setdefault("stars", 5)
    return services.write_review(
        actor=author or line.order.buyer, record_kind="order_line", record_id=line.pk, **fields
    )


def test_the_buyer_of_a_delivered_line_reviews_its_product_with_a_photo_and_the_rating_follows():
    line = delivered()
    product = line.variant.product
    written = review(line, stars=4, text="Fresh and fragrant, well packed.", photos=[png()])
    assert (written.target_kind, written.target_id, written.seller_id) == ("product", product.pk, product.seller_id)
    assert written.state == Review.State.PUBLISHED and written.photos.count() == 1
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.00"), 1)
    other = delivered(product)
    review(other, stars=2)
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("3.00"), 2)
    summary = selectors.target_summary("product", product.pk)
    assert [b.count for b in summary.bars] == [0, 1, 0, 1, 0]
    assert str(selectors.mark_of(written)) == "Verified purchase"


def test_a_b2b_delivered_line_may_be_reviewed_too():
    line = delivered(mode="b2b")
    assert review(line).target_kind == "product"


def test_no_review_without_a_delivered_line_of_ones_own():
    seller = factories.seller_with_owner()
    product = factories.published_product(seller)
    paid = factories.paid_order(seller=seller, items=[(product.variants.get(), 1)]).lines.get()
    with pytest.raises(NotFound):
        review(paid)  # paid, not delivered yet
    line = delivered(product)
    with pytest.raises(NotFound):
        review(line, author=factories.UserFactory())  # someone else's order
    with pytest.raises(NotFound):
        services.write_review(actor=line.order.buyer, record_kind="order_line", record_id=999999, stars=5)
    assert not Review.objects.exists()


def test_one_review_per_line_and_another_line_of_the_same_product_may_be_reviewed():
    line = delivered()
    review(line)
    with pytest.raises(Conflict):
        review(line, stars=3)
    again = delivered(line.variant.product, line.order.buyer)  # bought again: a new line, a new review
    review(again)
    assert Review.objects.filter(author=line.order.buyer).count() == 2


def test_delivered_lines_wait_for_a_review_until_reviewed():
    line = delivered()
    waiting = records.waiting(line.order.buyer)
    assert [(r.kind, r.id) for r in waiting] == [("order_line", line.pk)]
    review(line)
    assert records.waiting(line.order.buyer) == []


@override_settings(TRADELOOP_REVIEW_MAX_PER_DAY=2)
def test_at_most_a_few_reviews_a_day(clock):
    buyer = factories.UserFactory()
    lines = [delivered(buyer=buyer) for _ in range(3)]
    review(lines[0])
    review(lines[1])
    with pytest.raises(services.TooManyReviews) as refused:
        review(lines[2])
    assert refused.value.status == 429
    clock.advance(days=1, seconds=1)
    assert review(lines[2]).pk


def test_the_edit_window_is_thirty_days(clock):
    line = delivered()
    written = review(line)
    clock.advance(days=29)
    services.edit_review(actor=line.order.buyer, review_id=written.pk, stars=3)
    clock.advance(days=2)
    with pytest.raises(Conflict):
        services.edit_review(actor=line.order.buyer, review_id=written.pk, stars=1)


def test_a_near_duplicate_text_from_another_account_is_held_for_the_operator():
    line = delivered()
    product = line.variant.product
    first = review(line, text="Best tea I have ever had, arrived in two days. Highly recommended!")
    copy = review(delivered(product), text="best tea i have ever had arrived in 2 days highly recommended")
    assert copy.state == Review.State.HELD and copy.held_reason == f"near duplicate of #{first.pk}"
    product.refresh_from_db()
    assert product.rating_count == 1  # the held one is not counted, nor shown
    assert [r.pk for r in selectors.recent_for_target("product", product.pk)] == [first.pk]
    assert copy.pk in [r.pk for r in selectors.moderation_queue()]
    different = review(delivered(product), text="The leaves were broken and the tin dented, sadly.")
    assert different.state == Review.State.PUBLISHED
    short = review(delivered(product), text="Great!")  # too short to tell
    review(delivered(product), text="Great!")
    assert short.state == Review.State.PUBLISHED
    services.show(actor=None, review_id=copy.pk, reason="checked: a family sharing one text")
    copy.refresh_from_db()
    assert copy.state == Review.State.PUBLISHED and copy.held_reason == ""


def test_the_same_author_repeating_their_own_words_is_not_held():
    buyer = factories.UserFactory()
    text = "Good quality, fast shipping, would order again from this shop."
    review(delivered(buyer=buyer), text=text)
    again = review(delivered(buyer=buyer), text=text)
    assert again.state == Review.State.PUBLISHED


def test_helpful_votes_toggle_one_per_person_and_never_on_ones_own():
    line = delivered()
    written = review(line, text="Lovely")
    shopper = factories.UserFactory()
    voted, on = services.toggle_helpful(actor=shopper, review_id=written.pk)
    assert (voted.helpful_count, on) == (1, True)
    voted, on = services.toggle_helpful(actor=shopper, review_id=written.pk)
    assert (voted.helpful_count, on) == (0, False)
    services.toggle_helpful(actor=shopper, review_id=written.pk)
    services.toggle_helpful(actor=factories.UserFactory(), review_id=written.pk)
    assert Review.objects.get(pk=written.pk).helpful_count == 2
    assert selectors.voted(shopper, [written]) == {written.pk}
    with pytest.raises(PermissionDenied):
        services.toggle_helpful(actor=line.order.buyer, review_id=written.pk)


def test_report_goes_to_the_queue_first_and_hiding_with_a_reason_closes_it_all_recorded():
    quiet = review(delivered())
    line = delivered()
    written = review(line, text="Buy from my shop instead: www.example.com")
    reporter = factories.UserFactory()
    services.report(actor=reporter, review_id=written.pk, reason="spam", note="an advert")
    with pytest.raises(Conflict):
        services.report(actor=reporter, review_id=written.pk, reason="spam")
    with pytest.raises(ValidationFailed):
        services.report(actor=factories.UserFactory(), review_id=written.pk, reason="boring")
    with pytest.raises(PermissionDenied):
        services.report(actor=line.order.buyer, review_id=written.pk, reason="spam")
    queue = list(selectors.moderation_queue())
    assert queue[0].pk == written.pk and quiet.pk not in [r.pk for r in queue]
    operator = factories.UserFactory(is_staff=True)
    with pytest.raises(ValidationFailed):
        services.hide(actor=operator, review_id=written.pk, reason=" ")
    services.hide(actor=operator, review_id=written.pk, reason="advertising")
    written.refresh_from_db()
    assert (written.state, written.hidden_reason, written.open_reports) == ("hidden", "advertising", 0)
    assert not ReviewReport.objects.filter(resolved_at__isnull=True).exists()
    assert list(selectors.moderation_queue()) == []
    product = line.variant.product
    product.refresh_from_db()
    assert product.rating_count == 0
    reasons = list(
        Event.objects.filter(subject_type="reviews.review", subject_id=written.pk).values_list("reason", flat=True)
    )
    assert "reported: spam" in reasons and "advertising" in reasons
    services.show(actor=operator, review_id=written.pk)
    product.refresh_from_db()
    assert product.rating_count == 1


def test_the_seller_replies_to_a_product_review():
    seller = factories.seller_with_owner()
    line = delivered(factories.published_product(seller))
    written = review(line, stars=3)
    services.reply(actor=seller.owner, review_id=written.pk, text="Sorry, we will pack better.")
    assert Review.objects.get(pk=written.pk).reply == "Sorry, we will pack better."
    with pytest.raises(NotFound):
        services.reply(actor=factories.seller_with_owner().owner, review_id=written.pk, text="Not mine")


def test_a_line_of_a_cancelled_order_after_delivery_is_no_longer_reviewable(clock):
    line = delivered()
    from tradeloop.orders.models import Order

    Order.objects.filter(pk=line.order_id).update(state=Order.State.CANCELLED)
    with pytest.raises(NotFound):
        review(line)
