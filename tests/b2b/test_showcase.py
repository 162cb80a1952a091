"""The supplier showcase's services and API: validation, the response rate and median response time computed from
the inquiry funnel over the last 90 days (moving the clock), a constant number of queries, and the endpoints
(public by slug, the supplier's own with GET and PUT; bad input 4xx, another tenant 404)."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

import json
from datetime import timedelta

import pytest

from tests import factories
from tests.b2b.quoting import category, company, purchaser, rfq_in, sku, supplier, terms  # noqa: F401
from tests.b2b.test_showcase_pages import profile_in
from tradeloop.b2b import quotes, rfqs, showcase
from tradeloop.b2b.models import SupplierProfile
from tradeloop.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def inquire(purchaser, company, supplier, **kw):
    return rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(supplier=supplier, **kw))


def answer(supplier, sku, rfq):
    return quotes.submit_quote(actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku))


# --- validation ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("year_founded", 1799),
        ("factory_size_m2", -1),
        ("employees", -3),
        ("capacity_per_month", -10),
        ("typical_moq", 0),
        ("lead_time_days", 4000),
        ("certifications", ["x" * 41]),
        ("main_markets", [f"Market {i}" for i in range(13)]),
        ("introduction", "x" * 4001),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(supplier, field, value):
    with pytest.raises(ValidationFailed) as error:
        showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in(**{field: value}))
    assert error.value.field == field
    assert not SupplierProfile.objects.exists()


def test_a_year_in_the_future_is_refused_until_it_comes(supplier, clock):
    next_year = clock.now().year + 1
    with pytest.raises(ValidationFailed):
        showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in(year_founded=next_year))
    clock.advance(days=366)
    saved = showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in(year_founded=next_year))
    assert saved.year_founded == next_year


def test_lists_are_tidied_and_a_second_save_replaces_the_first(supplier):
    data = profile_in(certifications=[" ISO  9001 ", "iso 9001", "", "CE"], main_markets=["Europe"])
    first = showcase.save_profile(actor=supplier.owner, supplier=supplier, data=data)
    assert first.certifications == ["ISO 9001", "CE"]
    second = showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in(typical_moq=100))
    assert second.pk == first.pk and second.typical_moq == 100 and SupplierProfile.objects.count() == 1


def test_only_the_suppliers_managers_and_only_a_supplier(supplier, merchant):
    staff = factories.member(supplier, "catalog")
    with pytest.raises(PermissionDenied):
        showcase.save_profile(actor=staff, supplier=supplier, data=profile_in())
    with pytest.raises(NotFound):
        showcase.save_profile(actor=merchant.owner, supplier=supplier, data=profile_in())
    with pytest.raises(ValidationFailed) as error:
        showcase.save_profile(actor=merchant.owner, supplier=merchant, data=profile_in())
    assert error.value.code == "not_a_supplier"


def test_content_follows_the_readers_language(supplier):
    profile = showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in(capacity_zh=""))
    assert profile.localized("main_markets", "zh-hans") == ["欧洲", "日本"]
    assert profile.localized("main_markets", "en") == ["Europe", "Japan"]
    assert profile.localized("capacity", "zh-hans") == "3 SMT lines, 2 shifts"  # no Chinese: the English


# --- response figures ---------------------------------------------------------------------------------------------


def test_rate_and_median_come_from_the_funnel(supplier, purchaser, company, sku, category, clock):
    """Five inquiries: direct ones answered after 1 h, 3 h and 10 h, an open one in its category after 2 h, one
    never answered. Its own organization's RFQ and an open RFQ in another category do not count."""
    for hours, audience in ((1, "direct"), (3, "direct"), (10, "direct"), (2, "open"), (None, "direct")):
        kw = {"supplier": supplier} if audience == "direct" else {"category": category}
        rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(**kw))
        if hours is not None:
            clock.advance(hours=hours)
            answer(supplier, sku, rfq)
    elsewhere = factories.CategoryFactory(slug="valves", name="Valves")
    rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=elsewhere))
    figures = showcase.response_figures(supplier)
    assert (figures.inquiries, figures.answered, figures.rate) == (5, 4, 80)
    assert abs(figures.median - timedelta(hours=2.5)) < timedelta(seconds=1)  # 1, 2, 3, 10 h
    assert figures.shown and figures.within_hours in (2, 3) and figures.within_days is None


def test_only_the_last_90_days_count(supplier, purchaser, company, sku, clock):
    for _ in range(3):
        answer(supplier, sku, inquire(purchaser, company, supplier))
    assert showcase.response_figures(supplier).inquiries == 3
    clock.advance(days=89)
    inquire(purchaser, company, supplier)
    assert showcase.response_figures(supplier).inquiries == 4
    clock.advance(days=2)
    figures = showcase.response_figures(supplier)
    assert (figures.inquiries, figures.answered, figures.shown) == (1, 0, False)


def test_fewer_than_three_inquiries_are_not_shown(supplier, purchaser, company, sku):
    answer(supplier, sku, inquire(purchaser, company, supplier))
    inquire(purchaser, company, supplier)
    figures = showcase.response_figures(supplier)
    assert figures.inquiries == 2 and not figures.shown


def test_slow_answers_are_said_in_days(supplier, purchaser, company, sku, clock):
    for _ in range(3):
        rfq = inquire(purchaser, company, supplier, deadline=clock.now() + timedelta(days=10))
        clock.advance(days=3)
        answer(supplier, sku, rfq)
    figures = showcase.response_figures(supplier)
    assert figures.within_days == 3


def test_the_figures_cost_two_queries_whatever_the_history(
    supplier, purchaser, company, sku, django_assert_num_queries
):
    for _ in range(3):
        answer(supplier, sku, inquire(purchaser, company, supplier))
    with django_assert_num_queries(2):
        showcase.response_figures(supplier)
    for _ in range(6):
        answer(supplier, sku, inquire(purchaser, company, supplier))
    with django_assert_num_queries(2):
        assert showcase.response_figures(supplier).inquiries == 9


# --- API ----------------------------------------------------------------------------------------------------------


def put(client, org_id, body):
    return client.put(
        f"/api/v1/seller/showcase?organization={org_id}", json.dumps(body), content_type="application/json"
    )


BODY = {
    "year_founded": 2009,
    "factory_size_m2": 12000,
    "employees": 320,
    "certifications": ["ISO 9001", "CE"],
    "main_markets": ["Europe"],
    "main_markets_zh": ["欧洲"],
    "capacity": "3 SMT lines",
    "capacity_per_month": 500000,
    "typical_moq": 500,
    "lead_time_days": 14,
    "introduction": "Converters.",
    "introduction_zh": "转换器。",
}


def test_the_supplier_reads_and_replaces_its_showcase(client, supplier):
    client.force_login(supplier.owner)
    empty = client.get(f"/api/v1/seller/showcase?organization={supplier.pk}")
    assert empty.status_code == 200 and empty.json()["profile"]["updated_at"] is None
    saved = put(client, supplier.pk, BODY)
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["profile"]["certifications"] == ["ISO 9001", "CE"] and body["profile"]["main_markets_zh"] == ["欧洲"]
    assert body["response"]["shown"] is False


def test_the_public_showcase(client, supplier, purchaser, company, sku, django_assert_max_num_queries):
    showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in())
    for _ in range(3):
        answer(supplier, sku, inquire(purchaser, company, supplier))
    url = f"/api/v1/suppliers/{supplier.slug}/showcase"
    body = client.get(url).json()
    assert body["supplier"]["slug"] == supplier.slug and body["verified"] is True
    assert body["profile"]["typical_moq"] == 500 and body["response"]["rate"] == 100
    assert body["send_inquiry_url"].endswith(f"/rfqs/new/?supplier={supplier.pk}")
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200


def test_the_public_showcase_of_an_unknown_or_not_a_supplier_is_404(client, merchant):
    assert client.get(f"/api/v1/suppliers/{merchant.slug}/showcase").status_code == 404
    response = client.get("/api/v1/suppliers/nobody/showcase")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unverified_supplier_without_a_profile(client):
    fresh = factories.seller_with_owner(kind="supplier", verified=False)
    body = client.get(f"/api/v1/suppliers/{fresh.slug}/showcase").json()
    assert body["verified"] is False and body["profile"] is None and body["response"] is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"year_founded": 3000}, "year_founded"),
        ({"capacity_per_month": -1}, "capacity_per_month"),
        ({"typical_moq": 0}, "typical_moq"),
        ({"certifications": ["x" * 41]}, "certifications"),
        ({"colour": "red"}, None),
        ({"employees": True}, None),
    ],
)
def test_bad_input_is_4xx_with_a_code_and_changes_nothing(client, supplier, change, field):
    client.force_login(supplier.owner)
    assert put(client, supplier.pk, BODY).status_code == 200
    response = put(client, supplier.pk, {**BODY, **change})
    assert 400 <= response.status_code < 500
    error = response.json()
    assert {"code", "message", "field"} <= set(error)
    if field:
        assert field in (error["field"] or "")
    profile = SupplierProfile.objects.get(organization=supplier)
    assert profile.year_founded == 2009 and profile.typical_moq == 500 and profile.capacity_per_month == 500000


def test_another_tenant_is_404_a_weaker_role_403_a_merchant_400(client, supplier, merchant):
    client.force_login(merchant.owner)
    assert put(client, supplier.pk, BODY).status_code == 404
    assert client.get(f"/api/v1/seller/showcase?organization={supplier.pk}").status_code == 404
    refused = put(client, merchant.pk, BODY)
    assert refused.status_code == 400 and refused.json()["code"] == "not_a_supplier"
    client.force_login(factories.member(supplier, "catalog"))
    assert put(client, supplier.pk, BODY).status_code == 403
    client.logout()
    assert put(client, supplier.pk, BODY).status_code == 401
