"""Bad input on every RFQ and quote form and endpoint is a clear 4xx (an API error body naming the field, or a form
error on the page), never a 500: huge quantities and amounts, negative prices, dates in the past, unknown ids, not a
number, and another supplier's SKU in a quote."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

from datetime import timedelta

import pytest

from tests import factories
from tests.api.conftest import api_as, assert_error  # noqa: F401
from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, sku, supplier  # noqa: F401
from tradeloop.b2b.models import Rfq
from tradeloop.core import clock
from tradeloop.core.api_schemas import MAX_INT
from tradeloop.negotiation.models import Negotiation, Proposal
from tradeloop.orders.models import Order

pytestmark = pytest.mark.django_db

HUGE_INT = 2**31  # one more than a database integer holds
HUGE_PRICE = "99999999999999"  # 14 digits: the largest amount a price may be


def later(days=10) -> str:
    return (clock.now() + timedelta(days=days)).isoformat()


@pytest.fixture
def foreign_sku(category):
    other = factories.seller_with_owner(kind="supplier", name="Other Parts")
    return factories.published_product(
        other, title="Someone else's part", price="3.00", category=category
    ).variants.get()


# --- API: RFQs ----------------------------------------------------------------------------------------------------


def rfq_body(company, supplier, **line):
    body_line = {"description": "Converters", "quantity": 10} | line
    return {
        "organization": company.pk,
        "title": "Converters",
        "supplier": supplier.pk,
        "deadline": later(),
        "lines": [body_line],
    }


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"quantity": HUGE_INT}, 422, None),
        ({"quantity": 0}, 422, None),
        ({"quantity": -5}, 422, None),
        ({"quantity": "many"}, 422, None),
        ({"target_price": "-1"}, 422, None),
        ({"target_price": "NaN"}, 422, None),
        ({"target_price": "1e30"}, 422, None),
        ({"target_price": "12.123456"}, 422, None),
        ({"variant_id": 999999}, 400, "lines.0.variant_id"),
    ],
)
def test_api_bad_rfq_lines(api_as, purchaser, company, supplier, change, status, field):
    answer = api_as(purchaser).post("rfqs", rfq_body(company, supplier, **change))
    assert_error(answer, status, field=field)
    assert not Rfq.objects.exists()


def test_api_bad_rfq_fields(api_as, purchaser, company, supplier, sku, foreign_sku, category):
    api = api_as(purchaser)
    past = rfq_body(company, supplier) | {"deadline": (clock.now() - timedelta(hours=1)).isoformat()}
    assert_error(api.post("rfqs", past), 400, field="deadline")
    far = rfq_body(company, supplier) | {"deadline": later(days=400)}
    assert_error(api.post("rfqs", far), 400, field="deadline")
    yesterday = rfq_body(company, supplier) | {"required_by": (clock.now() - timedelta(days=1)).date().isoformat()}
    assert_error(api.post("rfqs", yesterday), 400, field="required_by")
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"deadline": "soon"}), 422)
    unknown_category = rfq_body(company, supplier) | {"supplier": None, "category": 999999}
    assert_error(api.post("rfqs", unknown_category), 404, field="category")
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"supplier": 999999}), 404, field="supplier")
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"supplier": company.pk}), 404, field="supplier")
    both = rfq_body(company, supplier) | {"category": category.pk}
    assert_error(api.post("rfqs", both), 400, code="rfq_audience")
    foreign = rfq_body(company, supplier, variant_id=foreign_sku.pk)
    assert_error(api.post("rfqs", foreign), 400, field="lines.0.variant")
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"lines": []}), 422)
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"currency": "XYZ"}), 422)
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"max_quotes": 0}), 422)
    assert_error(api.post("rfqs", rfq_body(company, supplier) | {"organization": 999999}), 404)
    assert_error(api.get("rfqs?cursor=garbage"), 400)
    assert_error(api.get("rfqs?state=lost"), 422)
    assert not Rfq.objects.exists()
    assert api.post("rfqs", rfq_body(company, supplier, quantity=MAX_INT)).status_code == 201  # the largest count


# --- API: quotes --------------------------------------------------------------------------------------------------


def quote_body(supplier, sku, **line):
    return {"organization": supplier.pk, "lines": [{"variant_id": sku.pk, "quantity": 10, "unit_price": "16"} | line]}


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"quantity": HUGE_INT}, 422, None),
        ({"quantity": 0}, 422, None),
        ({"unit_price": "-16"}, 422, None),
        ({"unit_price": "Infinity"}, 422, None),
        ({"discount": "-1"}, 422, None),
        ({"discount": "500"}, 400, "lines.0.discount"),  # more than the line
        ({"variant_id": 999999}, 400, "lines.0.variant_id"),
        # the line's amount would not fit the order: refused now, not when the buyer accepts
        ({"quantity": MAX_INT, "unit_price": HUGE_PRICE}, 400, "lines.0.quantity"),
    ],
)
def test_api_bad_quote_lines(api_as, direct_rfq, supplier, sku, change, status, field):
    answer = api_as(supplier.owner).post(f"rfqs/{direct_rfq.pk}/quotes", quote_body(supplier, sku, **change))
    assert_error(answer, status, field=field)
    assert not Negotiation.objects.exists()


def test_api_bad_quote_terms(api_as, direct_rfq, supplier, sku, foreign_sku):
    api = api_as(supplier.owner)
    path = f"rfqs/{direct_rfq.pk}/quotes"
    assert_error(api.post(path, quote_body(supplier, foreign_sku)), 400, field="lines.0.variant_id")
    assert_error(api.post(path, quote_body(supplier, sku) | {"shipping": "-5"}), 422)
    assert_error(api.post(path, quote_body(supplier, sku) | {"shipping": HUGE_PRICE + "0"}), 422)
    total_too_big = quote_body(supplier, sku, quantity=10, unit_price="9999999999999.9") | {"shipping": "1"}
    assert_error(api.post(path, total_too_big), 400, field="lines")
    assert_error(api.post(path, quote_body(supplier, sku) | {"payment_terms": "net999"}), 400, code="bad_terms")
    past = (clock.now() - timedelta(days=1)).isoformat()
    assert_error(api.post(path, quote_body(supplier, sku) | {"valid_until": past}), 400, field="valid_until")
    assert_error(api.post(path, quote_body(supplier, sku) | {"lines": []}), 422)
    assert_error(api.post(path, quote_body(supplier, sku) | {"organization": 999999}), 404)
    assert_error(api.post("rfqs/999999/quotes", quote_body(supplier, sku)), 404)
    assert not Negotiation.objects.exists()


def test_api_bad_counters_and_decisions(api_as, quote, purchaser, sku, foreign_sku):
    api = api_as(purchaser)
    path = f"quotes/{quote.pk}/counter"
    good_line = {"variant_id": sku.pk, "quantity": 500, "unit_price": "15"}
    assert_error(api.post(path, {"version": 1, "lines": [good_line | {"variant_id": foreign_sku.pk}]}), 400)
    assert_error(api.post(path, {"version": 1, "lines": [good_line | {"unit_price": "-1"}]}), 422)
    huge = good_line | {"quantity": MAX_INT, "unit_price": HUGE_PRICE}
    assert_error(api.post(path, {"version": 1, "lines": [huge]}), 400, field="lines.0.quantity")
    assert_error(api.post(path, {"version": 0, "lines": [good_line]}), 422)
    assert_error(api.post(path, {"version": HUGE_INT, "lines": [good_line]}), 422)
    assert_error(api.post(path, {"version": 7, "lines": [good_line]}), 404, field="version")
    assert_error(api.post(f"quotes/{quote.pk}/accept", {"version": "one"}), 422)
    assert_error(api.post(f"quotes/{quote.pk}/accept", {}), 422)
    assert_error(api.post(f"quotes/{quote.pk}/decline", {"version": 1, "reason": "x" * 301}), 422)
    assert_error(api.post("quotes/999999/accept", {"version": 1}), 404)
    assert Proposal.objects.filter(negotiation=quote).count() == 1 and not Order.objects.exists()


def test_api_bad_inbox_and_funnel_queries(api_as, supplier):
    api = api_as(supplier.owner)
    assert_error(api.get(f"seller/rfqs?organization={supplier.pk}&tab=old"), 422)
    assert_error(api.get(f"seller/rfqs?organization={supplier.pk}&cursor=%00%01"), 422, field="cursor")
    assert_error(api.get("seller/rfqs?organization=999999"), 404)
    assert_error(api.get(f"seller/quotes/funnel?organization={supplier.pk}&periods=0"), 422)
    assert_error(api.get(f"seller/quotes/funnel?organization={supplier.pk}&period=year"), 422)


# --- web forms ----------------------------------------------------------------------------------------------------


def rfq_form(company, supplier, **line):
    return {
        "organization": company.pk,
        "title": "Converters",
        "audience": "direct",
        "supplier": supplier.pk,
        "currency": "CNY",
        "deadline": (clock.now() + timedelta(days=10)).date().isoformat(),
        "line-0-description": "Converters",
        "line-0-quantity": "10",
    } | {f"line-0-{k}": v for k, v in line.items()}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"quantity": str(HUGE_INT)}, "at most"),
        ({"quantity": "99999999999999999999"}, "at most"),
        ({"quantity": "1e3"}, "at least 1"),
        ({"quantity": "-3"}, "at least 1"),
        ({"target_price": "-1"}, "cannot be negative"),
        ({"target_price": "NaN"}, "is not a number"),
        ({"target_price": "abc"}, "Enter a price such as 12.50"),
        ({"target_price": "1e30"}, "out of range"),
        ({"variant": "999999", "description": ""}, "Describe the line"),
    ],
)
def test_web_bad_rfq_lines_are_form_errors(client, purchaser, company, supplier, change, says):
    client.force_login(purchaser)
    page = client.post("/rfqs/new/", rfq_form(company, supplier, **change))
    assert page.status_code == 400 and says in page.content.decode()
    assert not Rfq.objects.exists()


def test_web_bad_rfq_fields_are_form_errors(client, purchaser, company, supplier, foreign_sku):
    client.force_login(purchaser)
    yesterday = (clock.now() - timedelta(days=1)).date().isoformat()
    cases = [
        ({"deadline": yesterday}, "The deadline must be in the future"),
        ({"deadline": "someday"}, "Enter a valid date"),
        ({"required_by": yesterday}, "cannot be in the past"),
        ({"audience": "open", "category": "999999"}, "Select a valid choice"),
        ({"supplier": "999999"}, "Select a valid choice"),
        ({"organization": "999999"}, "Select a valid choice"),
        ({"currency": "XYZ"}, "Select a valid choice"),
        ({"line-0-variant": str(foreign_sku.pk)}, "not the supplier"),
        ({"line-0-quantity": "", "line-0-description": ""}, "Ask for at least one line"),
    ]
    for change, says in cases:
        page = client.post("/rfqs/new/", rfq_form(company, supplier) | change)
        assert page.status_code == 400 and says in page.content.decode(), (change, page.status_code)
    assert not Rfq.objects.exists()


def quote_form(sku, **line):
    return {"shipping": "0", "payment_terms": "prepay", "line-0-variant": sku.pk, "line-0-quantity": "500"} | {
        f"line-0-{k}": v for k, v in line.items()
    }


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"unit_price": "-1"}, "cannot be negative"),
        ({"unit_price": "NaN"}, "is not a number"),
        ({"unit_price": "1e30"}, "out of range"),
        ({"unit_price": "16", "quantity": str(HUGE_INT)}, "at most"),
        ({"unit_price": HUGE_PRICE, "quantity": "100000"}, "too large"),
        ({"unit_price": "16", "discount": "-1"}, "cannot be negative"),
        ({"unit_price": "16", "discount": "9000"}, "between zero"),
        ({"unit_price": "16", "discount": "abc"}, "Enter a price such as 12.50"),
        ({"unit_price": "16", "variant": "999999"}, "Choose the SKU you offer"),
    ],
)
def test_web_bad_quote_lines_are_form_errors(client, direct_rfq, supplier, sku, change, says):
    client.force_login(supplier.owner)
    page = client.post(f"/console/{supplier.pk}/quotes/rfqs/{direct_rfq.pk}/", quote_form(sku, **change))
    assert page.status_code == 400 and says in page.content.decode()
    assert not Negotiation.objects.exists()


def test_web_a_foreign_sku_and_bad_terms_in_a_quote_are_form_errors(client, direct_rfq, supplier, sku, foreign_sku):
    client.force_login(supplier.owner)
    path = f"/console/{supplier.pk}/quotes/rfqs/{direct_rfq.pk}/"
    yesterday = (clock.now() - timedelta(days=1)).date().isoformat()
    cases = [
        (quote_form(foreign_sku, unit_price="3"), "Choose the SKU you offer"),
        (quote_form(sku, unit_price="16") | {"shipping": "-1"}, "greater than or equal to 0"),
        (quote_form(sku, unit_price="16") | {"shipping": "1e20"}, "Ensure that there are no more than"),
        (quote_form(sku, unit_price="16") | {"payment_terms": "net999"}, "Select a valid choice"),
        (quote_form(sku, unit_price="16") | {"valid_until": yesterday}, "The validity must end in the future"),
    ]
    for form, says in cases:
        page = client.post(path, form)
        assert page.status_code == 400 and says in page.content.decode(), (form, page.status_code)
    assert not Negotiation.objects.exists()


def test_web_bad_counters_are_form_errors(client, quote, purchaser, sku, foreign_sku):
    client.force_login(purchaser)
    path = f"/quotes/{quote.pk}/counter/"
    base = {"version": "1", "shipping": "0", "payment_terms": "prepay", "line-0-quantity": "500"}
    for line, says in [
        ({"line-0-variant": foreign_sku.pk, "line-0-unit_price": "3"}, "Choose the SKU you offer"),
        ({"line-0-variant": sku.pk, "line-0-unit_price": "-3"}, "cannot be negative"),
        ({"line-0-variant": sku.pk, "line-0-unit_price": "Infinity"}, "is not a number"),
        ({"line-0-variant": sku.pk, "line-0-unit_price": "1", "line-0-quantity": "9" * 30}, "at most"),
    ]:
        page = client.post(path, base | line)
        assert page.status_code == 400 and says in page.content.decode(), (line, page.status_code)
    stale = client.post(path, base | {"version": "abc", "line-0-variant": sku.pk, "line-0-unit_price": "15"})
    assert stale.status_code in (302, 400, 409)
    for action in ("accept", "decline"):
        answer = client.post(f"/quotes/{quote.pk}/{action}/", {"version": "x" * 50})
        assert answer.status_code == 302  # back to the thread with a message
    assert Proposal.objects.filter(negotiation=quote).count() == 1 and not Order.objects.exists()
