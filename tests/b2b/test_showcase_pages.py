"""The supplier showcase on the web: the store page of a supplier shows it to company buyers (facts, certifications,
response figures, Send inquiry), other stores do not; the console section Showcase edits it, with form errors."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.b2b.quoting import category, company, purchaser, rfq_in, sku, supplier, terms  # noqa: F401
from tradeloop.b2b import quotes, rfqs, showcase
from tradeloop.b2b.models import SupplierProfile

pytestmark = pytest.mark.django_db


def profile_in(**overrides) -> showcase.ProfileIn:
    fields = {
        "year_founded": 2009,
        "factory_size_m2": 12000,
        "employees": 320,
        "certifications": ["ISO 9001", "CE", "RoHS"],
        "main_markets": ["Europe", "Japan"],
        "main_markets_zh": ["欧洲", "日本"],
        "capacity": "3 SMT lines, 2 shifts",
        "capacity_zh": "3条SMT产线，两班倒",
        "capacity_per_month": 500000,
        "typical_moq": 500,
        "lead_time_days": 14,
        "introduction": "We make precision data converters.",
        "introduction_zh": "我们生产高精度数据转换器。",
    }
    fields.update(overrides)
    return showcase.ProfileIn(**fields)


@pytest.fixture
def profiled(supplier):
    showcase.save_profile(actor=supplier.owner, supplier=supplier, data=profile_in())
    return supplier


@pytest.fixture
def answered(profiled, purchaser, company, sku, category, clock):
    """Four inquiries to the supplier: three answered after 1, 2 and 5 hours, one not answered."""
    for hours in (1, 2, 5, None):
        rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(supplier=profiled))
        if hours is not None:
            clock.advance(hours=hours)
            quotes.submit_quote(actor=profiled.owner, rfq_id=rfq.pk, supplier=profiled, draft=terms(sku))
    return profiled


def store_url(org) -> str:
    return reverse("storefront:store", args=[org.slug])


def test_the_store_page_of_a_supplier_shows_its_showcase(client, answered):
    html = client.get(store_url(answered)).content.decode()
    assert 'data-testid="supplier-showcase"' in html
    for text in ("2009", "12,000 m²", "ISO 9001", "RoHS", "Europe, Japan", "500 units", "14 days", "3 SMT lines"):
        assert text in html, text
    assert "Responds to 75 % of inquiries · usually within 2 h" in html
    assert f"{reverse('b2b:rfq_new')}?supplier={answered.pk}" in html


def test_a_chinese_reader_sees_the_chinese_content(client, answered):
    client.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        html = client.get(store_url(answered), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "欧洲、日本" in html and "我们生产高精度数据转换器。" in html and "3条SMT产线" in html


def test_too_few_inquiries_hide_the_response_figures(client, profiled):
    html = client.get(store_url(profiled)).content.decode()
    assert 'data-testid="supplier-showcase"' in html and "Responds to" not in html


def test_a_supplier_without_a_profile_still_offers_send_inquiry(client, supplier):
    html = client.get(store_url(supplier)).content.decode()
    assert 'data-testid="send-inquiry"' in html and "Founded" not in html


def test_other_stores_have_no_showcase(client, merchant, django_assert_max_num_queries):
    url = store_url(merchant)
    client.get(url)
    with django_assert_max_num_queries(4):  # the store page's own budget (tests/storefront/test_pages.py)
        html = client.get(url).content.decode()
    assert "supplier-showcase" not in html


def test_the_supplier_store_page_budget_does_not_grow_with_its_inquiries(
    client, answered, purchaser, company, django_assert_max_num_queries
):
    url = store_url(answered)
    client.get(url)
    with django_assert_max_num_queries(4):  # as any store page: the showcase is cached
        assert client.get(url).status_code == 200
    for _ in range(5):
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(supplier=answered))
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_send_inquiry_signed_out_goes_to_sign_in_and_back(client, supplier):
    target = f"{reverse('b2b:rfq_new')}?supplier={supplier.pk}"
    response = client.get(target)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_send_inquiry_opens_the_rfq_form_with_the_supplier_chosen(client, supplier, purchaser):
    client.force_login(purchaser)
    response = client.get(f"{reverse('b2b:rfq_new')}?supplier={supplier.pk}")
    form = response.context["form"]
    assert form.initial["supplier"] == supplier.pk and form.initial["audience"] == "direct"
    assert f'<option value="{supplier.pk}" selected>' in response.content.decode()


# --- the console --------------------------------------------------------------------------------------------------


def console_url(org) -> str:
    return reverse("b2b:console_showcase", args=[org.pk])


def form_data(**overrides) -> dict:
    data = {
        "year_founded": "2009",
        "factory_size_m2": "12000",
        "employees": "320",
        "certifications": "ISO 9001, CE，RoHS",
        "main_markets": "Europe, Japan",
        "main_markets_zh": "欧洲、日本",
        "capacity": "3 SMT lines",
        "capacity_zh": "3条SMT产线",
        "capacity_per_month": "500000",
        "typical_moq": "500",
        "lead_time_days": "14",
        "introduction": "We make converters.",
        "introduction_zh": "我们生产转换器。",
    }
    data.update(overrides)
    return data


def test_the_supplier_edits_its_showcase_in_the_console(client, supplier):
    client.force_login(supplier.owner)
    page = client.get(console_url(supplier))
    assert page.status_code == 200 and store_url(supplier) in page.content.decode()
    response = client.post(console_url(supplier), form_data())
    assert response.status_code == 302
    profile = SupplierProfile.objects.get(organization=supplier)
    assert profile.certifications == ["ISO 9001", "CE", "RoHS"] and profile.main_markets_zh == ["欧洲", "日本"]
    assert profile.typical_moq == 500 and profile.year_founded == 2009
    again = client.get(console_url(supplier)).content.decode()
    assert "ISO 9001, CE, RoHS" in again


@pytest.mark.parametrize(
    "field, value",
    [
        ("year_founded", "2999"),
        ("year_founded", "1500"),
        ("capacity_per_month", "-5"),
        ("typical_moq", "0"),
        ("lead_time_days", "-1"),
        ("employees", "abc"),
        ("certifications", "x" * 41),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(client, profiled, field, value):
    client.force_login(profiled.owner)
    response = client.post(console_url(profiled), form_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    profile = SupplierProfile.objects.get(organization=profiled)
    assert profile.year_founded == 2009 and profile.capacity_per_month == 500000 and profile.typical_moq == 500


def test_only_suppliers_have_the_section(client, merchant):
    client.force_login(merchant.owner)
    assert client.get(console_url(merchant)).status_code == 404


def test_another_tenant_is_404_and_a_weaker_role_403(client, supplier):
    other = factories.seller_with_owner(kind="supplier")
    client.force_login(other.owner)
    assert client.get(console_url(supplier)).status_code == 404
    staff = factories.member(supplier, "catalog")
    client.force_login(staff)
    assert client.get(console_url(supplier)).status_code == 403


def test_the_console_shows_the_figures_buyers_see(client, answered):
    client.force_login(answered.owner)
    html = client.get(console_url(answered)).content.decode()
    assert "Responds to 75 % of inquiries" in html and "3 of 4 inquiries" in html


def test_a_saved_change_is_not_hidden_by_the_cached_showcase(client, profiled):
    assert showcase.store_showcase(profiled).profile.year_founded == 2009  # now cached
    showcase.save_profile(actor=profiled.owner, supplier=profiled, data=profile_in(year_founded=1998))
    assert showcase.store_showcase(profiled).profile.year_founded == 1998


def test_the_store_page_shows_a_saved_change_at_once(client, profiled):
    assert "2009" in client.get(store_url(profiled)).content.decode()  # the anonymous page is cached now
    showcase.save_profile(actor=profiled.owner, supplier=profiled, data=profile_in(year_founded=1998))
    assert "1998" in client.get(store_url(profiled)).content.decode()


def test_only_a_supplier_sees_showcase_in_the_console_navigation(supplier, merchant):
    from tradeloop.accounts.console_nav import navigation

    def labels(org):
        membership = org.memberships.select_related("role", "organization").get()
        return {str(link.label) for link in navigation(membership, current_url_name="console:dashboard")}

    assert "Showcase" in labels(supplier)
    assert "Showcase" not in labels(merchant) and "Showcase" not in labels(
        factories.seller_with_owner("local_business")
    )
