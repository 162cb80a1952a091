"""Quotes on RFQs: versions and counters, the diff, accepting into a B2B order at the agreed prices, refusals,
expiry and the reminder a day before (by moving the clock), through services, pages and the API."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

from datetime import timedelta
from decimal import Decimal

import pytest

from tests import factories
from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, sku, supplier, terms  # noqa: F401
from tradeloop.b2b import quotes, rfq_selectors
from tradeloop.b2b.models import Rfq
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.negotiation import services as engine
from tradeloop.negotiation.models import Negotiation
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db


def test_a_quote_is_version_one_of_a_negotiation(quote, direct_rfq, purchaser, company, supplier):
    assert (quote.kind, quote.buyer, quote.buyer_org, quote.seller) == ("quote", purchaser, company, supplier)
    v1 = quote.proposals.get()
    assert (v1.author_side, v1.total(), v1.payment_terms) == ("seller", Decimal("8040.0000"), "prepay")
    assert v1.valid_until == quote.expires_at and (v1.valid_until - v1.created_at) == timedelta(days=30)
    direct_rfq.refresh_from_db()
    assert direct_rfq.state == "closed"  # a direct RFQ takes one quote
    assert [link.negotiation_id for link in rfq_selectors.rfq_for_buyer(purchaser, direct_rfq.pk).quote_links] == [
        quote.pk
    ]


def test_every_line_of_a_quote_names_a_sku_and_the_terms_are_known(direct_rfq, supplier, sku):
    free = quotes.Draft(lines=[quotes.LineDraft(1, Decimal("1"), description="something")])
    with pytest.raises(ValidationFailed) as e:
        quotes.submit_quote(actor=supplier.owner, rfq_id=direct_rfq.pk, supplier=supplier, draft=free)
    assert (e.value.code, e.value.field) == ("line_needs_sku", "lines.0.variant")
    with pytest.raises(ValidationFailed) as e:
        quotes.submit_quote(
            actor=supplier.owner, rfq_id=direct_rfq.pk, supplier=supplier, draft=terms(sku, payment_terms="net999")
        )
    assert (e.value.code, e.value.field) == ("bad_terms", "payment_terms")
    with pytest.raises(NotFound):  # a member who may not sell
        quotes.submit_quote(actor=factories.UserFactory(), rfq_id=direct_rfq.pk, supplier=supplier, draft=terms(sku))


def test_counters_take_turns_and_the_thread_shows_the_changes(quote, purchaser, supplier, sku):
    v2 = quotes.counter(actor=purchaser, quote_id=quote.pk, version=1, draft=terms(sku, quantity=800, price="14.50"))
    with pytest.raises(Conflict) as e:
        quotes.counter(actor=purchaser, quote_id=quote.pk, version=2, draft=terms(sku))
    assert e.value.code == "not_your_turn"
    quotes.counter(
        actor=supplier.owner, quote_id=quote.pk, version=2, draft=terms(sku, quantity=800, price="15.00", shipping=0)
    )
    thread = rfq_selectors.quote_thread(purchaser, quote.pk)
    changes = [c for _v, c in rfq_selectors.versions_with_changes(thread)]
    assert changes[0] is None and v2.author_side == "buyer"
    assert changes[1]["lines"][0]["quantity"] == {"old": 500, "new": 800}
    assert changes[2]["lines"][0]["unit_price"] == {"old": Decimal("14.5000"), "new": Decimal("15.0000")}
    assert changes[2]["shipping"]["new"] == Decimal("0.0000")


def test_accepting_places_a_b2b_order_at_exactly_the_quoted_prices(quote, purchaser, company, supplier, sku):
    quotes.counter(
        actor=purchaser,
        quote_id=quote.pk,
        version=1,
        draft=terms(sku, quantity=600, price="15.25", shipping=Decimal("30")),
    )
    priced = quotes.Draft(
        lines=[quotes.LineDraft(600, Decimal("15.50"), variant=sku, discount=Decimal("100.00"))],
        shipping=Decimal("30.00"),
        payment_terms="prepay",
    )
    quotes.counter(actor=supplier.owner, quote_id=quote.pk, version=2, draft=priced)
    sku.price = Decimal("99.00")  # the list price changes meanwhile
    sku.save(update_fields=["price"])
    done = quotes.accept(actor=purchaser, quote_id=quote.pk, version=3)
    order = Order.objects.get(number=done.result_ref)
    line = order.lines.get()
    assert (order.mode, order.buyer, order.buyer_org, order.seller) == ("b2b", purchaser, company, supplier)
    assert (line.quantity, line.unit_price, line.discount) == (600, Decimal("15.50"), Decimal("100.00"))
    assert (order.shipping_total, order.total) == (Decimal("30.00"), Decimal("9230.00"))  # 600 × 15.50 − 100 + 30
    assert order.payment_terms == "prepay" and order.state == Order.State.PENDING_PAYMENT
    from tradeloop.inventory.models import Reservation

    held = Reservation.objects.get(ref=f"order-line:{line.pk}")  # the B2B policy holds the stock until paid
    assert (held.quantity, held.state, held.expires_at) == (600, "held", order.payment_due_at)
    assert order.checkout_ref == f"quote:{quote.pk}"


def test_accept_twice_expired_or_superseded_is_refused(quote, purchaser, supplier, sku, clock):
    quotes.counter(actor=purchaser, quote_id=quote.pk, version=1, draft=terms(sku, price="15.00"))
    quotes.counter(actor=supplier.owner, quote_id=quote.pk, version=2, draft=terms(sku, price="15.50"))
    with pytest.raises(Conflict) as e:
        quotes.accept(actor=purchaser, quote_id=quote.pk, version=2)
    assert e.value.code == "superseded"
    clock.advance(days=30, seconds=1)
    with pytest.raises(Conflict) as e:
        quotes.accept(actor=purchaser, quote_id=quote.pk, version=3)
    assert e.value.code == "expired" and not Order.objects.exists()


def test_accept_twice(quote, purchaser):
    quotes.accept(actor=purchaser, quote_id=quote.pk, version=1)
    with pytest.raises(Conflict) as e:
        quotes.accept(actor=purchaser, quote_id=quote.pk, version=1)
    assert e.value.code == "already_accepted" and Order.objects.count() == 1


def test_the_supplier_accepts_the_buyers_counter_the_order_is_the_buyers(quote, purchaser, company, supplier, sku):
    quotes.counter(actor=purchaser, quote_id=quote.pk, version=1, draft=terms(sku, price="15.00"))
    done = quotes.accept(actor=supplier.owner, quote_id=quote.pk, version=2)
    order = Order.objects.get(number=done.result_ref)
    assert (order.buyer, order.buyer_org, order.lines.get().unit_price) == (purchaser, company, Decimal("15.00"))


def test_on_credit_terms_the_order_is_confirmed_for_an_approved_company(sku, supplier, category):
    from tests.b2b.buying import approved_company
    from tests.b2b.quoting import rfq_in
    from tradeloop.b2b import rfqs

    company = approved_company(factories.UserFactory(is_staff=True), credit_limit="100000.00")
    buyer = factories.member(company.organization, "buyer")
    rfq = rfqs.create_rfq(actor=buyer, buyer_org=company.organization, data=rfq_in(supplier=supplier))
    q = quotes.submit_quote(
        actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku, payment_terms="net30")
    )
    order = Order.objects.get(number=quotes.accept(actor=buyer, quote_id=q.pk, version=1).result_ref)
    assert (order.payment_terms, order.state) == ("net30", Order.State.CONFIRMED)


def test_a_declined_quote_ends(quote, purchaser):
    done = quotes.decline(actor=purchaser, quote_id=quote.pk, version=1, reason="too dear")
    assert done.state == "declined"
    with pytest.raises(Conflict) as e:
        quotes.accept(actor=purchaser, quote_id=quote.pk, version=1)
    assert e.value.code == "closed"


def test_only_quotes_answer_through_the_quote_use_cases(purchaser, supplier, sku):
    from tradeloop.negotiation import policies

    before = policies.register("offer", policies.Policy())
    try:
        offer = engine.open_negotiation(
            actor=purchaser,
            kind="offer",
            side="buyer",
            seller=supplier,
            currency="CNY",
            draft=engine.Draft(lines=[engine.LineDraft(1, Decimal("1"), variant=sku)]),
        )
        with pytest.raises(NotFound):
            quotes.accept(actor=supplier.owner, quote_id=offer.pk, version=1)
    finally:
        policies.unregister("offer") if before is None else policies.register("offer", before)


# --- expiry and the reminder ----------------------------------------------------------------------------------


def test_a_reminder_a_day_before_expiry_reaches_the_buyer_once(
    quote, purchaser, clock, mailoutbox, celery_eager, django_capture_on_commit_callbacks
):
    clock.advance(days=28, hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.sweep_expiry_reminders(clock.now()) == 0
    clock.advance(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.sweep_expiry_reminders(clock.now()) == 1
        assert engine.sweep_expiry_reminders(clock.now()) == 0
    reminders = [m for m in mailoutbox if "expires" in m.subject]
    assert len(reminders) == 1 and reminders[0].to == [purchaser.email]
    assert f"/quotes/{quote.pk}/" in reminders[0].body
    clock.advance(days=1)
    assert engine.sweep_expired(clock.now()) == 1
    assert Negotiation.objects.get(pk=quote.pk).state == "expired"


# --- web ---------------------------------------------------------------------------------------------------------


def test_the_buyer_counters_and_accepts_on_the_web(client, quote, purchaser, supplier, sku):
    client.force_login(purchaser)
    page = client.get(f"/quotes/{quote.pk}/")
    assert page.status_code == 200 and "Accept and order" in page.content.decode()
    form = {"version": 1, "line-0-variant": sku.pk, "line-0-quantity": 700, "line-0-unit_price": "14.00"}
    form |= {"shipping": "40", "payment_terms": "prepay"}
    assert client.post(f"/quotes/{quote.pk}/counter/", form).status_code == 302
    client.force_login(supplier.owner)
    console = client.get(f"/console/{supplier.pk}/quotes/{quote.pk}/")
    html = console.content.decode()
    assert console.status_code == 200 and "Changes from version 1 to 2" in html and "<del>500</del>" in html
    back = {"version": 2, "line-0-variant": sku.pk, "line-0-quantity": 700, "line-0-unit_price": "14.80"}
    back |= {"shipping": "40", "payment_terms": "prepay"}
    assert client.post(f"/console/{supplier.pk}/quotes/{quote.pk}/", back).status_code == 302
    client.force_login(purchaser)
    stale = client.post(f"/quotes/{quote.pk}/accept/", {"version": 2}, follow=True)
    assert "superseded" in stale.content.decode() and not Order.objects.exists()
    done = client.post(f"/quotes/{quote.pk}/accept/", {"version": 3})
    order = Order.objects.get()
    assert done["Location"] == f"/orders/{order.number}/" and order.lines.get().unit_price == Decimal("14.80")
    again = client.post(f"/quotes/{quote.pk}/accept/", {"version": 3}, follow=True)
    assert "already accepted" in again.content.decode() and Order.objects.count() == 1


def test_the_supplier_quotes_from_the_inbox(client, direct_rfq, supplier, sku):
    client.force_login(supplier.owner)
    page = client.get(f"/console/{supplier.pk}/quotes/rfqs/{direct_rfq.pk}/")
    assert page.status_code == 200 and "Send quote" in page.content.decode()
    form = {"line-0-variant": sku.pk, "line-0-quantity": 500, "line-0-unit_price": "", "shipping": "0"}
    form |= {"payment_terms": "net30"}
    bad = client.post(f"/console/{supplier.pk}/quotes/rfqs/{direct_rfq.pk}/", form)
    assert bad.status_code == 400
    form["line-0-unit_price"] = "16.00"
    done = client.post(f"/console/{supplier.pk}/quotes/rfqs/{direct_rfq.pk}/", form)
    n = Negotiation.objects.get()
    assert done["Location"] == f"/console/{supplier.pk}/quotes/{n.pk}/" and n.proposals.get().payment_terms == "net30"


def test_strangers_see_no_quote(client, quote):
    other = factories.seller_with_owner(kind="supplier")
    client.force_login(other.owner)
    assert client.get(f"/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/console/{other.pk}/quotes/{quote.pk}/").status_code == 404
    assert client.get(f"/api/v1/quotes/{quote.pk}").status_code == 404
    assert (
        client.post(f"/api/v1/quotes/{quote.pk}/accept", {"version": 1}, content_type="application/json").status_code
        == 404
    )


# --- API ---------------------------------------------------------------------------------------------------------


def test_the_whole_negotiation_through_the_api(client, direct_rfq, purchaser, supplier, sku):
    client.force_login(supplier.owner)
    body = {"organization": supplier.pk, "lines": [{"variant_id": sku.pk, "quantity": 500, "unit_price": "16"}]}
    body |= {"shipping": "40", "payment_terms": "net30", "note": "Ships in 2 weeks"}
    made = client.post(f"/api/v1/rfqs/{direct_rfq.pk}/quotes", body, content_type="application/json")
    assert made.status_code == 201, made.content
    quote_id = made.json()["id"]
    assert made.json()["versions"][0]["total"] == "8040.0000"
    assert made.json()["versions"][0]["lines"][0]["description"] == "24-bit AD converter"  # its product, not the SKU
    client.force_login(purchaser)
    counter = {
        "version": 1,
        "lines": [{"variant_id": sku.pk, "quantity": 500, "unit_price": "15"}],
        "payment_terms": "prepay",
    }
    countered = client.post(f"/api/v1/quotes/{quote_id}/counter", counter, content_type="application/json")
    assert countered.status_code == 201, countered.content
    v2 = countered.json()["versions"][1]
    assert v2["changes"]["lines"][0]["unit_price"] == {"old": "16.0000", "new": "15.0000"}
    assert v2["changes"]["payment_terms"] == {"old": "net30", "new": "prepay"}
    client.force_login(supplier.owner)
    accept = client.post(
        f"/api/v1/quotes/{quote_id}/accept", {"version": 2}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert accept.status_code == 200, accept.content
    number = accept.json()["order_number"]
    replay = client.post(
        f"/api/v1/quotes/{quote_id}/accept", {"version": 2}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert replay.status_code == 200 and replay.json()["order_number"] == number
    twice = client.post(f"/api/v1/quotes/{quote_id}/accept", {"version": 2}, content_type="application/json")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_accepted")
    assert Order.objects.count() == 1
    client.force_login(purchaser)
    listed = client.get(f"/api/v1/rfqs/{direct_rfq.pk}/quotes")
    assert [q["state"] for q in listed.json()] == ["accepted"]


def test_expired_and_superseded_through_the_api(client, quote, purchaser, supplier, sku, clock):
    client.force_login(purchaser)
    counter = {"version": 1, "lines": [{"variant_id": sku.pk, "quantity": 5, "unit_price": "15"}]}
    client.post(f"/api/v1/quotes/{quote.pk}/counter", counter, content_type="application/json")
    client.force_login(supplier.owner)
    old = client.post(f"/api/v1/quotes/{quote.pk}/accept", {"version": 1}, content_type="application/json")
    assert (old.status_code, old.json()["code"]) == (409, "superseded")
    clock.advance(days=31)
    late = client.post(f"/api/v1/quotes/{quote.pk}/accept", {"version": 2}, content_type="application/json")
    assert (late.status_code, late.json()["code"]) == (409, "expired")
    declined = client.post(f"/api/v1/quotes/{quote.pk}/decline", {"version": 2}, content_type="application/json")
    assert declined.status_code == 409


def test_the_rfq_closes_when_a_quote_is_accepted(purchaser, company, category, supplier, sku):
    from tests.b2b.quoting import rfq_in
    from tradeloop.b2b import rfqs

    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
    q = quotes.submit_quote(actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku))
    quotes.accept(actor=purchaser, quote_id=q.pk, version=1)
    assert Rfq.objects.get(pk=rfq.pk).state == "closed"


def test_the_order_of_an_accepted_prepay_quote_is_paid_from_its_order_page(
    client, quote, purchaser, django_capture_on_commit_callbacks, settings
):
    from tradeloop.payments.providers import sandbox

    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(purchaser)
    done = client.post(f"/quotes/{quote.pk}/accept/", {"version": 1})
    order = Order.objects.get()
    assert (order.payment_terms, order.state) == ("prepay", Order.State.PENDING_PAYMENT)
    assert done["Location"] == f"/orders/{order.number}/"
    thread = client.get(f"/quotes/{quote.pk}/").content.decode()
    assert f'href="/orders/{order.number}/"' in thread and "Pay now on the order page" in thread
    page = client.get(done["Location"]).content.decode()
    assert f'action="/orders/{order.number}/pay/"' in page and "Pay now" in page
    started = client.post(f"/orders/{order.number}/pay/")
    assert started.status_code == 302
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sandbox.pay(order.payment)
    order.refresh_from_db()
    assert order.state == Order.State.PAID and order.payment.amount == Decimal("8040.00")
    assert "Pay now" not in client.get(f"/orders/{order.number}/").content.decode()
    assert "Pay now on the order page" not in client.get(f"/quotes/{quote.pk}/").content.decode()


def test_a_quote_order_goes_to_the_companys_default_delivery_address(quote, purchaser, company):
    from tradeloop.b2b.models import Company, CompanyAddress

    profile, _ = Company.objects.get_or_create(organization=company)
    CompanyAddress.objects.create(company=profile, name="Stores", phone="1", line1="1 Side St", city="Wuxi")
    main = CompanyAddress.objects.create(
        company=profile, name="Goods in", phone="138", line1="8 Keyuan Road", city="Shenzhen", is_default=True
    )
    order = Order.objects.get(number=quotes.accept(actor=purchaser, quote_id=quote.pk, version=1).result_ref)
    assert order.shipping_address == main.snapshot()
