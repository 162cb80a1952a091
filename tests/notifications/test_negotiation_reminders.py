"""The day-before-expiry reminder of a negotiation links to the page where that side answers, whatever its kind."""

import pytest
from django.core import mail

from tests import factories
from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, sku, supplier, terms  # noqa: F401
from tests.c2c.trading import listing
from tests.o2o import requesting
from tradeloop.c2c import offers
from tradeloop.notifications.negotiations import proposal_expiring_email


def reminder_links(negotiation_id: int, version: int = 1) -> list[str]:
    mail.outbox.clear()
    assert proposal_expiring_email(negotiation_id, version) >= 1
    return [line for message in mail.outbox for line in message.body.splitlines() if "http" in line]


@pytest.mark.django_db
def test_a_quote_reminder_sends_the_buyer_to_the_quote(quote):  # noqa: F811 (the fixture)
    links = reminder_links(quote.pk)
    assert links and all(f"/quotes/{quote.pk}/" in link for link in links), links


@pytest.mark.django_db
def test_an_offer_reminder_sends_the_seller_to_the_offer_thread():
    item = listing()
    offer = offers.make_offer(actor=factories.UserFactory(), listing_id=item.pk, amount="250.00")
    links = reminder_links(offer.pk)
    assert links and all(f"/offers/{offer.pk}/" in link for link in links), links
    assert "quote" not in mail.outbox[0].subject.lower()


@pytest.mark.django_db
def test_a_request_answer_reminder_sends_the_consumer_to_the_request():
    business = requesting.cleaner()
    request = requesting.request_for(factories.UserFactory())
    answer = requesting.answer_from(business, request)
    links = reminder_links(answer.negotiation_id)
    assert links and all(f"/local/requests/{request.pk}/" in link for link in links), links
