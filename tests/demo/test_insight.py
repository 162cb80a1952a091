"""The demo shows the insight pages filled: a verified product review with the shop's reply, a suggestion others
voted for and the shop planned, customers tagged and a segment, and what the search finds."""

import pytest

from tradeloop.crm.models import Customer, Segment
from tradeloop.demo import content, loader
from tradeloop.feedback.models import Suggestion
from tradeloop.reviews.models import Review

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_shop_has_a_review_a_planned_suggestion_and_tagged_regulars(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    loader.load()
    loader.load()
    review = Review.objects.get(record_kind="order_line")
    assert review.reply and review.author.email == content.CONSUMER.email and review.stars == 5
    assert review.seller.name == content.WANG.name
    suggestion = Suggestion.objects.get()
    assert suggestion.status == "planned" and suggestion.reply and suggestion.vote_count == len(content.NEIGHBOURS)
    regulars = Customer.objects.filter(seller=review.seller)
    assert regulars.count() == 1 + len(content.NEIGHBOURS)
    assert all(customer.tags.exists() for customer in regulars)
    assert Segment.objects.filter(seller=review.seller).count() == 1
