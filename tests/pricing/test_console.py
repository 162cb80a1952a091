"""The seller console's price lists and tiers & MOQ pages: list, create, edit, delete; bad input is a form error;
another seller's list answers 404; a role without catalog.manage gets 403."""

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.pricing.models import OrderRule, PriceList, PriceListEntry, QuantityTier

pytestmark = pytest.mark.django_db


def url(name, org, *args):
    return reverse(f"pricing:{name}", args=[org.pk, *args])


def form(**fields):
    data = {"name": "Wholesale", "currency": "CNY", "priority": "3", "is_active": "on", "buyers": "", "entries": ""}
    return data | fields


@pytest.fixture
def owner(client, trade):
    client.force_login(trade["supplier"].owner)
    return client


def test_the_list_page_shows_lists_with_their_companies(owner, trade, django_assert_max_num_queries):
    supplier = trade["supplier"]
    owner.get(url("console_price_lists", supplier))
    with django_assert_max_num_queries(12):
        page = owner.get(url("console_price_lists", supplier))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Acme 2026" in html and "Acme Buyer" in html and "Beta Buyer" in html
    assert (
        url("console_price_lists", supplier)
        in owner.get(reverse("console:dashboard", args=[supplier.pk])).content.decode()
    )


def test_create_a_price_list_with_prices_and_companies(owner, trade):
    supplier = trade["supplier"]
    response = owner.post(
        url("console_price_list_create", supplier),
        form(buyers=f"{trade['acme'].slug}\n{trade['beta'].pk}", entries="SKU-0, 6.5\nsku-0; 6; 1000"),
    )
    assert response.status_code == 302, response.content.decode()
    created = PriceList.objects.get(seller=supplier, name="Wholesale")
    assert created.priority == 3
    assert sorted(b.name for b in created.buyers.all()) == ["Acme Buyer", "Beta Buyer"]
    assert sorted((e.min_quantity, str(e.unit_price)) for e in PriceListEntry.objects.filter(price_list=created)) == [
        (1, "6.5000"),
        (1000, "6.0000"),
    ]
    edit = owner.get(url("console_price_list", supplier, created.pk)).content.decode()
    assert "SKU-0, 6.5" in edit and "SKU-0, 6, 1000" in edit


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"entries": "NOPE, 1"}, "None of your products has the SKU or id NOPE."),
        ({"entries": "SKU-0"}, "Line 1: write SKU, unit price[, from quantity]."),
        ({"entries": "SKU-0, abc"}, "Line 1: the price and the quantity must be numbers."),
        ({"entries": "SKU-0, 1\nSKU-0, 2"}, "SKU-0 from 1 units is priced twice."),
        ({"entries": "SKU-0, -1"}, "A price cannot be negative."),
        ({"buyers": "no-such-company"}, "No company no-such-company can be given a price list."),
        ({"name": "Acme 2026"}, "You already have a price list named"),
        ({"priority": "5000"}, "less than or equal to 1000"),
        ({"valid_from": "2030-01-02T00:00", "valid_until": "2030-01-01T00:00"}, "must come after its start"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(owner, trade, fields, message):
    supplier = trade["supplier"]
    before = PriceList.objects.count(), PriceListEntry.objects.count()
    response = owner.post(url("console_price_list_create", supplier), form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (PriceList.objects.count(), PriceListEntry.objects.count()) == before


def test_edit_and_delete(owner, trade):
    supplier, contract = trade["supplier"], trade["contract"]
    response = owner.post(
        url("console_price_list", supplier, contract.pk),
        form(name="Acme 2027", entries="SKU-0, 9", buyers=trade["acme"].slug),
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.name == "Acme 2027" and contract.entries.count() == 1
    assert owner.post(url("console_price_list_delete", supplier, contract.pk)).status_code == 302
    assert not PriceList.objects.filter(pk=contract.pk).exists()


def test_another_sellers_list_answers_404_and_a_role_without_catalog_403(client, trade):
    supplier, contract = trade["supplier"], trade["contract"]
    other = trade["other"]
    client.force_login(other.owner)
    assert client.get(url("console_price_list", other, contract.pk)).status_code == 404
    assert client.post(url("console_price_list", other, contract.pk), form()).status_code == 404
    assert client.post(url("console_price_list_delete", other, contract.pk)).status_code == 404
    assert client.get(url("console_product_tiers", other, trade["adc"].product_id)).status_code == 404
    assert client.get(url("console_price_lists", supplier)).status_code == 404
    client.force_login(factories.member(supplier, "support"))
    assert client.get(url("console_price_lists", supplier)).status_code == 403
    assert PriceList.objects.filter(pk=contract.pk).exists()


def test_tiers_and_moq_page(owner, trade, django_assert_max_num_queries):
    supplier, adc = trade["supplier"], trade["adc"]
    listing = owner.get(url("console_tier_products", supplier)).content.decode()
    assert url("console_product_tiers", supplier, adc.product_id) in listing
    page_url = url("console_product_tiers", supplier, adc.product_id)
    with django_assert_max_num_queries(12):
        html = owner.get(page_url).content.decode()
    assert "100, 9" in html and "500, 8" in html
    prefix = f"v{adc.pk}"
    saved = owner.post(
        page_url,
        {
            "variant": adc.pk,
            f"{prefix}-tiers": "100, 9\n1000, 7.5",
            f"{prefix}-min_quantity": "50",
            f"{prefix}-multiple": "10",
        },
    )
    assert saved.status_code == 302
    assert list(QuantityTier.objects.filter(variant=adc).values_list("min_quantity", flat=True)) == [100, 1000]
    assert OrderRule.objects.get(variant=adc).min_quantity == 50

    for fields, message in (
        ({f"{prefix}-tiers": "1, 9"}, "from 2 to 10000"),
        ({f"{prefix}-tiers": "abc"}, "Line 1: write from quantity, unit price."),
        ({f"{prefix}-min_quantity": "45", f"{prefix}-multiple": "10"}, "must be a multiple of 10"),
    ):
        bad = owner.post(page_url, {"variant": adc.pk, f"{prefix}-tiers": "", **fields})
        assert bad.status_code == 400 and message in bad.content.decode(), fields
    assert list(QuantityTier.objects.filter(variant=adc).values_list("min_quantity", flat=True)) == [100, 1000]
    assert OrderRule.objects.get(variant=adc).multiple == 10
